import pytest

from tests import factories


@pytest.mark.django_db
def test_module_page_renders_for_enrolled_delegate(client):
    course = factories.course(modules=2)
    user = factories.delegate()
    factories.EnrollmentFactory(user=user, course=course)
    client.force_login(user)
    module = course.get_children().first()
    response = client.get(module.url)
    assert response.status_code == 200
    assert "Quyền con người được bảo đảm." in response.content.decode()
