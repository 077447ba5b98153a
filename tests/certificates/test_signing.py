"""PAdES signatures of issued certificates: made with a test CA's agency certificate, checked
by pyHanko's validator and by poppler's pdfsig (a separate implementation), and refused with a
clear message when the configuration is wrong."""

import io
import shutil
import socket
import subprocess
import zipfile
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from django.contrib.auth.models import Group
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation
from pyhanko.pdf_utils import generic
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko.sign.validation.status import SignatureCoverageLevel
from pyhanko_certvalidator import ValidationContext

from certificates import services, signing, tasks
from certificates.admin_signers import CertificateSignerForm
from certificates.models import Certificate, CertificateSignature
from certificates.signature_check import Verdict, check_signature
from courses.conf import lms_settings
from tests import factories
from tests.certificates import factories as cf
from tests.certificates.signing_ca import (
    PASSWORD,
    PASSWORD_ENV,
    SigningCA,
    local_timestamp_server,
    signer_config,
)

pytestmark = pytest.mark.django_db

PDFSIG = shutil.which("pdfsig")


@pytest.fixture(autouse=True)
def _password(monkeypatch):
    monkeypatch.setenv(PASSWORD_ENV, PASSWORD)
    cache.clear()
    with translation.override("en"):  # the messages are asserted in English
        yield
    cache.clear()


@pytest.fixture(scope="module")
def ca():
    return SigningCA.create()


@pytest.fixture
def course():
    return factories.course(modules=1)


@pytest.fixture
def signer(ca, course, tmp_path):
    """The course's template signs with an agency certificate of the test CA."""
    config = signer_config(cf.template(course=course), ca.pkcs12_file(tmp_path))
    signing.remember_identity(config, signing.check_configuration(config))
    config.save()
    return config


def issue(course, full_name="Nguyễn Thị Ánh Tuyết") -> Certificate:
    enrollment = cf.completed_enrollment(full_name=full_name, course=course)
    return services.issue_certificate(enrollment_id=enrollment.pk)[0]


def pdf_bytes(certificate: Certificate) -> bytes:
    with certificate.pdf.open("rb") as handle:
        return handle.read()


def pyhanko_status(data: bytes, ca: SigningCA):
    from asn1crypto import x509

    reader = PdfFileReader(io.BytesIO(data), strict=False)
    (signature,) = reader.embedded_signatures
    root = x509.Certificate.load(ca.certificate.public_bytes(encoding=_der()))
    return validate_pdf_signature(signature, ValidationContext(trust_roots=[root]))


def _der():
    from cryptography.hazmat.primitives.serialization import Encoding

    return Encoding.DER


def pdfsig(data: bytes, tmp_path: Path) -> str:
    path = tmp_path / "checked.pdf"
    path.write_bytes(data)
    # -nocert: the test CA is in no NSS database; the signature itself is what is checked.
    run = subprocess.run(  # noqa: S603 (a fixed program on a file of our own)
        [PDFSIG, "-nocert", str(path)],
        capture_output=True,
        text=True,
        env={"LANG": "C", "PATH": "/usr/bin:/bin"},
        check=False,
    )
    return run.stdout + run.stderr


def one_byte_changed(data: bytes) -> bytes:
    """A byte inside the drawn page content (covered by the signature) changed."""
    changed = bytearray(data)
    position = data.index(b"stream") + 40
    changed[position] ^= 0x01
    return bytes(changed)


def resaved(data: bytes) -> bytes:
    """What a PDF reader does on "Save": an incremental update appended after the signature."""
    writer = IncrementalPdfFileWriter(io.BytesIO(data))
    writer.root["/PageMode"] = generic.NameObject("/UseNone")
    writer.update_root()
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


# Signing


def test_an_issued_certificate_is_signed_over_the_whole_document(signer, course, ca):
    certificate = issue(course)
    status = pyhanko_status(pdf_bytes(certificate), ca)
    assert status.intact and status.valid and status.trusted
    assert status.coverage == SignatureCoverageLevel.ENTIRE_FILE
    assert status.signing_cert.subject.native["common_name"] == "Ban Tuyên giáo Trung ương"
    assert status.bottom_line
    record = CertificateSignature.objects.get(certificate=certificate)
    assert record.signer == signer and record.signer_name == "Nguyễn Văn An, Chánh Văn phòng"
    assert record.certificate_fingerprint == signer.certificate_fingerprint


@pytest.mark.skipif(PDFSIG is None, reason="poppler-utils (pdfsig) is not installed")
def test_pdfsig_finds_the_signature_valid_and_total(signer, course, tmp_path):
    report = pdfsig(pdf_bytes(issue(course)), tmp_path)
    assert "Signature Validation: Signature is Valid." in report
    assert "Total document signed" in report
    assert "Ban Tuyên giáo Trung ương" in report
    assert "ETSI.CAdES.detached" in report  # PAdES


def test_one_changed_byte_fails_pyhanko(signer, course, ca):
    status = pyhanko_status(one_byte_changed(pdf_bytes(issue(course))), ca)
    assert not status.intact
    assert not status.bottom_line


@pytest.mark.skipif(PDFSIG is None, reason="poppler-utils (pdfsig) is not installed")
def test_one_changed_byte_fails_pdfsig(signer, course, tmp_path):
    report = pdfsig(one_byte_changed(pdf_bytes(issue(course))), tmp_path)
    assert "Signature is Valid" not in report
    assert "Digest Mismatch" in report


def test_without_a_signer_certificates_are_issued_unsigned(course):
    cf.template(course=course)
    certificate = issue(course)
    assert check_signature(pdf_bytes(certificate)).verdict == Verdict.UNSIGNED
    assert not CertificateSignature.objects.exists()


def test_a_disabled_signer_signs_nothing(signer, course):
    signer.enabled = False
    signer.save()
    assert check_signature(pdf_bytes(issue(course))).verdict == Verdict.UNSIGNED


def test_the_signature_survives_the_bulk_zip(
    signer, course, ca, django_capture_on_commit_callbacks
):
    certificates = [issue(course, name) for name in ("Lê Văn Bình", "Trần Thị Cúc")]
    hr = factories.UserFactory()
    hr.groups.add(Group.objects.get(name=lms_settings.HR_GROUP))
    with django_capture_on_commit_callbacks(execute=True):
        job = tasks.start_bulk_download(user=hr, params={"course": course.pk}, language="vi")
    job.refresh_from_db()
    with job.zip_file.open("rb") as handle, zipfile.ZipFile(io.BytesIO(handle.read())) as archive:
        for certificate in certificates:
            data = archive.read(f"{certificate.serial} - {certificate.full_name}.pdf")
            status = pyhanko_status(data, ca)
            assert status.bottom_line and status.coverage == SignatureCoverageLevel.ENTIRE_FILE


def test_a_timestamp_server_certifies_the_time_of_signing(signer, course, ca, tmp_path):
    with local_timestamp_server(ca) as url:
        signer.timestamp_url = url
        signer.save()
        signing.check_configuration(signer)  # what the admin form does
        certificate = issue(course)
    status = pyhanko_status(pdf_bytes(certificate), ca)
    assert status.bottom_line and status.coverage == SignatureCoverageLevel.ENTIRE_FILE
    assert status.timestamp_validity is not None
    assert status.timestamp_validity.intact and status.timestamp_validity.valid
    assert CertificateSignature.objects.get(certificate=certificate).timestamped
    if PDFSIG:
        assert "Signature is Valid." in pdfsig(pdf_bytes(certificate), tmp_path)


# Bad configuration: a clear message, nothing issued


def assert_nothing_issued(enrollment):
    assert not Certificate.objects.filter(enrollment=enrollment).exists()
    assert not CertificateSignature.objects.exists()


def test_a_wrong_pkcs12_password_is_reported_and_nothing_is_issued(signer, course, monkeypatch):
    monkeypatch.setenv(PASSWORD_ENV, "sai mật khẩu")
    with pytest.raises(signing.SignerMisconfigured, match="password is wrong"):
        signing.check_configuration(signer)
    enrollment = cf.completed_enrollment(course=course)
    with pytest.raises(signing.SignerMisconfigured):
        services.issue_certificate(enrollment_id=enrollment.pk)
    assert_nothing_issued(enrollment)


def test_a_missing_password_variable_is_named(signer, monkeypatch):
    monkeypatch.delenv(PASSWORD_ENV)
    with pytest.raises(signing.SignerMisconfigured, match=PASSWORD_ENV):
        signing.check_configuration(signer)


def test_an_expired_signing_certificate_is_reported_and_nothing_is_issued(ca, course, tmp_path):
    long_ago = datetime.now(UTC) - timedelta(days=400)
    expired = ca.pkcs12_file(
        tmp_path, valid_from=long_ago, valid_until=long_ago + timedelta(days=365)
    )
    config = signer_config(cf.template(course=course), expired)
    with pytest.raises(signing.SignerMisconfigured, match="expired on"):
        signing.check_configuration(config)
    config.save()  # as if it expired after it was configured
    enrollment = cf.completed_enrollment(course=course)
    with pytest.raises(signing.SignerMisconfigured):
        services.issue_certificate(enrollment_id=enrollment.pk)
    assert_nothing_issued(enrollment)


def closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]  # nothing listens once it is closed


def test_an_unreachable_timestamp_server_is_reported_and_nothing_is_issued(signer, course):
    signer.timestamp_url = f"http://127.0.0.1:{closed_port()}/tsa"
    signer.save()
    with pytest.raises(signing.SignerUnavailable, match="timestamp server"):
        signing.check_configuration(signer)
    enrollment = cf.completed_enrollment(course=course)
    with pytest.raises(signing.SignerUnavailable):
        services.issue_certificate(enrollment_id=enrollment.pk)
    assert_nothing_issued(enrollment)


def admin_form(template, pkcs12_path, **data) -> CertificateSignerForm:
    fields = {
        "template": template.pk,
        "enabled": "on",
        "signer_name": "Nguyễn Văn An",
        "reason": "Cấp giấy chứng nhận hoàn thành khóa tập huấn",
        "kind": "pkcs12",
        "pkcs12_path": str(pkcs12_path),
        "password_env": PASSWORD_ENV,
        **data,
    }
    return CertificateSignerForm(data=fields)


def test_the_admin_form_stores_the_public_chain_of_a_working_configuration(ca, course, tmp_path):
    form = admin_form(cf.template(course=course), ca.pkcs12_file(tmp_path))
    assert form.is_valid(), form.errors
    signer = form.save()
    assert "BEGIN CERTIFICATE" in signer.certificate_chain_pem
    assert "Ban Tuyên giáo Trung ương" in signer.certificate_subject
    assert PASSWORD not in str(signer.__dict__)  # the password stays outside the database


def test_the_admin_form_says_the_password_is_wrong(ca, course, tmp_path, monkeypatch):
    monkeypatch.setenv(PASSWORD_ENV, "sai")
    form = admin_form(cf.template(course=course), ca.pkcs12_file(tmp_path))
    assert not form.is_valid()
    assert "password is wrong" in " ".join(form.non_field_errors())


def test_the_admin_form_needs_one_place_for_the_password(ca, course, tmp_path):
    form = admin_form(
        cf.template(course=course), ca.pkcs12_file(tmp_path), password_file="/run/secrets/p"
    )
    assert not form.is_valid()
    assert "password_env" in form.errors


def test_the_admin_form_reports_an_unreachable_timestamp_server(ca, course, tmp_path):
    form = admin_form(
        cf.template(course=course),
        ca.pkcs12_file(tmp_path),
        timestamp_url=f"http://127.0.0.1:{closed_port()}/tsa",
    )
    assert not form.is_valid()
    assert "timestamp server" in " ".join(form.non_field_errors())


# The verification page


def check_file(client, data: bytes):
    client.cookies["django_language"] = "en"
    upload = SimpleUploadedFile("giay-chung-nhan.pdf", data, content_type="application/pdf")
    return client.post(reverse("certificates:verify_file"), {"file": upload})


def test_the_issued_signed_file_is_proven_by_hash_and_signature(client, signer, course):
    certificate = issue(course)
    response = check_file(client, pdf_bytes(certificate))
    html = response.content.decode()
    assert response.status_code == 200
    assert "This file is exactly the PDF that was issued." in html
    assert 'data-signature="valid"' in html
    assert "Nguyễn Văn An, Chánh Văn phòng" in html


def test_a_resaved_copy_is_found_by_its_signature_and_said_changed(client, signer, course):
    certificate = issue(course)
    copy = resaved(pdf_bytes(certificate))
    assert check_signature(copy).verdict == Verdict.MODIFIED
    response = check_file(client, copy)
    html = response.content.decode()
    assert response.status_code == 200
    assert "not byte for byte" in html
    assert 'data-signature="modified"' in html
    assert certificate.full_name in html


def test_one_changed_byte_breaks_the_signature_on_the_page(client, signer, course):
    response = check_file(client, one_byte_changed(pdf_bytes(issue(course))))
    assert response.status_code == 404
    assert 'data-signature="broken"' in response.content.decode()


def test_a_pdf_signed_by_an_untrusted_certificate_is_reported_as_such(
    client, signer, course, tmp_path
):
    stranger = SigningCA.create("Some Other CA")
    config = signer_config(
        cf.template(course=factories.course(modules=1)),
        stranger.pkcs12_file(tmp_path, common_name="Kẻ giả mạo"),
    )
    unsigned_course = factories.course(modules=1)
    cf.template(course=unsigned_course)
    forged = signing.sign_pdf(pdf_bytes(issue(unsigned_course)), config=config).data
    assert check_signature(forged).verdict == Verdict.UNTRUSTED
    response = check_file(client, forged)
    assert response.status_code == 404
    assert 'data-signature="untrusted"' in response.content.decode()


def test_the_check_by_code_shows_the_signer(client, signer, course):
    certificate = issue(course)
    client.cookies["django_language"] = "en"
    html = client.get(reverse("certificates:verify_code", args=[certificate.verification_code]))
    text = html.content.decode()
    assert "Digitally signed by" in text
    assert "Nguyễn Văn An, Chánh Văn phòng" in text
    assert "Ban Tuyên giáo Trung ương" in text


def test_the_admin_reads_the_message_in_vietnamese(ca, course, tmp_path, monkeypatch):
    monkeypatch.setenv(PASSWORD_ENV, "sai")
    with translation.override("vi"):
        form = admin_form(cf.template(course=course), ca.pkcs12_file(tmp_path))
        assert not form.is_valid()
        message = " ".join(form.non_field_errors())
    assert message.startswith("Ký thử không thành công")
    assert "sai mật khẩu hoặc tệp bị hỏng" in message


def test_an_administrator_adds_a_signer_in_the_admin(client, ca, course, tmp_path):
    from wagtail.users.models import UserProfile

    admin = factories.UserFactory(is_superuser=True)
    profile = UserProfile.get_for_user(admin)
    profile.preferred_language = "en"
    profile.save()
    client.force_login(admin)
    template = cf.template(course=course)
    data = {
        "template": template.pk,
        "enabled": "on",
        "signer_name": "Nguyễn Văn An",
        "reason": "Cấp giấy chứng nhận hoàn thành khóa tập huấn",
        "kind": "pkcs12",
        "pkcs12_path": str(ca.pkcs12_file(tmp_path)),
        "password_env": PASSWORD_ENV,
    }
    wrong = client.post(reverse("certificate_signers:add"), {**data, "password_env": "NO_SUCH"})
    assert wrong.status_code == 200
    assert "NO_SUCH" in wrong.content.decode()  # the form names the missing variable
    assert not template_has_signer(template)
    response = client.post(reverse("certificate_signers:add"), data)
    assert response.status_code == 302
    assert template_has_signer(template)
    assert (
        "Ban Tuyên giáo Trung ương"
        in client.get(reverse("certificate_signers:index")).content.decode()
    )


def template_has_signer(template) -> bool:
    from certificates.models import CertificateSigner

    return CertificateSigner.objects.filter(template=template).exists()
