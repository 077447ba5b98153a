import pytest

from tests import factories


@pytest.fixture
def course_with_modules(db):
    return factories.course(modules=3)


@pytest.fixture
def delegate_user(db):
    return factories.delegate()


@pytest.fixture
def delegate_client(client, delegate_user):
    client.force_login(delegate_user)
    return client


@pytest.fixture
def course_completed_calls():
    """Every ``course_completed`` sent during the test, as the enrollments it carried."""
    from courses.signals import course_completed

    calls = []

    def receiver(sender, enrollment, **kwargs):
        calls.append(enrollment)

    course_completed.connect(receiver, weak=False, dispatch_uid="tests.course_completed_calls")
    yield calls
    course_completed.disconnect(dispatch_uid="tests.course_completed_calls")


@pytest.fixture(autouse=True)
def _fresh_site_root_paths():
    """Wagtail caches site root paths outside the database; a test must not see another's."""
    from wagtail.models import Site

    Site.clear_site_root_paths_cache()
    yield
    Site.clear_site_root_paths_cache()


@pytest.fixture(scope="module")
def _shared_admin_world(django_db_setup, django_db_blocker):
    from django.db import transaction

    from tests.admin_world import build_world

    with django_db_blocker.unblock(), transaction.atomic():
        yield build_world()
        transaction.set_rollback(True)


@pytest.fixture
def admin_world(_shared_admin_world, db):
    """Two courses with everything of each (``tests.admin_world``), built once per module;
    whatever a test changes is rolled back after it."""
    return _shared_admin_world


@pytest.fixture
def client_as(admin_world):
    """``client_as(role)``: a client signed in as the role's user of ``admin_world``."""
    from django.test import Client

    def make(role: str) -> Client:
        client = Client()
        user = admin_world.user(role)
        if user is not None:
            client.force_login(user)
        return client

    return make
