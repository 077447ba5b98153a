"""Reads: everything the pages and reports show, in a constant number of queries."""

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db.models import Count, F, Q, QuerySet
from django.http import HttpRequest
from wagtail.models import Page, PageViewRestriction, Site, get_page_models

from courses import outline_cache
from courses.models import (
    Cohort,
    Completion,
    CourseIndexPage,
    CourseItem,
    CoursePage,
    Enrollment,
)
from courses.outline_cache import OutlineItem
from courses.progress import Item, Progress, compute_progress

User = AbstractBaseUser | AnonymousUser


@dataclass(frozen=True, slots=True)
class OutlineEntry:
    item: OutlineItem
    completed: bool
    is_current: bool

    @property
    def id(self) -> int:
        return self.item.id

    @property
    def title(self) -> str:
        return self.item.title

    @property
    def url(self) -> str:
        return self.item.url

    @property
    def required(self) -> bool:
        return self.item.required

    @property
    def model(self) -> type[Page]:
        return self.item.model

    @property
    def kind(self) -> str:
        return self.model._meta.verbose_name


@dataclass(frozen=True, slots=True)
class Outline:
    course: CoursePage
    entries: list[OutlineEntry]
    progress: Progress
    enrollment: Enrollment | None

    @property
    def current_index(self) -> int | None:
        return next((i for i, entry in enumerate(self.entries) if entry.is_current), None)

    @property
    def current(self) -> OutlineEntry | None:
        index = self.current_index
        return None if index is None else self.entries[index]

    @property
    def previous(self) -> OutlineEntry | None:
        index = self.current_index
        return self.entries[index - 1] if index else None

    @property
    def next(self) -> OutlineEntry | None:
        index = self.current_index
        if index is None or index + 1 >= len(self.entries):
            return None
        return self.entries[index + 1]

    @property
    def next_to_do(self) -> OutlineEntry | None:
        return next((e for e in self.entries if e.id == self.progress.next_item_id), None)


def is_learner(user: User) -> bool:
    return bool(user and user.is_authenticated)


def enrollment_for(*, user: User, course: CoursePage) -> Enrollment | None:
    """The delegate's enrolment in the course, with its cohort (None when not enrolled)."""
    if not is_learner(user):
        return None
    return (
        Enrollment.objects.select_related("cohort")
        .filter(user_id=user.pk, course_id=course.pk)
        .first()
    )


def enrol_url(*, course: CoursePage, request: HttpRequest | None = None) -> str:
    return course.get_url(request) or "/"


def course_item_models() -> list[type[Page]]:
    """Every concrete page type that can sit in a course (modules, quizzes, ...)."""
    return [
        model
        for model in get_page_models()
        if issubclass(model, CourseItem) and not model._meta.abstract
    ]


def course_items(courses: Sequence[CoursePage]) -> dict[int, list[Page]]:
    """The live, public course items of each course, in teaching order, as specific pages
    without their StreamFields (bodies load only if read).

    One query per item type (not Wagtail's ``.specific()``, which adds a content-type query),
    plus one for view restrictions. Pages that only show an outline read ``outline_items()``.
    """
    if not courses:
        return {}
    condition = Q()
    for course in courses:
        condition |= Q(path__startswith=course.path, depth=course.depth + 1)
    restricted = list(PageViewRestriction.objects.values_list("page__path", flat=True))
    by_path = {course.path: course.pk for course in courses}
    found = [
        page
        for model in course_item_models()
        for page in model.objects.live().filter(condition).defer_streamfields()
        if not any(page.path.startswith(path) for path in restricted)
    ]
    items: dict[int, list[Page]] = {course.pk: [] for course in courses}
    for page in sorted(found, key=lambda page: page.path):
        items[by_path[page.path[: -page.steplen]]].append(page)
    return items


def progress_items(pages: Iterable[Page]) -> list[Item]:
    return [Item(id=page.pk, required=page.is_required) for page in pages]


def outline_items(
    courses: Sequence[CoursePage], *, request: HttpRequest | None = None
) -> dict[int, tuple[OutlineItem, ...]]:
    """What ``course_items()`` gives, as outlines show it, from the cache when it can: no query
    for a course whose outline is cached, the queries of ``course_items()`` for the others."""
    site = Site.find_for_request(request) if request is not None else None
    site_id = site.pk if site is not None else None
    outlines = outline_cache.get_many(courses, site_id=site_id)
    missing = [course for course in courses if course.pk not in outlines]
    if missing:
        built = {
            course_id: tuple(OutlineItem.of(page, page.get_url(request) or "") for page in pages)
            for course_id, pages in course_items(missing).items()
        }
        outline_cache.set_many(built, courses=missing, site_id=site_id)
        outlines.update(built)
    return outlines


def _progress_items(items: Iterable[OutlineItem]) -> list[Item]:
    return [Item(id=item.id, required=item.required) for item in items]


def completed_ids(enrollment: Enrollment | None) -> set[int]:
    if enrollment is None:
        return set()
    return set(
        Completion.objects.filter(enrollment_id=enrollment.pk)
        .order_by()
        .values_list("page_id", flat=True)
    )


def course_outline(
    *,
    course: CoursePage,
    enrollment: Enrollment | None,
    current: Page | None = None,
    request: HttpRequest | None = None,
) -> Outline:
    items = outline_items([course], request=request)[course.pk]
    done = completed_ids(enrollment)
    current_id = current.pk if current is not None else None
    entries = [
        OutlineEntry(item=item, completed=item.id in done, is_current=item.id == current_id)
        for item in items
    ]
    return Outline(
        course=course,
        entries=entries,
        progress=compute_progress(_progress_items(items), done),
        enrollment=enrollment,
    )


def course_overview(*, course: CoursePage, user: User) -> dict:
    enrollment = enrollment_for(user=user, course=course)
    return {
        "enrollment": enrollment,
        "outline": course_outline(course=course, enrollment=enrollment),
    }


@dataclass(frozen=True, slots=True)
class CatalogueEntry:
    course: CoursePage
    enrollment: Enrollment | None


def catalogue_page(*, request: HttpRequest) -> CourseIndexPage | None:
    """The live, public course catalogue of the site serving ``request``: the first in tree
    order, wherever editors placed it."""
    site = Site.find_for_request(request)
    pages = CourseIndexPage.objects.live().public().order_by("path")
    return (pages.in_site(site) if site else pages).first()


def catalogue(*, index_page: CourseIndexPage | None = None, user: User) -> list[CatalogueEntry]:
    courses = CoursePage.objects.live().public().select_related("cover_image")
    if index_page is not None:
        courses = courses.child_of(index_page)
    courses = list(courses.order_by("path"))
    enrollments = {}
    if is_learner(user):
        enrollments = {
            e.course_id: e
            for e in Enrollment.objects.filter(user=user, course__in=[c.pk for c in courses])
        }
    return [CatalogueEntry(course=c, enrollment=enrollments.get(c.pk)) for c in courses]


@dataclass(frozen=True, slots=True)
class DashboardEntry:
    enrollment: Enrollment
    outline: Outline

    @property
    def course(self) -> CoursePage:
        return self.enrollment.course

    @property
    def continue_entry(self) -> OutlineEntry | None:
        """Where to pick up: the last page visited if still in the course, else the next to do."""
        last = self.enrollment.last_page_id
        visited = next((e for e in self.outline.entries if e.id == last), None)
        if visited is not None and not visited.completed:
            return visited
        return self.outline.next_to_do or visited


def dashboard(*, user: User, request: HttpRequest | None = None) -> list[DashboardEntry]:
    """The delegate's courses with progress; the most recently active first."""
    if not is_learner(user):
        return []
    enrollments = list(
        Enrollment.objects.filter(user=user)
        .select_related("course", "cohort")
        # Explicit NULL placement: SQLite and PostgreSQL put NULLs at opposite ends.
        .order_by(
            F("completed_at").asc(nulls_first=True),
            F("last_activity_at").desc(nulls_last=True),
            "-enrolled_at",
            "-pk",
        )
    )
    items = outline_items([e.course for e in enrollments], request=request)
    done: dict[int, set[int]] = defaultdict(set)
    for enrollment_id, page_id in Completion.objects.filter(enrollment__in=enrollments).values_list(
        "enrollment_id", "page_id"
    ):
        done[enrollment_id].add(page_id)
    entries = []
    for enrollment in enrollments:
        course_outline_items = items.get(enrollment.course_id, ())
        completed = done[enrollment.pk]
        outline = Outline(
            course=enrollment.course,
            entries=[
                OutlineEntry(item=item, completed=item.id in completed, is_current=False)
                for item in course_outline_items
            ],
            progress=compute_progress(_progress_items(course_outline_items), completed),
            enrollment=enrollment,
        )
        entries.append(DashboardEntry(enrollment=enrollment, outline=outline))
    return entries


# Trainers and HR


def follows_every_cohort(user: User) -> bool:
    """HR and superusers follow every cohort; a trainer only the cohorts they train."""
    return is_learner(user) and user.has_perm("courses.view_all_progress")


def trained_cohort_ids(user: User) -> frozenset[int]:
    """The cohorts ``user`` trains, read once per request (kept on the user object, as Django
    keeps its permission cache)."""
    if not is_learner(user):
        return frozenset()
    cached = getattr(user, "lms_trained_cohort_ids", None)
    if cached is None:
        cached = frozenset(Cohort.objects.filter(trainers=user).values_list("pk", flat=True))
        user.lms_trained_cohort_ids = cached
    return cached


def trained_course_ids(user: User) -> frozenset[int]:
    """The courses of the cohorts ``user`` trains: the courses whose pages, question bank and
    certificate template they keep."""
    if not is_learner(user):
        return frozenset()
    cached = getattr(user, "lms_trained_course_ids", None)
    if cached is None:
        cached = frozenset(
            Cohort.objects.filter(trainers=user).values_list("course_id", flat=True).distinct()
        )
        user.lms_trained_course_ids = cached
    return cached


def trained_course_paths(user: User) -> list[str]:
    """The page-tree paths of the courses ``user`` trains (a course's items sit below it)."""
    ids = trained_course_ids(user)
    if not ids:
        return []
    return list(CoursePage.objects.filter(pk__in=ids).values_list("path", flat=True))


def cohorts_visible_to(user: User) -> QuerySet[Cohort]:
    cohorts = Cohort.objects.select_related("course")
    if not is_learner(user):
        return cohorts.none()
    if follows_every_cohort(user):
        return cohorts
    return cohorts.filter(pk__in=trained_cohort_ids(user))


def cohort_summaries(cohorts: QuerySet[Cohort]) -> QuerySet[Cohort]:
    return cohorts.annotate(
        delegate_count=Count("enrollments", distinct=True),
        completed_count=Count(
            "enrollments", filter=Q(enrollments__completed_at__isnull=False), distinct=True
        ),
    )


@dataclass(frozen=True, slots=True)
class DelegateProgressRow:
    enrollment: Enrollment
    progress: Progress

    @property
    def profile(self):
        return getattr(self.enrollment.user, "delegate_profile", None)

    @property
    def status(self) -> str:
        return progress_status(
            completed_at=self.enrollment.completed_at,
            last_activity_at=self.enrollment.last_activity_at,
            progress=self.progress,
        )


def progress_status(
    *, completed_at: datetime | None, last_activity_at: datetime | None, progress: Progress
) -> str:
    """completed, in_progress or not_started."""
    if completed_at or progress.is_complete:
        return "completed"
    if progress.completed or last_activity_at:
        return "in_progress"
    return "not_started"


@dataclass(frozen=True, slots=True)
class DelegateProgressFacts:
    """A delegate of a cohort as reports list them: plain values, no model instances."""

    enrollment_id: int
    full_name: str
    email: str
    organisation: str
    position: str
    province: str
    completed_at: datetime | None
    last_activity_at: datetime | None
    progress: Progress

    @property
    def status(self) -> str:
        return progress_status(
            completed_at=self.completed_at,
            last_activity_at=self.last_activity_at,
            progress=self.progress,
        )


def cohort_progress_facts(*, cohort: Cohort) -> list[DelegateProgressFacts]:
    """``cohort_progress`` as plain values, for reports of thousands of delegates: three
    queries, and no model instance built per delegate."""
    items = _progress_items(outline_items([cohort.course])[cohort.course_id])
    done: dict[int, set[int]] = defaultdict(set)
    for enrollment_id, page_id in Completion.objects.filter(enrollment__cohort=cohort).values_list(
        "enrollment_id", "page_id"
    ):
        done[enrollment_id].add(page_id)
    rows = cohort.enrollments.order_by(
        "user__delegate_profile__full_name", "user__username"
    ).values_list(
        "pk",
        "user__delegate_profile__full_name",
        "user__first_name",
        "user__last_name",
        "user__username",
        "user__email",
        "organisation",
        "position",
        "province__name",
        "completed_at",
        "last_activity_at",
    )
    return [
        DelegateProgressFacts(
            enrollment_id=pk,
            full_name=profile_name or f"{first} {last}".strip() or username,
            email=email,
            organisation=organisation,
            position=position,
            province=province or "",
            completed_at=completed_at,
            last_activity_at=last_activity_at,
            progress=compute_progress(items, done[pk]),
        )
        for (
            pk,
            profile_name,
            first,
            last,
            username,
            email,
            organisation,
            position,
            province,
            completed_at,
            last_activity_at,
        ) in rows
    ]


def cohort_progress(*, cohort: Cohort) -> list[DelegateProgressRow]:
    """Every delegate of a cohort with their progress, in a constant number of queries."""
    enrollments = list(
        cohort.enrollments.select_related("user__delegate_profile", "province").order_by(
            "user__delegate_profile__full_name", "user__username"
        )
    )
    items = _progress_items(outline_items([cohort.course])[cohort.course_id])
    done: dict[int, set[int]] = defaultdict(set)
    for enrollment_id, page_id in Completion.objects.filter(enrollment__cohort=cohort).values_list(
        "enrollment_id", "page_id"
    ):
        done[enrollment_id].add(page_id)
    return [
        DelegateProgressRow(enrollment=e, progress=compute_progress(items, done[e.pk]))
        for e in enrollments
    ]
