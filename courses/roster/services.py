"""Roster import against the database: the province lookup, the plan shown in the preview,
the all-or-nothing import and the set-password invitations that follow it.

Reading the file (``courses.roster.table``) and checking its rows (``courses.roster.rows``) are
pure.
"""

import logging
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from functools import partial

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser
from django.contrib.auth.tokens import default_token_generator
from django.core.mail import EmailMultiAlternatives
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.db.models.functions import Lower
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext_lazy as _

from courses import exceptions, services
from courses.compat import send_messages, task
from courses.models import Cohort, DelegateProfile, Enrollment, FormerProvince, Province
from courses.roster import rows as roster
from courses.roster.rows import ProvinceMatch, RosterRow, RowStatus

logger = logging.getLogger(__name__)

# Keeps IN (...) lists well under every database's parameter limit.
CHUNK = 500


class RosterImportError(exceptions.LMSError):
    code = "roster_import_error"
    message = _("Nothing was imported.")


class RosterInvalid(RosterImportError):
    code = "roster_invalid"
    message = _(
        "Nothing was imported: some rows have errors. Correct the file and upload it again."
    )


class RosterChanged(RosterImportError):
    """An account or enrolment changed between the preview and the confirmation."""

    code = "roster_changed"
    message = _(
        "Nothing was imported: accounts or enrolments changed since the preview. "
        "Check the updated preview below and confirm again."
    )

    def __init__(self, rows: Sequence[int] = ()) -> None:
        self.rows = tuple(rows)
        super().__init__()


# Reads


def province_index() -> dict[str, ProvinceMatch]:
    """Every current and former province name, keyed for ``roster.match_province``."""
    return roster.build_province_index(
        Province.objects.values_list("pk", "name"),
        FormerProvince.objects.values_list("name", "successor_id"),
    )


def _chunks(values: Sequence, size: int = CHUNK) -> Iterable[Sequence]:
    for start in range(0, len(values), size):
        yield values[start : start + size]


def accounts_by_email(emails: Iterable[str]) -> dict[str, AbstractBaseUser]:
    """The account each (lower-case) email signs in to, found as the sign-in backend finds it:
    a matching username first, else the oldest account with that email."""
    wanted = sorted(set(emails))
    by_username: dict[str, AbstractBaseUser] = {}
    by_email: dict[str, AbstractBaseUser] = {}
    manager = get_user_model()._default_manager
    for chunk in _chunks(wanted):
        users = (
            manager.annotate(roster_email=Lower("email"), roster_username=Lower("username"))
            .filter(Q(roster_email__in=chunk) | Q(roster_username__in=chunk))
            .order_by("pk")
        )
        for user in users:
            by_username.setdefault(user.roster_username, user)
            by_email.setdefault(user.roster_email, user)
    found = {}
    for email in wanted:
        user = by_username.get(email) or by_email.get(email)
        if user is not None:
            found[email] = user
    return found


@dataclass(frozen=True, slots=True)
class PlannedRow:
    row: RosterRow
    status: RowStatus
    user: AbstractBaseUser | None = None  # the existing account, if any
    other_cohort: str = ""  # the cohort a skipped delegate is already in

    @property
    def status_label(self) -> str:
        return str(roster.STATUS_LABELS[self.status])


@dataclass(frozen=True, slots=True)
class RosterPlan:
    """What confirming the import would do with each row."""

    rows: tuple[PlannedRow, ...]

    @property
    def counts(self) -> Counter:
        return Counter(planned.status for planned in self.rows)

    @property
    def has_errors(self) -> bool:
        return any(planned.status is RowStatus.ERROR for planned in self.rows)

    @property
    def enrolling(self) -> int:
        return sum(1 for planned in self.rows if planned.status in roster.ENROLLING)

    def statuses(self) -> dict[str, str]:
        """Row number -> status, as the confirmation step expects them (JSON-safe)."""
        return {str(planned.row.number): planned.status.value for planned in self.rows}


def plan_roster(*, cohort: Cohort, rows: Sequence[RosterRow]) -> RosterPlan:
    """Classify every row against today's accounts and enrolments, in a few queries."""
    accounts = accounts_by_email(row.email for row in rows if row.is_valid)
    user_ids = [user.pk for user in accounts.values()]
    enrollments: dict[int, Enrollment] = {}
    for chunk in _chunks(user_ids):
        for enrollment in Enrollment.objects.filter(
            course_id=cohort.course_id, user_id__in=chunk
        ).select_related("cohort"):
            enrollments[enrollment.user_id] = enrollment
    planned = []
    for row in rows:
        account = accounts.get(row.email) if row.is_valid else None
        enrollment = enrollments.get(account.pk) if account is not None else None
        status = roster.classify(
            row,
            has_account=account is not None,
            enrolled=enrollment is not None,
            enrolled_cohort_id=enrollment.cohort_id if enrollment else None,
            cohort_id=cohort.pk,
        )
        other = enrollment.cohort.name if status is RowStatus.OTHER_COHORT else ""
        planned.append(PlannedRow(row=row, status=status, user=account, other_cohort=other))
    return RosterPlan(rows=tuple(planned))


# The import


@dataclass(frozen=True, slots=True)
class ImportedRow:
    number: int
    full_name: str
    email: str
    status: RowStatus


def import_roster(
    *,
    cohort: Cohort,
    rows: Sequence[RosterRow],
    expected: Mapping[str, str],
    site_url: str,
    now: datetime | None = None,
) -> list[ImportedRow]:
    """Import every row of a validated roster, or none.

    ``expected`` maps each row number (as a string) to the status the confirmed preview showed.
    The rows are classified again inside the transaction; if any now means something else (an
    account was registered with its email meanwhile, say) nothing is written and
    ``RosterChanged`` is raised. Any failure while writing rolls the whole import back.

    New accounts get an email with a set-password link once the transaction has committed;
    existing accounts are enrolled with their profiles untouched.
    """
    if not rows or not all(row.is_valid for row in rows):
        raise RosterInvalid()
    now = now or timezone.now()
    try:
        with transaction.atomic():
            cohort = (
                Cohort.objects.select_for_update(of=("self",))
                .select_related("course")
                .get(pk=cohort.pk)
            )
            plan = plan_roster(cohort=cohort, rows=rows)
            changed = [
                planned.row.number
                for planned in plan.rows
                if expected.get(str(planned.row.number)) != planned.status
            ]
            if changed:
                raise RosterChanged(rows=changed)
            imported, invited = _write(plan, cohort=cohort, now=now)
            if invited:
                # Queued only once the import is committed, so no email names a rolled-back
                # account. With a worker backend in TASKS the emails leave the request.
                transaction.on_commit(
                    partial(
                        send_invitations.enqueue,
                        user_ids=invited,
                        cohort_id=cohort.pk,
                        site_url=site_url,
                    ),
                    robust=True,
                )
    except (IntegrityError, exceptions.AlreadyEnrolled) as error:
        # A concurrent registration or enrolment got in first: everything above is undone.
        raise RosterChanged() from error
    return imported


def _write(plan: RosterPlan, *, cohort: Cohort, now: datetime) -> tuple[list[ImportedRow], list]:
    """The plan's accounts, profiles and enrolments, in bulk: a few statements a thousand rows."""
    provinces = Province.objects.in_bulk({p.row.province.province_id for p in plan.rows})
    existing = [p.user.pk for p in plan.rows if p.status is RowStatus.EXISTING]
    with_profile = set()
    for chunk in _chunks(existing):
        with_profile.update(
            DelegateProfile.objects.filter(user_id__in=chunk).values_list("user_id", flat=True)
        )
    new_rows = [p.row for p in plan.rows if p.status is RowStatus.NEW]
    created = services.register_delegates(
        [
            services.NewDelegate(
                email=row.email,
                full_name=row.full_name,
                organisation=row.organisation,
                position=row.position,
                province=provinces[row.province.province_id],
            )
            for row in new_rows
        ]
    )
    accounts = {row.number: user for row, user in zip(new_rows, created, strict=True)}
    # Fill in a missing profile; an existing one is never overwritten.
    DelegateProfile.objects.bulk_create(
        (
            DelegateProfile(
                user=p.user,
                full_name=p.row.full_name,
                organisation=p.row.organisation,
                position=p.row.position,
                province=provinces[p.row.province.province_id],
            )
            for p in plan.rows
            if p.status is RowStatus.EXISTING and p.user.pk not in with_profile
        ),
        batch_size=services.BULK_BATCH,
    )
    enrolling = [
        accounts[p.row.number].pk if p.status is RowStatus.NEW else p.user.pk
        for p in plan.rows
        if p.status in roster.ENROLLING
    ]
    services.add_many_to_cohort(
        user_ids=enrolling, cohort=cohort, method=Enrollment.Method.ROSTER, now=now
    )
    imported = [
        ImportedRow(p.row.number, p.row.full_name, p.row.email, p.status) for p in plan.rows
    ]
    return imported, [user.pk for user in created]


# Invitations


def set_password_url(*, user: AbstractBaseUser, site_url: str) -> str:
    """An absolute one-time link to ``courses:password_set`` (Django's reset-token machinery)."""
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    token = default_token_generator.make_token(user)
    path = reverse("courses:password_set", kwargs={"uidb64": uid, "token": token})
    return site_url.rstrip("/") + path


@task
def send_invitations(*, user_ids: list[int], cohort_id: int, site_url: str) -> int:
    """Email each new delegate a link to choose a password, in the site's language.

    A task, queued after the import has committed. Returns the number of emails sent.
    """
    cohort = Cohort.objects.select_related("course").get(pk=cohort_id)
    users = (
        get_user_model()
        ._default_manager.filter(pk__in=user_ids, is_active=True)
        .select_related("delegate_profile")
        .order_by("pk")
    )
    with translation.override(settings.LANGUAGE_CODE):
        messages = [_invitation(user=user, cohort=cohort, site_url=site_url) for user in users]
    if not messages:
        return 0
    try:
        return send_messages(messages)
    except OSError:  # SMTP failures are OSErrors; the import itself stands
        logger.exception("Could not send roster invitations for cohort %s", cohort_id)
        return 0


def _invitation(*, user: AbstractBaseUser, cohort: Cohort, site_url: str) -> EmailMultiAlternatives:
    profile = getattr(user, "delegate_profile", None)
    context = {
        "full_name": profile.full_name if profile else user.get_full_name(),
        "email": user.email,
        "cohort": cohort,
        "course": cohort.course,
        "set_password_url": set_password_url(user=user, site_url=site_url),
        "sign_in_url": site_url.rstrip("/") + reverse("courses:login"),
    }
    subject = render_to_string("courses/registration/roster_invitation_subject.txt", context)
    body = render_to_string("courses/registration/roster_invitation_email.txt", context)
    return EmailMultiAlternatives(" ".join(subject.split()), body, None, [user.email])
