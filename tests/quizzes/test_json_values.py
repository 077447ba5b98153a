"""quizzes.json_values: one JSON object's member for each row, in SQL."""

from types import SimpleNamespace

import pytest
from django.contrib.auth import get_user_model

from quizzes import json_values
from quizzes.json_values import member_by, supports_json_member
from tests import factories


@pytest.mark.parametrize(
    ("vendor", "sqlite_version", "expected"),
    [
        ("postgresql", (3, 31, 1), True),
        ("sqlite", (3, 38, 0), True),
        ("sqlite", (3, 45, 1), True),
        ("sqlite", (3, 37, 2), False),  # Ubuntu 22.04's, which Django 5.2 accepts
        ("mysql", (3, 45, 1), False),
        ("oracle", (3, 45, 1), False),
    ],
)
def test_only_databases_with_the_operator_use_it(monkeypatch, vendor, sqlite_version, expected):
    monkeypatch.setattr(json_values, "connection", SimpleNamespace(vendor=vendor))
    monkeypatch.setattr(json_values.sqlite3, "sqlite_version_info", sqlite_version)
    assert supports_json_member() is expected


@pytest.mark.django_db
def test_each_row_reads_its_member_by_a_key_that_looks_like_a_number():
    """Keys are numbers written as text ("3", "10"), which SQLite would read as array indexes
    unless quoted; values of every JSON shape come back as given; a key left out is NULL."""
    if not supports_json_member():
        pytest.skip("this database has no JSON member operator")
    users = [factories.delegate() for _ in range(4)]
    values = {
        str(users[0].pk): [3, "Hà Nội"],
        str(users[1].pk): {"10": 'Ngoặc "kép"', "nested": [None, 1.5]},
        str(users[2].pk): 7,
    }
    read = dict(
        get_user_model()
        .objects.filter(pk__in=[u.pk for u in users])
        .annotate(member=member_by(values, "id"))
        .values_list("pk", "member")
    )
    assert read == {
        users[0].pk: [3, "Hà Nội"],
        users[1].pk: {"10": 'Ngoặc "kép"', "nested": [None, 1.5]},
        users[2].pk: 7,
        users[3].pk: None,
    }
