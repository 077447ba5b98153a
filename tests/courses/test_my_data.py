"""The delegate's "Dữ liệu của tôi" page, the privacy notice and consent."""

import io
import json
import zipfile

import pytest
from django.test import override_settings
from django.urls import reverse
from openpyxl import load_workbook

from courses.models import Consent, DataRequest, SignupRequest
from courses.privacy import services
from tests import factories

pytestmark = pytest.mark.django_db


def test_the_page_lists_requests_and_consent(client_as, admin_world):
    services.open_request(user=admin_world.mine.delegate, kind="restriction", reason="Tạm dừng")
    response = client_as("delegate").get(reverse("courses:my_data"))
    assert response.status_code == 200
    page = response.content.decode()
    assert reverse("courses:my_data_download") in page
    assert "2026-01" in page
    assert response["Cache-Control"].startswith("private") or "private" in response["Cache-Control"]


def test_the_download_holds_json_xlsx_and_pdfs(
    client_as, admin_world, django_assert_max_num_queries
):
    client = client_as("delegate")
    with django_assert_max_num_queries(25):
        response = client.get(reverse("courses:my_data_download"))
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    archive = zipfile.ZipFile(
        io.BytesIO(b"".join(response.streaming_content) if response.streaming else response.content)
    )
    names = set(archive.namelist())
    serial = admin_world.mine.certificate.serial
    assert {"README.txt", "data.json", "data.xlsx", f"certificates/{serial}.pdf"} <= names
    data = json.loads(archive.read("data.json"))
    assert data["sections"]["profile"][0]["full_name"] == "Nguyễn Văn An"
    assert data["sections"]["consents"][0]["notice_version"] == "2026-01"
    workbook = load_workbook(io.BytesIO(archive.read("data.xlsx")))
    assert len(workbook.sheetnames) == len(data["sections"])
    assert archive.read(f"certificates/{serial}.pdf").startswith(b"%PDF")


def test_the_export_costs_the_same_queries_with_more_data(client_as, admin_world):
    """No query per row: the export of a delegate with twice the attempts costs the same."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from quizzes import services as quiz_services

    delegate = admin_world.mine.delegate
    with CaptureQueriesContext(connection) as before:
        services.export_sections(delegate)
    open_attempt = admin_world.mine.open_attempt
    quiz_services.submit_attempt(attempt_id=open_attempt.pk, user=delegate)
    quiz_services.start_attempt(quiz=admin_world.mine.quiz, user=delegate)
    with CaptureQueriesContext(connection) as after:
        services.export_sections(delegate)
    assert len(after) == len(before)


def test_a_request_is_received_with_its_due_date(client_as, admin_world):
    client = client_as("delegate")
    response = client.post(
        reverse("courses:my_data_request"), {"kind": "erasure", "reason": "Chuyển công tác"}
    )
    assert response.status_code == 302
    data_request = DataRequest.objects.get(user=admin_world.mine.delegate)
    assert (data_request.kind, data_request.reason, data_request.state) == (
        "erasure",
        "Chuyển công tác",
        "open",
    )
    again = client.post(reverse("courses:my_data_request"), {"kind": "erasure"})
    assert again.status_code == 400
    assert DataRequest.objects.filter(user=admin_world.mine.delegate).count() == 1


def test_an_unknown_kind_is_refused_with_a_message(client_as, admin_world):
    response = client_as("delegate").post(reverse("courses:my_data_request"), {"kind": "drop"})
    assert response.status_code == 400
    assert response.context["form"].has_error("kind")
    assert not DataRequest.objects.exists()


def test_someone_elses_request_cannot_be_cancelled(client_as, admin_world):
    theirs = services.open_request(user=admin_world.theirs.delegate, kind="erasure")
    response = client_as("delegate").post(reverse("courses:my_data_cancel", args=[theirs.pk]))
    assert response.status_code == 404
    theirs.refresh_from_db()
    assert theirs.is_open
    mine = services.open_request(user=admin_world.mine.delegate, kind="erasure")
    client_as("delegate").post(reverse("courses:my_data_cancel", args=[mine.pk]))
    mine.refresh_from_db()
    assert mine.state == "cancelled"


def test_a_delegate_without_consent_is_sent_to_the_notice_and_back(client):
    delegate = factories.delegate(consent=False)
    client.force_login(delegate)
    response = client.get(reverse("courses:dashboard"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("courses:privacy_notice"))
    notice = client.get(response["Location"])
    assert notice.status_code == 200 and notice.context["needs_consent"]
    refused = client.post(reverse("courses:privacy_notice"), {"next": "/learn/"})
    assert refused.status_code == 400 and not Consent.objects.filter(user=delegate).exists()
    given = client.post(reverse("courses:privacy_notice"), {"agree": "on", "next": "/learn/"})
    assert given.status_code == 302 and given["Location"] == "/learn/"
    consent = Consent.objects.get(user=delegate)
    assert consent.notice_version == "2026-01" and consent.withdrawn_at is None
    assert client.get(reverse("courses:dashboard")).status_code == 200


def test_a_new_notice_version_asks_again(client):
    delegate = factories.delegate()
    client.force_login(delegate)
    assert client.get(reverse("courses:dashboard")).status_code == 200
    with override_settings(LMS={"PRIVACY_NOTICE_VERSION": "2027-01"}):
        response = client.get(reverse("courses:dashboard"))
        assert response.status_code == 302
        client.post(reverse("courses:privacy_notice"), {"agree": "on"})
        assert client.get(reverse("courses:dashboard")).status_code == 200
    assert sorted(delegate.privacy_consents.values_list("notice_version", flat=True)) == [
        "2026-01",
        "2027-01",
    ]


def test_withdrawing_consent_signs_out_and_asks_again(client):
    delegate = factories.delegate()
    client.force_login(delegate)
    response = client.post(reverse("courses:withdraw_consent"))
    assert response.status_code == 302
    assert not services.consent_is_current(delegate)
    client.force_login(delegate)
    assert client.get(reverse("courses:dashboard")).status_code == 302


def test_consent_given_at_sign_up_is_recorded_when_the_link_is_followed(
    client, django_capture_on_commit_callbacks
):
    from tests.courses.test_accounts import signup_data

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("courses:signup"), signup_data())
    assert response.status_code == 302
    signup = SignupRequest.objects.get()
    assert signup.consent["version"] == "2026-01"
    from courses.signup import confirm_signup, confirmation_token

    user, _next = confirm_signup(token=confirmation_token(signup))
    consent = Consent.objects.get(user=user)
    assert consent.notice_version == "2026-01"
    assert consent.given_at.isoformat() == signup.consent["given_at"]


def test_sign_up_without_consent_is_refused(client):
    from tests.courses.test_accounts import signup_data

    response = client.post(reverse("courses:signup"), signup_data(privacy_consent=""))
    assert response.status_code == 400
    assert response.context["form"].has_error("privacy_consent")
    assert not SignupRequest.objects.exists()
