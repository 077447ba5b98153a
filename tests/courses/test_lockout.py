"""Signing in is locked after repeated failures, on the site and in the Wagtail admin, the same way
for accounts that exist and names that do not; administrators lift lockouts in the Wagtail admin."""

import re
from datetime import timedelta

import pytest
import time_machine
from axes.models import AccessAttempt
from django.test import Client, override_settings
from django.urls import reverse, reverse_lazy
from django.utils import timezone

from courses import lockout
from tests import factories

pytestmark = pytest.mark.django_db

SITE_LOGIN = reverse("courses:login")
ADMIN_LOGIN = reverse("wagtailadmin_login")
LIMIT = 5
COOL_OFF = timedelta(minutes=15)
CONFERENCE = "203.0.113.10"  # the conference hall's address
ELSEWHERE = "198.51.100.20"


def sign_in(client, login: str, password: str, *, url=SITE_LOGIN, **extra):
    return client.post(url, {"username": login, "password": password}, **extra)


def signed_in(client) -> bool:
    return "_auth_user_id" in client.session


def fail(client, login: str, times: int, **extra) -> list:
    return [sign_in(client, login, "sai mật khẩu", **extra) for _ in range(times)]


def page_text(response) -> str:
    """The page without its per-request CSRF tokens."""
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", response.content.decode())


@pytest.fixture
def hoa(db):
    return factories.delegate(user__email="hoa.nguyen@example.vn")


# The site's sign-in


def test_the_fifth_failure_locks_the_account_out_even_with_the_right_password(client, hoa):
    """Found: 30 wrong passwords, then the right one signed in."""
    failures = fail(client, "hoa.nguyen@example.vn", LIMIT, REMOTE_ADDR=CONFERENCE)
    right = sign_in(client, "hoa.nguyen@example.vn", factories.PASSWORD, REMOTE_ADDR=CONFERENCE)

    assert [r.status_code for r in failures] == [200] * (LIMIT - 1) + [429]
    assert right.status_code == 429
    assert not signed_in(client)
    assert 890 <= int(right["Retry-After"]) <= 900


def test_the_lockout_page_says_when_to_try_again_in_vietnamese(client, hoa):
    # Mid-morning, local time: a lockout that ends after midnight says the date too (below).
    now = timezone.localtime().replace(hour=10, minute=0, second=0, microsecond=0)
    with time_machine.travel(now, tick=False):
        response = fail(client, "hoa.nguyen@example.vn", LIMIT)[-1]

    until = timezone.localtime(now + COOL_OFF).strftime("%H:%M")
    html = response.content.decode()
    assert "courses/registration/locked_out.html" in [t.name for t in response.templates]
    assert "Bạn đã đăng nhập sai quá nhiều lần" in html
    assert f"Hãy thử lại sau {until} (còn 15 phút)." in html
    assert reverse("courses:password_reset") in html


def test_a_lockout_that_ends_after_midnight_names_the_day(client, hoa):
    # Found by CI at 23:56 local time: "until 00:11" alone would read as this morning.
    now = timezone.localtime().replace(hour=23, minute=56, second=0, microsecond=0)
    with time_machine.travel(now, tick=False):
        response = fail(client, "hoa.nguyen@example.vn", LIMIT)[-1]

    until = timezone.localtime(now + COOL_OFF)
    html = response.content.decode()
    # Time, then date, as Vietnamese writes it.
    assert f"Hãy thử lại sau {until:%H:%M %d/%m/%Y} (còn 15 phút)." in html


def test_the_lockout_page_follows_the_language(client, hoa):
    client.cookies["django_language"] = "en"

    response = fail(client, "hoa.nguyen@example.vn", LIMIT)[-1]

    assert "Too many failed sign-in attempts" in response.content.decode()
    assert "(in 15 minutes)" in response.content.decode()


def test_the_lockout_ends_after_the_cool_off(client, hoa):
    now = timezone.now()
    with time_machine.travel(now, tick=False):
        fail(client, "hoa.nguyen@example.vn", LIMIT)
    with time_machine.travel(now + COOL_OFF - timedelta(seconds=5), tick=False):
        assert sign_in(client, "hoa.nguyen@example.vn", factories.PASSWORD).status_code == 429
    with time_machine.travel(now + COOL_OFF + timedelta(seconds=1), tick=False):
        response = sign_in(client, "hoa.nguyen@example.vn", factories.PASSWORD)

    assert response.status_code == 302
    assert signed_in(client)


def test_trying_again_while_locked_out_does_not_push_the_end_further(client, hoa):
    now = timezone.now()
    with time_machine.travel(now, tick=False):
        fail(client, "hoa.nguyen@example.vn", LIMIT)
    with time_machine.travel(now + timedelta(minutes=10), tick=False):
        again = fail(client, "hoa.nguyen@example.vn", 3)[-1]

    assert 295 <= int(again["Retry-After"]) <= 300


def test_email_and_username_count_against_one_account(client):
    staff = factories.UserFactory(username="tranhuan", email="Tran.Huan@example.vn")

    fail(client, "tranhuan", 2)
    fail(client, "TRAN.HUAN@example.vn", 2)
    fifth = sign_in(client, " TranHuan ", "sai")
    right = sign_in(client, "tran.huan@example.vn", factories.PASSWORD)

    assert fifth.status_code == right.status_code == 429
    assert not signed_in(client)
    assert set(AccessAttempt.objects.values_list("username", flat=True)) == {staff.username}


def test_a_name_without_an_account_is_answered_exactly_as_a_real_account(hoa):
    """No enumeration: the same words and the same lockout whether the account exists or not."""
    known, unknown = Client(), Client()

    for attempt in range(LIMIT + 1):
        answers = [
            sign_in(known, "hoa.nguyen@example.vn", "sai"),
            sign_in(unknown, "khong.co@example.vn", "sai"),
        ]
        statuses = {response.status_code for response in answers}
        assert len(statuses) == 1, attempt
        texts = [page_text(r).replace("hoa.nguyen@", "khong.co@") for r in answers]
        assert texts[0] == texts[1], attempt
    assert statuses == {429}


def test_the_lockout_is_per_account_and_address(client, hoa):
    """A conference hall shares one address: one delegate's typos lock out nobody else, and
    a guesser elsewhere does not lock the delegate out of the hall."""
    other = factories.delegate(user__email="binh@example.vn")
    fail(client, "hoa.nguyen@example.vn", LIMIT, REMOTE_ADDR=ELSEWHERE)

    same_address_other_account = sign_in(
        Client(), other.email, factories.PASSWORD, REMOTE_ADDR=ELSEWHERE
    )
    same_account_other_address = sign_in(
        Client(), hoa.email, factories.PASSWORD, REMOTE_ADDR=CONFERENCE
    )

    assert same_address_other_account.status_code == 302
    assert same_account_other_address.status_code == 302


def test_a_successful_sign_in_starts_the_count_again(client, hoa):
    fail(client, "hoa.nguyen@example.vn", LIMIT - 1)
    assert sign_in(client, "hoa.nguyen@example.vn", factories.PASSWORD).status_code == 302
    client.logout()

    answers = fail(client, "hoa.nguyen@example.vn", LIMIT - 1)

    assert {r.status_code for r in answers} == {200}


def test_a_spoofed_forwarded_for_from_an_untrusted_peer_changes_nothing(client, hoa):
    answers = [
        sign_in(
            client,
            "hoa.nguyen@example.vn",
            "sai",
            REMOTE_ADDR=CONFERENCE,
            HTTP_X_FORWARDED_FOR=f"192.0.2.{n}",
        )
        for n in range(LIMIT)
    ]

    assert answers[-1].status_code == 429
    assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {CONFERENCE}


@override_settings(LMS={"TRUSTED_PROXIES": ["10.0.0.0/8"]})
def test_behind_a_trusted_proxy_each_client_is_counted_by_its_own_address(client, hoa):
    via_proxy = {"REMOTE_ADDR": "10.0.0.2"}
    fail(client, "hoa.nguyen@example.vn", LIMIT, HTTP_X_FORWARDED_FOR=ELSEWHERE, **via_proxy)

    locked = sign_in(
        Client(), hoa.email, factories.PASSWORD, HTTP_X_FORWARDED_FOR=ELSEWHERE, **via_proxy
    )
    other_client = sign_in(
        Client(), hoa.email, factories.PASSWORD, HTTP_X_FORWARDED_FOR=CONFERENCE, **via_proxy
    )

    assert locked.status_code == 429
    assert other_client.status_code == 302
    assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {ELSEWHERE}


def test_setting_a_new_password_through_the_emailed_link_lifts_the_lockout(client, hoa, mailoutbox):
    fail(client, "hoa.nguyen@example.vn", LIMIT)
    client.post(reverse("courses:password_reset"), {"email": "hoa.nguyen@example.vn"})
    link = re.search(r"testserver(/learn/password/set/\S+/)", mailoutbox[0].body).group(1)
    form_url = client.get(link)["Location"]
    new = "Mật khẩu mới của Hòa 2025"
    client.post(form_url, {"new_password1": new, "new_password2": new})

    assert sign_in(client, "hoa.nguyen@example.vn", new).status_code == 302


# The Wagtail admin's sign-in


def test_the_admin_login_locks_out_too_in_wagtails_look(client):
    admin = factories.UserFactory(username="quantri", is_superuser=True, is_staff=True)

    failures = [sign_in(client, "quantri", "sai", url=ADMIN_LOGIN) for _ in range(LIMIT)]
    right = sign_in(client, "quantri", factories.PASSWORD, url=ADMIN_LOGIN)

    assert [r.status_code for r in failures] == [200] * (LIMIT - 1) + [429]
    assert right.status_code == 429
    assert "courses/admin/locked_out.html" in [t.name for t in right.templates]
    assert "wagtailadmin/admin_base.html" in [t.name for t in right.templates]
    assert "Hãy thử lại sau" in right.content.decode()
    assert int(right["Retry-After"]) > 0
    assert not signed_in(client)
    assert admin.username == AccessAttempt.objects.get().username


def test_failures_at_the_site_and_the_admin_add_up(client):
    factories.UserFactory(username="quantri", is_staff=True, is_superuser=True)

    fail(client, "quantri", 3)
    [sign_in(client, "quantri", "sai", url=ADMIN_LOGIN) for _ in range(2)]

    assert sign_in(client, "quantri", factories.PASSWORD, url=ADMIN_LOGIN).status_code == 429


# Lifting lockouts in the Wagtail admin

LOCKOUTS = reverse_lazy("courses_lockouts")


@pytest.fixture
def admin_client(db):
    client = Client()
    client.force_login(factories.UserFactory(is_superuser=True, is_staff=True))
    return client


def locked_out(login: str, address: str) -> bool:
    return lockout.locked_until(username=login, ip_address=address, now=timezone.now()) is not None


def test_administrators_see_who_is_locked_out_until_when(admin_client, hoa):
    now = timezone.now()
    with time_machine.travel(now, tick=False):
        fail(Client(), hoa.email, LIMIT, REMOTE_ADDR=CONFERENCE)
        fail(Client(), "ai.do@example.vn", 2, REMOTE_ADDR=ELSEWHERE)
        response = admin_client.get(LOCKOUTS)

    assert response.status_code == 200
    entries = response.context["entries"]
    assert [(e.username, e.ip_address, e.failures) for e in entries] == [
        (hoa.username, CONFERENCE, LIMIT),
        ("ai.do@example.vn", ELSEWHERE, 2),
    ]
    assert entries[0].locked_until == now + COOL_OFF
    assert entries[1].locked_until is None
    html = response.content.decode()
    assert "Unlock account" in html or "Mở khóa tài khoản" in html


def test_unlocking_an_account_lets_it_sign_in_from_every_address(admin_client, hoa):
    fail(Client(), hoa.email, LIMIT, REMOTE_ADDR=CONFERENCE)
    fail(Client(), hoa.email, LIMIT, REMOTE_ADDR=ELSEWHERE)

    response = admin_client.post(LOCKOUTS, {"account": "HOA.NGUYEN@example.vn"})

    assert response.status_code == 302
    assert not locked_out(hoa.username, CONFERENCE)
    assert not locked_out(hoa.username, ELSEWHERE)
    assert sign_in(Client(), hoa.email, factories.PASSWORD, REMOTE_ADDR=CONFERENCE).status_code == (
        302
    )


def test_unlocking_an_address_lets_every_account_sign_in_from_it(admin_client, hoa):
    other = factories.delegate(user__email="binh@example.vn")
    fail(Client(), hoa.email, LIMIT, REMOTE_ADDR=CONFERENCE)
    fail(Client(), other.email, LIMIT, REMOTE_ADDR=CONFERENCE)
    fail(Client(), hoa.email, LIMIT, REMOTE_ADDR=ELSEWHERE)

    admin_client.post(LOCKOUTS, {"address": f" {CONFERENCE} "})

    assert not locked_out(hoa.username, CONFERENCE)
    assert not locked_out(other.username, CONFERENCE)
    assert locked_out(hoa.username, ELSEWHERE)


@pytest.mark.parametrize(
    "data", [{}, {"address": "203.0.113"}, {"account": "a@example.vn", "address": CONFERENCE}]
)
def test_an_unlock_without_exactly_one_valid_target_is_refused(admin_client, hoa, data):
    fail(Client(), hoa.email, LIMIT, REMOTE_ADDR=CONFERENCE)

    response = admin_client.post(LOCKOUTS, data)

    assert response.status_code == 400
    assert response.context["form"].errors
    assert locked_out(hoa.username, CONFERENCE)


@pytest.mark.parametrize("role", ["trainer", "hr", "delegate"])
def test_only_administrators_see_and_lift_lockouts(role, hoa):
    from courses.services import ensure_role_groups

    groups = ensure_role_groups()
    user = factories.UserFactory(is_staff=role != "delegate")
    user.groups.add(groups["hr"] if role == "hr" else groups["trainers"])
    if role == "delegate":
        user = hoa
    fail(Client(), hoa.email, LIMIT, REMOTE_ADDR=CONFERENCE)
    client = Client()
    client.force_login(user)

    shown = client.get(LOCKOUTS)
    unlock = client.post(LOCKOUTS, {"account": hoa.email})

    assert shown.status_code in {302, 403}
    assert unlock.status_code in {302, 403}
    assert hoa.username not in shown.content.decode()
    assert locked_out(hoa.username, CONFERENCE)


def test_the_settings_menu_offers_lockouts_to_administrators_only(admin_client):
    from courses.services import ensure_role_groups

    trainer = factories.UserFactory(is_staff=True)
    trainer.groups.add(ensure_role_groups()["trainers"])
    trainer_client = Client()
    trainer_client.force_login(trainer)

    assert str(LOCKOUTS) in admin_client.get(reverse("wagtailadmin_home")).content.decode()
    assert str(LOCKOUTS) not in trainer_client.get(reverse("wagtailadmin_home")).content.decode()


def test_authenticating_without_a_request_is_no_clients_attempt(hoa):
    """The shell, management commands and test clients' login() have no address to count."""
    from django.contrib.auth import authenticate

    assert authenticate(username=hoa.email, password=factories.PASSWORD) == hoa
    assert authenticate(username=hoa.email, password="sai") is None
    assert not AccessAttempt.objects.exists()
