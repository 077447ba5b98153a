"""What a test needs to run the app in a process of its own against the test database (a
``db_worker``, an app server): the database's URL, as ``DATABASE_URL`` gives it to the settings,
and a free local port (the benchmarks' own helper, which starts their servers the same way)."""

from django.db import connection

from benchmarks.run import HOST, free_port

__all__ = ["HOST", "database_url", "free_port"]


def database_url() -> str:
    """The test database (SQLite's file or PostgreSQL's test database) as a ``DATABASE_URL``."""
    database = connection.settings_dict
    if database["ENGINE"] == "django.db.backends.sqlite3":
        return f"sqlite:///{database['NAME']}"
    password = f":{database['PASSWORD']}" if database.get("PASSWORD") else ""
    return (
        f"postgres://{database['USER']}{password}@{database['HOST'] or HOST}:"
        f"{database['PORT'] or 5432}/{database['NAME']}"
    )
