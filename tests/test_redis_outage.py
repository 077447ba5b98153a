"""Redis down, site up.

With the production cache configuration (``lms.settings.shared_cache``) and ``REDIS_URL``
pointing where nothing listens, a delegate signs up, signs in, takes a course and its quiz,
gets and verifies the certificate, and an administrator signs in to the admin: no answer is a
500, sessions live in the database, and the outage is one warning in the log. With the real
Redis, the cache and sessions are in Redis; when Redis comes back after an outage it is used
again without a restart, and a session signed out meanwhile does not come back.
"""

import logging
import re
import textwrap

import pytest
from django.contrib.auth import get_user_model
from django.contrib.sessions.models import Session
from django.core.cache import caches
from django.urls import reverse

from certificates.models import Certificate
from courses.models import Completion, Province
from quizzes.models import Attempt
from tests import factories
from tests.certificates import factories as cf
from tests.quizzes import factories as qf
from tests.redis_support import (
    REDIS_URL,
    RedisSwitch,
    closed_port,
    real_redis,
    use_redis_at,
)
from tests.test_project import run_with_production_settings

pytestmark = pytest.mark.django_db

PASSWORD = "Tập huấn đối ngoại 2025!"
LOGGER = "courses.redis_cache"


@pytest.fixture
def redis_down(settings, monkeypatch, caplog):
    use_redis_at(f"redis://127.0.0.1:{closed_port()}/3", settings, monkeypatch)
    caplog.set_level(logging.WARNING, logger=LOGGER)
    return caplog


def outage_warnings(caplog) -> list[str]:
    return [r.getMessage() for r in caplog.records if r.name == LOGGER and r.levelname == "WARNING"]


def assert_answers(response, *expected: int) -> None:
    assert response.status_code in expected, (response.status_code, response.content[:500])


def stored_session(client) -> Session:
    return Session.objects.get(session_key=client.cookies["sessionid"].value)


def test_with_redis_down_the_delegate_journey_never_fails(
    client, redis_down, django_capture_on_commit_callbacks, mailoutbox
):
    course = factories.course(modules=1, title="Thông tin đối ngoại")
    cf.template(course)
    module = course.get_children().specific().get()
    single = qf.question("single")
    quiz = qf.quiz(course, questions=[single], shuffle_choices=False)

    assert_answers(client.get("/"), 200)
    assert_answers(client.get(course.url), 200)

    # Sign up, confirm by email, sign out, sign in again: sessions in the database.
    signup = {
        "full_name": "Nguyễn Thị Hòa",
        "email": "hoa.nguyen@example.vn",
        "organisation": "Sở Văn hóa, Thể thao và Du lịch",
        "position": "Chuyên viên",
        "province": Province.objects.get(name="Phú Thọ").pk,
        "password1": PASSWORD,
        "password2": PASSWORD,
        "privacy_consent": "on",
    }
    with django_capture_on_commit_callbacks(execute=True):  # the confirmation email
        assert_answers(client.post(reverse("courses:signup"), signup), 302)
    assert_answers(client.get(reverse("courses:signup_sent")), 200)
    link = re.search(r"testserver(/learn/signup/confirm/\S+/)", mailoutbox[0].body).group(1)
    assert_answers(client.get(link), 200)
    assert_answers(client.post(link), 302)
    assert_answers(client.post(reverse("courses:logout")), 302)
    assert_answers(client.get(reverse("courses:login")), 200)
    response = client.post(
        reverse("courses:login"), {"username": "hoa.nguyen@example.vn", "password": PASSWORD}
    )
    assert_answers(response, 302)
    user = get_user_model().objects.get(email="hoa.nguyen@example.vn")
    assert stored_session(client).get_decoded()["_auth_user_id"] == str(user.pk)

    # Learn: dashboard, course, enrol, module, complete, quiz.
    assert_answers(client.get(reverse("courses:dashboard")), 200)
    assert_answers(client.post(reverse("courses:enrol", args=[course.pk])), 302)
    assert_answers(client.get(course.url), 200)
    assert_answers(client.get(module.url), 200)
    assert_answers(client.post(reverse("courses:complete", args=[module.pk])), 302)
    assert Completion.objects.filter(enrollment__user=user, page=module).exists()
    assert_answers(client.get(quiz.url), 200)
    assert_answers(client.post(reverse("quizzes:start", args=[quiz.pk])), 302)
    attempt = Attempt.objects.get(quiz=quiz, enrollment__user=user)
    assert_answers(client.get(reverse("quizzes:attempt", args=[attempt.pk])), 200)
    right = single.choices.get(is_correct=True).pk
    response = client.post(
        reverse("quizzes:save", args=[attempt.pk]) + "?page=1", {"q0": right, "goto": "summary"}
    )
    assert_answers(response, 302)
    assert_answers(client.get(reverse("quizzes:summary", args=[attempt.pk])), 200)
    with django_capture_on_commit_callbacks(execute=True):  # passing completes the course
        assert_answers(client.post(reverse("quizzes:submit", args=[attempt.pk])), 302)
    attempt.refresh_from_db()
    assert attempt.state == Attempt.State.SUBMITTED and attempt.passed  # scores never cached
    assert_answers(client.get(reverse("quizzes:review", args=[attempt.pk])), 200)

    # The certificate: listed, downloaded, verified by anyone.
    certificate = Certificate.objects.get(user=user, course=course)
    assert_answers(client.get(reverse("certificates:mine")), 200)
    assert_answers(client.get(reverse("certificates:download", args=[certificate.pk])), 200)
    assert_answers(client.get(reverse("lms_api:course-list")), 200)
    assert_answers(client.get(reverse("lms_api:my-certificate-list")), 200)
    client.logout()
    assert_answers(client.get(reverse("certificates:verify")), 200)
    assert_answers(client.get(reverse("certificates:verify"), {"code": "KHONG-CO"}), 302)
    assert_answers(client.get(reverse("certificates:verify_code", args=["KHONG-CO"])), 200, 404)
    assert_answers(
        client.get(reverse("certificates:verify_code", args=[certificate.verification_code])), 200
    )
    assert_answers(
        client.get(reverse("lms_api:verification-detail", args=[certificate.verification_code])),
        200,
    )

    warnings = outage_warnings(redis_down)
    assert len(warnings) == 1, warnings  # one warning for the outage, not one per call


def test_with_redis_down_the_admin_works(client, redis_down):
    factories.course(modules=1)
    get_user_model().objects.create_superuser("quan.tri", "quan.tri@example.vn", PASSWORD)

    assert_answers(client.get("/admin/login/"), 200)
    response = client.post("/admin/login/", {"username": "quan.tri", "password": PASSWORD})
    assert_answers(response, 302)
    assert_answers(client.get("/admin/"), 200)
    assert_answers(client.get("/admin/pages/"), 200)
    assert_answers(client.get("/admin/certificates/register/"), 200)
    assert stored_session(client).get_decoded()["_auth_user_id"]
    assert len(outage_warnings(redis_down)) == 1


def test_with_redis_down_the_enrolment_code_form_and_verification_limits_let_requests_through(
    client, redis_down, delegate_user
):
    # Rate limits fail open while the cache is away: they slow guessing, they guard nothing else.
    client.force_login(delegate_user)
    for _ in range(3):
        assert_answers(client.post(reverse("courses:enrol_code"), {"code": "SAI12345"}), 200, 400)
        response = client.get(reverse("certificates:verify_code", args=["KHONG-CO"]))
        assert_answers(response, 200, 404)


# With the real Redis


def test_a_working_redis_holds_the_sessions_and_the_cache(client, settings, monkeypatch):
    redis = real_redis()
    use_redis_at(REDIS_URL, settings, monkeypatch)
    course = factories.course(modules=1)
    user = factories.delegate()
    factories.EnrollmentFactory(user=user, course=course)

    sign_in = {"username": user.username, "password": factories.PASSWORD}
    assert_answers(client.post(reverse("courses:login"), sign_in), 302)
    assert_answers(client.get(course.url), 200)

    cache = caches["default"]
    session_key = client.cookies["sessionid"].value
    assert redis.exists(cache.make_key(f"django.contrib.sessions.cached_db{session_key}"))
    assert redis.keys(cache.make_key("lms:outline:*"))  # the course's outline
    # Read from Redis, not the database: the row can go and the delegate stays signed in.
    Session.objects.filter(session_key=session_key).delete()
    assert_answers(client.get(reverse("courses:dashboard")), 200)
    cache.clear()


def test_after_an_outage_redis_is_used_again_and_signed_out_sessions_stay_out(
    client, settings, monkeypatch, caplog
):
    redis = real_redis()
    switch = RedisSwitch()
    switch.on()
    try:
        use_redis_at(switch.url, settings, monkeypatch, RETRY_AFTER=0)
        caplog.set_level(logging.WARNING, logger=LOGGER)
        user = factories.delegate()
        client.post(
            reverse("courses:login"), {"username": user.username, "password": factories.PASSWORD}
        )
        cache = caches["default"]
        old_key = client.cookies["sessionid"].value
        cached_session = cache.make_key(f"django.contrib.sessions.cached_db{old_key}")
        assert redis.exists(cached_session)

        switch.off()
        assert_answers(client.get(reverse("courses:dashboard")), 200)
        assert_answers(client.post(reverse("courses:logout")), 302)  # Redis never hears of it
        assert redis.exists(cached_session)  # stale: still says signed in
        assert not Session.objects.filter(session_key=old_key).exists()

        switch.on()
        # The old cookie, replayed: the stale entry was deleted before anything was read.
        client.cookies["sessionid"] = old_key
        response = client.get(reverse("courses:dashboard"))
        assert_answers(response, 302)
        assert reverse("courses:login") in response["Location"]
        assert not redis.exists(cached_session)

        # Used again, without a restart: a new sign-in is cached in Redis.
        client.post(
            reverse("courses:login"), {"username": user.username, "password": factories.PASSWORD}
        )
        new_key = client.cookies["sessionid"].value
        assert redis.exists(cache.make_key(f"django.contrib.sessions.cached_db{new_key}"))
        warnings = outage_warnings(caplog)
        assert len(warnings) == 2 and "answers again" in warnings[1], warnings
        cache.clear()
    finally:
        switch.off()


# Under the production settings module itself

PRODUCTION_CHECK = textwrap.dedent(
    """
    import django
    django.setup()
    from importlib import import_module
    from django.conf import settings
    from django.core.cache import caches
    from django.contrib.sessions.models import Session
    from django.db import connection

    with connection.schema_editor() as editor:  # the one table this check needs
        editor.create_model(Session)
    cache = caches["default"]
    assert cache.get("k", "default") == "default"
    cache.set("k", "v")
    assert cache.add("k", 1) is True
    store = import_module(settings.SESSION_ENGINE).SessionStore()
    store["greeting"] = "Xin chào"
    store.save()
    again = import_module(settings.SESSION_ENGINE).SessionStore(store.session_key)
    assert again["greeting"] == "Xin chào"
    print(type(cache).__name__, settings.SESSION_ENGINE)
    """
)


def test_production_settings_with_redis_unreachable_serve_sessions_from_the_database(tmp_path):
    result = run_with_production_settings(
        ["-c", PRODUCTION_CHECK],
        REDIS_URL=f"redis://127.0.0.1:{closed_port()}/3",
        DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}",
    )

    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    assert result.stdout.split() == [
        "ResilientRedisCache",
        "django.contrib.sessions.backends.cached_db",
    ]
    assert result.stderr.count("cannot be reached") == 1, output  # logged once
