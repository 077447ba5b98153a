"""Signing with a PKCS#11 token, for real: a SoftHSM token holds an agency key and certificate
issued by the test CA; the admin configures a signer of the PKCS#11 kind; the issued PDF
validates with pyHanko and with poppler's pdfsig. A wrong PIN or a missing token is a clear
message with nothing issued (a missing token is retried, a wrong PIN is not: every wrong try
brings the token closer to locking itself)."""

import pytest
from django.core.cache import cache
from django.test import override_settings
from django.utils import translation

from certificates import signing
from certificates.admin_signers import CertificateSignerForm
from certificates.issuing import issue_completion_certificate
from certificates.models import Certificate, CertificateSignature, CertificateSigner
from tests.certificates import factories as cf
from tests.certificates.softhsm import PIN, PIN_ENV, TOKEN_LABEL, make_token, module_path
from tests.certificates.test_issuing import DEFERRING_BACKEND, task_backends
from tests.certificates.test_signing import (
    PDFSIG,
    SigningCA,
    factories,
    issue,
    pdf_bytes,
    pdfsig,
    pyhanko_status,
)

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(module_path() is None, reason="softhsm2 is not installed"),
]


@pytest.fixture(scope="session")
def ca():
    return SigningCA.create("LMS Token Test CA")


@pytest.fixture(scope="session")
def token(ca, tmp_path_factory):
    pytest.importorskip("pkcs11")
    return make_token(ca, tmp_path_factory.mktemp("softhsm"))


@pytest.fixture(autouse=True)
def _pin(monkeypatch):
    monkeypatch.setenv(PIN_ENV, PIN)
    cache.clear()
    with translation.override("en"):
        yield
    cache.clear()


@pytest.fixture
def course():
    return factories.course(modules=1)


def form_data(template, token, **data) -> dict:
    return {
        "template": template.pk,
        "enabled": "on",
        "signer_name": "Trần Thị Bình, Giám đốc Sở",
        "reason": "Cấp giấy chứng nhận hoàn thành khóa tập huấn",
        "kind": "pkcs11",
        "pkcs11_module": token.module,
        "pkcs11_token_label": token.label,
        "pkcs11_key_label": token.key_label,
        "pkcs11_pin_env": PIN_ENV,
        **data,
    }


@pytest.fixture
def token_signer(course, token) -> CertificateSigner:
    form = CertificateSignerForm(data=form_data(cf.template(course=course), token))
    assert form.is_valid(), form.errors
    return form.save()


def test_the_admin_configures_a_token_and_its_public_chain_is_kept(token_signer, token):
    assert token_signer.kind == CertificateSigner.Kind.PKCS11
    assert "Sở Nội vụ (token)" in token_signer.certificate_subject
    assert token.certificate_pem.decode().splitlines()[1] in token_signer.certificate_chain_pem
    assert PIN not in str(token_signer.__dict__)  # the PIN stays outside the database


def test_a_certificate_signed_on_the_token_validates_with_pyhanko(token_signer, course, ca):
    certificate = issue(course)
    status = pyhanko_status(pdf_bytes(certificate), ca)
    assert status.intact and status.valid and status.trusted
    assert "Sở Nội vụ (token)" in status.signing_cert.subject.human_friendly
    signature = CertificateSignature.objects.get(certificate=certificate)
    assert signature.signer == token_signer
    assert signature.signer_name == "Trần Thị Bình, Giám đốc Sở"
    # The CA certificate on the token is embedded too: a reader can build the chain.
    chain = {c.subject.human_friendly for c in status.validation_path}
    assert any("LMS Token Test CA" in subject for subject in chain)


@pytest.mark.skipif(PDFSIG is None, reason="poppler-utils (pdfsig) is not installed")
def test_a_certificate_signed_on_the_token_validates_with_pdfsig(token_signer, course, tmp_path):
    output = pdfsig(pdf_bytes(issue(course)), tmp_path)
    assert "Signature is Valid." in output
    assert "Total document signed" in output
    assert "Sở Nội vụ (token)" in output


def test_the_admin_form_says_the_pin_is_wrong(course, token, monkeypatch):
    monkeypatch.setenv(PIN_ENV, "000000")
    form = CertificateSignerForm(data=form_data(cf.template(course=course), token))
    assert not form.is_valid()
    assert "PIN of the signing token" in " ".join(form.non_field_errors())


def test_the_admin_form_says_the_token_is_missing(course, token):
    data = form_data(cf.template(course=course), token, pkcs11_token_label="Token đã rút ra")
    form = CertificateSignerForm(data=data)
    assert not form.is_valid()
    assert "“Token đã rút ra” is not available" in " ".join(form.non_field_errors())


def test_a_wrong_key_label_is_named(course, token):
    data = form_data(cf.template(course=course), token, pkcs11_key_label="không-có")
    form = CertificateSignerForm(data=data)
    assert not form.is_valid()
    assert "labelled “không-có”" in " ".join(form.non_field_errors())


def assert_nothing_issued(enrollment):
    assert not Certificate.objects.filter(enrollment=enrollment).exists()
    assert not CertificateSignature.objects.exists()


@override_settings(TASKS=DEFERRING_BACKEND)
def test_a_missing_token_issues_nothing_and_the_task_tries_again(token_signer, course):
    token_signer.pkcs11_token_label = "Token đã rút ra"  # unplugged after it was configured
    token_signer.save()
    enrollment = cf.completed_enrollment(course=course)
    outcome = issue_completion_certificate.call(enrollment.pk)
    assert outcome["state"] == "retrying"
    assert_nothing_issued(enrollment)
    (retry,) = task_backends["default"].results
    assert retry.args == [enrollment.pk, 2]
    # Plugged back in: the retry issues the signed certificate.
    token_signer.pkcs11_token_label = TOKEN_LABEL
    token_signer.save()
    assert issue_completion_certificate.call(*retry.args)["state"] == "issued"
    assert CertificateSignature.objects.get().certificate.enrollment == enrollment


@override_settings(TASKS=DEFERRING_BACKEND)
def test_a_wrong_pin_issues_nothing_and_is_not_retried(token_signer, course, monkeypatch):
    monkeypatch.setenv(PIN_ENV, "000000")
    enrollment = cf.completed_enrollment(course=course)
    assert issue_completion_certificate.call(enrollment.pk)["state"] == "failed"
    assert task_backends["default"].results == []
    assert_nothing_issued(enrollment)
    with pytest.raises(signing.SignerMisconfigured, match="PIN of the signing token"):
        from certificates.services import issue_certificate

        issue_certificate(enrollment_id=enrollment.pk)
    assert_nothing_issued(enrollment)
