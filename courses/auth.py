import functools

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend

from courses.prepared import Columns, Prepared


@functools.cache
def _user_columns() -> Columns:
    return Columns.of(get_user_model())


@functools.cache
def _user_by_id() -> Prepared:
    user_model, columns = get_user_model(), _user_columns()
    return Prepared(
        lambda pk: user_model._default_manager.filter(pk=pk).values_list(*columns.lookups()),
        pk=int,
    )


class EmailOrUsernameBackend(ModelBackend):
    """Delegates sign in with their email address; staff may keep a username."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        if username is None or password is None:
            return None
        user_model = get_user_model()
        login = username.strip()
        user = (
            user_model._default_manager.filter(username__iexact=login).first()
            or user_model._default_manager.filter(email__iexact=login).order_by("pk").first()
        )
        if user is None:
            user_model().set_password(password)  # same work as a real check: no timing oracle
            return None
        if user.check_password(password) and self.user_can_authenticate(user):
            return user
        return None

    def get_user(self, user_id):
        """The signed-in user, as ``ModelBackend`` gives it, read once for every request: its
        SQL is built once (``courses.prepared``)."""
        if type(user_id) is not int:  # a custom user model keyed otherwise
            return super().get_user(user_id)
        query = _user_by_id()
        row = query.first(pk=user_id)
        if row is None:
            return None
        user = _user_columns().instance(row, using=query.db)
        return user if self.user_can_authenticate(user) else None
