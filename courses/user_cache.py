"""The signed-in user of each request, read from the shared cache rather than the database.

Every signed-in request loads its user (Django's ``get_user()``: the session names the user,
the backend reads the row and checks the session's password hash against it). At a conference
that is one query in every start, save and submit. ``courses.auth.EmailOrUsernameBackend``
keeps the row, pickled, in the shared cache under the user's id; the entry is deleted whenever
the user is saved or deleted through the ORM (a changed password, a deactivation, a sign-in's
``last_login``), at once and again after the commit, so that a request that read the old row
in between cannot leave it behind for longer than ``TIMEOUT_SECONDS``. Changes made around the
ORM (``QuerySet.update()``, raw SQL) send no signal: call ``forget_user()``.

Only with a cache that every process shares (Redis: ``lms.settings.shared_cache``); a
per-process cache would keep a row another process changed. While Redis cannot be reached
nothing is found and every request reads the database, as before.
"""

import django
from django.contrib.auth import get_user_model
from django.core.cache import caches
from django.db import transaction
from django.db.models.signals import post_delete, post_save

from courses.caching import cache_is_shared

CACHE_ALIAS = "default"
TIMEOUT_SECONDS = 5 * 60
# A pickled model belongs to the Django version and the model's fields it was made with.
SCHEMA = f"1:{django.get_version()}"


def _key(user_id) -> str:
    return f"lms:user:{SCHEMA}:{user_id}"


def cached_user(user_id):
    """The user stored for ``user_id``, or None."""
    return caches[CACHE_ALIAS].get(_key(user_id))


def remember_user(user) -> None:
    caches[CACHE_ALIAS].set(_key(user.pk), user, TIMEOUT_SECONDS)


def forget_user(user_id) -> None:
    """The user changed: delete the entry now and once more when the transaction commits."""
    if cache_is_shared(CACHE_ALIAS):
        _delete(user_id)
        transaction.on_commit(lambda: _delete(user_id))


def _delete(user_id) -> None:
    caches[CACHE_ALIAS].delete(_key(user_id))


def _user_changed(sender, instance, **kwargs) -> None:
    forget_user(instance.pk)


def connect_receivers() -> None:
    user_model = get_user_model()
    for signal in (post_save, post_delete):
        signal.connect(_user_changed, sender=user_model, dispatch_uid="courses.user_cache")
