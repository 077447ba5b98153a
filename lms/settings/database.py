"""The database connection's options, by engine (``DATABASES["default"]["OPTIONS"]``).

SQLite, the default so the README works anywhere, takes several writers at once (Wagtail's
editor autosaves while previews and delegates' pages write): WAL lets readers go on while one
writes; IMMEDIATE takes the write lock when a transaction begins, so a second writer waits (up to
the timeout, in seconds) instead of failing with "database is locked" when its read-then-write
transaction tries to upgrade.

PostgreSQL, in production, binds parameters on the server and keeps prepared each statement a
connection has run ``DATABASE_PREPARE_THRESHOLD`` times (5 by default, psycopg's own): it then
skips parsing and planning it, about half of its CPU on a quiz save or submit
(docs/decisions/0023). ``none`` turns preparing off, for a pooler that cannot carry prepared
statements (PgBouncer before 1.21 in transaction mode).
"""

import os
from collections.abc import Mapping

from django.core.exceptions import ImproperlyConfigured

SQLITE = "django.db.backends.sqlite3"
POSTGRESQL = "django.db.backends.postgresql"
PREPARE_AFTER = 5  # executions on one connection before a statement is prepared


def options(engine: str, environ: Mapping[str, str] = os.environ) -> dict:
    if engine == SQLITE:
        return {
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        }
    if engine == POSTGRESQL:
        return {
            "server_side_binding": True,
            "prepare_threshold": prepare_threshold(environ.get("DATABASE_PREPARE_THRESHOLD", "")),
        }
    return {}


def prepare_threshold(value: str) -> int | None:
    """``DATABASE_PREPARE_THRESHOLD``: empty for the default, ``none`` for never, else a count."""
    value = value.strip().lower()
    if not value:
        return PREPARE_AFTER
    if value == "none":
        return None
    if not value.isdigit():
        raise ImproperlyConfigured(
            f"DATABASE_PREPARE_THRESHOLD must be a whole number of executions or 'none', "
            f"not {value!r}."
        )
    return int(value)
