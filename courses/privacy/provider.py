"""The personal data ``courses`` holds: accounts, profiles, enrolments, consent and requests."""

from datetime import timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser
from django.utils.translation import gettext_lazy as _

from courses.conf import lms_settings
from courses.models import (
    Cohort,
    Completion,
    Consent,
    DataRequest,
    DelegateProfile,
    Enrollment,
    PersonalDataAccess,
    SignupRequest,
)
from courses.privacy.registry import (
    ErasureContext,
    ExportSection,
    PersonalData,
    Provider,
    RetentionResult,
    redact,
)


def _iso(value) -> str | None:
    return value.isoformat() if value is not None else None


class CoursesProvider(Provider):
    app_label = "courses"
    declarations = (
        PersonalData(
            settings.AUTH_USER_MODEL,
            ("username", "email", "first_name", "last_name", "last_login", "date_joined"),
            _("The account a delegate or staff member signs in with."),
            _("Name and email removed; the account is kept, anonymous and unusable."),
        ),
        PersonalData(
            "courses.DelegateProfile",
            ("full_name", "organisation", "position", "province", "phone"),
            _("Who a delegate is, as certificates and HR reports show them."),
            _("Deleted."),
        ),
        PersonalData(
            "courses.Enrollment",
            ("user", "organisation", "position", "province", "enrolled_at", "completed_at"),
            _("Which courses a delegate takes, and their progress."),
            _("Organisation and position removed; dates and province kept for statistics."),
        ),
        PersonalData(
            "courses.Completion",
            ("enrollment", "completed_at"),
            _("Progress through a course."),
            _("Kept: it belongs to the anonymous enrolment."),
        ),
        PersonalData(
            "courses.SignupRequest",
            ("email", "password", "profile"),
            _("A sign-up waiting for its email address to be confirmed."),
            _("Deleted."),
        ),
        PersonalData(
            "courses.Cohort",
            ("trainers",),
            _("The trainers of a cohort."),
            _("The account is removed from the cohort's trainers."),
        ),
        PersonalData(
            "courses.Consent",
            ("user", "notice_version", "given_at", "withdrawn_at"),
            _("Proof of consent to the privacy notice."),
            _("Kept with the anonymous account, as proof of lawful processing."),
        ),
        PersonalData(
            "courses.DataRequest",
            ("user", "reason", "requested_by", "closed_by"),
            _("Requests about personal data and what was done."),
            _("Kept with the anonymous account; the reason is removed."),
        ),
        PersonalData(
            "courses.ErasedAccount",
            ("user",),
            _("That an account's personal data was erased."),
            _("Created by the erasure."),
        ),
        PersonalData(
            "courses.PersonalDataAccess",
            ("actor", "subject", "filters"),
            _("Who looked at or exported personal data."),
            _("Kept for its own retention period; the person is anonymous."),
        ),
    )
    not_personal = {
        "courses.Province": "Place names.",
        "courses.FormerProvince": "Place names.",
    }

    def export(self, user: AbstractBaseUser) -> list[ExportSection]:
        profile = DelegateProfile.objects.filter(user=user).select_related("province").first()
        enrolments = list(
            Enrollment.objects.filter(user=user).select_related("course", "cohort", "province")
        )
        completions = Completion.objects.filter(enrollment__user=user).select_related(
            "enrollment__course", "page"
        )
        return [
            ExportSection(
                "account",
                _("Account"),
                ("username", "email", "first_name", "last_name", "date_joined", "last_login"),
                [
                    (
                        user.get_username(),
                        user.email,
                        user.first_name,
                        user.last_name,
                        _iso(user.date_joined),
                        _iso(user.last_login),
                    )
                ],
            ),
            ExportSection(
                "profile",
                _("Profile"),
                ("full_name", "organisation", "position", "province", "phone"),
                [
                    (
                        profile.full_name,
                        profile.organisation,
                        profile.position,
                        profile.province.name if profile.province else "",
                        profile.phone,
                    )
                ]
                if profile
                else [],
            ),
            ExportSection(
                "enrolments",
                _("Enrolments"),
                (
                    "course",
                    "cohort",
                    "method",
                    "organisation",
                    "position",
                    "province",
                    "enrolled_at",
                    "completed_at",
                    "last_activity_at",
                ),
                [
                    (
                        e.course.title,
                        e.cohort.name if e.cohort else "",
                        e.method,
                        e.organisation,
                        e.position,
                        e.province.name if e.province else "",
                        _iso(e.enrolled_at),
                        _iso(e.completed_at),
                        _iso(e.last_activity_at),
                    )
                    for e in enrolments
                ],
            ),
            ExportSection(
                "completions",
                _("Completed items"),
                ("course", "item", "completed_at"),
                [
                    (c.enrollment.course.title, c.page.title, _iso(c.completed_at))
                    for c in completions
                ],
            ),
            ExportSection(
                "consents",
                _("Consent history"),
                ("notice_version", "given_at", "withdrawn_at"),
                [
                    (c.notice_version, _iso(c.given_at), _iso(c.withdrawn_at))
                    for c in Consent.objects.filter(user=user)
                ],
            ),
            ExportSection(
                "requests",
                _("Requests about your data"),
                ("request", "state", "reason", "received_at", "due_at", "closed_at", "outcome"),
                [
                    (
                        r.kind,
                        r.state,
                        r.reason,
                        _iso(r.received_at),
                        _iso(r.due_at),
                        _iso(r.closed_at),
                        r.outcome,
                    )
                    for r in DataRequest.objects.filter(user=user)
                ],
            ),
        ]

    def apply_retention(self, *, now, dry_run: bool) -> list[RetentionResult]:
        return [
            *self._inactive_delegates(now=now, dry_run=dry_run),
            *self._access_log(now=now, dry_run=dry_run),
        ]

    def _inactive_delegates(self, *, now, dry_run: bool) -> list[RetentionResult]:
        days = lms_settings.RETENTION_INACTIVE_DELEGATE_DAYS
        if days is None:
            return []
        from courses.privacy import services  # services runs every provider, this one too

        inactive = inactive_delegates(since=now - timedelta(days=days))
        erased = refused = 0
        for user in inactive:
            if services.erasure_refusals(user):
                refused += 1
            elif not dry_run:
                services.erase_user(user=user, actor=None, now=now)
                erased += 1
            else:
                erased += 1
        return [
            RetentionResult(
                "RETENTION_INACTIVE_DELEGATE_DAYS",
                f"delegates inactive for {days} days erased ({refused} kept: they issued "
                "certificates)",
                erased,
            )
        ]

    def _access_log(self, *, now, dry_run: bool) -> list[RetentionResult]:
        days = lms_settings.ACCESS_LOG_RETENTION_DAYS
        if days is None:
            return []
        old = PersonalDataAccess.objects.filter(at__lt=now - timedelta(days=days))
        count = old.count() if dry_run else old.delete()[0]
        return [
            RetentionResult(
                "ACCESS_LOG_RETENTION_DAYS", f"access log entries older than {days} days", count
            )
        ]

    def erase(self, context: ErasureContext) -> None:
        user = context.user
        old_username, old_email = user.get_username(), user.email
        DelegateProfile.objects.filter(user=user).delete()
        Enrollment.objects.filter(user=user).update(organisation="", position="")
        if old_email:
            SignupRequest.objects.filter(email__iexact=old_email).delete()
        for cohort in Cohort.objects.filter(trainers=user):
            cohort.trainers.remove(user)
        for data_request in DataRequest.objects.filter(user=user).exclude(reason=""):
            data_request.reason = ""
            data_request.outcome = redact(data_request.outcome, context.identifiers)
            data_request.save(update_fields=["reason", "outcome"])
        PersonalDataAccess.objects.filter(subject=user).exclude(filters={}).update(filters={})
        self._erase_framework_records(user, old_username, context)
        username_field = get_user_model().USERNAME_FIELD
        setattr(user, username_field, f"erased-{user.pk}")
        user.email = ""
        user.first_name = ""
        user.last_name = ""
        user.is_active = False
        user.is_staff = False
        user.is_superuser = False
        user.set_unusable_password()
        user.save()
        user.groups.clear()
        user.user_permissions.clear()
        context.notes.append("account de-identified, profile deleted, enrolments kept anonymous")

    def _erase_framework_records(self, user, old_username: str, context: ErasureContext) -> None:
        """Wagtail's profile and log labels, Django's admin log, django-axes' sign-in records."""
        from axes.models import AccessAttempt, AccessFailureLog, AccessLog
        from django.contrib.admin.models import LogEntry
        from wagtail.models import ModelLogEntry
        from wagtail.users.models import UserProfile

        UserProfile.objects.filter(user=user).delete()
        for model in (AccessAttempt, AccessLog, AccessFailureLog):
            model.objects.filter(username__iexact=old_username).delete()
        for identifier in context.identifiers:
            if len(identifier) <= 2:
                continue
            for entry in ModelLogEntry.objects.filter(label__icontains=identifier):
                entry.label = redact(entry.label, context.identifiers)
                entry.save(update_fields=["label"])
            for entry in LogEntry.objects.filter(object_repr__icontains=identifier):
                entry.object_repr = redact(entry.object_repr, context.identifiers)
                entry.save(update_fields=["object_repr"])


def inactive_delegates(*, since):
    """Delegates (accounts with a profile), not erased, neither signed in nor active in a
    course since ``since``."""
    from django.db.models import Q

    recently_active = Enrollment.objects.filter(last_activity_at__gte=since).values("user_id")
    return (
        get_user_model()
        ._default_manager.filter(delegate_profile__isnull=False, erasure__isnull=True)
        .filter(Q(last_login__lt=since) | Q(last_login=None, date_joined__lt=since))
        .exclude(pk__in=recently_active)
        .order_by("pk")
    )
