"""The database options each engine gets (lms/settings/database.py), and on PostgreSQL that a
statement a connection runs again and again is prepared once (docs/decisions/0023)."""

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import ImproperlyConfigured
from django.db import connection

from lms.settings import database


def test_sqlite_takes_several_writers():
    options = database.options(database.SQLITE, {})
    assert options["transaction_mode"] == "IMMEDIATE"
    assert "journal_mode=WAL" in options["init_command"]


def test_postgresql_binds_on_the_server_and_prepares_after_five_runs_by_default():
    assert database.options(database.POSTGRESQL, {}) == {
        "server_side_binding": True,
        "prepare_threshold": 5,
    }


@pytest.mark.parametrize(
    ("value", "threshold"),
    [("", 5), ("none", None), (" None ", None), ("0", 0), (" 12 ", 12)],
)
def test_the_prepare_threshold_comes_from_the_environment(value, threshold):
    environ = {"DATABASE_PREPARE_THRESHOLD": value}
    assert database.options(database.POSTGRESQL, environ)["prepare_threshold"] == threshold


@pytest.mark.parametrize("value", ["-1", "five", "2.5", "off"])
def test_a_prepare_threshold_that_is_not_a_count_stops_the_start(value):
    with pytest.raises(ImproperlyConfigured, match="DATABASE_PREPARE_THRESHOLD"):
        database.options(database.POSTGRESQL, {"DATABASE_PREPARE_THRESHOLD": value})


def test_other_engines_get_no_options():
    assert database.options("django.db.backends.mysql", {}) == {}


@pytest.mark.django_db
@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's prepared statements")
def test_a_statement_run_again_and_again_is_prepared_once_and_still_answers_right():
    threshold = connection.settings_dict["OPTIONS"]["prepare_threshold"]
    if threshold is None:
        pytest.skip("preparing is turned off here (DATABASE_PREPARE_THRESHOLD=none)")
    users = [get_user_model().objects.create(username=f"prepared{i}") for i in range(threshold + 3)]
    assert connection.settings_dict["OPTIONS"]["server_side_binding"] is True
    found = [
        get_user_model().objects.filter(pk=user.pk).values_list("username", flat=True).get()
        for user in users
    ]
    assert found == [user.username for user in users]
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_prepared_statements "
            "WHERE statement LIKE %s AND statement LIKE %s",
            ['%"username"%', '%WHERE "auth_user"."id" = $1%'],
        )
        assert cursor.fetchone()[0] == 1
