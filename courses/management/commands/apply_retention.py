"""Apply the personal data retention periods (``LMS["RETENTION_*"]``, README "Personal
data"). Run it daily from cron; ``--dry-run`` shows what a real run would do."""

from django.core.management.base import BaseCommand

from courses.privacy.retention import apply_retention


class Command(BaseCommand):
    help = "Purge or de-identify personal data whose retention period has passed."

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run", action="store_true", help="Count what would be purged; change nothing."
        )

    def handle(self, *args, dry_run: bool = False, **options):
        for result in apply_retention(dry_run=dry_run):
            prefix = "would purge" if dry_run else "purged"
            self.stdout.write(f"{result.rule}: {prefix} {result.count}: {result.description}")
