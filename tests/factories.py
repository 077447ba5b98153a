"""factory_boy factories and page-tree helpers shared by the whole suite."""

import datetime

import factory
from django.contrib.auth import get_user_model
from django.utils import timezone
from wagtail.models import Page, Site

from courses.models import (
    Cohort,
    CourseIndexPage,
    CoursePage,
    DelegateProfile,
    Enrollment,
    ModulePage,
    Province,
)

PASSWORD = "correct horse battery staple"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)

    email = factory.Sequence(lambda n: f"delegate{n}@example.vn")
    username = factory.SelfAttribute("email")
    password = factory.django.Password(PASSWORD)


class DelegateProfileFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = DelegateProfile
        skip_postgeneration_save = True

    user = factory.SubFactory(UserFactory)
    full_name = factory.Sequence(lambda n: f"Nguyễn Thị Hồng {n}")
    organisation = "Sở Văn hóa, Thể thao và Du lịch"
    position = "Chuyên viên"
    province = factory.LazyFunction(lambda: Province.objects.get(name="Phú Thọ"))

    @factory.post_generation
    def consent(self, create, extracted, **kwargs):
        """Delegates have consented to the current notice unless ``consent=False``."""
        if create and extracted is not False:
            from courses.privacy.services import record_consent

            record_consent(user=self.user)


def delegate(**kwargs):
    """A user with a delegate profile."""
    return DelegateProfileFactory(**kwargs).user


def site_root() -> Page:
    return Site.objects.get(is_default_site=True).root_page


def add_page(parent: Page, page: Page) -> Page:
    parent.add_child(instance=page)
    return page


_slug_counter = iter(range(1, 10**9))


def course_index(**kwargs) -> CourseIndexPage:
    n = next(_slug_counter)
    kwargs.setdefault("title", "Khóa học")
    kwargs.setdefault("slug", f"khoa-hoc-{n}")
    return add_page(site_root(), CourseIndexPage(**kwargs))


def course(index: CourseIndexPage | None = None, *, modules: int = 0, **kwargs) -> CoursePage:
    n = next(_slug_counter)
    kwargs.setdefault("title", f"Thông tin đối ngoại {n}")
    kwargs.setdefault("slug", f"course-{n}")
    kwargs.setdefault("code", f"TTĐN{n}")
    kwargs.setdefault("summary", "Quán triệt Kết luận 57-KL/TW.")
    page = add_page(index or course_index(), CoursePage(**kwargs))
    for i in range(modules):
        module(page, title=f"Bài {i + 1}")
    return page


def module(parent: CoursePage, **kwargs) -> ModulePage:
    n = next(_slug_counter)
    kwargs.setdefault("title", f"Bài học {n}")
    kwargs.setdefault("slug", f"module-{n}")
    kwargs.setdefault(
        "body",
        [
            {"type": "heading", "value": {"text": "Tình hình", "level": "h2"}},
            {"type": "paragraph", "value": "<p>Quyền con người được bảo đảm.</p>"},
        ],
    )
    return add_page(parent, ModulePage(**kwargs))


class CohortFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Cohort

    name = factory.Sequence(lambda n: f"Hội nghị tập huấn {n}")
    course = factory.LazyFunction(course)
    starts_on = factory.LazyFunction(lambda: timezone.localdate())
    ends_on = factory.LazyAttribute(lambda o: o.starts_on + datetime.timedelta(days=2))
    venue = "Hòa Bình"


class EnrollmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Enrollment

    user = factory.LazyFunction(delegate)
    course = factory.LazyFunction(course)
    method = Enrollment.Method.SELF
    enrolled_at = factory.LazyFunction(timezone.now)
