"""The course outlines that delegate pages show, cached across requests and worker processes.

An outline is a course's live, public items in teaching order, reduced to what the outline, the
pager and progress read (id, title, URL, page type, required flag), never the items' bodies.

Each is cached under its course's ``outline_version``, a token on the course row that the
request has already read (routing loads the course; the dashboard selects it with the
enrolments). The receivers below replace the token whenever something an outline shows may have
changed, in the writer's transaction. No worker has to be told to forget anything: its next
request reads the new token and misses, whatever cache (one LocMem per gunicorn worker, or a
shared Redis) holds the old entry, which then simply expires. Changes made around the ORM and
Wagtail (``QuerySet.update()``, raw SQL) send no signal: call ``forget_outlines_near()``.
"""

import uuid
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from django.apps import apps
from django.core.cache import caches
from django.db.models import Q
from django.db.models.signals import post_delete, post_save, pre_save
from wagtail.models import Page, PageViewRestriction, Site, get_page_models
from wagtail.signals import post_page_move

from courses.models import CourseItem, CoursePage

CACHE_ALIAS = "default"
# Entries of replaced tokens are never read again; this only bounds how long they take space.
TIMEOUT_SECONDS = 24 * 60 * 60
# Bump when OutlineItem changes shape, so that no process unpickles another release's entries.
SCHEMA = 1

# Page fields an outline shows or depends on; a save that touches none of them (a draft
# revision, a lock) leaves outlines alone.
OUTLINE_FIELDS = frozenset(
    {"title", "slug", "url_path", "live", "expired", "is_required", "path", "depth"}
)


@dataclass(frozen=True, slots=True)
class OutlineItem:
    """One course item as outlines show it."""

    id: int
    title: str
    url: str
    model_label: str  # "courses.modulepage": the page type, whose name is translated when shown
    required: bool

    @classmethod
    def of(cls, page: Page, url: str) -> "OutlineItem":
        return cls(
            id=page.pk,
            title=page.title,
            url=url,
            model_label=page._meta.label_lower,
            required=page.is_required,
        )

    @property
    def model(self) -> type[Page]:
        return apps.get_model(self.model_label)


def key(course: CoursePage, *, site_id: int | None) -> str:
    """The cache key of a course's outline with URLs as seen from ``site_id`` (None: no request,
    so URLs as Wagtail gives them without one)."""
    return f"lms:outline:{SCHEMA}:{course.pk}:{course.outline_version.hex}:{site_id or '-'}"


def get_many(
    courses: Sequence[CoursePage], *, site_id: int | None
) -> dict[int, tuple[OutlineItem, ...]]:
    """The cached outlines of those ``courses`` that have one, by course id."""
    keys = {key(course, site_id=site_id): course.pk for course in courses}
    found = caches[CACHE_ALIAS].get_many(list(keys))
    return {keys[k]: items for k, items in found.items()}


def set_many(
    outlines: Mapping[int, tuple[OutlineItem, ...]],
    *,
    courses: Sequence[CoursePage],
    site_id: int | None,
) -> None:
    caches[CACHE_ALIAS].set_many(
        {key(course, site_id=site_id): outlines[course.pk] for course in courses},
        timeout=TIMEOUT_SECONDS,
    )


# Invalidation: replace the token of every course whose outline may show a changed page.


def forget_outlines_near(paths: Iterable[str]) -> None:
    """New tokens for the course that contains the page at each of ``paths`` and for every
    course at or below it (a moved or renamed catalogue changes its courses' URLs)."""
    condition = Q()
    for path in paths:
        condition |= Q(path=path[: -Page.steplen]) | Q(path__startswith=path)
    if condition:
        CoursePage.objects.filter(condition).update(outline_version=uuid.uuid4())


def forget_all_outlines() -> None:
    CoursePage.objects.update(outline_version=uuid.uuid4())


def _page_class(page: Page) -> type[Page]:
    # Wagtail saves plain Page instances too (moves, unpublishing through the base class).
    if type(page) is Page:
        return page.specific_class or Page
    return type(page)


def _may_change_outlines(page: Page) -> bool:
    return page.numchild > 0 or issubclass(_page_class(page), CourseItem | CoursePage)


def _new_token_on_full_save(sender, instance: CoursePage, update_fields=None, **kwargs):
    # A full save writes every column, possibly from an instance loaded (or a revision saved)
    # before a later change replaced the token: give it a token no cache entry has seen.
    if update_fields is None:
        instance.outline_version = uuid.uuid4()


def _page_saved(sender, instance, update_fields=None, raw=False, **kwargs):
    if raw or not isinstance(instance, Page):
        return
    if update_fields is None:
        if isinstance(instance, CoursePage):
            return  # _new_token_on_full_save gave it a new token in the same UPDATE
    elif not OUTLINE_FIELDS.intersection(update_fields):
        return
    if _may_change_outlines(instance):
        forget_outlines_near([instance.path])


def _item_deleted(sender, instance, **kwargs):
    forget_outlines_near([instance.path])


def _page_moved(sender, instance, parent_page_before, **kwargs):
    # A move within the course reorders it; a move out of it changes the old course too.
    forget_outlines_near([instance.path, parent_page_before.path])


def _restrictions_or_sites_changed(sender, raw=False, **kwargs):
    # Rare editorial changes, and not worth being precise about: a restriction hides the pages
    # below it from outlines (and may have been moved from a page of another course), and which
    # site a page belongs to decides whether its URL is relative or absolute.
    if not raw:
        forget_all_outlines()


def connect_receivers() -> None:
    uid = "courses.outline_cache."
    pre_save.connect(_new_token_on_full_save, sender=CoursePage, dispatch_uid=uid + "token")
    post_save.connect(_page_saved, dispatch_uid=uid + "page_saved")
    # Per item type, not for every model: a post_delete receiver for all models would turn off
    # Django's fast deletes everywhere. A deleted course or catalogue takes its outlines along.
    for model in get_page_models():
        if issubclass(model, CourseItem) and not model._meta.abstract:
            post_delete.connect(
                _item_deleted, sender=model, dispatch_uid=f"{uid}{model._meta.label_lower}_deleted"
            )
    post_page_move.connect(_page_moved, dispatch_uid=uid + "page_moved")
    for signal, when in ((post_save, "saved"), (post_delete, "deleted")):
        for model in (PageViewRestriction, Site):
            signal.connect(
                _restrictions_or_sites_changed,
                sender=model,
                dispatch_uid=f"{uid}{model._meta.label_lower}_{when}",
            )
