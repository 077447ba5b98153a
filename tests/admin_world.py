"""Two courses, each with everything the admin and the site show about it, for the scope tests
and the admin/site role matrix.

Each course has a cohort with its trainer (a real trainer: in the Trainers group, with page rights
on the course through ``sync_course_trainers``) and an enrolled delegate, a question category in
the course's bank with a question, a quiz (a single-choice question and an essay), a submitted
attempt whose essay waits for a grade and an open attempt, a certificate template and an issued
certificate, and a ZIP of the course's certificates built for HR. Besides: a shared category and
question, the default certificate template, HR and an administrator.
"""

from dataclasses import dataclass
from decimal import Decimal

from django.contrib.auth.models import AbstractBaseUser
from django.utils import timezone

from certificates.models import BulkDownload, Certificate, CertificateTemplate
from courses import services as course_services
from courses.models import Cohort, CoursePage, Enrollment, ModulePage
from quizzes import services as quiz_services
from quizzes.models import Attempt, Question, QuestionCategory, QuizPage, RegradeJob, Response
from tests import factories
from tests.quizzes import factories as qf

ROLES = ("anonymous", "delegate", "other_delegate", "trainer", "other_trainer", "hr", "admin")


@dataclass
class CourseWorld:
    """One course and everything of it."""

    course: CoursePage
    module: ModulePage
    quiz: QuizPage
    cohort: Cohort
    trainer: AbstractBaseUser
    delegate: AbstractBaseUser
    enrollment: Enrollment
    category: QuestionCategory
    question: Question
    essay: Response
    attempt: Attempt
    open_attempt: Attempt
    template: CertificateTemplate
    certificate: Certificate
    bulk_zip: BulkDownload | None = None
    regrade: RegradeJob | None = None


@dataclass
class World:
    mine: CourseWorld  # the course of ``trainer`` and ``delegate``
    theirs: CourseWorld  # the course of ``other_trainer`` and ``other_delegate``
    shared_category: QuestionCategory
    shared_question: Question
    default_template: CertificateTemplate
    hr: AbstractBaseUser
    admin: AbstractBaseUser

    def user(self, role: str) -> AbstractBaseUser | None:
        return {
            "anonymous": None,
            "delegate": self.mine.delegate,
            "other_delegate": self.theirs.delegate,
            "trainer": self.mine.trainer,
            "other_trainer": self.theirs.trainer,
            "hr": self.hr,
            "admin": self.admin,
        }[role]


def _course_world(*, title: str, code: str, trainer_email: str, delegate_name: str, hr):
    from certificates import services as certificate_services

    course = factories.course(title=title, code=code)
    module = factories.module(course, title=f"Bài 1 ({code})")
    category = qf.CategoryFactory(name=f"Ngân hàng {code}", course=course)
    question = qf.question("single", category=category, name=f"Câu hỏi {code}")
    essay_question = qf.question(
        "essay", category=category, name=f"Tự luận {code}", marks=Decimal(2)
    )
    quiz = qf.quiz(
        course, questions=[question, essay_question], title=f"Kiểm tra {code}", attempts_allowed=0
    )
    cohort = factories.CohortFactory(course=course, name=f"Hội nghị {code}")
    trainer = factories.UserFactory(email=trainer_email, first_name="Giảng viên", last_name=code)
    cohort.trainers.add(trainer)
    course_services.sync_course_trainers(course=course)
    delegate = factories.delegate(full_name=delegate_name)
    enrollment = course_services.enrol_with_code(user=delegate, code=cohort.enrolment_code)
    attempt = quiz_services.start_attempt(quiz=quiz, user=delegate)
    right = question.choices.get(is_correct=True).pk
    answers = {
        response.position: right if response.question_version.question_id == question.pk else "Ý"
        for response in attempt.responses.select_related("question_version")
    }
    quiz_services.save_answers(attempt_id=attempt.pk, user=delegate, answers=answers)
    attempt = quiz_services.submit_attempt(attempt_id=attempt.pk, user=delegate)
    open_attempt = quiz_services.start_attempt(quiz=quiz, user=delegate)
    template = CertificateTemplate.objects.create(
        course=course, name=f"Mẫu {code}", issuing_body="BAN TUYÊN GIÁO", place="Hà Nội"
    )
    certificate, _created = certificate_services.issue_certificate(
        enrollment_id=enrollment.pk, issued_by=hr, notify=False
    )
    return CourseWorld(
        course=course,
        module=module,
        quiz=quiz,
        cohort=cohort,
        trainer=trainer,
        delegate=delegate,
        enrollment=enrollment,
        category=category,
        question=question,
        essay=attempt.responses.get(question_version__question=essay_question),
        attempt=attempt,
        open_attempt=open_attempt,
        template=template,
        certificate=certificate,
    )


def _bulk_zip(*, course: CoursePage, user) -> BulkDownload:
    from certificates import tasks

    job = tasks.start_bulk_download(user=user, params={"course": [str(course.pk)]}, language="vi")
    tasks.run_bulk_download(job_id=job.pk)
    job.refresh_from_db()
    return job


def build_world() -> World:
    groups = course_services.ensure_role_groups()
    hr = factories.UserFactory(email="hr@example.vn", first_name="Nhân sự", last_name="HR")
    hr.groups.add(groups["hr"])
    admin = factories.UserFactory(email="admin@example.vn", is_superuser=True, is_staff=True)
    mine = _course_world(
        title="Thông tin đối ngoại",
        code="TTDN",
        trainer_email="trainer@example.vn",
        delegate_name="Nguyễn Văn An",
        hr=hr,
    )
    theirs = _course_world(
        title="Quyền con người",
        code="QCN",
        trainer_email="other.trainer@example.vn",
        delegate_name="Trần Thị Bình",
        hr=hr,
    )
    mine.bulk_zip = _bulk_zip(course=mine.course, user=hr)
    theirs.bulk_zip = _bulk_zip(course=theirs.course, user=hr)
    for side in (mine, theirs):
        side.regrade = RegradeJob.objects.create(
            quiz=side.quiz,
            requested_by=side.trainer,
            requested_at=timezone.now(),
            state=RegradeJob.State.DONE,
            total=1,
            done=1,
        )
    shared_category = qf.CategoryFactory(name="Ngân hàng dùng chung", course=None)
    shared_question = qf.question("single", category=shared_category, name="Câu hỏi dùng chung")
    default_template = CertificateTemplate.objects.create(
        course=None, name="Mẫu mặc định", issuing_body="BAN TUYÊN GIÁO", place="Hà Nội"
    )
    return World(
        mine=mine,
        theirs=theirs,
        shared_category=shared_category,
        shared_question=shared_question,
        default_template=default_template,
        hr=hr,
        admin=admin,
    )
