"""Certificate templates belong to a course: its trainers (and HR) edit it; the default template
(no course) is an administrator's. Every other template is a 404 for them, on every view."""

import pytest
from django.urls import reverse

from certificates.models import CertificateTemplate
from tests.certificates.test_admin_templates import form_data

pytestmark = pytest.mark.django_db

URLS = "wagtailsnippets_certificates_certificatetemplate"
CHOOSER = "wagtailsnippetchoosers_certificates_certificatetemplate"


def html(response) -> str:
    return response.content.decode()


# Found: a trainer edited another course's template through the snippet edit view.


def test_a_trainer_cannot_open_another_courses_template(admin_world, client_as):
    theirs = admin_world.theirs.template

    response = client_as("trainer").get(reverse(f"{URLS}:edit", args=[theirs.pk]))

    assert response.status_code == 404


def test_a_trainer_cannot_change_another_courses_template(admin_world, client_as):
    theirs = admin_world.theirs.template
    data = form_data(name="Đã bị sửa", course=admin_world.mine.course.pk)

    response = client_as("trainer").post(reverse(f"{URLS}:edit", args=[theirs.pk]), data)

    assert response.status_code == 404
    theirs.refresh_from_db()
    assert theirs.name != "Đã bị sửa"
    assert theirs.course_id == admin_world.theirs.course.pk


@pytest.mark.parametrize("view", ["delete", "history", "usage", "preview_on_edit"])
def test_another_courses_template_is_a_404_on_every_view(admin_world, client_as, view):
    url = reverse(f"{URLS}:{view}", args=[admin_world.theirs.template.pk])

    assert client_as("trainer").get(url).status_code == 404


def test_a_trainer_edits_their_courses_template(admin_world, client_as):
    mine = admin_world.mine.template
    url = reverse(f"{URLS}:edit", args=[mine.pk])
    client = client_as("trainer")

    form = client.get(url)
    response = client.post(url, form_data(name="Mẫu mới", course=admin_world.mine.course.pk))

    assert form.status_code == 200
    assert admin_world.theirs.course.title not in html(form)  # the course choices are theirs
    assert response.status_code == 302
    mine.refresh_from_db()
    assert mine.name == "Mẫu mới"


def test_a_trainer_cannot_move_their_template_to_another_course(admin_world, client_as):
    mine = admin_world.mine.template
    url = reverse(f"{URLS}:edit", args=[mine.pk])

    response = client_as("trainer").post(url, form_data(course=admin_world.theirs.course.pk))

    assert response.status_code == 200
    assert "course" in response.context["form"].errors
    mine.refresh_from_db()
    assert mine.course_id == admin_world.mine.course.pk


def test_a_trainer_cannot_make_a_default_template(admin_world, client_as):
    response = client_as("trainer").post(reverse(f"{URLS}:add"), form_data(course=""))

    assert response.status_code == 200
    assert "course" in response.context["form"].errors
    assert not CertificateTemplate.objects.filter(name=form_data()["name"]).exists()


@pytest.mark.parametrize("role", ["trainer", "hr"])
def test_only_administrators_edit_the_default_template(admin_world, client_as, role):
    url = reverse(f"{URLS}:edit", args=[admin_world.default_template.pk])

    assert client_as(role).get(url).status_code == 404
    assert client_as("admin").get(url).status_code == 200


def test_the_listing_and_the_chooser_show_a_trainer_only_their_templates(admin_world, client_as):
    client = client_as("trainer")
    names = {admin_world.mine.template.name}
    hidden = {admin_world.theirs.template.name, admin_world.default_template.name}

    for url in (reverse(f"{URLS}:list"), reverse(f"{CHOOSER}:choose")):
        response = client.get(url)
        page = response.json()["html"] if "json" in response["Content-Type"] else html(response)
        assert all(name in page for name in names), url
        assert not any(name in page for name in hidden), url
    chosen = reverse(f"{CHOOSER}:chosen", args=[admin_world.theirs.template.pk])
    assert client.get(chosen).status_code == 404


def test_hr_edits_every_courses_template(admin_world, client_as):
    client = client_as("hr")
    for world in (admin_world.mine, admin_world.theirs):
        url = reverse(f"{URLS}:edit", args=[world.template.pk])
        assert client.get(url).status_code == 200
