"""Roster import through the Wagtail admin: upload, preview, confirm (all or nothing), the
set-password invitations, the result CSV and the template downloads."""

import codecs
import csv
import io
import re

import openpyxl
import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError
from django.test import Client
from django.urls import reverse
from django.utils import translation
from django.utils.html import escape

from courses import roster, services
from courses.models import DelegateProfile, Enrollment
from courses.roster import services as roster_services
from tests import factories, files

pytestmark = [pytest.mark.django_db, pytest.mark.urls("tests.courses.roster_urls")]

User = get_user_model()
HEADINGS = ["Họ và tên", "Cơ quan, đơn vị", "Chức vụ", "Tỉnh/thành phố", "Email"]
HONG = ["Nguyễn Thị Hồng", "Sở Ngoại vụ", "Chuyên viên", "Phú Thọ", "hong@example.vn"]
MINH = ["Trần Văn Minh", "Báo Nhân Dân", "Phóng viên", "Hòa Bình", "Minh@Example.vn"]
NEW_PASSWORD = "Tập huấn 2025 đối ngoại!"


@pytest.fixture(autouse=True)
def english(settings):
    settings.LANGUAGE_CODE = "en"


@pytest.fixture
def cohort():
    return factories.CohortFactory()


@pytest.fixture
def admin_client(client, admin_user):
    client.force_login(admin_user)
    return client


def csv_text(*rows, delimiter=",") -> str:
    buffer = io.StringIO(newline="")
    csv.writer(buffer, delimiter=delimiter).writerows(rows)
    return buffer.getvalue()


def csv_file(*rows, name="roster.csv", delimiter=",") -> SimpleUploadedFile:
    text = csv_text(HEADINGS, *rows, delimiter=delimiter)
    return SimpleUploadedFile(name, codecs.BOM_UTF8 + text.encode(), "text/csv")


def xlsx_file(*rows, name="roster.xlsx") -> SimpleUploadedFile:
    workbook = openpyxl.Workbook()
    for row in [HEADINGS, *rows]:
        workbook.active.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return SimpleUploadedFile(name, buffer.getvalue())


def upload_url(cohort) -> str:
    return reverse("courses_roster_upload", args=[cohort.pk])


def upload(client, cohort, file):
    """Upload a roster; return the preview page's URL."""
    response = client.post(upload_url(cohort), {"file": file})
    assert response.status_code == 302, response.content.decode()[:2000]
    return response["Location"]


def confirm_url(preview_url: str) -> str:
    return preview_url + "confirm/"


def text(response) -> str:
    return re.sub(r"\s+", " ", response.content.decode())


def roster_users():
    return User.objects.filter(email__in=["hong@example.vn", "minh@example.vn"])


# The happy path


def test_admin_imports_new_delegates_who_then_set_a_password_and_sign_in(
    admin_client, cohort, mailoutbox, django_capture_on_commit_callbacks
):
    page = admin_client.get(upload_url(cohort))
    assert page.status_code == 200
    assert reverse("courses_roster_template", kwargs={"fmt": "xlsx"}) in text(page)

    preview_url = upload(admin_client, cohort, xlsx_file(HONG, MINH))
    preview = admin_client.get(preview_url)

    assert preview.status_code == 200
    body = text(preview)
    assert "2 new accounts" in body
    assert "Import 2 delegates" in body
    assert "The former province Hòa Bình is now part of Phú Thọ." in body
    assert not roster_users().exists()  # nothing happens before the confirmation

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = admin_client.post(confirm_url(preview_url))
    assert response.status_code == 302
    assert mailoutbox == []  # the emails wait for the commit
    for callback in callbacks:
        callback()

    hong = User.objects.get(email="hong@example.vn")
    minh = User.objects.get(email="minh@example.vn")  # normalised to lower case
    assert not hong.has_usable_password()
    assert minh.delegate_profile.province.name == "Phú Thọ"
    assert minh.delegate_profile.organisation == "Báo Nhân Dân"
    enrollments = Enrollment.objects.filter(cohort=cohort).order_by("user__email")
    assert [(e.user, e.method, e.course_id) for e in enrollments] == [
        (hong, Enrollment.Method.ROSTER, cohort.course_id),
        (minh, Enrollment.Method.ROSTER, cohort.course_id),
    ]
    assert enrollments[1].province.name == "Phú Thọ"  # the snapshot, after the mapping
    assert hong.groups.filter(name="Delegates").exists()

    assert sorted(message.to[0] for message in mailoutbox) == [
        "hong@example.vn",
        "minh@example.vn",
    ]
    email = next(message for message in mailoutbox if message.to == ["hong@example.vn"])
    assert cohort.course.title in email.subject
    assert "Nguyễn Thị Hồng" in email.body
    # On the site that serves the course (a new project's default Site: localhost, port 80).
    link = re.search(r"http://localhost(/learn/password/set/\S+/)", email.body).group(1)

    delegate = Client()
    form = delegate.get(link, follow=True)
    assert form.status_code == 200
    assert form.context["validlink"]
    done = delegate.post(
        form.redirect_chain[-1][0],
        {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    assert done.status_code == 302
    assert delegate.login(username="hong@example.vn", password=NEW_PASSWORD)
    assert delegate.get(link, follow=True).context["validlink"] is False  # used once only


def test_result_page_and_csv_list_the_delegates_without_passwords(admin_client, cohort):
    preview_url = upload(admin_client, cohort, csv_file(HONG, MINH))
    admin_client.get(preview_url)
    result = admin_client.post(confirm_url(preview_url), follow=True)

    assert result.status_code == 200
    assert "2 new accounts were created" in text(result)
    csv_url = reverse("courses_roster_result_csv", args=[cohort.pk, preview_url.split("/")[-2]])
    assert csv_url in text(result)

    download = admin_client.get(csv_url)
    assert download.status_code == 200
    assert download["Content-Disposition"].startswith("attachment;")
    content = download.content.decode("utf-8")
    assert content.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(content.lstrip("\ufeff"))))
    assert rows == [
        ["Full name", "Email", "Status"],
        ["Nguyễn Thị Hồng", "hong@example.vn", "New account"],
        ["Trần Văn Minh", "minh@example.vn", "New account"],
    ]
    assert "password" not in content.lower()


def test_a_second_click_on_confirm_imports_nothing_more(admin_client, cohort):
    preview_url = upload(admin_client, cohort, csv_file(HONG))
    admin_client.get(preview_url)
    admin_client.post(confirm_url(preview_url))

    again = admin_client.post(confirm_url(preview_url))

    assert again.status_code == 302
    assert again["Location"].endswith("/imported/")
    assert Enrollment.objects.filter(cohort=cohort).count() == 1


def test_semicolon_csv_is_imported(admin_client, cohort):
    preview_url = upload(admin_client, cohort, csv_file(HONG, delimiter=";"))

    assert "1 new account" in text(admin_client.get(preview_url))


# Existing accounts and enrolments


def test_an_existing_account_is_enrolled_and_its_profile_left_alone(
    admin_client, cohort, mailoutbox, django_capture_on_commit_callbacks
):
    existing = factories.delegate(
        user__email="hong@example.vn", full_name="Nguyễn Thị Hồng Nhung", organisation="Bộ"
    )
    preview_url = upload(admin_client, cohort, csv_file(HONG, MINH))

    body = text(admin_client.get(preview_url))
    assert "1 existing account" in body
    assert "1 new account" in body

    with django_capture_on_commit_callbacks(execute=True):
        admin_client.post(confirm_url(preview_url))

    profile = DelegateProfile.objects.get(user=existing)
    assert (profile.full_name, profile.organisation) == ("Nguyễn Thị Hồng Nhung", "Bộ")
    assert Enrollment.objects.get(user=existing).cohort == cohort
    assert [message.to for message in mailoutbox] == [["minh@example.vn"]]  # only the new one
    assert User.objects.filter(email__iexact="hong@example.vn").count() == 1


def test_an_existing_account_without_a_profile_gets_one(admin_client, cohort):
    staff = factories.UserFactory(email="hong@example.vn")
    preview_url = upload(admin_client, cohort, csv_file(HONG))
    admin_client.get(preview_url)

    admin_client.post(confirm_url(preview_url))

    assert staff.delegate_profile.full_name == "Nguyễn Thị Hồng"
    assert Enrollment.objects.get(user=staff).province.name == "Phú Thọ"


def test_someone_already_in_the_cohort_is_shown_and_skipped(admin_client, cohort):
    hong = factories.delegate(user__email="hong@example.vn")
    services.add_to_cohort(user=hong, cohort=cohort, method=Enrollment.Method.ADMIN)
    preview_url = upload(admin_client, cohort, csv_file(HONG, MINH))

    body = text(admin_client.get(preview_url))
    assert "1 already enrolled" in body
    assert "Import 1 delegate" in body

    admin_client.post(confirm_url(preview_url))
    assert Enrollment.objects.get(user=hong).method == Enrollment.Method.ADMIN
    assert Enrollment.objects.filter(cohort=cohort).count() == 2


def test_someone_in_another_cohort_of_the_course_is_skipped(admin_client, cohort):
    other = factories.CohortFactory(course=cohort.course, name="Hội nghị Đà Nẵng")
    hong = factories.delegate(user__email="hong@example.vn")
    services.add_to_cohort(user=hong, cohort=other, method=Enrollment.Method.ROSTER)
    preview_url = upload(admin_client, cohort, csv_file(HONG))

    body = text(admin_client.get(preview_url))
    assert "In another cohort" in body
    assert "Hội nghị Đà Nẵng" in body
    assert "nothing to import" in body
    assert "Import 0" not in body


def test_a_self_enrolled_delegate_joins_the_cohort(admin_client, cohort):
    hong = factories.delegate(user__email="hong@example.vn")
    services.enrol(user=hong, course=cohort.course)
    preview_url = upload(admin_client, cohort, csv_file(HONG))
    admin_client.get(preview_url)

    admin_client.post(confirm_url(preview_url))

    assert Enrollment.objects.get(user=hong).cohort == cohort


# Errors: all or nothing


def test_rows_with_errors_are_listed_and_block_the_import(admin_client, cohort):
    rows = [
        HONG,
        ["", "Sở", "", "Huế", "a@example.vn"],
        ["Lê An", "Sở", "", "Atlantis", "an@example.vn"],
        ["Lê Bình", "Sở", "", "Huế", "hong@example.vn"],
    ]
    preview_url = upload(admin_client, cohort, csv_file(*rows))

    preview = admin_client.get(preview_url)
    body = text(preview)
    assert "3 rows with errors" in body
    assert "Row 3: The full name is missing." in body
    assert "The province “Atlantis” is unknown." in body
    assert "The email hong@example.vn is already in row 2." in body
    assert "Import 1 delegate" not in body
    assert confirm_url(preview_url) not in body

    forced = admin_client.post(confirm_url(preview_url))
    assert forced.status_code == 400
    assert "Nothing was imported" in text(forced)
    assert not User.objects.filter(email="hong@example.vn").exists()
    assert not Enrollment.objects.exists()


def test_an_account_registered_after_the_preview_stops_the_whole_import(
    admin_client, cohort, mailoutbox, django_capture_on_commit_callbacks
):
    preview_url = upload(admin_client, cohort, csv_file(HONG, MINH))
    assert "2 new accounts" in text(admin_client.get(preview_url))
    # Minh signs up on his own between the preview and the confirmation.
    minh = services.register_delegate(
        email="minh@example.vn",
        full_name="Trần Văn Minh",
        organisation="Báo Nhân Dân",
        province=None,
        password=NEW_PASSWORD,
    )

    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(confirm_url(preview_url))

    assert response.status_code == 409
    body = text(response)
    assert "Nothing was imported: accounts or enrolments changed since the preview." in body
    assert "Changed since the preview" in body
    assert "1 existing account" in body  # the updated preview
    assert not User.objects.filter(email="hong@example.vn").exists()
    assert not Enrollment.objects.exists()
    assert mailoutbox == []

    # Confirming the updated preview imports it.
    with django_capture_on_commit_callbacks(execute=True):
        admin_client.post(confirm_url(preview_url))
    assert Enrollment.objects.filter(cohort=cohort).count() == 2
    assert minh.check_password(NEW_PASSWORD)
    assert [message.to for message in mailoutbox] == [["hong@example.vn"]]


def test_a_failure_while_writing_rolls_back_the_rows_already_written(
    admin_client, cohort, monkeypatch, mailoutbox, django_capture_on_commit_callbacks
):
    # Fault injection in our own service: the enrolments fail as a concurrent registration
    # would, after the accounts and the first row's enrolment have been written.
    real = services.add_many_to_cohort
    calls = []

    def failing_add_many_to_cohort(*, user_ids, **kwargs):
        calls.extend(User.objects.get(pk=pk).email for pk in user_ids)
        real(user_ids=user_ids[:1], **kwargs)
        assert Enrollment.objects.count() == 1
        raise IntegrityError("duplicate key value violates unique constraint")

    monkeypatch.setattr(roster_services.services, "add_many_to_cohort", failing_add_many_to_cohort)
    preview_url = upload(admin_client, cohort, csv_file(HONG, MINH))
    admin_client.get(preview_url)

    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(confirm_url(preview_url))

    assert calls == ["hong@example.vn", "minh@example.vn"]
    assert response.status_code == 409
    assert "Nothing was imported" in text(response)
    assert not roster_users().exists()
    assert not DelegateProfile.objects.exists()
    assert not Enrollment.objects.exists()
    assert mailoutbox == []


@pytest.mark.parametrize(
    ("file", "message"),
    [
        (SimpleUploadedFile("roster.pdf", b"%PDF-1.4"), "Upload an Excel workbook"),
        (SimpleUploadedFile("roster.csv", b"Ho va ten\x81,Email\n"), "not in UTF-8"),
        (SimpleUploadedFile("roster.csv", b""), "empty"),
        (SimpleUploadedFile("roster.csv", b"Name,Email\nAn,a@x.vn\n"), "Organisation"),
    ],
)
def test_a_bad_file_is_refused_with_a_message(admin_client, cohort, file, message):
    response = admin_client.post(upload_url(cohort), {"file": file})

    assert response.status_code == 400
    assert message in text(response)
    assert not admin_client.session.get("courses_roster_imports")


# Damaged, hostile and legacy files


def vietnamese_refusal(data: bytes, name: str) -> str:
    """The message the reader gives this file, in Vietnamese (escaped as the page shows it)."""
    with translation.override("vi"), pytest.raises(roster.RosterFileError) as refused:
        roster.read_roster(data, name, max_rows=5000, max_bytes=5 * files.MIB)
    with translation.override("en"):
        assert str(refused.value.message) != _en(data, name), "not translated"
    return escape(refused.value.message)


def _en(data: bytes, name: str) -> str:
    try:
        roster.read_roster(data, name, max_rows=5000, max_bytes=5 * files.MIB)
    except roster.RosterFileError as error:
        return error.message
    raise AssertionError("read")


@pytest.mark.parametrize("name", files.MALFORMED)
def test_every_malformed_workbook_is_a_400_with_a_translated_message(
    admin_client, cohort, settings, name
):
    settings.LANGUAGE_CODE = "vi"
    data = files.malformed_workbooks(files.xlsx_bytes([HEADINGS, HONG], shared_strings=True))[name]

    response = admin_client.post(
        upload_url(cohort), {"file": SimpleUploadedFile("danh-sach.xlsx", data)}
    )

    assert response.status_code == 400
    assert vietnamese_refusal(data, "danh-sach.xlsx") in text(response)
    assert not admin_client.session.get("courses_roster_imports")


def test_a_roster_bomb_is_refused_fast_without_a_memory_spike(admin_client, cohort):
    bomb = SimpleUploadedFile("danh-sach.xlsx", files.bomb())  # 1 MB, 300 MiB unpacked

    with files.Peak() as peak:
        response = admin_client.post(upload_url(cohort), {"file": bomb})

    assert response.status_code == 400
    assert "unpacks to more than 100 times its stored size" in text(response)
    assert peak.bytes < 50 * files.MIB  # the report's bomb took a worker from 175 MB to 1 GB
    assert peak.seconds < 5  # it was accepted after 33 s


@pytest.mark.parametrize(
    "data",
    [
        pytest.param(
            codecs.BOM_UTF16_LE
            + "\r\n".join("\t".join(row) for row in [HEADINGS, HONG, MINH]).encode("utf-16-le"),
            id="Excel Unicode Text",
        ),
        pytest.param(files.windows_1258(csv_text(HEADINGS, HONG, MINH)), id="Windows-1258"),
    ],
)
def test_rosters_saved_in_legacy_encodings_import(admin_client, cohort, data):
    preview_url = upload(admin_client, cohort, SimpleUploadedFile("danh-sach.csv", data))

    page = text(admin_client.get(preview_url))

    assert "Nguyễn Thị Hồng" in page and "Trần Văn Minh" in page
    assert "2 new accounts" in page


def test_a_signature_block_ends_the_table_and_the_preview_says_where(admin_client, cohort):
    signed = xlsx_file(
        HONG,
        MINH,
        [],
        ["", "", "", "Hà Nội, ngày 15 tháng 11 năm 2024"],
        ["", "", "", "NGƯỜI LẬP DANH SÁCH"],
    )
    preview_url = upload(admin_client, cohort, signed)

    page = text(admin_client.get(preview_url))

    assert "2 new accounts" in page
    assert "rows with errors" not in page
    assert (
        "The table ends at row 5 (“Hà Nội, ngày 15 tháng 11 năm 2024”): rows below it are not "
        "read." in page
    )


def test_too_big_a_file_is_refused(admin_client, cohort, settings):
    settings.LMS = {"ROSTER_MAX_BYTES": 100}

    response = admin_client.post(upload_url(cohort), {"file": csv_file(HONG, MINH)})

    assert response.status_code == 400
    assert "larger than" in text(response)


def test_too_many_rows_are_refused(admin_client, cohort, settings):
    settings.LMS = {"ROSTER_MAX_ROWS": 1}

    response = admin_client.post(upload_url(cohort), {"file": csv_file(HONG, MINH)})

    assert response.status_code == 400
    assert "more than 1 delegate" in text(response)


def test_an_unknown_preview_token_sends_the_admin_back_to_upload(admin_client, cohort):
    url = reverse("courses_roster_preview", args=[cohort.pk, "not-a-token"])

    response = admin_client.get(url)

    assert response.status_code == 302
    assert response["Location"] == upload_url(cohort)


def test_a_preview_belongs_to_its_cohort(admin_client, cohort):
    preview_url = upload(admin_client, cohort, csv_file(HONG))
    other = factories.CohortFactory()
    token = preview_url.split("/")[-2]

    response = admin_client.post(reverse("courses_roster_confirm", args=[other.pk, token]))

    assert response.status_code == 302
    assert not Enrollment.objects.exists()


# Permissions and CSRF


@pytest.fixture
def trainer(db):
    """Reaches the admin and may view cohorts, but not change them."""
    group = Group.objects.create(name="Roster test trainers")
    group.permissions.add(
        Permission.objects.get(codename="access_admin"),
        Permission.objects.get(codename="view_cohort"),
    )
    user = factories.UserFactory()
    user.groups.add(group)
    return user


def test_staff_without_change_cohort_get_403_everywhere(client, trainer, cohort, admin_user):
    admin = Client()
    admin.force_login(admin_user)
    preview_url = upload(admin, cohort, csv_file(HONG))
    client.force_login(trainer)

    urls = [
        upload_url(cohort),
        preview_url,
        reverse("courses_roster_template", kwargs={"fmt": "xlsx"}),
    ]
    for url in urls:
        assert client.get(url).status_code == 403, url
    assert client.post(upload_url(cohort), {"file": csv_file(HONG)}).status_code == 403
    assert client.post(confirm_url(preview_url)).status_code == 403
    assert not Enrollment.objects.exists()


def test_delegates_and_visitors_are_sent_to_sign_in(client, cohort):
    assert client.get(upload_url(cohort)).status_code == 302
    client.force_login(factories.delegate())
    response = client.post(upload_url(cohort), {"file": csv_file(HONG)})
    assert response.status_code == 302
    assert not User.objects.filter(email="hong@example.vn").exists()


def test_a_post_without_the_csrf_token_is_refused(admin_user, cohort):
    client = Client(enforce_csrf_checks=True)
    client.force_login(admin_user)

    response = client.post(upload_url(cohort), {"file": csv_file(HONG)})

    assert response.status_code == 403


def test_the_upload_form_carries_a_csrf_token(admin_client, cohort):
    assert 'name="csrfmiddlewaretoken"' in text(admin_client.get(upload_url(cohort)))


def test_the_upload_screen_names_its_cohort_under_the_title(admin_client, cohort):
    html = text(admin_client.get(upload_url(cohort)))

    header = html[
        html.index('id="header-title"') : html.index("</div>", html.index('id="header-title"'))
    ]
    assert "Import delegates" in header
    assert cohort.name in header and cohort.course.title in header


# Templates


def test_the_xlsx_template_downloads_and_opens_with_openpyxl(admin_client):
    response = admin_client.get(reverse("courses_roster_template", kwargs={"fmt": "xlsx"}))

    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="delegate-roster.xlsx"'
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    assert [cell.value for cell in sheet[1]] == HEADINGS
    assert sheet["D2"].value == "Phú Thọ"


def test_the_csv_template_downloads_with_a_byte_order_mark(admin_client):
    response = admin_client.get(reverse("courses_roster_template", kwargs={"fmt": "csv"}))

    assert response.status_code == 200
    assert response.content.startswith(codecs.BOM_UTF8)
    assert "Họ và tên" in response.content.decode("utf-8-sig")


def test_the_template_comes_in_two_formats_only(admin_client):
    response = admin_client.get(reverse("courses_roster_template", kwargs={"fmt": "xls"}))

    assert response.status_code == 404


def test_the_downloaded_template_imports_as_is(admin_client, cohort):
    template = admin_client.get(reverse("courses_roster_template", kwargs={"fmt": "xlsx"}))
    preview_url = upload(
        admin_client, cohort, SimpleUploadedFile("delegate-roster.xlsx", template.content)
    )

    assert "1 new account" in text(admin_client.get(preview_url))


def test_confirming_without_seeing_a_preview_shows_the_preview_first(admin_client, cohort):
    preview_url = upload(admin_client, cohort, csv_file(HONG))

    response = admin_client.post(confirm_url(preview_url))

    assert response.status_code == 200
    assert "Import 1 delegate" in text(response)
    assert not Enrollment.objects.exists()
