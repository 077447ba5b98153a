"""Seed the staff-reports benchmark in bulk: a course (two modules and a 20-question final
test, plus a 20-question mid-course quiz), cohorts, delegates with profiles and enrolments, their
completions, one submitted attempt each with 20 scored answers, and a certificate each, whose
PDFs are files in the media folder (distinct bytes, so each has its own SHA-256).

Everything goes in with ``bulk_create`` (no per-row services): about a minute for 10,000
delegates. Call ``seed`` after ``django.setup()`` on a freshly migrated database.
"""

import hashlib
import os
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from pathlib import Path

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group
from django.db import transaction

from benchmarks import quiz_seed
from certificates.models import Certificate
from courses.conf import lms_settings
from courses.models import Cohort, Completion, DelegateProfile, Enrollment, ModulePage, Province
from quizzes.models import Attempt, Question, QuizPage, QuizSlot, Response
from quizzes.scoring import Outcome
from quizzes.services import current_versions

BATCH = 2000
ADMIN_EMAIL = "bench.hr@example.vn"
FINAL_QUIZ_SLUG = "kiem-tra"
SMALL_QUIZ_SLUG = "kiem-tra-giua-khoa"
ROSTER_COHORT = "Hội nghị nhập danh sách"
PDF_BYTES = 64 * 1024  # about a real certificate's size (65 KB with its QR code)
ORGANISATIONS = (
    "Sở Văn hóa, Thể thao và Du lịch",
    "Sở Thông tin và Truyền thông",
    "Ban Tuyên giáo Tỉnh ủy",
    "Ủy ban nhân dân tỉnh",
    "Báo Nhân Dân",
    "Đài Truyền hình Việt Nam",
)
POSITIONS = ("Chuyên viên", "Phó Trưởng phòng", "Trưởng phòng", "Phóng viên")
FAMILY = ("Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Vũ", "Đặng", "Bùi", "Đỗ", "Hồ")
GIVEN = ("Thị Bình", "Văn Hội", "Thị Ánh Tuyết", "Quốc Khánh", "Ngọc Hân", "Văn Ước", "Thị Xuân")


@dataclass
class ReportsSeed:
    quiz_id: int
    small_quiz_id: int
    cohort_ids: list[int]  # largest first
    cohort_sizes: list[int]
    roster_cohort_id: int
    admin_id: int
    delegates: int
    attempts: int
    responses: int
    certificates: int
    pdf_files: int
    issued_from: dict[str, str] = field(default_factory=dict)  # "small"/"large" -> ISO date
    seconds: dict[str, float] = field(default_factory=dict)


def full_name(n: int) -> str:
    return f"{FAMILY[n % len(FAMILY)]} {GIVEN[(n // 10) % len(GIVEN)]} {n}"


SHARED_PDF = "certificates/2026/bench-shared.pdf"


def serial_of(n: int) -> str:
    return f"TTDN-2026-{n + 1:06d}"


def pdf_name(serial: str) -> str:
    return f"certificates/2026/{serial}.pdf"


def restore_pdfs(media_root: Path, pdf_files: int) -> int:
    """Write again the seeded PDF files missing from ``media_root`` (a reused database whose
    media folder was emptied meanwhile): the same bytes as the seed wrote. Returns how many."""
    (media_root / "certificates" / "2026").mkdir(parents=True, exist_ok=True)
    serials = [serial_of(n) for n in range(pdf_files)]
    wanted = {SHARED_PDF: "shared"} | {pdf_name(serial): serial for serial in serials}
    restored = 0
    for name, serial in wanted.items():
        if not (media_root / name).exists():
            (media_root / name).write_bytes(_pdf(serial))
            restored += 1
    return restored


def _pdf(serial: str) -> bytes:
    """Stand-in PDF bytes of a real certificate's size, distinct per certificate."""
    head = f"%PDF-1.7\n% {serial}\n".encode()
    return head + hashlib.shake_256(serial.encode()).digest(PDF_BYTES - len(head))


def _quiz_copy(course, questions: list[Question], *, slug: str, title: str) -> QuizPage:
    quiz = QuizPage(
        title=title,
        slug=slug,
        pass_mark_percent=quiz_seed.PASS_MARK,
        questions_per_page=quiz_seed.PER_PAGE,
        shuffle_questions=False,
        time_limit_minutes=None,
    )
    quiz.slots = [QuizSlot(question=q) for q in questions]
    course.add_child(instance=quiz)
    return quiz


def seed(  # noqa: PLR0915 (one straight recipe)
    *,
    cohort_sizes: list[int],
    small_quiz_attempts: int,
    pdf_files: int,
    media_root: Path,
    say=print,
) -> ReportsSeed:
    import time

    clock = time.monotonic()
    seconds: dict[str, float] = {}

    def lap(name: str) -> None:
        nonlocal clock
        now = time.monotonic()
        seconds[name] = round(now - clock, 2)
        say(f"  {name}: {seconds[name]:.1f} s")
        clock = now

    User = get_user_model()
    course = quiz_seed._course(quiz_seed._site_root())
    quiz, keys = quiz_seed._quiz(course)
    questions = [
        slot.question for slot in quiz.slots.select_related("question").order_by("sort_order")
    ]
    small = _quiz_copy(course, questions, slug=SMALL_QUIZ_SLUG, title="Kiểm tra giữa khóa")
    versions = current_versions(
        Question.objects.filter(pk__in=[q.pk for q in questions]).prefetch_related("choices")
    )
    position_versions = [versions[q.pk] for q in questions]
    modules = list(ModulePage.objects.child_of(course).order_by("path"))
    items = [*modules, quiz]
    admin = User.objects.create_superuser(username=ADMIN_EMAIL, email=ADMIN_EMAIL, password=None)
    provinces = list(Province.objects.order_by("sort_order"))
    today = date(2026, 11, 20)
    cohorts = Cohort.objects.bulk_create(
        Cohort(
            name=f"Hội nghị toàn quốc {n + 1} ({size} đại biểu)",
            course=course,
            starts_on=today,
            ends_on=today + timedelta(days=2),
            enrolment_code=f"BENCHRPT{n + 1}",
        )
        for n, size in enumerate(cohort_sizes)
    )
    roster_cohort = Cohort.objects.create(
        name=ROSTER_COHORT,
        course=course,
        starts_on=today,
        ends_on=today + timedelta(days=2),
        enrolment_code="BENCHROSTER",
    )
    lap("course, quizzes, cohorts")

    total = sum(cohort_sizes)
    password = make_password(None)
    users = User.objects.bulk_create(
        (
            User(
                username=f"bench.report{n}@example.vn",
                email=f"bench.report{n}@example.vn",
                password=password,
            )
            for n in range(total)
        ),
        batch_size=BATCH,
    )
    delegates_group, _created = Group.objects.get_or_create(name=lms_settings.DELEGATES_GROUP)
    User.groups.through.objects.bulk_create(
        (User.groups.through(user_id=u.pk, group_id=delegates_group.pk) for u in users),
        batch_size=BATCH,
    )
    DelegateProfile.objects.bulk_create(
        (
            DelegateProfile(
                user=user,
                full_name=full_name(n),
                organisation=ORGANISATIONS[n % len(ORGANISATIONS)],
                position=POSITIONS[n % len(POSITIONS)],
                province=provinces[n % len(provinces)],
            )
            for n, user in enumerate(users)
        ),
        batch_size=BATCH,
    )
    lap(f"{total} delegates")

    started = datetime(2026, 11, 20, 8, 0, tzinfo=UTC)
    cohort_of = [c for c, size in zip(cohorts, cohort_sizes, strict=True) for _ in range(size)]
    enrollments = Enrollment.objects.bulk_create(
        (
            Enrollment(
                user=user,
                course=course,
                cohort=cohort_of[n],
                method=Enrollment.Method.ROSTER,
                province=provinces[n % len(provinces)],
                organisation=ORGANISATIONS[n % len(ORGANISATIONS)],
                position=POSITIONS[n % len(POSITIONS)],
                enrolled_at=started,
                completed_at=started + timedelta(hours=3),
                last_activity_at=started + timedelta(hours=3),
            )
            for n, user in enumerate(users)
        ),
        batch_size=BATCH,
    )
    Completion.objects.bulk_create(
        (
            Completion(enrollment=e, page_id=item.pk, completed_at=started + timedelta(hours=h))
            for e in enrollments
            for h, item in enumerate(items, start=1)
        ),
        batch_size=BATCH * 5,
    )
    lap(f"{total} enrolments, {total * len(items)} completions")

    pages = [
        list(range(p, min(p + quiz_seed.PER_PAGE, quiz_seed.QUESTIONS)))
        for p in range(0, quiz_seed.QUESTIONS, quiz_seed.PER_PAGE)
    ]
    attempts_made = responses_made = 0
    scores: dict[int, Decimal] = {}
    for target, count in ((quiz, total), (small, min(small_quiz_attempts, total))):
        for start in range(0, count, BATCH):
            chunk = list(range(start, min(start + BATCH, count)))
            plans = {
                n: [quiz_seed.is_right(n, p) for p in range(quiz_seed.QUESTIONS)] for n in chunk
            }
            with transaction.atomic():
                attempts = Attempt.objects.bulk_create(
                    Attempt(
                        quiz=target,
                        user_id=users[n].pk,
                        enrollment=enrollments[n],
                        number=1,
                        state=Attempt.State.SUBMITTED,
                        closed_by=Attempt.ClosedBy.DELEGATE,
                        started_at=started + timedelta(hours=2),
                        submitted_at=started + timedelta(hours=2, minutes=20 + n % 30),
                        pages=pages,
                        score=Decimal(sum(plans[n])),
                        max_score=Decimal(quiz_seed.QUESTIONS),
                        percent=Decimal(100 * sum(plans[n]) / quiz_seed.QUESTIONS).quantize(
                            Decimal("0.01")
                        ),
                        passed=Decimal(100 * sum(plans[n]) / quiz_seed.QUESTIONS)
                        >= quiz_seed.PASS_MARK,
                    )
                    for n in chunk
                )
                Response.objects.bulk_create(
                    (
                        Response(
                            attempt=attempt,
                            position=p,
                            question_version=position_versions[p],
                            choice_order=[],
                            answer=keys[p].right if plans[n][p] else keys[p].wrong,
                            revision=1,
                            answered_at=attempt.started_at + timedelta(minutes=1 + p // 2),
                            earned=Decimal(1) if plans[n][p] else Decimal(0),
                            outcome=Outcome.CORRECT if plans[n][p] else Outcome.INCORRECT,
                        )
                        for n, attempt in zip(chunk, attempts, strict=True)
                        for p in range(quiz_seed.QUESTIONS)
                    ),
                    batch_size=BATCH * 5,
                )
            if target is quiz:
                scores.update({n: a.percent for n, a in zip(chunk, attempts, strict=True)})
            attempts_made += len(chunk)
            responses_made += len(chunk) * quiz_seed.QUESTIONS
    lap(f"{attempts_made} attempts, {responses_made} responses")

    certificates = []
    files = 0
    (media_root / "certificates" / "2026").mkdir(parents=True, exist_ok=True)
    shared = _pdf("shared")
    (media_root / SHARED_PDF).write_bytes(shared)
    shared_name, shared_sha = SHARED_PDF, hashlib.sha256(shared).hexdigest()
    small_from = total - cohort_sizes[-1]
    for n, (user, enrollment) in enumerate(zip(users, enrollments, strict=True)):
        serial = serial_of(n)
        if n < pdf_files:  # the largest cohort first: its certificates are zipped
            data = _pdf(serial)
            name = pdf_name(serial)
            with open(media_root / name, "wb") as handle:
                handle.write(data)
            sha = hashlib.sha256(data).hexdigest()
            files += 1
        else:
            name, sha = shared_name, shared_sha
        certificates.append(
            Certificate(
                serial=serial,
                verification_code=f"{n:08d}{hashlib.md5(serial.encode()).hexdigest()[:16]}",  # noqa: S324
                enrollment=enrollment,
                user=user,
                course=course,
                cohort=enrollment.cohort,
                full_name=full_name(n),
                organisation=enrollment.organisation,
                position=enrollment.position,
                province=provinces[n % len(provinces)].name,
                course_title=course.title,
                cohort_name=cohort_of[n].name,
                score=scores.get(n),
                # The smallest cohort's a day later: the register filtered from that day
                # exports its rows alone, the same query as from the first day (every row).
                issued_on=today + timedelta(days=1) if n >= small_from else today,
                issued_at=started + timedelta(hours=4),
                pdf=name,
                pdf_sha256=sha,
                valid_until=today + timedelta(days=730),
            )
        )
    Certificate.objects.bulk_create(certificates, batch_size=BATCH)
    os.sync()
    lap(f"{len(certificates)} certificates ({files} PDF files)")
    return ReportsSeed(
        quiz_id=quiz.pk,
        small_quiz_id=small.pk,
        cohort_ids=[c.pk for c in cohorts],
        cohort_sizes=list(cohort_sizes),
        roster_cohort_id=roster_cohort.pk,
        admin_id=admin.pk,
        delegates=total,
        attempts=attempts_made,
        responses=responses_made,
        certificates=len(certificates),
        pdf_files=files,
        issued_from={"large": today.isoformat(), "small": (today + timedelta(days=1)).isoformat()},
        seconds=seconds,
    )
