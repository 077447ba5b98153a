"""Running Django's database task worker in tests: in this process (``run_db_worker_batch``),
and what the worker process of tests/worker_settings.py needs besides settings."""

import io
import os
import signal
import time

from django.core.files.storage import FileSystemStorage
from django.core.management import call_command


def run_db_worker_batch() -> None:
    """``manage.py db_worker --batch``: every task that is due, then exit (the worker's signal
    handlers put back as they were)."""
    handlers = {sig: signal.getsignal(sig) for sig in (signal.SIGINT, signal.SIGTERM)}
    try:
        call_command(
            "db_worker", "--batch", "--no-startup-delay", "--no-reload", stdout=io.StringIO()
        )
    finally:
        for sig, handler in handlers.items():
            signal.signal(sig, handler)


class SlowFileSystemStorage(FileSystemStorage):
    """A file system storage that takes ``LMS_TEST_SECONDS_PER_PDF`` to open a file, as a
    remote storage might: a job of a few dozen certificates then lasts long enough to be killed
    half way."""

    def _open(self, name, mode="rb"):  # Storage's documented hook for custom storages
        time.sleep(float(os.environ.get("LMS_TEST_SECONDS_PER_PDF", "0")))
        return super()._open(name, mode)
