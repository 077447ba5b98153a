"""What the worker process of tests/worker_settings.py needs besides settings."""

import os
import time

from django.core.files.storage import FileSystemStorage


class SlowFileSystemStorage(FileSystemStorage):
    """A file system storage that takes ``LMS_TEST_SECONDS_PER_PDF`` to open a file, as a
    remote storage might: a job of a few dozen certificates then lasts long enough to be killed
    half way."""

    def _open(self, name, mode="rb"):  # Storage's documented hook for custom storages
        time.sleep(float(os.environ.get("LMS_TEST_SECONDS_PER_PDF", "0")))
        return super()._open(name, mode)
