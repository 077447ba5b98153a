"""A course's cached outline follows every change on the next request, in every worker.

gunicorn runs several workers, each with its own LocMem cache. Here two LocMem caches stand for
two workers: worker A serves the module page and caches the outline, the change happens while
worker B's cache is in force (so nothing in A's cache is deleted), and A's next request must
show it anyway, because the course's ``outline_version`` (read with the course) has changed.
"""

from collections.abc import Callable
from contextlib import contextmanager
from dataclasses import dataclass

import pytest
from django.core.cache import caches
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from wagtail.models import Page, PageViewRestriction, Site

from courses import outline_cache, selectors, services
from courses.models import CoursePage, ModulePage
from quizzes.models import QuizPage
from tests import factories
from tests.quizzes import factories as quiz_factories

pytestmark = pytest.mark.django_db


@contextmanager
def worker(name: str):
    """Run the block with worker ``name``'s own cache, as a separate gunicorn process has."""
    location = f"tests-outline-worker-{name}"
    with override_settings(
        CACHES={
            "default": {
                "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
                "LOCATION": location,
            }
        }
    ):
        yield caches["default"]


@pytest.fixture(autouse=True)
def _empty_worker_caches():
    # The workers' caches outlive a test (Wagtail keeps site root paths there too).
    yield
    for name in "ab":
        with worker(name) as cache:
            cache.clear()


@dataclass
class World:
    course: CoursePage
    modules: list[ModulePage]
    other: CoursePage  # a second course, for moves and copies
    other_module: ModulePage

    def reload(self) -> None:
        self.course.refresh_from_db()
        self.other.refresh_from_db()


@pytest.fixture
def world(delegate_user) -> World:
    course = factories.course(modules=3)
    factories.EnrollmentFactory(user=delegate_user, course=course)
    other = factories.course(modules=1, title="Khoá khác")
    return World(
        course=course,
        modules=list(ModulePage.objects.child_of(course).order_by("path")),
        other=other,
        other_module=ModulePage.objects.child_of(other).get(),
    )


def shown(client, page) -> list[tuple[str, str, bool]]:
    """The outline of ``page`` as the delegate's module page shows it: title, URL, required."""
    response = client.get(page.url)
    assert response.status_code == 200
    return [(e.title, e.url, e.required) for e in response.context["outline"].entries]


def titles(client, page) -> list[str]:
    return [title for title, _url, _required in shown(client, page)]


def publish(page: Page, **changes) -> None:
    page = page.specific
    for name, value in changes.items():
        setattr(page, name, value)
    page.save_revision().publish()


def after_change_in_other_worker(client, page, change: Callable[[], None]):
    """Show ``page`` in worker A (caching its outline), make ``change`` in worker B, and return
    A's next outline, checking that A's stale entry was still there to be (wrongly) used."""
    with worker("a") as cache_a:
        before = shown(client, page)
        course = CoursePage.objects.get(pk=page.get_parent().pk)
        stale_key = outline_cache.key(course, site_id=Site.objects.get().pk)
        assert cache_a.get(stale_key) is not None
    with worker("b"):
        change()
    with worker("a") as cache_a:
        assert cache_a.get(stale_key) is not None, "worker A's cache must not have been touched"
        after = shown(client, page)
    return before, after


def item_queries(client, page) -> list[str]:
    """The queries of a request of ``page`` that load course items (quizzes, which a module
    page's routing never reads) or every view restriction's path (the outline's filter)."""
    with CaptureQueriesContext(connection) as captured:
        assert client.get(page.url).status_code == 200
    return [
        query["sql"]
        for query in captured.captured_queries
        if '"quizzes_quizpage"' in query["sql"] or '"page__path"' in query["sql"]
    ]


def test_the_module_page_reads_the_outline_from_the_cache_after_the_first_request(
    delegate_client, world
):
    with worker("a"):
        first = item_queries(delegate_client, world.modules[0])
        again = item_queries(delegate_client, world.modules[0])
        entries = shown(delegate_client, world.modules[0])

    assert len(first) == 2
    assert again == []
    assert entries == [(m.title, m.url, True) for m in world.modules]


def test_the_outline_never_loads_the_items_bodies(delegate_client, world):
    with worker("a"), CaptureQueriesContext(connection) as captured:
        selectors.course_outline(course=world.course, enrollment=None)

    item_sql = [q["sql"] for q in captured.captured_queries if '"courses_modulepage"' in q["sql"]]
    assert len(item_sql) == 1
    assert '"courses_modulepage"."body"' not in item_sql[0]


def test_publishing_a_new_title_shows_in_another_worker(delegate_client, world):
    before, after = after_change_in_other_worker(
        delegate_client,
        world.modules[0],
        lambda: publish(world.modules[1], title="Bài học đã sửa"),
    )

    assert before[1][0] == "Bài 2"
    assert after[1][0] == "Bài học đã sửa"


def test_a_new_slug_changes_the_url_in_another_worker(delegate_client, world):
    _before, after = after_change_in_other_worker(
        delegate_client, world.modules[0], lambda: publish(world.modules[1], slug="bai-moi")
    )

    assert after[1][1].endswith("/bai-moi/")


def test_unpublishing_an_item_removes_it_in_another_worker(delegate_client, world):
    _before, after = after_change_in_other_worker(
        delegate_client, world.modules[0], lambda: world.modules[1].unpublish()
    )

    assert [title for title, *_ in after] == ["Bài 1", "Bài 3"]


def test_publishing_a_new_item_adds_it_in_another_worker(delegate_client, world):
    def add_draft_then_publish():
        draft = factories.module(world.course, title="Bài 4", live=False)
        publish(draft)

    _before, after = after_change_in_other_worker(
        delegate_client, world.modules[0], add_draft_then_publish
    )

    assert [title for title, *_ in after] == ["Bài 1", "Bài 2", "Bài 3", "Bài 4"]


def test_moving_an_item_out_of_the_course_updates_both_courses_in_another_worker(
    delegate_client, world
):
    with worker("a"):
        other_before = selectors.course_outline(course=world.other, enrollment=None)
    _before, after = after_change_in_other_worker(
        delegate_client,
        world.modules[0],
        lambda: world.modules[1].move(world.other, pos="last-child"),
    )
    world.reload()
    with worker("a"):
        other_after = selectors.course_outline(course=world.other, enrollment=None)

    assert [title for title, *_ in after] == ["Bài 1", "Bài 3"]
    assert [e.title for e in other_before.entries] == ["Bài 1"]
    assert [e.title for e in other_after.entries] == ["Bài 1", "Bài 2"]
    assert other_after.entries[1].url == ModulePage.objects.get(pk=world.modules[1].pk).url


def test_moving_an_item_into_the_course_shows_it_in_another_worker(delegate_client, world):
    _before, after = after_change_in_other_worker(
        delegate_client,
        world.modules[0],
        lambda: world.other_module.move(world.course, pos="last-child"),
    )

    assert [title for title, *_ in after] == ["Bài 1", "Bài 2", "Bài 3", "Bài 1"]


def test_reordering_items_shows_the_new_order_in_another_worker(delegate_client, world):
    _before, after = after_change_in_other_worker(
        delegate_client,
        world.modules[0],
        lambda: world.modules[2].move(world.modules[0], pos="left"),
    )

    assert [title for title, *_ in after] == ["Bài 3", "Bài 1", "Bài 2"]


def test_deleting_an_item_removes_it_in_another_worker(delegate_client, world):
    _before, after = after_change_in_other_worker(
        delegate_client, world.modules[0], lambda: world.modules[2].delete()
    )

    assert [title for title, *_ in after] == ["Bài 1", "Bài 2"]


def test_copying_an_item_into_the_course_shows_it_in_another_worker(delegate_client, world):
    def copy():
        world.other_module.copy(
            to=world.course, update_attrs={"title": "Bản sao", "slug": "ban-sao"}, keep_live=True
        )

    _before, after = after_change_in_other_worker(delegate_client, world.modules[0], copy)

    assert [title for title, *_ in after] == ["Bài 1", "Bài 2", "Bài 3", "Bản sao"]


def test_a_view_restriction_on_an_item_hides_it_in_another_worker(delegate_client, world):
    _before, after = after_change_in_other_worker(
        delegate_client,
        world.modules[0],
        lambda: PageViewRestriction.objects.create(
            page=world.modules[1], restriction_type=PageViewRestriction.LOGIN
        ),
    )

    assert [title for title, *_ in after] == ["Bài 1", "Bài 3"]


def test_a_view_restriction_on_the_course_hides_its_items_in_another_worker(delegate_client, world):
    _before, after = after_change_in_other_worker(
        delegate_client,
        world.modules[0],
        lambda: PageViewRestriction.objects.create(
            page=world.course, restriction_type=PageViewRestriction.LOGIN
        ),
    )

    assert after == []


def test_removing_a_view_restriction_shows_the_item_again_in_another_worker(delegate_client, world):
    restriction = PageViewRestriction.objects.create(
        page=world.modules[1], restriction_type=PageViewRestriction.LOGIN
    )

    before, after = after_change_in_other_worker(
        delegate_client, world.modules[0], restriction.delete
    )

    assert [title for title, *_ in before] == ["Bài 1", "Bài 3"]
    assert [title for title, *_ in after] == ["Bài 1", "Bài 2", "Bài 3"]


def test_moving_a_view_restriction_to_an_item_of_another_course_updates_both(
    delegate_client, world
):
    restriction = PageViewRestriction.objects.create(
        page=world.modules[1], restriction_type=PageViewRestriction.LOGIN
    )
    with worker("a"):
        assert selectors.course_outline(course=world.other, enrollment=None).entries

    def move_restriction():
        restriction.page = world.other_module
        restriction.save()

    before, after = after_change_in_other_worker(
        delegate_client, world.modules[0], move_restriction
    )
    world.reload()
    with worker("a"):
        other = selectors.course_outline(course=world.other, enrollment=None)

    assert [title for title, *_ in before] == ["Bài 1", "Bài 3"]
    assert [title for title, *_ in after] == ["Bài 1", "Bài 2", "Bài 3"]
    assert other.entries == []


def test_changing_the_required_flag_shows_in_another_worker(delegate_client, world):
    _before, after = after_change_in_other_worker(
        delegate_client, world.modules[0], lambda: publish(world.modules[2], is_required=False)
    )

    assert [required for *_, required in after] == [True, True, False]
    with worker("a"):
        response = delegate_client.get(world.modules[0].url)
    assert response.context["outline"].progress.total == 2
    assert "badge--optional" in response.content.decode()


def test_renaming_the_course_slug_changes_item_urls_in_another_worker(delegate_client, world):
    def rename():
        publish(world.course, slug="khoa-moi")

    with worker("a"):
        before = shown(delegate_client, world.modules[0])
    with worker("b"):
        rename()
    moved = ModulePage.objects.get(pk=world.modules[0].pk)
    with worker("a"):
        after = shown(delegate_client, moved)

    assert all("/khoa-moi/" not in url for _title, url, _req in before)
    assert [url for _title, url, _req in after] == [
        ModulePage.objects.get(pk=m.pk).url for m in world.modules
    ]
    assert all("/khoa-moi/" in url for _title, url, _req in after)


def test_a_quiz_shows_in_the_outline_with_its_state_and_its_publishing_shows(
    delegate_client, delegate_user, world
):
    quiz = quiz_factories.quiz(world.course, title="Kiểm tra cuối khoá")
    services.complete_item(user=delegate_user, page=quiz, by_delegate=False)

    with worker("a"):
        response = delegate_client.get(world.modules[0].url)
    _before, after = after_change_in_other_worker(
        delegate_client, world.modules[0], lambda: publish(quiz, title="Bài kiểm tra")
    )

    last = response.context["outline"].entries[-1]
    assert (last.title, last.model, last.completed) == ("Kiểm tra cuối khoá", QuizPage, True)
    assert str(last.kind) == str(QuizPage._meta.verbose_name)
    assert after[-1][0] == "Bài kiểm tra"


def test_a_course_saved_from_a_stale_instance_gets_a_token_never_used_before(world):
    stale = CoursePage.objects.get(pk=world.course.pk)
    publish(world.modules[1], title="Bài học đã sửa")
    world.course.refresh_from_db()
    used = {stale.outline_version, world.course.outline_version}

    stale.save()  # writes every column of the instance loaded before the change
    world.course.refresh_from_db()

    assert world.course.outline_version not in used


def test_a_draft_revision_of_an_item_keeps_the_cached_outline(world):
    world.course.refresh_from_db()
    before = world.course.outline_version

    page = world.modules[1]
    page.title = "Bản nháp"
    page.save_revision()
    world.course.refresh_from_db()

    assert world.course.outline_version == before


CHANGES: dict[str, Callable[[World], object]] = {
    "publish": lambda w: publish(w.modules[1], title="Mới"),
    "unpublish": lambda w: w.modules[1].unpublish(),
    "move out": lambda w: w.modules[1].move(w.other, pos="last-child"),
    "move in": lambda w: w.other_module.move(w.course, pos="first-child"),
    "reorder": lambda w: w.modules[2].move(w.modules[0], pos="left"),
    "delete": lambda w: w.modules[1].delete(),
    "copy in": lambda w: w.other_module.copy(
        to=w.course, update_attrs={"slug": "ban-sao"}, keep_live=True
    ),
    "restrict item": lambda w: PageViewRestriction.objects.create(
        page=w.modules[1], restriction_type=PageViewRestriction.LOGIN
    ),
    "restrict course": lambda w: PageViewRestriction.objects.create(
        page=w.course, restriction_type=PageViewRestriction.LOGIN
    ),
    "required flag": lambda w: publish(w.modules[1], is_required=False),
    "site": lambda w: Site.objects.update_or_create(
        hostname="khac.example", defaults={"root_page": w.course.get_parent()}
    ),
}


@pytest.mark.parametrize("change", CHANGES, ids=list(CHANGES))
def test_every_change_that_an_outline_shows_gives_the_course_a_new_cache_key(world, change):
    world.course.refresh_from_db()
    site_id = Site.objects.get(is_default_site=True).pk
    before = outline_cache.key(world.course, site_id=site_id)

    CHANGES[change](world)
    world.course.refresh_from_db()

    assert outline_cache.key(world.course, site_id=site_id) != before


def test_changing_a_view_restrictions_type_gives_a_new_cache_key(world):
    restriction = PageViewRestriction.objects.create(
        page=world.modules[1], restriction_type=PageViewRestriction.LOGIN
    )
    world.course.refresh_from_db()
    before = world.course.outline_version

    restriction.restriction_type = PageViewRestriction.PASSWORD
    restriction.password = "bí mật"  # noqa: S105
    restriction.save()
    world.course.refresh_from_db()

    assert world.course.outline_version != before


def test_an_unrelated_course_keeps_its_cache_key(world):
    world.other.refresh_from_db()
    before = world.other.outline_version

    publish(world.modules[1], title="Mới")
    world.other.refresh_from_db()

    assert world.other.outline_version == before


def test_completing_a_module_shows_in_the_outline_of_the_next_request(delegate_client, world):
    with worker("a"):
        shown(delegate_client, world.modules[0])
        delegate_client.post(reverse("courses:complete", args=[world.modules[0].pk]))
        entries = delegate_client.get(world.modules[0].url).context["outline"].entries

    assert [e.completed for e in entries] == [True, False, False]
