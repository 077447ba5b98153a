"""Benchmark settings: production-like, on loopback, with the bench-only app and urlconf.

Used by ``benchmarks/run.py`` (``make bench``); never deploy these. The database comes from
``DATABASE_URL``, which the runner points at its own throw-away database.
"""

import os

from . import shared_cache
from .base import *  # noqa: F403
from .base import DATABASES, INSTALLED_APPS, MIDDLEWARE

DEBUG = False
SECRET_KEY = "bench-only-insecure-key-never-use-in-production"  # noqa: S105
ALLOWED_HOSTS = ["127.0.0.1"]

INSTALLED_APPS = [*INSTALLED_APPS, "benchmarks.benchapp"]
ROOT_URLCONF = "benchmarks.benchapp.urls"
# Each response carries its request's CPU time in the worker (X-Bench-CPU-us), so the load
# client can report the app's CPU per kind of request even with threaded workers.
MIDDLEWARE = ["benchmarks.benchapp.middleware.RequestCPUMiddleware", *MIDDLEWARE]

# As in production: persistent connections, checked before reuse. Longer-lived than production's
# 60 s so each worker keeps one database backend for the whole run, whose CPU the runner reads.
DATABASES["default"]["CONN_MAX_AGE"] = 600
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True

# As in production: the cache and sessions in Redis when the runner passes REDIS_URL.
shared_cache.configure(globals())

# Plain HTTP on loopback: no SSL redirect, no secure-only cookies.
SECURE_SSL_REDIRECT = False
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False

# Static files straight from the apps through WhiteNoise; no collectstatic, no autorefresh, and
# no STATIC_ROOT (nothing is collected; WhiteNoise would warn that the directory is missing).
STATIC_ROOT = None
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = False

# Certificates are issued by a task (certificates.issuing). With BENCH_TASKS=db, as in
# production, a `manage.py db_worker` runs them (the scale-out benchmark starts one); otherwise
# Django's default immediate backend runs them on commit, in the request.
if os.environ.get("BENCH_MEDIA_ROOT"):  # shared by every instance, as S3 would be
    MEDIA_ROOT = os.environ["BENCH_MEDIA_ROOT"]
if os.environ.get("BENCH_TASKS") == "db":
    TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

MAILERS = {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
}
