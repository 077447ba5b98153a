"""Requests about personal data, run across every app's provider (``courses.privacy.registry``).

Each write is one transaction: an erasure either de-identifies everything every provider holds
or changes nothing. Views, the admin, Wagtail's user deletion and ``apply_retention`` call these.
"""

from datetime import datetime, timedelta

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from wagtail.log_actions import log

from courses import user_cache
from courses.conf import lms_settings
from courses.exceptions import LMSError
from courses.models import Consent, DataRequest, DelegateProfile, ErasedAccount
from courses.privacy.registry import ErasureContext, ExportSection, providers


class PrivacyError(LMSError):
    code = "privacy_error"


class ErasureRefused(PrivacyError):
    code = "erasure_refused"


class RequestAlreadyOpen(PrivacyError):
    code = "request_already_open"


class RequestClosed(PrivacyError):
    code = "request_closed"


# Reading


def export_sections(user: AbstractBaseUser) -> list[ExportSection]:
    """Everything every app holds about ``user``, as tables."""
    return [section for provider in providers() for section in provider.export(user)]


def is_erased(user: AbstractBaseUser) -> bool:
    return ErasedAccount.objects.filter(user=user).exists()


# Erasure


def erasure_refusals(user: AbstractBaseUser) -> list[str]:
    reasons = [reason for provider in providers() for reason in provider.refusals(user)]
    if is_erased(user):
        reasons.append(_("This account's personal data has already been erased."))
    return reasons


def identifiers_of(user: AbstractBaseUser) -> tuple[str, ...]:
    """The strings that name the person: erased from free text the agency wrote."""
    profile = DelegateProfile.objects.filter(user=user).first()
    names = [user.get_username(), user.email, user.get_full_name(), user.first_name, user.last_name]
    if profile:
        names.append(profile.full_name)
    return tuple(name for name in names if name)


@transaction.atomic
def erase_user(
    *,
    user: AbstractBaseUser,
    actor: AbstractBaseUser | None,
    now: datetime | None = None,
) -> ErasedAccount:
    """Remove or de-identify ``user``'s personal data in every app, keeping the registers true
    (issued certificates, statistics). Raises ``ErasureRefused`` with the reasons, changing
    nothing, when an app must keep the account (e.g. it issued certificates)."""
    now = now or timezone.now()
    user = get_user_model()._default_manager.select_for_update().get(pk=user.pk)
    reasons = erasure_refusals(user)
    if reasons:
        raise ErasureRefused(" ".join(str(reason) for reason in reasons))
    context = ErasureContext(
        user=user,
        now=now,
        keep_certificate_names=lms_settings.CERTIFICATES_STAY_VERIFIABLE,
        identifiers=identifiers_of(user),
    )
    for provider in providers():
        provider.erase(context)
    return ErasedAccount.objects.create(
        user=user,
        erased_at=now,
        erased_by=actor if actor is not None and actor.pk != user.pk else None,
        certificate_names_kept=context.keep_certificate_names,
        notes=context.notes,
    )


# Consent


def consent_is_current(user: AbstractBaseUser) -> bool:
    return Consent.objects.filter(
        user=user, notice_version=lms_settings.PRIVACY_NOTICE_VERSION, withdrawn_at=None
    ).exists()


def record_consent(
    *, user: AbstractBaseUser, version: str | None = None, now: datetime | None = None
) -> Consent:
    """Record consent to the notice ``version`` (the current one by default); idempotent."""
    version = version or lms_settings.PRIVACY_NOTICE_VERSION
    existing = Consent.objects.filter(user=user, notice_version=version, withdrawn_at=None).first()
    if existing:
        return existing
    return Consent.objects.create(user=user, notice_version=version, given_at=now or timezone.now())


def withdraw_consent(*, user: AbstractBaseUser, now: datetime | None = None) -> int:
    """Withdraw every consent in force. Returns how many were withdrawn."""
    return Consent.objects.filter(user=user, withdrawn_at=None).update(
        withdrawn_at=now or timezone.now()
    )


# Requests


def due_at(kind: str, received_at: datetime) -> datetime:
    hours = lms_settings.PRIVACY_REQUEST_DEADLINE_HOURS.get(kind, 72)
    return received_at + timedelta(hours=hours)


@transaction.atomic
def open_request(
    *,
    user: AbstractBaseUser,
    kind: str,
    reason: str = "",
    requested_by: AbstractBaseUser | None = None,
    now: datetime | None = None,
) -> DataRequest:
    """Receive a request from ``user`` (or entered for them by staff, ``requested_by``).
    Raises ``RequestAlreadyOpen`` while one of the same kind is open, ``PrivacyError`` for an
    erased account."""
    if kind not in DataRequest.Kind.values:
        raise PrivacyError(_("Unknown kind of request."))
    user = get_user_model()._default_manager.select_for_update().get(pk=user.pk)
    if is_erased(user):
        raise PrivacyError(_("This account's personal data has already been erased."))
    if DataRequest.objects.filter(user=user, kind=kind, state=DataRequest.State.OPEN).exists():
        raise RequestAlreadyOpen(
            _("A request of this kind is already open; you will hear from us when it is done.")
        )
    now = now or timezone.now()
    data_request = DataRequest.objects.create(
        user=user,
        kind=kind,
        reason=reason.strip(),
        received_at=now,
        due_at=due_at(kind, now),
        requested_by=requested_by,
    )
    log(data_request, "wagtail.create", user=requested_by or user)
    return data_request


def _locked_open(data_request: DataRequest) -> DataRequest:
    locked = DataRequest.objects.select_for_update().get(pk=data_request.pk)
    if not locked.is_open:
        raise RequestClosed(_("This request has already been closed."))
    return locked


@transaction.atomic
def carry_out(
    *, data_request: DataRequest, actor: AbstractBaseUser, note: str = "", now=None
) -> DataRequest:
    """Do what the request asks, then close it as done. Raises ``ErasureRefused`` (nothing
    changed) when an erasure may not be done."""
    now = now or timezone.now()
    data_request = _locked_open(data_request)
    user = data_request.user
    kind = data_request.kind
    if kind == DataRequest.Kind.ERASURE:
        erase_user(user=user, actor=actor, now=now)
        done = _("Personal data erased in every part of the LMS.")
        data_request.refresh_from_db(fields=["reason", "outcome"])
    elif kind == DataRequest.Kind.RESTRICTION:
        restrict_user(user=user)
        done = _("Processing restricted: the account is deactivated and its data kept.")
    elif kind == DataRequest.Kind.WITHDRAWAL:
        withdraw_consent(user=user, now=now)
        done = _("Consent withdrawn: the delegate is asked again before using the LMS.")
    else:
        done = _("A copy of the data is available to the delegate on their My data page.")
    return _close(data_request, DataRequest.State.DONE, actor, f"{done} {note}".strip(), now)


@transaction.atomic
def refuse(*, data_request: DataRequest, actor: AbstractBaseUser, note: str, now=None):
    if not note.strip():
        raise PrivacyError(_("Say why the request is refused."))
    data_request = _locked_open(data_request)
    return _close(
        data_request, DataRequest.State.REFUSED, actor, note.strip(), now or timezone.now()
    )


@transaction.atomic
def cancel(*, data_request: DataRequest, user: AbstractBaseUser, now=None) -> DataRequest:
    """The delegate withdraws their own open request."""
    data_request = _locked_open(data_request)
    return _close(data_request, DataRequest.State.CANCELLED, user, "", now or timezone.now())


def _close(data_request, state, actor, outcome, now) -> DataRequest:
    data_request.state = state
    data_request.closed_at = now
    data_request.closed_by = actor if not is_erased(actor) else None
    data_request.outcome = outcome
    data_request.save(update_fields=["state", "closed_at", "closed_by", "outcome"])
    log(data_request, f"courses.privacy.{state}", user=data_request.closed_by)
    return data_request


def restrict_user(*, user: AbstractBaseUser) -> None:
    """Restriction of processing: the data is kept, the account can no longer be used."""
    type(user)._default_manager.filter(pk=user.pk).update(is_active=False)
    user_cache.forget_user(user.pk)  # update() sends no signal
    for provider in providers():
        provider.restrict(user)
