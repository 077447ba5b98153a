"""Issuing off the delegate's request: the completion enqueues a task that issues exactly once,
the delegate's pages say the certificate is being prepared until it has, and a signer that is
temporarily unavailable makes the task try again later."""

from datetime import timedelta

import pytest
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from certificates import issuing, signing
from certificates.issuing import issue_completion_certificate, retry_delay
from certificates.models import Certificate
from courses import services as course_services
from tests import factories
from tests.certificates import factories as cf
from tests.certificates.signing_ca import PASSWORD, PASSWORD_ENV, SigningCA, signer_config
from tests.certificates.test_signing import closed_port

try:
    from django.tasks import task_backends

    DUMMY_BACKEND = "django.tasks.backends.dummy.DummyBackend"
except ImportError:  # Django 5.2: the django-tasks package, the same API under another name
    from django_tasks import task_backends

    DUMMY_BACKEND = "django_tasks.backends.dummy.DummyBackend"

pytestmark = pytest.mark.django_db

DEFERRING_BACKEND = {"default": {"BACKEND": DUMMY_BACKEND}}


@pytest.fixture
def course():
    return factories.course(modules=1)


@pytest.fixture
def unavailable_signer(course, tmp_path, monkeypatch):
    """A signer whose timestamp server does not answer (as when it is down for a while)."""
    monkeypatch.setenv(PASSWORD_ENV, PASSWORD)
    config = signer_config(
        cf.template(course=course),
        SigningCA.create().pkcs12_file(tmp_path),
        timestamp_url=f"http://127.0.0.1:{closed_port()}/tsa",
    )
    config.save()
    return config


def complete_course(user, course, django_capture_on_commit_callbacks):
    factories.EnrollmentFactory(user=user, course=course)
    with django_capture_on_commit_callbacks(execute=True):
        course_services.complete_item(user=user, page=course.get_children().first())


def test_completion_issues_the_certificate_through_the_task(
    course, django_capture_on_commit_callbacks, monkeypatch
):
    ran = []
    monkeypatch.setattr(issuing, "enqueue_issue", lambda **kw: ran.append(kw) or None)
    user = factories.delegate()
    complete_course(user, course, django_capture_on_commit_callbacks)
    # The request itself issues nothing: it only enqueues the task.
    assert not Certificate.objects.filter(user=user).exists()
    (call,) = ran
    issue_completion_certificate.call(call["enrollment_id"])
    assert Certificate.objects.filter(user=user, status="valid").count() == 1


def test_the_task_issues_exactly_once_however_often_it_runs(course):
    enrollment = cf.completed_enrollment(course=course)
    first = issue_completion_certificate.call(enrollment.pk)
    second = issue_completion_certificate.call(enrollment.pk)
    assert first["certificate"] == second["certificate"]
    assert Certificate.objects.filter(enrollment=enrollment).count() == 1


def test_pages_say_the_certificate_is_being_prepared_until_it_is_issued(
    client, course, unavailable_signer, django_capture_on_commit_callbacks
):
    user = factories.delegate()
    complete_course(user, course, django_capture_on_commit_callbacks)
    assert not Certificate.objects.filter(user=user).exists()  # nothing half issued
    client.force_login(user)
    client.cookies["django_language"] = "en"
    mine = client.get(reverse("certificates:mine")).content.decode()
    assert "data-certificate-pending" in mine and "Preparing your certificate" in mine
    assert "certificates/pending.js" in mine
    assert "data-certificate-pending" in client.get(course.url).content.decode()

    unavailable_signer.timestamp_url = ""  # the server is back
    unavailable_signer.save()
    issue_completion_certificate.call(user.enrollments.get().pk)
    certificate = Certificate.objects.get(user=user)
    mine = client.get(reverse("certificates:mine")).content.decode()
    assert "data-certificate-pending" not in mine
    assert reverse("certificates:download", args=[certificate.pk]) in mine
    assert "Digitally signed by Nguyễn Văn An" in mine
    page = client.get(course.url).content.decode()
    assert reverse("certificates:download", args=[certificate.pk]) in page


def test_my_certificates_page_has_a_fixed_number_of_queries(
    client, course, django_assert_max_num_queries
):
    user = factories.delegate()
    for _ in range(3):
        other = factories.course(modules=1)
        enrollment = factories.EnrollmentFactory(user=user, course=other)
        enrollment.completed_at = enrollment.enrolled_at
        enrollment.save()
    issue_completion_certificate.call(user.enrollments.first().pk)
    client.force_login(user)
    with django_assert_max_num_queries(12):
        response = client.get(reverse("certificates:mine"))
    assert response.content.decode().count("data-certificate-pending") == 2


@override_settings(TASKS=DEFERRING_BACKEND)
def test_an_unavailable_signer_makes_the_task_try_again_later(course, unavailable_signer):
    enrollment = cf.completed_enrollment(course=course)
    outcome = issue_completion_certificate.call(enrollment.pk)
    assert outcome["state"] == "retrying"
    assert not Certificate.objects.filter(enrollment=enrollment).exists()
    (retry,) = task_backends["default"].results
    assert retry.args == [enrollment.pk, 2]
    assert retry.task.run_after > timezone.now() + timedelta(seconds=20)


@override_settings(TASKS=DEFERRING_BACKEND)
def test_the_task_gives_up_after_its_last_attempt(course, unavailable_signer):
    enrollment = cf.completed_enrollment(course=course)
    outcome = issue_completion_certificate.call(enrollment.pk, issuing.MAX_ATTEMPTS)
    assert outcome["state"] == "failed"
    assert task_backends["default"].results == []


def test_a_misconfigured_signer_is_not_retried(course, tmp_path, monkeypatch):
    monkeypatch.setenv(PASSWORD_ENV, "sai")
    signer_config(cf.template(course=course), SigningCA.create().pkcs12_file(tmp_path)).save()
    enrollment = cf.completed_enrollment(course=course)
    with override_settings(TASKS=DEFERRING_BACKEND):
        assert issue_completion_certificate.call(enrollment.pk)["state"] == "failed"
        assert task_backends["default"].results == []
    with pytest.raises(signing.SignerMisconfigured):  # HR issuing by hand sees why
        from certificates.services import issue_certificate

        issue_certificate(enrollment_id=enrollment.pk, issued_by=factories.UserFactory())


def test_retries_wait_longer_each_time_up_to_an_hour():
    delays = [retry_delay(attempt) for attempt in range(1, issuing.MAX_ATTEMPTS + 1)]
    assert delays[0] == timedelta(seconds=30)
    assert delays == sorted(delays)
    assert max(delays) == timedelta(hours=1)
