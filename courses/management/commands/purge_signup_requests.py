"""Forget sign-ups never confirmed within LMS["SIGNUP_CONFIRMATION_HOURS"]. Run it daily (cron,
systemd timer)."""

from django.core.management.base import BaseCommand

from courses.signup import purge_expired


class Command(BaseCommand):
    help = (
        "Delete sign-ups whose confirmation link has expired "
        '(LMS["SIGNUP_CONFIRMATION_HOURS"], default 72), with the details they held.'
    )

    def handle(self, *args, **options):
        removed = purge_expired()
        if removed or options["verbosity"] > 1:
            self.stdout.write(f"Deleted {removed} unconfirmed sign-up(s).")
