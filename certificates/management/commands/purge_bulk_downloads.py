"""Delete certificate ZIPs older than LMS["BULK_DOWNLOAD_RETENTION_DAYS"]. Run it daily (cron,
systemd timer); the jobs stay, marked expired."""

from django.core.management.base import BaseCommand

from certificates.tasks import purge_expired_downloads, retention_days


class Command(BaseCommand):
    help = (
        "Delete the files of certificate ZIP downloads finished more than "
        'LMS["BULK_DOWNLOAD_RETENTION_DAYS"] days ago (default 7), keeping their records.'
    )

    def handle(self, *args, **options):
        days = retention_days()
        expired = purge_expired_downloads()
        if expired or options["verbosity"] > 1:
            self.stdout.write(f"Deleted {expired} certificate ZIP(s) older than {days} day(s).")
