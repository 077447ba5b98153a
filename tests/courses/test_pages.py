"""The course page tree: where pages may go, who may read them, and how they render."""

import re
import unicodedata

import pytest
from django.conf import settings
from django.urls import reverse
from wagtail.models import Page, get_page_models
from wagtail.test.utils import WagtailPageTestCase
from wagtail.test.utils.form_data import nested_form_data, rich_text, streamfield

from courses.models import CourseIndexPage, CourseItem, CoursePage, Enrollment, ModulePage
from tests import factories

BODY_TEXT = "Quyền con người được bảo đảm."


# Page-tree rules


class TestCourseTree(WagtailPageTestCase):
    def test_a_course_catalogue_goes_under_any_page_outside_the_lms_structure(self):
        """A host's home page in particular (any page model of the site), not inside a
        catalogue, a course or a course item."""
        lms = {CourseIndexPage, CoursePage} | {
            model for model in get_page_models() if issubclass(model, CourseItem)
        }
        self.assertAllowedParentPageTypes(CourseIndexPage, set(get_page_models()) - lms)
        for parent in lms:
            self.assertCanNotCreateAt(parent, CourseIndexPage)

    def test_a_catalogue_holds_only_courses(self):
        self.assertAllowedSubpageTypes(CourseIndexPage, {CoursePage})

    def test_a_course_sits_only_in_a_catalogue(self):
        self.assertAllowedParentPageTypes(CoursePage, {CourseIndexPage})
        self.assertCanNotCreateAt(Page, CoursePage)
        self.assertCanNotCreateAt(CoursePage, CoursePage)

    def test_a_course_holds_only_course_items(self):
        items = {model for model in get_page_models() if issubclass(model, CourseItem)}
        assert ModulePage in items
        self.assertAllowedSubpageTypes(CoursePage, items)

    def test_a_module_sits_only_in_a_course(self):
        self.assertAllowedParentPageTypes(ModulePage, {CoursePage})
        self.assertCanNotCreateAt(CourseIndexPage, ModulePage)
        self.assertCanNotCreateAt(Page, ModulePage)

    def test_a_module_has_no_children(self):
        self.assertAllowedSubpageTypes(ModulePage, set())

    def test_a_parent_page_holds_at_most_one_catalogue(self):
        root = factories.site_root()
        assert CourseIndexPage.can_create_at(root)
        factories.course_index()
        assert not CourseIndexPage.can_create_at(factories.site_root())

    def test_an_editor_can_create_a_module_in_a_course_through_the_admin(self):
        course = factories.course()
        self.login()
        self.assertCanCreate(
            course,
            ModulePage,
            nested_form_data(
                {
                    "title": "Bài 1: Tổng quan",
                    "summary": "Tình hình thông tin đối ngoại.",
                    "is_required": "on",  # ticked by default, as a browser would post it
                    "body": streamfield([("paragraph", rich_text(f"<p>{BODY_TEXT}</p>"))]),
                }
            ),
        )
        module = ModulePage.objects.child_of(course).get()
        assert module.live
        assert module.is_required


# Module pages


@pytest.fixture
def course(db):
    return factories.course(modules=3)


@pytest.fixture
def module(course):
    return course.get_children().order_by("path").first().specific


@pytest.fixture
def enrolled_client(client, course, delegate_user):
    factories.EnrollmentFactory(user=delegate_user, course=course)
    client.force_login(delegate_user)
    return client


def test_an_anonymous_visitor_is_sent_from_a_module_to_its_course(client, course, module):
    response = client.get(module.url)

    assert response.status_code == 302
    assert response["Location"] == course.url


def test_a_delegate_not_enrolled_is_sent_from_a_module_to_its_course(
    delegate_client, course, module
):
    response = delegate_client.get(module.url)

    assert response.status_code == 302
    assert response["Location"] == course.url
    assert not Enrollment.objects.exists()


def test_an_enrolled_delegate_reads_a_module_with_outline_progress_and_complete_form(
    enrolled_client, course, module
):
    response = enrolled_client.get(module.url)

    assert response.status_code == 200
    html = response.content.decode()
    assert BODY_TEXT in html
    for page in course.get_children():
        assert page.title in html
    assert 'role="progressbar"' in html
    assert 'aria-valuenow="0"' in html
    assert f'action="{reverse("courses:complete", args=[module.pk])}"' in html


def test_a_completed_module_shows_no_complete_form(enrolled_client, delegate_user, module):
    enrolled_client.post(reverse("courses:complete", args=[module.pk]))

    html = enrolled_client.get(module.url).content.decode()

    assert reverse("courses:complete", args=[module.pk]) not in html
    assert 'aria-valuenow="33"' in html


def test_an_editor_reads_a_module_without_enrolling(client, admin_user, module):
    client.force_login(admin_user)

    response = client.get(module.url)

    assert response.status_code == 200
    html = response.content.decode()
    assert BODY_TEXT in html
    assert reverse("courses:complete", args=[module.pk]) not in html
    assert not Enrollment.objects.exists()


def test_an_unpublished_module_is_not_found(enrolled_client, course):
    draft = factories.module(course, live=False)

    assert enrolled_client.get(draft.url or f"{course.url}{draft.slug}/").status_code == 404


def test_a_module_unpublished_after_publishing_is_not_found(enrolled_client, module):
    url = module.url
    module.unpublish()

    assert enrolled_client.get(url).status_code == 404


def test_draft_changes_are_not_shown_until_published(enrolled_client, module):
    module.title = "Bài 1 (bản sửa)"
    module.body = [{"type": "paragraph", "value": "<p>Nội dung mới chưa công bố.</p>"}]
    revision = module.save_revision()

    html = enrolled_client.get(module.url).content.decode()
    assert BODY_TEXT in html
    assert "Nội dung mới chưa công bố." not in html
    assert "Bài 1 (bản sửa)" not in html

    revision.publish()

    html = enrolled_client.get(module.url).content.decode()
    assert "Nội dung mới chưa công bố." in html
    assert "Bài 1 (bản sửa)" in html


# Course pages


def test_a_course_page_offers_sign_up_to_anonymous_visitors(client, course):
    html = client.get(course.url).content.decode()

    assert f'href="{reverse("courses:signup")}?next={course.url}"' in html
    assert reverse("courses:enrol", args=[course.pk]) not in html


def test_a_course_page_offers_enrolment_to_a_signed_in_delegate(delegate_client, course):
    response = delegate_client.get(course.url)

    assert response.status_code == 200
    html = response.content.decode()
    assert f'action="{reverse("courses:enrol", args=[course.pk])}"' in html
    assert 'role="progressbar"' not in html


def test_a_code_only_course_offers_a_code_instead_of_enrolment(delegate_client):
    course = factories.course(modules=1, allow_self_enrolment=False)

    html = delegate_client.get(course.url).content.decode()

    assert reverse("courses:enrol", args=[course.pk]) not in html
    assert reverse("courses:enrol_code") in html


def test_a_course_page_shows_progress_to_an_enrolled_delegate(enrolled_client, course, module):
    enrolled_client.post(reverse("courses:complete", args=[module.pk]))

    html = enrolled_client.get(course.url).content.decode()

    assert 'role="progressbar"' in html
    assert 'aria-valuenow="33"' in html
    assert reverse("courses:enrol", args=[course.pk]) not in html


def test_the_catalogue_lists_its_live_courses(client, course):
    hidden = factories.course(course.get_parent().specific, title="Khóa ẩn")
    hidden.unpublish()

    html = client.get(course.get_parent().url).content.decode()

    assert course.title in html
    assert "Khóa ẩn" not in html


# Text and language


def test_pages_render_vietnamese_literally_in_utf8_nfc(enrolled_client, course, module):
    response = enrolled_client.get(module.url)

    assert response["Content-Type"] == "text/html; charset=utf-8"
    html = response.content.decode("utf-8")
    assert BODY_TEXT in html
    assert course.title in html
    assert "Thông tin đối ngoại" in html
    main = html[html.index("<main") : html.index("</main>")]
    assert unicodedata.is_normalized("NFC", main)
    # No Vietnamese letter escaped into a character reference.
    for reference in re.findall(r"&#x?[0-9a-fA-F]+;", html):
        assert reference.lower() in {"&#x27;", "&#39;", "&#34;", "&#x22;"}, reference


def test_every_character_of_a_page_is_nfc_including_the_language_selector(client, course):
    html = client.get(course.url).content.decode()

    assert "Tiếng Việt" in html
    assert unicodedata.is_normalized("NFC", html)


def test_the_site_speaks_vietnamese_by_default(client, course):
    response = client.get(course.url)

    assert '<html lang="vi"' in response.content.decode()
    assert response["Content-Language"] == "vi"


def test_a_browser_set_to_english_still_gets_vietnamese_pages(client, course):
    # Deliberate (lms.middleware.VietnameseFirstLocaleMiddleware): many delegates' browsers
    # are set to English, but the lessons are Vietnamese; only the switcher changes language.
    response = client.get(course.url, headers={"accept-language": "en-US,en;q=0.9"})

    assert '<html lang="vi"' in response.content.decode()
    assert response["Content-Language"] == "vi"


def test_the_language_cookie_switches_to_english(client, course):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"

    response = client.get(course.url)

    assert '<html lang="en"' in response.content.decode()
    assert response["Content-Language"] == "en"


def test_the_language_form_switches_to_english(client, course):
    response = client.post(reverse("set_language"), {"language": "en", "next": course.url})

    assert response.status_code == 302
    assert '<html lang="en"' in client.get(course.url).content.decode()


def test_vietnamese_pages_are_translated(client, course):
    vietnamese = client.get(course.url).content.decode()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    english = client.get(course.url).content.decode()

    for text in ("Sign in", "Sign up", "Join this course", "Course outline"):
        assert text in english
        assert text not in vietnamese
