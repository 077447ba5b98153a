"""What the API tells of a certificate's state and proof: being prepared or issued, signed and
by whom, valid until when (expired, revoked, superseded), and where its PDF, Open Badges 3.0
credential and public share link are, with the HTML views' access rules."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from certificates import services, tasks
from certificates.models import Certificate, CertificateSignature
from tests.api.conftest import issue_certificate
from tests.certificates import badge_support as badges

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _isolated_files(settings, tmp_path, monkeypatch):
    settings.MEDIA_ROOT = tmp_path / "media"
    monkeypatch.setattr(tasks, "work_dir", lambda: tmp_path / "work")


@pytest.fixture
def certificate(world):
    return issue_certificate(world, world.enrollment)


def mine(client, certificate) -> dict:
    return client.get(reverse("lms_api:my-certificate-detail", args=[certificate.pk])).json()


def test_a_signed_certificate_says_who_signed_it_and_when(world, login, certificate):
    signed_at = timezone.now().replace(microsecond=0)
    CertificateSignature.objects.create(
        certificate=certificate,
        signer_name="Nguyễn Văn An, Chánh Văn phòng",
        certificate_subject="Common Name: Ban Tuyên giáo Trung ương",
        certificate_fingerprint="ab" * 32,
        signed_at=signed_at,
        timestamped=True,
    )
    data = mine(login("delegate"), certificate)
    assert data["state"] == "issued"
    assert data["signed"] is True
    assert data["signature"] == {
        "signer_name": "Nguyễn Văn An, Chánh Văn phòng",
        "certificate_subject": "Common Name: Ban Tuyên giáo Trung ương",
        "signed_at": timezone.localtime(signed_at).isoformat(),
        "timestamped": True,
    }
    register = login("hr").get(reverse("lms_api:certificate-detail", args=[certificate.pk]))
    assert register.json()["signature"]["signer_name"] == "Nguyễn Văn An, Chánh Văn phòng"


def test_validity_says_expired_revoked_and_superseded(world, login, certificate):
    client = login("delegate")
    Certificate.objects.filter(pk=certificate.pk).update(
        valid_until=timezone.localdate() - datetime.timedelta(days=1)
    )
    data = mine(client, certificate)
    assert (data["validity"], data["expired"], data["status"]) == ("expired", True, "valid")
    new = services.reissue_certificate(certificate_id=certificate.pk, by=world.hr, reason="Tên")
    assert mine(client, certificate)["validity"] == "superseded"
    services.revoke_certificate(certificate_id=new.pk, by=world.hr, reason="Sai")
    assert mine(client, new)["validity"] == "revoked"


def test_my_credential_is_the_signed_open_badge_and_verifies(world, login, certificate):
    client = login("delegate")
    url = mine(client, certificate)["credential_url"]
    response = client.get(url)
    assert response.status_code == 200
    body = response.json()
    assert body["credential"]["type"] == ["VerifiableCredential", "OpenBadgeCredential"]
    assert badges.verify(client, body["jwt"])["jti"] == body["credential"]["id"]
    assert client.get(mine(client, certificate)["share_url"]).status_code == 200


def test_nobody_else_gets_my_credential(world, login, certificate):
    url = reverse("lms_api:my-certificate-credential", args=[certificate.pk])
    for role in ("other_delegate", "trainer", "hr", "superuser"):
        assert login(role).get(url).status_code == 404, role


def test_without_badges_there_are_no_credential_links(world, login, certificate, settings):
    settings.LMS = {**settings.LMS, "BADGE_SIGNING_KEY": None}
    client = login("delegate")
    data = mine(client, certificate)
    assert data["credential_url"] is None and data["share_url"] is None
    url = reverse("lms_api:my-certificate-credential", args=[certificate.pk])
    assert client.get(url).status_code == 404


def test_a_certificate_being_prepared_is_listed_as_preparing(world, login):
    world.enrollment.completed_at = timezone.now()
    world.enrollment.save(update_fields=["completed_at"])
    Certificate.objects.filter(enrollment=world.enrollment).delete()
    rows = login("delegate").get(reverse("lms_api:my-certificate-preparing")).json()
    assert [(r["enrollment"], r["state"]) for r in rows] == [(world.enrollment.pk, "preparing")]
    assert login("other_delegate").get(reverse("lms_api:my-certificate-preparing")).json() == []
