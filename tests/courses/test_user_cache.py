"""courses.user_cache: with Redis, a signed-in request reads its user from the cache, and every
change of the user (deactivated, new password, restricted, erased) takes effect on the next
request."""

import pytest
from django.contrib.auth import get_user_model
from django.core.cache import caches
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from courses import user_cache
from courses.privacy import services as privacy
from tests import factories
from tests.redis_support import REDIS_URL, real_redis, use_redis_at

pytestmark = pytest.mark.django_db

USERS_TABLE = get_user_model()._meta.db_table


@pytest.fixture
def with_redis(settings, monkeypatch):
    real_redis()
    use_redis_at(REDIS_URL, settings, monkeypatch)
    yield
    caches["default"].clear()


def signed_in(client):
    user = factories.delegate()
    response = client.post(
        reverse("courses:login"), {"username": user.username, "password": factories.PASSWORD}
    )
    assert response.status_code == 302
    return user


def reads_of_the_user(client) -> tuple[int, int]:
    """The dashboard's status, and how many of its queries read the users table."""
    with CaptureQueriesContext(connection) as queries:
        status = client.get(reverse("courses:dashboard")).status_code
    return status, sum(f'FROM "{USERS_TABLE}"' in q["sql"] for q in queries.captured_queries)


def is_signed_out(client) -> bool:
    response = client.get(reverse("courses:dashboard"))
    return response.status_code == 302 and reverse("courses:login") in response["Location"]


def test_after_the_first_request_the_user_comes_from_the_cache(client, with_redis):
    user = signed_in(client)
    assert reads_of_the_user(client)[0] == 200  # read from the database, then kept
    assert user_cache.cached_user(user.pk) == user
    assert reads_of_the_user(client) == (200, 0)


@pytest.mark.parametrize(
    "change",
    [
        pytest.param(
            lambda user: setattr(user, "is_active", False) or user.save(), id="deactivated"
        ),
        pytest.param(
            lambda user: user.set_password("Mật khẩu mới của tôi 2026!") or user.save(),
            id="new-password",
        ),
        pytest.param(lambda user: privacy.restrict_user(user=user), id="restricted"),
        pytest.param(lambda user: user.delete(), id="deleted"),
    ],
)
def test_a_change_of_the_user_signs_them_out_on_the_next_request(client, with_redis, change):
    user = signed_in(client)
    assert reads_of_the_user(client) == (200, 1)
    assert reads_of_the_user(client) == (200, 0)
    change(get_user_model().objects.get(pk=user.pk))
    assert user_cache.cached_user(user.pk) is None
    assert is_signed_out(client)


def test_an_old_row_cached_before_the_commit_is_deleted_by_it(
    client, with_redis, django_capture_on_commit_callbacks
):
    """Deleted when saved and again after the commit: a request that read the old row in
    between cannot leave it behind."""
    user = signed_in(client)
    reads_of_the_user(client)
    old = get_user_model().objects.get(pk=user.pk)
    with django_capture_on_commit_callbacks(execute=True):
        user.first_name = "Lan"
        user.save()
        assert user_cache.cached_user(user.pk) is None
        user_cache.remember_user(old)  # another request, which read the row before the save
    assert user_cache.cached_user(user.pk) is None
    assert reads_of_the_user(client) == (200, 1)
    assert user_cache.cached_user(user.pk).first_name == "Lan"


def test_without_a_shared_cache_every_request_reads_the_database(client):
    signed_in(client)
    assert reads_of_the_user(client) == (200, 1)
    assert reads_of_the_user(client) == (200, 1)
