"""Seed the benchmark database: the course measured under load, the bare page with the same body,
the delegate and their session, and the smaller courses used to count queries.

Call after ``django.setup()`` on a freshly migrated database.
"""

from dataclasses import dataclass, field

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.test import Client
from wagtail.models import Page, Site

from benchmarks.benchapp.models import BarePage
from benchmarks.content import module_body
from courses import services
from courses.models import CourseIndexPage, CoursePage, ModulePage, Province

BARE_SLUG = "bai-tham-chieu"
DELEGATE_EMAIL = "bench.delegate{n}@example.vn"


@dataclass
class Seeded:
    module: ModulePage
    bare: BarePage
    course: CoursePage
    delegate: AbstractBaseUser
    session_cookie: str  # "sessionid=..." for the Cookie header
    body_words: int
    body_blocks: int
    # Query-count fixtures: {modules: (delegate client, module page)} and dashboards.
    query_courses: dict[int, tuple[Client, ModulePage]] = field(default_factory=dict)
    dashboard_clients: dict[int, Client] = field(default_factory=dict)


def _site_root() -> CourseIndexPage:
    """Make a course catalogue the default site's root, as in a real deployment."""
    root = Page.get_first_root_node()
    index = CourseIndexPage(title="Khóa học", slug="khoa-hoc")
    root.add_child(instance=index)
    site = Site.objects.get(is_default_site=True)
    old_root = site.root_page
    site.root_page = index
    site.save()
    if old_root.pk != index.pk and old_root.depth == 2:
        old_root.delete()
    return Page.objects.get(pk=index.pk).specific


def _course(index: CourseIndexPage, *, code: str, modules: int, title: str) -> CoursePage:
    course = CoursePage(
        title=title,
        slug=code.lower(),
        code=code,
        summary="Quán triệt Kết luận 57-KL/TW về công tác thông tin đối ngoại.",
    )
    index.add_child(instance=course)
    for i in range(modules):
        body, _words = module_body(i)
        course.add_child(
            instance=ModulePage(
                title=f"Bài {i + 1}: {body[0]['value']['text']}",
                slug=f"bai-{i + 1}",
                summary="Những nội dung chính của bài học.",
                estimated_minutes=12,
                body=body,
            )
        )
    return course


def _modules(course: CoursePage) -> list[ModulePage]:
    return list(ModulePage.objects.child_of(course).order_by("path"))


def _delegate(n: int) -> AbstractBaseUser:
    return services.register_delegate(
        email=DELEGATE_EMAIL.format(n=n),
        full_name=f"Nguyễn Thị Bình {n}",
        organisation="Sở Văn hóa, Thể thao và Du lịch",
        position="Chuyên viên",
        province=Province.objects.order_by("sort_order").first(),
        password=None,  # sessions come from force_login
    )


def _enrol(user: AbstractBaseUser, course: CoursePage, *, completed: int) -> list[ModulePage]:
    services.enrol(user=user, course=course)
    modules = _modules(course)
    for page in modules[:completed]:
        services.complete_item(user=user, page=page)
    return modules


def _logged_in(user: AbstractBaseUser) -> Client:
    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(user)
    return client


def seed(*, modules: int = 8) -> Seeded:
    index = _site_root()

    # The course under load: the delegate has finished the first modules and is on the next.
    course = _course(index, code="TTDN", modules=modules, title="Thông tin đối ngoại")
    delegate = _delegate(1)
    course_modules = _enrol(delegate, course, completed=modules // 2 - 1)
    module = course_modules[modules // 2 - 1]

    # The baseline: a plain Wagtail page at the module's depth with the module's body. Its parent
    # is a BarePage too, not a bare Page: like the course, a page of its own type, so routing to
    # either page costs the same queries (Wagtail fetches each specific page on the way down).
    holder = BarePage(
        title="Trang tham chiếu", slug="tham-chieu", body=list(module.body.raw_data)[:1]
    )
    index.add_child(instance=holder)
    bare = BarePage(title=module.title, slug=BARE_SLUG, body=list(module.body.raw_data))
    holder.add_child(instance=bare)
    assert bare.depth == module.depth, (bare.depth, module.depth)

    client = _logged_in(delegate)
    cookie = f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}"
    words = module_body(modules // 2 - 1)[1]
    seeded = Seeded(
        module=module,
        bare=bare,
        course=course,
        delegate=delegate,
        session_cookie=cookie,
        body_words=words,
        body_blocks=len(module.body.raw_data),
    )

    # Query counts: the same position in a 4-module and a 16-module course.
    small_courses = []
    for size in (4, 16):
        sized = _course(index, code=f"Q{size}", modules=size, title=f"Khóa {size} bài")
        reader = _delegate(100 + size)
        pages = _enrol(reader, sized, completed=1)
        seeded.query_courses[size] = (_logged_in(reader), pages[1])
        small_courses.append(sized)

    # Dashboards: one delegate with one enrolment, one with five.
    extra = [_course(index, code=f"D{n}", modules=3, title=f"Chuyên đề {n}") for n in (1, 2)]
    one = _delegate(201)
    _enrol(one, course, completed=1)
    five = _delegate(205)
    for n, enrolled in enumerate([course, *small_courses, *extra]):
        _enrol(five, enrolled, completed=n % 3)
    seeded.dashboard_clients = {1: _logged_in(one), 5: _logged_in(five)}
    return seeded
