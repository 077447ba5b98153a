"""Certificate templates in the admin: editing, placeholder checks, the PDF preview and the
Vietnamese official document preset."""

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse
from django.utils import translation
from wagtail.users.models import UserProfile

from certificates import admin_forms
from certificates.models import CertificateTemplate
from courses.conf import lms_settings
from tests import factories
from tests.certificates import factories as cf

pytestmark = pytest.mark.django_db

URLS = "wagtailsnippets_certificates_certificatetemplate"


def staff(group_name: str):
    user = factories.UserFactory()
    user.groups.add(Group.objects.get(name=group_name))
    profile = UserProfile.get_for_user(user)
    profile.preferred_language = "en"
    profile.save()
    return user


@pytest.fixture
def trainer_client(client):
    """A trainer's client; ``trainer_client.course`` is the course they train, whose template
    they keep."""
    trainer = staff(lms_settings.TRAINERS_GROUP)
    cohort = factories.CohortFactory()
    cohort.trainers.add(trainer)
    client.force_login(trainer)
    client.course = cohort.course
    return client


def form_data(**overrides) -> dict:
    data = {
        "name": "Mẫu Ban Tuyên giáo",
        "course": "",
        "preset": "official",
        "parent_body": "TỈNH ỦY PHÚ THỌ",
        "issuing_body": "BAN TUYÊN GIÁO",
        "show_motto": "on",
        "motto_line_1": "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "motto_line_2": "Độc lập - Tự do - Hạnh phúc",
        "title": "GIẤY CHỨNG NHẬN",
        "intro": "Chứng nhận ông/bà",
        "body": "Đơn vị: {organisation}\nĐã hoàn thành khóa “{course}” ({cohort}).",
        "place": "Phú Thọ",
        "date_line": "{place}, ngày {day} tháng {month} năm {year}",
        "register_label": "Số vào sổ:",
        "signatory_1_title": "TRƯỞNG BAN",
        "signatory_1_name": "Nguyễn Văn Hùng",
        "signatory_1_signature": "",
        "signatory_2_title": "",
        "signatory_2_name": "",
        "signatory_2_signature": "",
        "logo": "",
        "seal": "",
        "primary_colour": "#a3161c",
        "text_colour": "#1d2433",
        "border": "double",
        "landscape": "on",
    }
    data.update(overrides)
    return data


def test_a_trainer_adds_a_template(trainer_client):
    response = trainer_client.post(
        reverse(f"{URLS}:add"), form_data(course=trainer_client.course.pk)
    )
    assert response.status_code == 302
    template = CertificateTemplate.objects.get()
    assert template.title == "GIẤY CHỨNG NHẬN"
    assert template.body.startswith("Đơn vị: {organisation}")


def test_texts_are_stored_in_nfc(trainer_client):
    decomposed = "Ban Tuye\u0302n gia\u0301o"
    trainer_client.post(
        reverse(f"{URLS}:add"), form_data(course=trainer_client.course.pk, issuing_body=decomposed)
    )
    assert CertificateTemplate.objects.get().issuing_body == "Ban Tuyên giáo"


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("body", "Ông/bà {ten} đã hoàn thành", "Unknown placeholders: {ten}."),
        ("intro", "Chứng nhận {ho_ten}", "Unknown placeholders: {ho_ten}."),
        ("body", "Khóa {} năm 2024", "Write each placeholder as a name in braces"),
        ("body", "Khóa {course", "Unknown placeholders"),
        ("body", "", "This field is required."),
        ("date_line", "{place}, {date}", "Use only the placeholders {place}, {day}"),
        ("date_line", "{place}, ngày {day", "Use only the placeholders {place}, {day}"),
    ],
)
def test_placeholders_are_checked(trainer_client, field, value, message):
    response = trainer_client.post(reverse(f"{URLS}:add"), form_data(**{field: value}))
    assert response.status_code == 200
    with translation.override("en"):
        errors = " ".join(response.context["form"].errors[field])
    assert message in errors
    assert not CertificateTemplate.objects.exists()


def test_the_preview_panel_shows_the_pdf_of_the_unsaved_form(trainer_client):
    url = reverse(f"{URLS}:preview_on_add")
    state = trainer_client.post(url, form_data(course=trainer_client.course.pk)).json()
    assert state == {"is_valid": True, "is_available": True}

    response = trainer_client.get(url, {"mode": "", "in_preview_panel": "true"})

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    assert response["X-Frame-Options"] == "SAMEORIGIN"  # it may sit in the editor's iframe


def test_the_preview_of_a_saved_template(trainer_client):
    template = cf.template(trainer_client.course, title="CHỨNG NHẬN")
    url = reverse(f"{URLS}:preview_on_edit", args=[template.pk])
    assert trainer_client.post(
        url, form_data(course=trainer_client.course.pk, name=template.name)
    ).json()["is_valid"]
    response = trainer_client.get(url, {"mode": ""})
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")


def test_an_invalid_form_has_no_preview(trainer_client):
    url = reverse(f"{URLS}:preview_on_add")
    state = trainer_client.post(
        url, form_data(course=trainer_client.course.pk, body="{ten}")
    ).json()
    assert state == {"is_valid": False, "is_available": False}
    response = trainer_client.get(url, {"mode": ""})
    assert response["Content-Type"].startswith("text/html")


def test_the_official_preset_comes_from_the_vietnamese_catalogue(monkeypatch):
    languages = []

    def gettext(message):
        languages.append(translation.get_language())
        return f"[vi] {message}"

    monkeypatch.setattr(admin_forms, "gettext", gettext)
    preset = admin_forms.official_preset()
    assert set(languages) == {"vi"}
    assert preset["title"] == "[vi] CERTIFICATE"
    assert preset["preset"] == CertificateTemplate.Preset.OFFICIAL


def test_the_official_preset_in_vietnamese():
    preset = admin_forms.official_preset()
    assert preset["title"] == "GIẤY CHỨNG NHẬN"
    assert preset["date_line"] == "[{place}, ]ngày {day} tháng {month} năm {year}"
    assert preset["register_label"] == "Số vào sổ:"
    assert "{course}" in preset["body"]


def test_the_add_view_starts_from_the_preset(trainer_client):
    index = trainer_client.get(reverse(f"{URLS}:list")).content.decode()
    add_url = reverse(f"{URLS}:add")
    assert f"{add_url}?preset=official" in index

    form = trainer_client.get(add_url, {"preset": "official"}).context["form"]

    preset = admin_forms.official_preset()
    for name in ("title", "intro", "body", "motto_line_1", "date_line", "register_label"):
        assert form[name].value() == preset[name]
    assert form["name"].value() == preset["name"]
    assert not trainer_client.get(add_url).context["form"]["name"].value()


def test_delegates_cannot_reach_templates(client):
    client.force_login(factories.delegate())
    response = client.get(reverse(f"{URLS}:list"))
    assert response.status_code == 302 and "login" in response.url
