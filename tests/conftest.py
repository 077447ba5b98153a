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
