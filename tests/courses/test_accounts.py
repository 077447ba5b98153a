"""Sign-up, sign-in, passwords, profile and the delegate's dashboard."""

import io
import re
import unicodedata
from datetime import timedelta

import pytest
import time_machine
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from courses import services
from courses.conf import lms_settings
from courses.exceptions import SignupLinkInvalid
from courses.models import DelegateProfile, Province, SignupRequest
from tests import factories

pytestmark = pytest.mark.django_db

User = get_user_model()
NEW_PASSWORD = "Tập huấn đối ngoại 2025!"


def nfd(value: str) -> str:
    return unicodedata.normalize("NFD", value)


def signup_data(**overrides) -> dict:
    data = {
        "full_name": "Nguyễn Thị Hòa",
        "email": "hoa.nguyen@example.vn",
        "organisation": "Sở Văn hóa, Thể thao và Du lịch",
        "position": "Chuyên viên",
        "province": Province.objects.get(name="Phú Thọ").pk,
        "password1": NEW_PASSWORD,
        "password2": NEW_PASSWORD,
        "privacy_consent": "on",
    }
    return data | overrides


def signed_in_user_id(client) -> int | None:
    user_id = client.session.get("_auth_user_id")
    return int(user_id) if user_id else None


# Sign-up: every sign-up is answered "check your email"; the link creates the account.

CONFIRM_LINK = re.compile(r"https?://testserver(/learn/signup/confirm/[^/\s]+/)")
SET_PASSWORD_LINK = re.compile(r"https?://testserver(/learn/password/set/[^/\s]+/[^/\s]+/)")


@pytest.fixture
def sign_up(client, mailoutbox, django_capture_on_commit_callbacks):
    """Post the sign-up form as a visitor; the emails go out when the sign-up commits."""

    def post(path=None, *, visitor=None, **overrides):
        with django_capture_on_commit_callbacks(execute=True):
            return (visitor or client).post(
                path or reverse("courses:signup"), signup_data(**overrides)
            )

    return post


def link_in(mail, pattern=CONFIRM_LINK) -> str:
    match = pattern.search(mail.body)
    assert match, mail.body
    return match.group(1)


def confirm(client, link: str):
    page = client.get(link)
    assert page.status_code == 200
    assert page.context["email"]
    return client.post(link)


def page_text(response) -> str:
    """The page without its per-request CSRF tokens."""
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", response.content.decode())


def test_signup_creates_nothing_until_the_emailed_link_is_confirmed(sign_up, client, mailoutbox):
    response = sign_up()

    assert response.status_code == 302
    assert response["Location"] == reverse("courses:signup_sent")
    assert not User.objects.exists()
    assert signed_in_user_id(client) is None
    sent = client.get(response["Location"])
    assert "hoa.nguyen@example.vn" in sent.content.decode()
    [mail] = mailoutbox
    assert mail.to == ["hoa.nguyen@example.vn"]
    assert NEW_PASSWORD not in mail.body


def test_the_confirmation_link_creates_the_delegate_and_signs_them_in(sign_up, client, mailoutbox):
    sign_up()
    link = link_in(mailoutbox[0])

    response = confirm(client, link)

    assert response.status_code == 302
    assert response["Location"] == reverse("courses:dashboard")
    user = User.objects.get(email="hoa.nguyen@example.vn")
    assert user.username == "hoa.nguyen@example.vn"
    assert user.is_active
    assert user.check_password(NEW_PASSWORD)
    assert user.groups.filter(name=lms_settings.DELEGATES_GROUP).exists()
    profile = user.delegate_profile
    assert profile.full_name == "Nguyễn Thị Hòa"
    assert profile.organisation == "Sở Văn hóa, Thể thao và Du lịch"
    assert profile.position == "Chuyên viên"
    assert profile.province.name == "Phú Thọ"
    assert signed_in_user_id(client) == user.pk
    assert not SignupRequest.objects.exists()


def test_opening_the_link_does_not_spend_it(sign_up, client, mailoutbox):
    """A mail scanner that follows the link creates nothing; the delegate's tap still works."""
    sign_up()
    link = link_in(mailoutbox[0])

    assert Client().get(link).status_code == 200
    assert not User.objects.exists()
    assert confirm(client, link).status_code == 302


def test_a_confirmation_link_works_once(sign_up, client, mailoutbox):
    sign_up()
    link = link_in(mailoutbox[0])
    confirm(client, link)

    again = Client().post(link)

    assert again.status_code == 400
    assert again.context["error"] == SignupLinkInvalid.message
    assert User.objects.count() == 1


def test_a_confirmation_link_expires(sign_up, client, mailoutbox):
    sign_up()
    link = link_in(mailoutbox[0])
    later = timezone.now() + timedelta(hours=lms_settings.SIGNUP_CONFIRMATION_HOURS, minutes=1)

    with time_machine.travel(later):
        response = client.post(link)

    assert response.status_code == 400
    assert not User.objects.exists()


def test_a_tampered_link_is_refused(sign_up, client, mailoutbox):
    sign_up()
    link = link_in(mailoutbox[0])

    response = client.post(link.replace("/confirm/", "/confirm/x"))

    assert response.status_code == 400
    assert not User.objects.exists()


def test_a_new_signup_replaces_the_earlier_link(sign_up, client, mailoutbox):
    """Someone who signed up an address that is not theirs loses the race to its owner."""
    sign_up(password1="Mật khẩu của kẻ khác 1!", password2="Mật khẩu của kẻ khác 1!")
    sign_up()
    first, second = (link_in(mail) for mail in mailoutbox)

    assert Client().post(first).status_code == 400
    confirm(client, second)

    assert User.objects.get().check_password(NEW_PASSWORD)


def test_signing_up_with_a_taken_email_answers_exactly_as_a_new_one(sign_up, mailoutbox):
    """No enumeration: same status, same page, one email either way; the account is untouched."""
    existing = factories.delegate(user__email="hoa.nguyen@example.vn", full_name="Trần Thị Hòa")
    visitors = {"taken": Client(), "new": Client()}
    taken = sign_up(visitor=visitors["taken"], email="HOA.Nguyen@example.VN")
    new = sign_up(visitor=visitors["new"], email="moi@example.vn")

    assert taken.status_code == new.status_code == 302
    assert taken["Location"] == new["Location"]
    taken_page = page_text(visitors["taken"].get(taken["Location"]))
    new_page = page_text(visitors["new"].get(new["Location"]))
    assert taken_page.replace("hoa.nguyen@example.vn", "moi@example.vn") == new_page
    existing.refresh_from_db()
    assert existing.check_password(factories.PASSWORD)
    assert existing.delegate_profile.full_name == "Trần Thị Hòa"
    assert User.objects.count() == 1
    assert [mail.to for mail in mailoutbox] == [["hoa.nguyen@example.vn"], ["moi@example.vn"]]
    assert SignupRequest.objects.get().email == "moi@example.vn"


def test_the_owner_of_a_taken_email_is_told_and_can_set_a_new_password(sign_up, client, mailoutbox):
    existing = factories.delegate(user__email="hoa.nguyen@example.vn")

    sign_up()
    [mail] = mailoutbox
    assert CONFIRM_LINK.search(mail.body) is None
    response = set_password_through_link(client, link_in(mail, SET_PASSWORD_LINK), NEW_PASSWORD)

    assert response.status_code == 302
    existing.refresh_from_db()
    assert existing.check_password(NEW_PASSWORD)


def test_a_delegate_imported_from_a_roster_who_signs_up_gets_a_set_password_link(
    sign_up, mailoutbox
):
    services.register_delegate(
        email="hoa.nguyen@example.vn",
        full_name="Nguyễn Thị Hòa",
        organisation="Sở Văn hóa, Thể thao và Du lịch",
        province=None,
        password=None,
    )

    sign_up()

    assert SET_PASSWORD_LINK.search(mailoutbox[0].body)


def test_confirming_after_the_address_gained_an_account_creates_nothing(
    sign_up, client, mailoutbox
):
    sign_up()
    link = link_in(mailoutbox[0])
    factories.delegate(user__email="hoa.nguyen@example.vn")

    response = client.post(link)

    assert response.status_code == 400
    assert response.context["already"]
    assert User.objects.count() == 1
    assert signed_in_user_id(client) is None


def test_signup_returns_to_a_safe_next_page_once_confirmed(sign_up, client, mailoutbox):
    course = factories.course()

    sign_up(f"{reverse('courses:signup')}?next={course.url}", next=course.url)
    response = confirm(client, link_in(mailoutbox[0]))

    assert response["Location"] == course.url


def test_signup_ignores_an_offsite_next_page(sign_up, client, mailoutbox):
    sign_up(f"{reverse('courses:signup')}?next=https://evil.example/", next="https://evil.example/")
    response = confirm(client, link_in(mailoutbox[0]))

    assert response["Location"] == reverse("courses:dashboard")


def test_signup_normalises_names_to_nfc_with_single_spaces(sign_up, client, mailoutbox):
    sign_up(
        full_name=nfd("  Nguyễn   Thị \t Hòa "),
        organisation=nfd(" Sở  Văn hóa,  Thể thao và Du lịch "),
        position=nfd("Phó  Trưởng phòng"),
        email=" Hoa.Nguyen@Example.VN ",
    )
    confirm(client, link_in(mailoutbox[0]))

    user = User.objects.get()
    assert user.email == "hoa.nguyen@example.vn"
    assert (user.first_name, user.last_name) == ("Nguyễn Thị", "Hòa")
    profile = user.delegate_profile
    assert profile.full_name == "Nguyễn Thị Hòa"
    assert unicodedata.is_normalized("NFC", profile.full_name)
    assert profile.organisation == "Sở Văn hóa, Thể thao và Du lịch"
    assert profile.position == "Phó Trưởng phòng"


def test_the_emails_follow_the_language_of_the_signup(sign_up, client, mailoutbox):
    client.cookies["django_language"] = "en"
    sign_up()

    assert mailoutbox[0].subject == "Confirm your email to finish signing up"


def test_signup_refuses_mismatched_passwords(client):
    response = client.post(
        reverse("courses:signup"), signup_data(password2="Tập huấn đối ngoại 2026!")
    )

    assert response.status_code == 400
    assert response.context["form"].has_error("password2")
    assert not User.objects.exists()
    assert not SignupRequest.objects.exists()


def test_signup_refuses_a_too_common_password(client):
    response = client.post(
        reverse("courses:signup"), signup_data(password1="password", password2="password")
    )

    assert response.status_code == 400
    assert response.context["form"].has_error("password1", code="password_too_common")
    assert not User.objects.exists()


def test_signup_refuses_a_password_like_the_email(client):
    response = client.post(
        reverse("courses:signup"),
        signup_data(password1="hoa.nguyen@example", password2="hoa.nguyen@example"),
    )

    assert response.status_code == 400
    assert response.context["form"].has_error("password1", code="password_too_similar")


def test_signup_refuses_a_blank_name(client):
    response = client.post(reverse("courses:signup"), signup_data(full_name="   "))

    assert response.status_code == 400
    assert response.context["form"].has_error("full_name")
    assert not User.objects.exists()


def test_a_signed_in_user_is_sent_from_signup_to_the_dashboard(delegate_client):
    response = delegate_client.get(reverse("courses:signup"))

    assert response.status_code == 302
    assert response["Location"] == reverse("courses:dashboard")


# Sign-in and passwords


@pytest.mark.parametrize(
    "login", ["hoa.nguyen@example.vn", "HOA.NGUYEN@EXAMPLE.VN", " Hoa.Nguyen@example.vn "]
)
def test_delegates_sign_in_with_their_email_in_any_case(client, login):
    user = factories.delegate(user__email="hoa.nguyen@example.vn")

    response = client.post(
        reverse("courses:login"), {"username": login, "password": factories.PASSWORD}
    )

    assert response.status_code == 302
    assert response["Location"] == reverse("courses:dashboard")
    assert signed_in_user_id(client) == user.pk


def test_staff_sign_in_with_email_though_their_username_differs(client):
    user = factories.UserFactory(username="tranhuan", email="Tran.Huan@example.vn")

    client.post(
        reverse("courses:login"),
        {"username": "tran.huan@example.vn", "password": factories.PASSWORD},
    )

    assert signed_in_user_id(client) == user.pk


def test_a_wrong_password_does_not_sign_in(client):
    factories.delegate(user__email="hoa.nguyen@example.vn")

    response = client.post(
        reverse("courses:login"), {"username": "hoa.nguyen@example.vn", "password": "sai"}
    )

    assert response.status_code == 200
    assert signed_in_user_id(client) is None


def test_an_inactive_delegate_cannot_sign_in(client):
    factories.delegate(user__email="hoa.nguyen@example.vn", user__is_active=False)

    client.post(
        reverse("courses:login"),
        {"username": "hoa.nguyen@example.vn", "password": factories.PASSWORD},
    )

    assert signed_in_user_id(client) is None


def request_set_password_link(client, mailoutbox, email: str) -> str:
    response = client.post(reverse("courses:password_reset"), {"email": email})
    assert response.status_code == 302
    assert response["Location"] == reverse("courses:password_reset_done")
    assert len(mailoutbox) == 1
    match = re.search(
        r"https?://testserver(/learn/password/set/[^/\s]+/[^/\s]+/)", mailoutbox[0].body
    )
    assert match, mailoutbox[0].body
    return match.group(1)


def set_password_through_link(client, link: str, password: str):
    response = client.get(link)
    assert response.status_code == 302  # Django moves the token into the session
    form_url = response["Location"]
    assert client.get(form_url).status_code == 200
    return client.post(form_url, {"new_password1": password, "new_password2": password})


def test_password_reset_emails_a_set_password_link_that_sets_the_password(client, mailoutbox):
    user = factories.delegate(user__email="hoa.nguyen@example.vn")

    link = request_set_password_link(client, mailoutbox, "HOA.NGUYEN@example.vn")
    assert mailoutbox[0].to == ["hoa.nguyen@example.vn"]
    response = set_password_through_link(client, link, NEW_PASSWORD)

    assert response.status_code == 302
    assert response["Location"] == reverse("courses:password_set_done")
    user.refresh_from_db()
    assert user.check_password(NEW_PASSWORD)
    assert client.get(link).status_code == 200  # the link is spent: an "invalid link" page
    assert client.get(link).context["validlink"] is False


def test_password_reset_for_an_unknown_email_sends_nothing_but_looks_the_same(client, mailoutbox):
    response = client.post(reverse("courses:password_reset"), {"email": "ai@example.vn"})

    assert response.status_code == 302
    assert response["Location"] == reverse("courses:password_reset_done")
    assert mailoutbox == []


def test_a_delegate_without_a_password_yet_can_request_a_set_password_link(client, mailoutbox):
    user = services.register_delegate(
        email="hoa.nguyen@example.vn",
        full_name="Nguyễn Thị Hòa",
        organisation="Sở Văn hóa, Thể thao và Du lịch",
        province=None,
        password=None,
    )

    link = request_set_password_link(client, mailoutbox, "hoa.nguyen@example.vn")
    set_password_through_link(client, link, NEW_PASSWORD)

    user.refresh_from_db()
    assert user.check_password(NEW_PASSWORD)


def test_a_delegate_can_change_their_password(delegate_client, delegate_user):
    response = delegate_client.post(
        reverse("courses:password_change"),
        {
            "old_password": factories.PASSWORD,
            "new_password1": NEW_PASSWORD,
            "new_password2": NEW_PASSWORD,
        },
    )

    assert response.status_code == 302
    delegate_user.refresh_from_db()
    assert delegate_user.check_password(NEW_PASSWORD)


# Profile


def test_profile_edit_saves_normalised_details(delegate_client, delegate_user):
    province = Province.objects.get(name="Hà Nội")

    response = delegate_client.post(
        reverse("courses:profile"),
        {
            "full_name": nfd("  Lê   Văn  Đức "),
            "organisation": "Ban Tuyên giáo Tỉnh ủy",
            "position": "",
            "province": province.pk,
            "phone": "0912 345 678",
        },
    )

    assert response.status_code == 302
    assert response["Location"] == reverse("courses:profile")
    profile = DelegateProfile.objects.get(user=delegate_user)
    assert profile.full_name == "Lê Văn Đức"
    assert profile.organisation == "Ban Tuyên giáo Tỉnh ủy"
    assert profile.province == province
    assert profile.phone == "0912 345 678"


def test_profile_edit_refuses_a_missing_province(delegate_client, delegate_user):
    before = DelegateProfile.objects.get(user=delegate_user).province

    response = delegate_client.post(
        reverse("courses:profile"),
        {"full_name": "Lê Văn Đức", "organisation": "Ban Tuyên giáo", "province": ""},
    )

    assert response.status_code == 400
    assert DelegateProfile.objects.get(user=delegate_user).province == before


def test_a_user_without_a_profile_can_create_one(client):
    user = factories.UserFactory(first_name="Trần", last_name="Huấn")
    client.force_login(user)

    response = client.get(reverse("courses:profile"))
    assert response.status_code == 200
    assert response.context["form"]["full_name"].value() == "Trần Huấn"

    client.post(
        reverse("courses:profile"),
        {
            "full_name": "Trần Huấn",
            "organisation": "Sở Ngoại vụ",
            "province": Province.objects.get(name="Hà Nội").pk,
        },
    )
    assert DelegateProfile.objects.get(user=user).organisation == "Sở Ngoại vụ"


# Dashboard


def test_the_dashboard_lists_the_delegates_courses_with_progress(delegate_client, delegate_user):
    course = factories.course(modules=3)
    enrollment = factories.EnrollmentFactory(user=delegate_user, course=course)
    first = course.get_children().order_by("path").first()
    services.complete_item(user=delegate_user, page=first)

    response = delegate_client.get(reverse("courses:dashboard"))

    assert response.status_code == 200
    html = response.content.decode()
    assert course.title in html
    assert f'id="{enrollment.pk}-progress-label"' in html
    assert 'aria-valuenow="33"' in html
    [entry] = response.context["in_progress"]
    assert entry.enrollment == enrollment
    assert entry.outline.progress.completed == 1


def test_the_dashboard_continues_at_the_last_module_visited(delegate_client, delegate_user):
    course = factories.course(modules=3)
    factories.EnrollmentFactory(user=delegate_user, course=course)
    _first, second, _third = course.get_children().order_by("path").specific()

    assert delegate_client.get(second.url).status_code == 200
    html = delegate_client.get(reverse("courses:dashboard")).content.decode()

    assert f'<a class="button" href="{second.url}">' in html


def test_the_dashboard_skips_a_visited_module_already_completed(delegate_client, delegate_user):
    course = factories.course(modules=3)
    factories.EnrollmentFactory(user=delegate_user, course=course)
    first, second, _third = course.get_children().order_by("path").specific()

    delegate_client.get(second.url)
    delegate_client.post(reverse("courses:complete", args=[second.pk]))
    html = delegate_client.get(reverse("courses:dashboard")).content.decode()

    assert f'<a class="button" href="{first.url}">' in html


def test_the_dashboard_starts_a_new_enrolment_at_the_first_module(delegate_client, delegate_user):
    course = factories.course(modules=2)
    factories.EnrollmentFactory(user=delegate_user, course=course)
    first = course.get_children().order_by("path").first()

    html = delegate_client.get(reverse("courses:dashboard")).content.decode()

    assert f'<a class="button" href="{first.url}">' in html


def test_the_dashboard_separates_completed_courses(delegate_client, delegate_user):
    done = factories.course(modules=1)
    factories.EnrollmentFactory(user=delegate_user, course=done)
    services.complete_item(user=delegate_user, page=done.get_children().get())
    ongoing = factories.course(modules=1)
    factories.EnrollmentFactory(user=delegate_user, course=ongoing)

    response = delegate_client.get(reverse("courses:dashboard"))

    assert [e.course.pk for e in response.context["completed"]] == [done.pk]
    assert [e.course.pk for e in response.context["in_progress"]] == [ongoing.pk]


def test_the_dashboard_lists_the_most_recently_active_course_first(delegate_client, delegate_user):
    now = timezone.now()
    courses = {name: factories.course(modules=1) for name in ("yesterday", "today", "never")}
    for name, last_activity_at in [("yesterday", now - timedelta(days=1)), ("today", now)]:
        factories.EnrollmentFactory(
            user=delegate_user, course=courses[name], last_activity_at=last_activity_at
        )
    factories.EnrollmentFactory(user=delegate_user, course=courses["never"], last_activity_at=None)

    response = delegate_client.get(reverse("courses:dashboard"))

    order = [courses[name].pk for name in ("today", "yesterday", "never")]
    assert [e.course.pk for e in response.context["in_progress"]] == order


def test_the_dashboard_of_a_new_delegate_invites_them_to_browse(delegate_client):
    response = delegate_client.get(reverse("courses:dashboard"))

    assert response.status_code == 200
    assert response.context["entries"] == []


def test_new_delegates_join_the_delegates_group_even_if_it_was_deleted():
    Group.objects.filter(name=lms_settings.DELEGATES_GROUP).delete()

    user = services.register_delegate(
        email="hoa.nguyen@example.vn",
        full_name="Nguyễn Thị Hòa",
        organisation="Sở Ngoại vụ",
        province=None,
        password=NEW_PASSWORD,
    )

    assert user.groups.filter(name=lms_settings.DELEGATES_GROUP).exists()


def test_unconfirmed_signups_are_forgotten_once_their_link_has_expired(sign_up, mailoutbox):
    sign_up()
    later = timezone.now() + timedelta(hours=lms_settings.SIGNUP_CONFIRMATION_HOURS, minutes=1)
    out = io.StringIO()

    call_command("purge_signup_requests", stdout=out)
    assert SignupRequest.objects.count() == 1  # still within its 72 hours
    with time_machine.travel(later):
        call_command("purge_signup_requests", stdout=out)

    assert not SignupRequest.objects.exists()
    assert "Deleted 1 unconfirmed sign-up(s)." in out.getvalue()
