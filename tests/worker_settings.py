"""Settings for a real ``manage.py db_worker`` process started by the tests
(tests/certificates/test_bulk_leases.py): the test settings, the database task backend, the test's
media folder and lease, and a storage that reads each file slowly, so that the test can kill the
worker half way through a job. ``DATABASE_URL`` names the test database."""

import os
from pathlib import Path

from lms.settings.test import *  # noqa: F403
from lms.settings.test import STORAGES

TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
MEDIA_ROOT = Path(os.environ["LMS_TEST_MEDIA_ROOT"])
LMS = {"TASK_LEASE_SECONDS": float(os.environ["LMS_TEST_LEASE_SECONDS"])}
STORAGES = {**STORAGES, "default": {"BACKEND": "tests.worker_support.SlowFileSystemStorage"}}
