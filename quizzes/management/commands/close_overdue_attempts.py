"""Submit abandoned attempts whose time ran out. Run it every minute (cron, systemd timer)."""

import time

from django.core.management.base import BaseCommand

from quizzes.services import close_overdue_attempts


class Command(BaseCommand):
    help = "Submit, with the answers saved so far, every open attempt past its deadline and grace."

    def add_arguments(self, parser):
        parser.add_argument(
            "--every",
            type=int,
            default=0,
            metavar="SECONDS",
            help="Keep running, closing overdue attempts every SECONDS (0: run once).",
        )

    def handle(self, *args, every: int, **options):
        while True:
            closed = close_overdue_attempts()
            if closed or options["verbosity"] > 1:
                self.stdout.write(f"Closed {closed} overdue attempt(s).")
            if not every:
                return
            time.sleep(every)
