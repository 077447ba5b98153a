"""Integrations sign in with Wagtail API tokens, which only administrators create."""

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from courses import services
from courses.compat import APIToken
from tests import factories
from tests.api.test_permissions import served_endpoints

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(APIToken is None, reason="Wagtail 7.4 has no API tokens"),
]


def bearer(plaintext: str) -> dict:
    return {"HTTP_AUTHORIZATION": f"Bearer {plaintext}"}


def test_a_token_signs_in_as_its_user(world):
    _token, plaintext = APIToken.create_token(user=world.delegate, name="Hệ thống nhân sự")

    response = Client().get(reverse("lms_api:enrolment-list"), **bearer(plaintext))

    assert response.status_code == 200
    assert [row["id"] for row in response.json()["results"]] == [world.enrollment.pk]


def test_a_token_writes_without_a_csrf_token(world):
    _token, plaintext = APIToken.create_token(user=world.delegate, name="Ứng dụng")
    client = Client(enforce_csrf_checks=True)

    response = client.post(
        reverse("lms_api:attempt-save", args=[world.open_attempt.pk]),
        {"answers": {"1": "Huế"}},
        content_type="application/json",
        **bearer(plaintext),
    )

    assert response.status_code == 200
    assert response.json()["saved"] == [1]


def test_a_token_records_when_it_was_used(world):
    token, plaintext = APIToken.create_token(user=world.delegate, name="Ứng dụng")

    Client().get(reverse("lms_api:enrolment-list"), **bearer(plaintext))

    token.refresh_from_db()
    assert token.last_used_at is not None


@pytest.mark.parametrize("state", ["wrong", "malformed", "revoked", "inactive user"])
def test_a_bad_token_is_refused_not_ignored(world, state):
    token, plaintext = APIToken.create_token(user=world.delegate, name="Ứng dụng")
    if state == "wrong":
        plaintext = APIToken.generate_token()
    elif state == "malformed":
        plaintext = "wagtail_!!"
    elif state == "revoked":
        token.revoke()
    else:
        world.delegate.is_active = False
        world.delegate.save()
    client = Client()
    client.force_login(world.hr)  # a session does not rescue a bad token

    response = client.get(reverse("lms_api:enrolment-list"), **bearer(plaintext))

    assert response.status_code == 401
    assert response.json()["code"] == "authentication_failed"
    assert response["WWW-Authenticate"].startswith("Bearer")


def test_no_endpoint_hands_out_tokens():
    assert not [name for name, _method in served_endpoints() if "token" in name]


def test_only_administrators_create_tokens_in_the_wagtail_admin(world):
    groups = services.ensure_role_groups()
    trainer = factories.UserFactory(email="trainer.admin@example.vn")
    trainer.groups.add(groups["trainers"])
    as_trainer, as_admin = Client(), Client()
    as_trainer.force_login(trainer)
    as_admin.force_login(world.superuser)
    add = reverse("wagtailusers_api_tokens:add")

    refused = as_trainer.post(add, {"name": "Trộm", "user": trainer.pk})
    created = as_admin.post(add, {"name": "Hệ thống nhân sự", "user": world.hr.email})

    assert refused.status_code == 302  # Wagtail's "permission denied" redirect
    assert not APIToken.objects.filter(user=trainer).exists()
    assert created.status_code == 200
    token = APIToken.objects.get(user=world.hr)
    assert token.prefix in created.content.decode()
    assert token.revoked_at is None
    assert token.created <= timezone.now()


# The token screens at a national conference's scale (courses/admin_api_tokens.py)


def admin_client(world) -> Client:
    client = Client()
    client.force_login(world.superuser)
    return client


@pytest.mark.parametrize("typed", ["username", "email in capitals"])
def test_the_owner_is_typed_in_by_username_or_email(world, typed):
    integration = factories.UserFactory(username="he-thong-nhan-su", email="nhansu@example.vn")
    value = "he-thong-nhan-su" if typed == "username" else " NHANSU@example.vn "

    response = admin_client(world).post(
        reverse("wagtailusers_api_tokens:add"), {"name": "Hệ thống nhân sự", "user": value}
    )

    assert response.status_code == 200
    token = APIToken.objects.get(user=integration)
    assert token.prefix in response.content.decode()


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("khong-ai@example.vn", "Không tìm thấy tài khoản có tên đăng nhập hoặc địa chỉ email"),
        ("trung@example.vn", "Nhiều tài khoản dùng chung địa chỉ email này"),
        ("", "Trường này là bắt buộc."),
    ],
)
def test_an_unknown_or_ambiguous_owner_is_refused_in_vietnamese(world, typed, message):
    factories.UserFactory(username="trung-1", email="trung@example.vn")
    factories.UserFactory(username="trung-2", email="Trung@example.vn")

    response = admin_client(world).post(
        reverse("wagtailusers_api_tokens:add"), {"name": "Thử", "user": typed}
    )

    assert response.status_code == 200
    assert message in response.content.decode()
    assert not APIToken.objects.exists()


def test_the_screens_do_not_list_every_account(world):
    delegates = [factories.UserFactory() for _ in range(30)]
    holder = delegates[0]
    APIToken.create_token(user=holder, name="Ứng dụng")
    client = admin_client(world)

    form = client.get(reverse("wagtailusers_api_tokens:add"))
    listing = client.get(reverse("wagtailusers_api_tokens:index"))

    assert form.status_code == listing.status_code == 200
    assert "<option" not in form.content.decode()
    offered = set(listing.context["filters"].form.fields["user"].queryset)
    assert offered == {holder}
    assert delegates[1].email not in listing.content.decode()


# Wrong tokens count as failed sign-ins (django-axes; courses/lockout.py)

INTEGRATION = "203.0.113.40"
LIMIT = 5


def try_tokens(plaintexts, **extra) -> list:
    url = reverse("lms_api:enrolment-list")
    return [Client().get(url, **bearer(p), REMOTE_ADDR=INTEGRATION, **extra) for p in plaintexts]


def test_wrong_tokens_lock_the_address_out_of_token_use(world):
    """Found: nothing limited guessing; a wrong token is a failure for the client's address."""
    _token, plaintext = APIToken.create_token(user=world.hr, name="Hệ thống nhân sự")

    wrong = try_tokens(APIToken.generate_token() for _ in range(LIMIT))
    [right] = try_tokens([plaintext])

    assert [r.status_code for r in wrong] == [401] * (LIMIT - 1) + [429]
    assert right.status_code == 429
    body = right.json()
    assert body["code"] == "locked_out"
    assert set(body) == {"code", "message"}
    assert "Hãy thử lại sau" in body["message"]
    assert 890 <= int(right["Retry-After"]) <= 900


def test_malformed_tokens_count_too(world):
    answers = try_tokens(["wagtail_!!"] * LIMIT)

    assert answers[-1].status_code == 429


def test_a_token_lockout_is_per_address_and_leaves_the_sites_sign_in_alone(world):
    _token, plaintext = APIToken.create_token(user=world.hr, name="Hệ thống nhân sự")
    try_tokens(APIToken.generate_token() for _ in range(LIMIT))

    elsewhere = Client().get(
        reverse("lms_api:enrolment-list"), **bearer(plaintext), REMOTE_ADDR="198.51.100.1"
    )
    site_sign_in = Client().post(
        reverse("courses:login"),
        {"username": world.delegate.email, "password": factories.PASSWORD},
        REMOTE_ADDR=INTEGRATION,
    )

    assert elsewhere.status_code == 200
    assert site_sign_in.status_code == 302


def test_a_spoofed_forwarded_for_does_not_escape_a_token_lockout(world):
    answers = [
        Client().get(
            reverse("lms_api:enrolment-list"),
            **bearer(APIToken.generate_token()),
            REMOTE_ADDR=INTEGRATION,
            HTTP_X_FORWARDED_FOR=f"192.0.2.{n}",
        )
        for n in range(LIMIT)
    ]

    assert answers[-1].status_code == 429


def test_english_clients_read_the_lockout_in_english(world):
    try_tokens(APIToken.generate_token() for _ in range(LIMIT - 1))

    [response] = try_tokens([APIToken.generate_token()], HTTP_ACCEPT_LANGUAGE="en")

    assert response.json()["message"].startswith("Too many wrong API tokens")


def test_an_administrator_lifts_a_token_lockout_in_the_wagtail_admin(world):
    _token, plaintext = APIToken.create_token(user=world.hr, name="Hệ thống nhân sự")
    try_tokens(APIToken.generate_token() for _ in range(LIMIT))
    admin = Client()
    admin.force_login(world.superuser)

    listing = admin.get(reverse("courses_lockouts"))
    admin.post(reverse("courses_lockouts"), {"address": INTEGRATION})

    assert [entry.is_token for entry in listing.context["entries"]] == [True]
    assert try_tokens([plaintext])[0].status_code == 200
