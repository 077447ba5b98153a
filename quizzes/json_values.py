"""Picking each row's value out of one JSON object, in SQL: how one UPDATE writes a different
answer to each response of a page without a CASE of one branch a row."""

import sqlite3

from django.db import connection
from django.db.models import Func, JSONField, TextField, Value
from django.db.models.functions import Cast

# SQLite learnt the JSON "->" operator in 3.38; Django 5.2 runs on 3.31.
SQLITE_ARROW = (3, 38)


class JSONMember(Func):
    """``object -> key``: the JSON value that ``object`` holds under ``key`` (a text expression),
    SQL NULL where it holds none. PostgreSQL and SQLite (3.38+) write it alike and both return
    JSON, so the member is stored as it was given."""

    template = "(%(expressions)s)"
    arg_joiner = " -> "
    output_field = JSONField()

    def as_sqlite(self, compiler, connection, **extra_context):
        # SQLite reads a key that looks like a number ("3") as an array index: quote it in a
        # JSON path instead, $."3".
        return super().as_sql(
            compiler,
            connection,
            template="""(%(expressions)s || '"'))""",
            arg_joiner=""" -> ('$."' || """,
            **extra_context,
        )


def supports_json_member() -> bool:
    """Whether the default database evaluates ``JSONMember``."""
    if connection.vendor == "postgresql":
        return True
    return connection.vendor == "sqlite" and sqlite3.sqlite_version_info >= SQLITE_ARROW


def member_by(values: dict[str, object], key_field: str) -> JSONMember:
    """Each row's value from ``values``, by its ``key_field`` read as text; a key left out gives
    SQL NULL (never JSON null)."""
    return JSONMember(Value(values, output_field=JSONField()), Cast(key_field, TextField()))
