"""Writes: enrolment, completion, registration, trainer access. Views and the API call these."""

import functools
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser, Group, Permission
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from wagtail.models import GroupPagePermission, Page

from courses import exceptions, roles
from courses.conf import lms_settings
from courses.model_fields import column_names
from courses.models import (
    Cohort,
    Completion,
    CourseItem,
    CoursePage,
    CourseTrainerGroup,
    DelegateProfile,
    Enrollment,
    Province,
)
from courses.progress import Item, compute_progress
from courses.selectors import outline_items
from courses.signals import course_completed
from courses.text import collapse_spaces, nfc

BULK_BATCH = 1000  # rows an INSERT of bulk_create() holds

# Registration


@transaction.atomic
def register_delegate(
    *,
    email: str,
    full_name: str,
    organisation: str,
    position: str = "",
    province: Province | None,
    password: str | None,
) -> AbstractBaseUser:
    """Create a delegate account with its profile. ``password=None`` leaves it unusable, so the
    delegate sets one through a set-password link (roster imports)."""
    user, profile = _new_delegate(
        NewDelegate(email, full_name, organisation, position, province), password=password
    )
    user.save()
    profile.user = user
    profile.save()
    user.groups.add(_delegates_group())
    return user


@dataclass(frozen=True, slots=True)
class NewDelegate:
    email: str
    full_name: str
    organisation: str
    position: str = ""
    province: Province | None = None


def register_delegates(people: Sequence[NewDelegate]) -> list[AbstractBaseUser]:
    """``register_delegate`` for many people at once (roster imports), with unusable
    passwords: a few statements whatever their number. Returns the accounts in order."""
    built = [_new_delegate(person, password=None) for person in people]
    users = get_user_model()._default_manager.bulk_create(
        [user for user, _profile in built], batch_size=BULK_BATCH
    )
    profiles = []
    for user, (_unsaved, profile) in zip(users, built, strict=True):
        profile.user = user
        profiles.append(profile)
    DelegateProfile.objects.bulk_create(profiles, batch_size=BULK_BATCH)
    group = _delegates_group()
    membership = get_user_model().groups.through
    membership.objects.bulk_create(
        [membership(user_id=user.pk, group_id=group.pk) for user in users], batch_size=BULK_BATCH
    )
    return users


def _new_delegate(
    person: NewDelegate, *, password: str | None
) -> tuple[AbstractBaseUser, DelegateProfile]:
    """The unsaved account and profile of a new delegate, their text normalised."""
    email = nfc(person.email).lower()
    full_name = collapse_spaces(person.full_name)
    first, _sep, last = full_name.rpartition(" ")
    user = get_user_model()(
        username=email, email=email, first_name=first[:150], last_name=last[:150]
    )
    user.set_password(password) if password else user.set_unusable_password()
    profile = DelegateProfile(
        full_name=full_name,
        organisation=collapse_spaces(person.organisation),
        position=collapse_spaces(person.position),
        province=person.province,
    )
    return user, profile


def _delegates_group() -> Group:
    group, _created = Group.objects.get_or_create(name=lms_settings.DELEGATES_GROUP)
    return group


# Enrolment


def _snapshot(user: AbstractBaseUser) -> dict:
    profile = DelegateProfile.objects.filter(user=user).first()
    if profile is None:
        return {}
    return {
        "province_id": profile.province_id,
        "organisation": profile.organisation,
        "position": profile.position,
    }


def _create_enrollment(
    *,
    user: AbstractBaseUser,
    course: CoursePage,
    cohort: Cohort | None,
    method: str,
    now: datetime,
) -> Enrollment:
    try:
        with transaction.atomic():
            return Enrollment.objects.create(
                user=user,
                course=course,
                cohort=cohort,
                method=method,
                enrolled_at=now,
                **_snapshot(user),
            )
    except IntegrityError:
        # A concurrent request enrolled the same delegate first.
        raise exceptions.AlreadyEnrolled() from None


@transaction.atomic
def enrol(*, user: AbstractBaseUser, course: CoursePage, now: datetime | None = None) -> Enrollment:
    """Self-enrolment in an open course."""
    now = now or timezone.now()
    if not course.live:
        raise exceptions.CourseUnavailable()
    if not course.allow_self_enrolment:
        raise exceptions.SelfEnrolmentClosed()
    if Enrollment.objects.filter(user=user, course=course).exists():
        raise exceptions.AlreadyEnrolled()
    return _create_enrollment(
        user=user, course=course, cohort=None, method=Enrollment.Method.SELF, now=now
    )


def normalise_code(code: str) -> str:
    return "".join(nfc(code).split()).upper()


@transaction.atomic
def enrol_with_code(
    *,
    user: AbstractBaseUser,
    code: str,
    now: datetime | None = None,
    method: str = Enrollment.Method.CODE,
) -> Enrollment:
    """Join a cohort (and its course) with the cohort's enrolment code.

    A delegate already enrolled in the course on their own joins the cohort; one already in a
    cohort of that course is refused.
    """
    now = now or timezone.now()
    cohort = (
        Cohort.objects.select_for_update(of=("self",))
        .select_related("course")
        .filter(enrolment_code=normalise_code(code))
        .first()
    )
    if cohort is None:
        raise exceptions.UnknownEnrolmentCode()
    return _join_cohort(user=user, cohort=cohort, now=now, method=method)


def _join_cohort(*, user, cohort: Cohort, now: datetime, method: str) -> Enrollment:
    if not cohort.course.live:
        raise exceptions.CourseUnavailable()
    if cohort.enrolment_closes_at and cohort.enrolment_closes_at <= now:
        raise exceptions.EnrolmentCodeExpired()
    existing = Enrollment.objects.filter(user=user, course=cohort.course).first()
    if existing is not None:
        if existing.cohort_id is not None:
            raise exceptions.AlreadyEnrolled()
        _check_capacity(cohort)
        existing.cohort = cohort
        existing.save(update_fields=["cohort"])
        return existing
    _check_capacity(cohort)
    return _create_enrollment(
        user=user, course=cohort.course, cohort=cohort, method=method, now=now
    )


def _check_capacity(cohort: Cohort) -> None:
    if cohort.capacity is not None and cohort.enrollments.count() >= cohort.capacity:
        raise exceptions.CohortFull()


@transaction.atomic
def add_to_cohort(
    *, user: AbstractBaseUser, cohort: Cohort, method: str, now: datetime | None = None
) -> tuple[Enrollment, bool]:
    """Enrol a delegate into a cohort on an organiser's behalf (roster import, admin).

    Returns the enrolment and whether it is new. Closing dates do not apply to organisers.
    """
    now = now or timezone.now()
    existing = Enrollment.objects.filter(user=user, course=cohort.course).first()
    if existing is not None:
        if existing.cohort_id is None:
            existing.cohort = cohort
            existing.save(update_fields=["cohort"])
        return existing, False
    return _create_enrollment(
        user=user, course=cohort.course, cohort=cohort, method=method, now=now
    ), True


def add_many_to_cohort(
    *,
    user_ids: Sequence[int],
    cohort: Cohort,
    method: str,
    now: datetime | None = None,
) -> None:
    """``add_to_cohort`` for many delegates at once (roster imports), in a few statements a
    thousand delegates: those enrolled in the course on their own join the cohort, those in a
    cohort stay where they are, the others are enrolled with a snapshot of their profiles."""
    now = now or timezone.now()
    for start in range(0, len(user_ids), BULK_BATCH):
        chunk = user_ids[start : start + BULK_BATCH]
        enrolled = Enrollment.objects.filter(course_id=cohort.course_id, user_id__in=chunk)
        existing = set(enrolled.values_list("user_id", flat=True))
        enrolled.filter(cohort__isnull=True).update(cohort=cohort)
        snapshots = {
            user_id: {
                "province_id": province_id,
                "organisation": organisation,
                "position": position,
            }
            for user_id, province_id, organisation, position in DelegateProfile.objects.filter(
                user_id__in=[pk for pk in chunk if pk not in existing]
            ).values_list("user_id", "province_id", "organisation", "position")
        }
        Enrollment.objects.bulk_create(
            Enrollment(
                user_id=user_id,
                course_id=cohort.course_id,
                cohort=cohort,
                method=method,
                enrolled_at=now,
                **snapshots.get(user_id, {}),
            )
            for user_id in chunk
            if user_id not in existing
        )


# Progress


def record_visit(*, enrollment: Enrollment, page: Page, now: datetime | None = None) -> None:
    """Remember where the delegate is, for "continue where you left off"."""
    now = now or timezone.now()
    recent = (
        enrollment.last_activity_at and (now - enrollment.last_activity_at).total_seconds() < 60
    )
    if enrollment.last_page_id == page.pk and recent:
        return  # a reload: nothing new to remember, no write
    Enrollment.objects.filter(pk=enrollment.pk).update(last_page=page, last_activity_at=now)
    enrollment.last_page_id = page.pk
    enrollment.last_activity_at = now


def complete_item(
    *, user: AbstractBaseUser, page: Page, now: datetime | None = None, by_delegate: bool = True
) -> Completion:
    """Mark a course item complete for the delegate; completing it again changes nothing.

    ``by_delegate`` is a delegate pressing "mark as complete", which only some items allow
    (modules; a quiz is completed by passing it, which its app records with ``False``).
    Completes the enrolment, and announces ``course_completed`` after commit, when this was the
    last required item.
    """
    now = now or timezone.now()
    page = page.specific
    if not isinstance(page, CourseItem) or not page.live:
        raise exceptions.NotACourseItem()
    if by_delegate and not page.completed_by_delegate:
        raise exceptions.CompletedByPassing()
    # No savepoint of its own (a quiz's pass calls this inside its transaction): past the
    # checks above only a database error can leave this block, and that fails the caller's
    # transaction anyway.
    with transaction.atomic(savepoint=False):
        enrollment = _locked_enrollment(user=user, page=page)
        completion = None if enrollment is None else _complete(enrollment, page=page, now=now)
    if completion is None:
        raise exceptions.NotEnrolled()
    return completion


# What completing an item reads of the course: its outline's cache key and, on a miss, where its
# items are; what the replies show of it (the "completed" message and its link, the API's brief
# course). Anything else, e.g. what a ``course_completed`` receiver reads, loads on demand.
COMPLETION_COURSE_FIELDS = (
    *("id", "page_ptr", "path", "depth", "outline_version"),
    *("title", "code", "url_path"),
)


@functools.cache
def _enrollment_fields() -> tuple[str, ...]:
    """Every column of the enrolment (the caller updates and returns it)."""
    return column_names(Enrollment)


def _locked_enrollment(*, user: AbstractBaseUser, page: Page) -> Enrollment | None:
    """The delegate's enrolment in the course holding ``page`` (its parent), with the course's
    ``COMPLETION_COURSE_FIELDS``, in one read; its row locked until the transaction ends, so that
    completions of one enrolment are recorded one at a time and "this completed the course" is
    decided once. One enrolment a course (a unique constraint): ``get()``, not ``first()``,
    whose ordering and slicing add an eighth to this read's CPU (0.89 against 1.01 ms)."""
    try:
        return (
            Enrollment.objects.select_for_update(of=("self",))
            .select_related("course")
            .only(*_enrollment_fields(), *(f"course__{name}" for name in COMPLETION_COURSE_FIELDS))
            .get(user_id=user.pk, course__path=page.path[: -page.steplen])
        )
    except Enrollment.DoesNotExist:
        return None


def _complete(enrollment: Enrollment, *, page: Page, now: datetime) -> Completion:
    done = {
        row[1]: row
        for row in Completion.objects.filter(enrollment_id=enrollment.pk)
        .order_by()
        .values_list("pk", "page_id", "completed_at")
    }
    if page.pk in done:  # completing again (a regrade, a second pass) is not new activity
        pk, _page_id, completed_at = done[page.pk]
        changes = {}
    else:
        # The enrolment's lock orders this INSERT after any other completion of the
        # enrolment, so it cannot race (the unique constraint stays the last word).
        pk = Completion.objects.create(enrollment=enrollment, page=page, completed_at=now).pk
        completed_at = now
        changes = {"last_page": page, "last_activity_at": now}
    if enrollment.completed_at is None and _course_done(enrollment.course, {*done, page.pk}):
        changes["completed_at"] = now
        transaction.on_commit(
            lambda: course_completed.send(sender=Enrollment, enrollment=enrollment)
        )
    if changes:
        Enrollment.objects.filter(pk=enrollment.pk).update(**changes)
        for name, value in changes.items():
            setattr(enrollment, name, value)
    return Completion(pk=pk, enrollment=enrollment, page=page, completed_at=completed_at)


def _course_done(course: CoursePage, done: set[int]) -> bool:
    # The course's cached outline: no page queries once warm (a quiz's pass is the busy case).
    items = [
        Item(id=item.id, required=item.required) for item in outline_items([course])[course.pk]
    ]
    return compute_progress(items, done).is_complete


# Roles and trainer access

TRAINER_PAGE_PERMISSIONS = ("add_page", "change_page", "publish_page", "lock_page", "unlock_page")


def _group_with(name: str, codenames: list[str]) -> Group:
    group, _created = Group.objects.get_or_create(name=name)
    app_codenames = [codename.split(".", 1) for codename in codenames]
    permissions = Permission.objects.filter(
        content_type__app_label__in={app for app, _ in app_codenames},
        codename__in={code for _, code in app_codenames},
    ).select_related("content_type")
    wanted = {(p.content_type.app_label, p.codename): p for p in permissions}
    group.permissions.add(*[wanted[tuple(pair)] for pair in app_codenames if tuple(pair) in wanted])
    return group


def ensure_role_groups() -> dict[str, Group]:
    """Create (or top up) the Trainers, HR, Delegates and data protection officers' groups.
    Safe to run again."""
    from wagtail.models import Collection, GroupCollectionPermission

    trainers = _group_with(lms_settings.TRAINERS_GROUP, roles.permissions_for(roles.TRAINERS))
    hr = _group_with(lms_settings.HR_GROUP, roles.permissions_for(roles.HR))
    delegates, _created = Group.objects.get_or_create(name=lms_settings.DELEGATES_GROUP)
    dpo = _group_with(lms_settings.DPO_GROUP, roles.permissions_for(roles.DPO))
    root = Collection.get_first_root_node()
    if root is not None:
        media_permissions = Permission.objects.filter(
            content_type__app_label__in=["wagtailimages", "wagtaildocs"],
            codename__in=["add_image", "choose_image", "add_document", "choose_document"],
        )
        for permission in media_permissions:
            GroupCollectionPermission.objects.get_or_create(
                group=trainers, collection=root, permission=permission
            )
    return {"trainers": trainers, "hr": hr, "delegates": delegates, "dpo": dpo}


@transaction.atomic
def sync_course_trainers(*, course: CoursePage) -> Group:
    """Give exactly the trainers of the course's cohorts edit rights on the course's pages."""
    link = CourseTrainerGroup.objects.select_related("group").filter(course=course).first()
    if link is None:
        group = Group.objects.create(name=_group_name_for(course))
        link = CourseTrainerGroup.objects.create(course=course, group=group)
        for codename in TRAINER_PAGE_PERMISSIONS:
            GroupPagePermission.objects.create(
                group=group,
                page=course,
                permission=Permission.objects.get(
                    content_type__app_label="wagtailcore", codename=codename
                ),
            )
    group = link.group
    user_model = get_user_model()
    trainers = user_model.objects.filter(trained_cohorts__course=course).distinct()
    group.user_set.set(trainers)
    trainers_group = Group.objects.filter(name=lms_settings.TRAINERS_GROUP).first()
    if trainers_group is not None:
        trainers_group.user_set.add(*trainers)
    return group


def _group_name_for(course: CoursePage) -> str:
    base = _("Course trainers: %(code)s") % {"code": course.code}
    name, suffix = base, 2
    while Group.objects.filter(name=name).exists():
        name, suffix = f"{base} ({suffix})", suffix + 1
    return name[:150]


def restart_course(*, enrollment_id: int, now: datetime | None = None) -> None:
    """Forget the enrolment's completions so the delegate takes the course again (recurring
    training: a certificate's renewal). Completing it again announces ``course_completed``.
    Quiz attempts made before ``restarted_at`` no longer count (attempts left, grades)."""
    now = now or timezone.now()
    with transaction.atomic():
        enrollment = Enrollment.objects.select_for_update().get(pk=enrollment_id)
        Completion.objects.filter(enrollment=enrollment).delete()
        Enrollment.objects.filter(pk=enrollment.pk).update(completed_at=None, restarted_at=now)
