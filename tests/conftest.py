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
