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
    assert (
        "personal data was erased" in response.content.decode()
        or ErasedAccount.objects.filter(user=delegate).exists()
    )
    delegate.refresh_from_db()
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
    assert "erased at their request" in page or "đã được xóa" in page
