"""Remind holders and HR of certificates that expire soon. Run it daily (cron, systemd timer);
each certificate's reminder goes out once, however often it runs."""

from django.core.management.base import BaseCommand

from certificates.expiry import reminder_days, send_expiry_reminders


class Command(BaseCommand):
    help = (
        "Email the holders of certificates expiring within "
        'LMS["CERTIFICATE_EXPIRY_REMINDER_DAYS"] days (default 30), and HR a list; once each.'
    )

    def handle(self, *args, **options):
        reminded = send_expiry_reminders()
        if reminded or options["verbosity"] > 1:
            self.stdout.write(
                f"Reminded the holders of {reminded} certificate(s) expiring within "
                f"{reminder_days()} day(s)."
            )
