"""Wagtail's user deletion goes through the erasure service; verification says when a
certificate's holder was erased."""

import pytest
from django.contrib.auth import get_user_model
from django.test import override_settings
from django.urls import reverse

from certificates.models import Certificate
from courses.models import ErasedAccount
from courses.privacy import services

pytestmark = pytest.mark.django_db


def test_deleting_a_delegate_in_the_admin_erases_them(admin_world, client_as):
    delegate = admin_world.mine.delegate
    client = client_as("admin")
    url = reverse("wagtailusers_users:delete", args=[delegate.pk])
    assert client.get(url).status_code == 200  # Wagtail's confirmation, unchanged
    response = client.post(url, follow=True)
    assert response.status_code == 200
    assert "Đã xóa dữ liệu cá nhân của người dùng" in response.content.decode()
    assert ErasedAccount.objects.get(user=delegate).erased_by == admin_world.admin
    delegate = get_user_model().objects.get(pk=delegate.pk)  # the world is shared
    assert delegate.email == "" and not delegate.is_active
    # No orphan: the records still point at the (anonymous) account
    assert Certificate.objects.filter(user=delegate).count() == 1
    assert delegate.quiz_attempts.count() == 2


def test_deleting_an_account_that_issued_certificates_says_why_and_changes_nothing(
    admin_world, client_as
):
    hr = admin_world.hr
    response = client_as("admin").post(
        reverse("wagtailusers_users:delete", args=[hr.pk]), follow=True
    )
    assert response.status_code == 200
    assert response.redirect_chain[-1][0] == reverse("wagtailusers_users:edit", args=[hr.pk])
    assert get_user_model().objects.get(pk=hr.pk).email == "hr@example.vn"
    assert not ErasedAccount.objects.exists()


def test_deleting_an_account_without_records_still_goes_through_the_service(admin_world, client_as):
    from tests.factories import delegate as make_delegate

    lonely = make_delegate(full_name="Lê Văn Cô Đơn")
    client_as("admin").post(reverse("wagtailusers_users:delete", args=[lonely.pk]))
    assert ErasedAccount.objects.filter(user=lonely).exists()


@pytest.mark.parametrize("keep_names", [True, False])
def test_verification_of_an_erased_holders_certificate_says_so(admin_world, client, keep_names):
    certificate = admin_world.mine.certificate
    with override_settings(LMS={"CERTIFICATES_STAY_VERIFIABLE": keep_names}):
        services.erase_user(user=admin_world.mine.delegate, actor=None)
    response = client.get(reverse("certificates:verify_code", args=[certificate.verification_code]))
    page = response.content.decode()
    assert response.status_code == 200
    assert "Valid certificate" in page or "hợp lệ" in page
    assert certificate.serial in page
    assert ("Nguyễn Văn An" in page) is keep_names
    assert "đã được xóa theo yêu cầu" in page


@pytest.fixture
def dpo(admin_world):
    from courses.services import ensure_role_groups
    from tests.factories import UserFactory

    officer = UserFactory(email="dpo@example.vn", first_name="Cán bộ", last_name="Bảo vệ dữ liệu")
    officer.groups.add(ensure_role_groups()["dpo"])
    return officer


@pytest.fixture
def dpo_client(client, dpo):
    client.force_login(dpo)
    return client


def test_only_the_dpo_sees_the_queue(dpo_client, client_as, admin_world):
    services.open_request(user=admin_world.mine.delegate, kind="erasure", reason="Nghỉ hưu")
    url = reverse("courses_privacy_requests")
    response = dpo_client.get(url)
    assert response.status_code == 200
    assert "Nguyễn Văn An" in response.content.decode()
    assert client_as("hr").get(url).status_code == 403
    assert client_as("trainer").get(url).status_code == 403


def test_the_queue_costs_the_same_queries_with_more_requests(
    dpo_client, admin_world, django_assert_max_num_queries
):
    from tests.factories import delegate

    for n in range(5):
        services.open_request(user=delegate(full_name=f"Người {n}"), kind="export")
    with django_assert_max_num_queries(12):
        assert dpo_client.get(reverse("courses_privacy_requests")).status_code == 200


def test_the_dpo_carries_out_an_erasure_and_the_record_says_who(dpo_client, dpo, admin_world):
    delegate = admin_world.mine.delegate
    data_request = services.open_request(user=delegate, kind="erasure", reason="Nghỉ hưu")
    url = reverse("courses_privacy_request", args=[data_request.pk])
    assert dpo_client.get(url).status_code == 200
    response = dpo_client.post(url, {"action": "carry_out", "note": "Theo đơn ngày 5/12"})
    assert response.status_code == 302
    data_request.refresh_from_db()
    assert (data_request.state, data_request.closed_by) == ("done", dpo)
    assert "Theo đơn ngày 5/12" in data_request.outcome
    assert ErasedAccount.objects.get(user=delegate).erased_by == dpo
    page = dpo_client.get(url).content.decode()
    assert "Cán bộ Bảo vệ dữ liệu" in page or "dpo@example.vn" in page  # in the history


def test_a_refusal_needs_a_note(dpo_client, admin_world):
    data_request = services.open_request(user=admin_world.mine.delegate, kind="restriction")
    url = reverse("courses_privacy_request", args=[data_request.pk])
    assert dpo_client.post(url, {"action": "refuse", "note": ""}).status_code == 400
    data_request.refresh_from_db()
    assert data_request.is_open
    dpo_client.post(url, {"action": "refuse", "note": "Dữ liệu cần cho báo cáo năm"})
    data_request.refresh_from_db()
    assert data_request.state == "refused"


def test_erasing_an_issuer_is_refused_with_the_reason_and_stays_open(dpo_client, admin_world):
    data_request = services.open_request(user=admin_world.hr, kind="erasure", reason="Nghỉ việc")
    url = reverse("courses_privacy_request", args=[data_request.pk])
    response = dpo_client.post(url, {"action": "carry_out"})
    assert response.status_code == 400
    assert "đã cấp 2 chứng nhận" in response.content.decode()
    data_request.refresh_from_db()
    assert data_request.is_open


def test_a_request_on_behalf_of_a_delegate(dpo_client, dpo, admin_world):
    url = reverse("courses_privacy_request_new")
    assert dpo_client.get(url).status_code == 200
    unknown = dpo_client.post(url, {"email": "ai@example.vn", "kind": "export", "reason": "Đơn"})
    assert unknown.status_code == 400
    response = dpo_client.post(
        url, {"email": admin_world.mine.delegate.email, "kind": "export", "reason": "Đơn ngày 1/12"}
    )
    assert response.status_code == 302
    from courses.models import DataRequest

    data_request = DataRequest.objects.get()
    assert data_request.requested_by == dpo and data_request.user == admin_world.mine.delegate


def test_the_dpos_export_is_in_the_access_log(dpo_client, dpo, admin_world):
    from courses.models import PersonalDataAccess

    data_request = services.open_request(user=admin_world.mine.delegate, kind="export")
    response = dpo_client.get(reverse("courses_privacy_request_export", args=[data_request.pk]))
    assert response.status_code == 200
    entry = PersonalDataAccess.objects.get()
    assert (entry.actor, entry.subject, entry.action) == (dpo, admin_world.mine.delegate, "export")
    log = dpo_client.get(reverse("courses_privacy_access") + "?format=csv")
    assert "courses_privacy_request_export" in log.content.decode("utf-8-sig")


def test_staff_exports_are_logged_with_filters_and_rows(client_as, admin_world):
    from courses.models import PersonalDataAccess

    response = client_as("hr").get(reverse("enrollments:index") + "export/?export=csv")
    if response.status_code == 404:  # the export's URL form differs between Wagtail versions
        response = client_as("hr").get(reverse("enrollments:index") + "?export=csv")
    assert response.status_code == 200
    entry = PersonalDataAccess.objects.get()
    assert entry.actor == admin_world.hr and entry.action == "export"
    assert entry.filters == {"export": ["csv"]} and entry.rows == 2


def test_inspecting_a_record_is_logged_and_a_delegates_own_download_is_not(client_as, admin_world):
    from courses.models import PersonalDataAccess

    client_as("hr").get(reverse("enrollments:inspect", args=[admin_world.mine.enrollment.pk]))
    client_as("delegate").get(reverse("courses:my_data_download"))
    assert list(PersonalDataAccess.objects.values_list("action", "what")) == [
        ("view", "enrollments:inspect")
    ]


def test_api_lists_of_personal_data_are_logged_with_their_count(client_as, admin_world):
    from courses.models import PersonalDataAccess

    client = client_as("hr")
    assert client.get(reverse("lms_api:certificate-list")).status_code == 200
    assert client.get(reverse("lms_api:course-list")).status_code == 200  # not personal
    [entry] = PersonalDataAccess.objects.all()
    assert (entry.what, entry.rows, entry.actor) == ("lms_api:certificate-list", 2, admin_world.hr)
