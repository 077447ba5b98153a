"""Integrations sign in with Wagtail API tokens, which only administrators create."""

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from wagtail.models import APIToken

from courses import services
from tests import factories
from tests.api.test_permissions import served_endpoints

pytestmark = pytest.mark.django_db


def bearer(plaintext: str) -> dict:
    return {"HTTP_AUTHORIZATION": f"Bearer {plaintext}"}


def test_a_token_signs_in_as_its_user(world):
    _token, plaintext = APIToken.create_token(user=world.delegate, name="Hệ thống nhân sự")

    response = Client().get(reverse("api:enrolment-list"), **bearer(plaintext))

    assert response.status_code == 200
    assert [row["id"] for row in response.json()["results"]] == [world.enrollment.pk]


def test_a_token_writes_without_a_csrf_token(world):
    _token, plaintext = APIToken.create_token(user=world.delegate, name="Ứng dụng")
    client = Client(enforce_csrf_checks=True)

    response = client.post(
        reverse("api:attempt-save", args=[world.open_attempt.pk]),
        {"answers": {"1": "Huế"}},
        content_type="application/json",
        **bearer(plaintext),
    )

    assert response.status_code == 200
    assert response.json()["saved"] == [1]


def test_a_token_records_when_it_was_used(world):
    token, plaintext = APIToken.create_token(user=world.delegate, name="Ứng dụng")

    Client().get(reverse("api:enrolment-list"), **bearer(plaintext))

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

    response = client.get(reverse("api:enrolment-list"), **bearer(plaintext))

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
    created = as_admin.post(add, {"name": "Hệ thống nhân sự", "user": world.hr.pk})

    assert refused.status_code == 302  # Wagtail's "permission denied" redirect
    assert not APIToken.objects.filter(user=trainer).exists()
    assert created.status_code == 200
    token = APIToken.objects.get(user=world.hr)
    assert token.prefix in created.content.decode()
    assert token.revoked_at is None
    assert token.created <= timezone.now()
