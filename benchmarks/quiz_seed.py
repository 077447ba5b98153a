"""Seed the quiz benchmark database: a course with two modules and a 20-question quiz (5 a page,
no time limit), and delegates enrolled in it, each with a session made directly in the session
table (no login round trip), and in the session cache too when sessions are cached (as a login
writes them), and the one CSRF cookie the load client sends.

Also the answer plan: which answer each delegate gives at each position, and the score it must
get, so a run can be checked against the database afterwards. Call ``seed`` after
``django.setup()`` on a freshly migrated database.
"""

import hashlib
import secrets
from dataclasses import dataclass, field
from datetime import timedelta
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY, get_user_model
from django.contrib.auth.hashers import UNUSABLE_PASSWORD_PREFIX
from django.contrib.sessions.backends.db import SessionStore
from django.contrib.sessions.models import Session
from django.core.cache import caches
from django.utils import timezone
from wagtail.models import Page, Site

from courses.conf import lms_settings
from courses.models import (
    Consent,
    CourseIndexPage,
    CoursePage,
    DelegateProfile,
    Enrollment,
    ModulePage,
    Province,
)
from courses.privacy.middleware import SESSION_KEY as CONSENT_SESSION_KEY
from quizzes.models import Choice, Question, QuestionCategory, QuizPage, QuizSlot
from quizzes.services import current_versions

# Django accepts the cookie's secret itself (32 characters) as the X-CSRFToken header.
CSRF_TOKEN = "QuizBench0123456789abcdefghijklm"  # noqa: S105 (bench-only, loopback)
QUESTIONS = 20
PER_PAGE = 5
PASS_MARK = Decimal(70)
RIGHT_SHARE = 7  # in 10: about 70 % of the planned answers are right, so some delegates fail
SESSION_KEY_CHARS = "abcdefghijklmnopqrstuvwxyz0123456789"

# Each page: single, true/false, multiple (all or nothing), single, short answer or numerical.
PAGE_KINDS = ("single", "true_false", "multiple", "single")
TEXT_KINDS = ("short_answer", "numerical")


@dataclass(frozen=True)
class Key:
    """What the delegate can send at one position: the right answer and a wrong one, in the
    form the server stores (choice ids, sorted id lists, NFC text)."""

    kind: str
    right: Any
    wrong: Any


@dataclass(frozen=True)
class Delegate:
    index: int
    user_id: int
    cookie: str  # the Cookie header: session and CSRF cookie


@dataclass
class QuizSeed:
    quiz_id: int
    keys: list[Key]
    delegates: list[Delegate] = field(default_factory=list)

    @property
    def pages(self) -> list[list[int]]:
        return [list(range(p, min(p + PER_PAGE, QUESTIONS))) for p in range(0, QUESTIONS, PER_PAGE)]


# The answer plan


def is_right(delegate: int, position: int, version: int = 0) -> bool:
    """Deterministic, spread-out choice of right or wrong (no global random state)."""
    digest = hashlib.blake2b(f"{delegate}:{position}:{version}".encode(), digest_size=2).digest()
    return int.from_bytes(digest) % 10 < RIGHT_SHARE


def planned(keys: list[Key], delegate: int, position: int, version: int = 0) -> Any:
    key = keys[position]
    return key.right if is_right(delegate, position, version) else key.wrong


def expected_percent(keys: list[Key], answers: dict[int, Any]) -> Decimal:
    """One mark a question, all or nothing; unanswered earns nothing."""
    right = sum(1 for p, key in enumerate(keys) if answers.get(p) == key.right)
    return (Decimal(100) * right / len(keys)).quantize(Decimal("0.01"))


# Content


def _site_root() -> CourseIndexPage:
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


def _question(category, position: int, kind: str) -> tuple[Question, Key]:
    number = position + 1
    question = Question(
        category=category,
        name=f"Câu {number}",
        type=kind,
        text=f"<p>Câu {number}: Kết luận 57-KL/TW về công tác thông tin đối ngoại.</p>",
        marks=Decimal(1),
        all_or_nothing=kind == "multiple",
    )
    choices = {
        "single": [("15/6/2023", True), ("14/2/2012", False), ("16/2/2024", False)],
        "true_false": [("Đúng", True), ("Sai", False)],
        "multiple": [("Chủ động", True), ("Đồng bộ", True), ("Bị động", False)],
        "short_answer": [("Hòa Bình", True)],
        "numerical": [("280", True)],
    }[kind]
    question.choices = [
        Choice(text=text, is_correct=correct, tolerance=Decimal(0) if kind == "numerical" else None)
        for text, correct in choices
    ]
    question.save()
    return question, key_of(question)


def key_of(question: Question) -> Key:
    kind = question.type
    if kind == "short_answer":
        return Key(kind, "Hòa Bình", "Hà Nội")
    if kind == "numerical":
        return Key(kind, "280", "281")
    choices = sorted(question.choices.all(), key=lambda c: c.pk)
    right = [c.pk for c in choices if c.is_correct]
    wrong = [c.pk for c in choices if not c.is_correct]
    if kind == "multiple":
        return Key(kind, right, wrong[:1])
    return Key(kind, right[0], wrong[0])


def load(quiz: QuizPage) -> QuizSeed:
    """The seeded quiz's keys, read back (for tools that run after ``seed``)."""
    slots = quiz.slots.select_related("question").order_by("sort_order")
    return QuizSeed(quiz_id=quiz.pk, keys=[key_of(slot.question) for slot in slots])


def _quiz(course: CoursePage) -> tuple[QuizPage, list[Key]]:
    category = QuestionCategory.objects.create(name="Kiểm tra cuối khóa")
    questions, keys = [], []
    for position in range(QUESTIONS):
        page, slot = divmod(position, PER_PAGE)
        kind = PAGE_KINDS[slot] if slot < len(PAGE_KINDS) else TEXT_KINDS[page % 2]
        question, key = _question(category, position, kind)
        questions.append(question)
        keys.append(key)
    # Versioned up front, as saving them in the admin does: starts measure the steady state.
    current_versions(Question.objects.filter(category=category).prefetch_related("choices"))
    quiz = QuizPage(
        title="Kiểm tra cuối khóa",
        slug="kiem-tra",
        pass_mark_percent=PASS_MARK,
        questions_per_page=PER_PAGE,
        shuffle_questions=False,  # position p is question p: the plan knows the keys
        time_limit_minutes=None,
    )
    quiz.slots = [QuizSlot(question=q) for q in questions]
    course.add_child(instance=quiz)
    return quiz, keys


def _course(index: CourseIndexPage) -> CoursePage:
    course = CoursePage(
        title="Thông tin đối ngoại",
        slug="ttdn",
        code="TTDN",
        summary="Quán triệt Kết luận 57-KL/TW về công tác thông tin đối ngoại.",
    )
    index.add_child(instance=course)
    for i in (1, 2):
        course.add_child(
            instance=ModulePage(
                title=f"Bài {i}",
                slug=f"bai-{i}",
                summary="Những nội dung chính của bài học.",
                body=[{"type": "paragraph", "value": "<p>Quyền con người được bảo đảm.</p>"}],
            )
        )
    return course


# Delegates and their sessions


def add_delegates(course: CoursePage, count: int, *, first: int = 0) -> list[Delegate]:
    """Users, profiles, enrolments and sessions in bulk: seconds for thousands."""
    user_model = get_user_model()
    province = Province.objects.order_by("sort_order").first()
    now = timezone.now()
    users = user_model.objects.bulk_create(
        user_model(
            username=f"bench.quiz{n}@example.vn",
            email=f"bench.quiz{n}@example.vn",
            # make_password(None), without its 40 random.choice() calls a user.
            password=UNUSABLE_PASSWORD_PREFIX + secrets.token_hex(20),
        )
        for n in range(first, first + count)
    )
    DelegateProfile.objects.bulk_create(
        DelegateProfile(
            user=user,
            full_name=f"Nguyễn Văn Hội {n}",
            organisation="Sở Văn hóa, Thể thao và Du lịch",
            position="Chuyên viên",
            province=province,
        )
        for n, user in enumerate(users, start=first)
    )
    Enrollment.objects.bulk_create(
        Enrollment(
            user=user,
            course=course,
            method=Enrollment.Method.SELF,
            province=province,
            organisation="Sở Văn hóa, Thể thao và Du lịch",
            enrolled_at=now,
        )
        for user in users
    )
    # Each delegate consented to the current privacy notice at sign-up, and signing in
    # remembered it in the session (courses.privacy.middleware.remember_consent).
    version = lms_settings.PRIVACY_NOTICE_VERSION
    Consent.objects.bulk_create(
        (Consent(user=user, notice_version=version, given_at=now) for user in users),
        batch_size=2000,
    )
    # The backend a sign-in with a password records (the first, django-axes' lockout check,
    # never signs anyone in).
    backend = "courses.auth.EmailOrUsernameBackend"
    store = SessionStore()
    expires = now + timedelta(days=1)
    sessions, delegates, cached = [], [], {}
    for n, user in enumerate(users, start=first):
        key = secrets.token_hex(16)  # 32 of SESSION_KEY_CHARS, cheaper than get_random_string
        data = {
            SESSION_KEY: str(user.pk),
            BACKEND_SESSION_KEY: backend,
            HASH_SESSION_KEY: user.get_session_auth_hash(),
            CONSENT_SESSION_KEY: version,
        }
        sessions.append(
            Session(session_key=key, session_data=store.encode(data), expire_date=expires)
        )
        cached[key] = data
        cookie = f"{settings.SESSION_COOKIE_NAME}={key}; {settings.CSRF_COOKIE_NAME}={CSRF_TOKEN}"
        delegates.append(Delegate(index=n, user_id=user.pk, cookie=cookie))
    Session.objects.bulk_create(sessions, batch_size=1000)
    if settings.SESSION_ENGINE == "django.contrib.sessions.backends.cached_db":
        from django.contrib.sessions.backends.cached_db import KEY_PREFIX

        caches[settings.SESSION_CACHE_ALIAS].set_many(
            {KEY_PREFIX + key: data for key, data in cached.items()},
            timeout=int((expires - now).total_seconds()),
        )
    return delegates


def seed(*, delegates: int) -> QuizSeed:
    course = _course(_site_root())
    quiz, keys = _quiz(course)
    seeded = QuizSeed(quiz_id=quiz.pk, keys=keys)
    seeded.delegates = add_delegates(course, delegates)
    return seeded
