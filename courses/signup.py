"""Sign-up that never tells anyone whether an email address has an account.

Every sign-up gets the same answer, "check your email", and one email is sent to the address:

- a new address gets a link to confirm it; following the link creates the account (with the
  details and password given at sign-up) and signs in (``confirm_signup``);
- an address that already has an account gets a reminder that it has one, with a link to set a
  new password if it has forgotten it.

Until the link is followed nothing exists but a ``SignupRequest`` (the password only hashed):
signing up someone else's address creates, takes and changes nothing. A new sign-up for the same
address replaces an earlier one (its link stops working), and requests expire after
``LMS["SIGNUP_CONFIRMATION_HOURS"]``.
"""

import logging
from datetime import datetime, timedelta
from functools import partial

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import AbstractBaseUser
from django.core import signing
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from courses import services
from courses.compat import send_messages, task
from courses.conf import lms_settings
from courses.exceptions import SignupAlreadyConfirmed, SignupLinkInvalid
from courses.forms import PasswordLinkForm
from courses.models import Province, SignupRequest
from courses.privacy import services as privacy
from courses.roster.services import set_password_url
from courses.text import nfc

logger = logging.getLogger(__name__)
TOKEN_SALT = "courses.signup.confirm"  # noqa: S105 (a namespace, not a secret)


def existing_account(email: str) -> AbstractBaseUser | None:
    """The account an email address already signs in as (by email or as a username)."""
    return (
        get_user_model()
        ._default_manager.filter(Q(email__iexact=email) | Q(username__iexact=email))
        .order_by("pk")
        .first()
    )


def request_signup(
    *,
    email: str,
    password: str,
    full_name: str,
    organisation: str,
    position: str,
    province: Province | None,
    consent_version: str = "",
    next_url: str = "",
    site_url: str,
    now: datetime | None = None,
) -> None:
    """Record a sign-up and email the address, the same way whether or not it has an account.

    ``consent_version`` is the privacy notice the person consented to on the form; the consent
    is recorded, with the time it was given, when the account is created.

    ``password`` is hashed in both cases, so both take as long. The email goes out once the
    transaction has committed, as a task, in the language of the request.
    """
    now = now or timezone.now()
    email = nfc(email).lower()
    password_hash = make_password(password)
    language = translation.get_language() or settings.LANGUAGE_CODE
    with transaction.atomic():
        purge_expired(now=now)
        SignupRequest.objects.filter(email=email).delete()
        account = existing_account(email)
        if account is not None:
            send = partial(
                send_account_reminder.enqueue,
                user_id=account.pk,
                site_url=site_url,
                language=language,
            )
        else:
            pending = SignupRequest.objects.create(
                email=email,
                password=password_hash,
                profile={
                    "full_name": full_name,
                    "organisation": organisation,
                    "position": position,
                    "province_id": province.pk if province else None,
                },
                consent={"version": consent_version, "given_at": now.isoformat()}
                if consent_version
                else {},
                next_url=next_url,
                created_at=now,
            )
            send = partial(
                send_signup_confirmation.enqueue,
                signup_id=pending.pk,
                site_url=site_url,
                language=language,
            )
        transaction.on_commit(send)


def purge_expired(*, now: datetime | None = None) -> int:
    """Forget sign-ups whose link has expired (each sign-up does it too; ``manage.py
    purge_signup_requests`` does it daily, so no one's details wait longer than they must).
    Returns how many were removed."""
    now = now or timezone.now()
    removed, _by_model = SignupRequest.objects.filter(created_at__lt=now - link_lifetime()).delete()
    return removed


def link_lifetime() -> timedelta:
    return timedelta(hours=lms_settings.SIGNUP_CONFIRMATION_HOURS)


def confirmation_token(signup: SignupRequest) -> str:
    return signing.dumps({"id": signup.pk, "email": signup.email}, salt=TOKEN_SALT)


def pending_signup(token: str) -> SignupRequest:
    """The sign-up a confirmation link stands for. Raises ``SignupLinkInvalid``."""
    try:
        data = signing.loads(token, salt=TOKEN_SALT, max_age=link_lifetime().total_seconds())
        signup = SignupRequest.objects.get(pk=data["id"], email=data["email"])
    except (signing.BadSignature, SignupRequest.DoesNotExist, KeyError, TypeError):
        raise SignupLinkInvalid() from None
    return signup


@transaction.atomic
def confirm_signup(*, token: str) -> tuple[AbstractBaseUser, str]:
    """Create the account a confirmation link stands for, with the password chosen at sign-up.
    Returns the account and the page to go on to. Raises ``SignupLinkInvalid`` or, when the
    address has gained an account meanwhile, ``SignupAlreadyConfirmed``."""
    signup = pending_signup(token)
    signup = SignupRequest.objects.select_for_update().filter(pk=signup.pk).first()
    if signup is None:  # confirmed by a concurrent request
        raise SignupLinkInvalid()
    SignupRequest.objects.filter(email=signup.email).delete()
    if existing_account(signup.email) is not None:
        raise SignupAlreadyConfirmed()
    profile = dict(signup.profile)
    province_id = profile.pop("province_id", None)
    user = services.register_delegate(
        email=signup.email,
        province=Province.objects.filter(pk=province_id).first() if province_id else None,
        password=None,
        **profile,
    )
    user.password = signup.password
    user.save(update_fields=["password"])
    if signup.consent.get("version"):
        privacy.record_consent(
            user=user,
            version=signup.consent["version"],
            now=datetime.fromisoformat(signup.consent["given_at"]),
        )
    return user, signup.next_url


# Emails (tasks, queued once the sign-up has committed)


@task
def send_signup_confirmation(*, signup_id: int, site_url: str, language: str) -> int:
    """Email the link that confirms a new address. Returns the number of emails sent."""
    signup = SignupRequest.objects.filter(pk=signup_id).first()
    if signup is None:  # replaced by a newer sign-up before this ran
        return 0
    path = reverse("courses:signup_confirm", kwargs={"token": confirmation_token(signup)})
    context = {
        "full_name": signup.profile.get("full_name", ""),
        "confirm_url": site_url.rstrip("/") + path,
        "hours": lms_settings.SIGNUP_CONFIRMATION_HOURS,
    }
    return _send(signup.email, "signup_confirm", context, language=language)


@task
def send_account_reminder(*, user_id: int, site_url: str, language: str) -> int:
    """Email an address that signed up again: it has an account; here is how to get back in."""
    user = get_user_model()._default_manager.filter(pk=user_id).first()
    if user is None or not user.email:
        return 0
    resettable = any(PasswordLinkForm().get_users(user.email))
    context = {
        "email": user.email,
        "sign_in_url": site_url.rstrip("/") + reverse("courses:login"),
        "set_password_url": (
            set_password_url(user=user, site_url=site_url) if resettable else None
        ),
    }
    return _send(user.email, "signup_existing", context, language=language)


def _send(address: str, template: str, context: dict, *, language: str) -> int:
    with translation.override(language):
        subject = render_to_string(f"courses/registration/{template}_subject.txt", context)
        body = render_to_string(f"courses/registration/{template}_email.txt", context)
    message = EmailMultiAlternatives(" ".join(subject.split()), body, None, [address])
    try:
        return send_messages([message])
    except OSError:  # SMTP failures are OSErrors; the sign-up itself stands
        logger.exception("Could not send the %s email", template)
        return 0
