"""Trainers' quiz screens: an attempt's answers with the key, essay grading, regrading,
and the responses export."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Max, prefetch_related_objects
from django.http import (
    FileResponse,
    Http404,
    HttpResponseRedirect,
    JsonResponse,
    StreamingHttpResponse,
)
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from courses import leases
from courses.exceptions import LMSError
from courses.spreadsheets import EXPORT_CHUNK_SIZE, XLSX_CONTENT_TYPE, csv_chunks, xlsx_file
from courses.web_toolkit import safe_next_url
from quizzes import selectors, services, tasks
from quizzes.admin_forms import GradeForm
from quizzes.keys import public_view
from quizzes.models import Attempt, QuestionVersion, QuizPage, RegradeJob, Response
from quizzes.scoring import QuestionType
from quizzes.selectors import right_answer_texts


def _visible_attempt(request, attempt_id: int) -> Attempt:
    attempt = selectors.attempts_visible_to(request.user).filter(pk=attempt_id).first()
    if attempt is None:
        raise Http404
    return attempt


def _visible_quiz(request, quiz_id: int) -> QuizPage:
    quiz = selectors.quizzes_visible_to(request.user).filter(pk=quiz_id).first()
    if quiz is None:
        raise Http404
    return quiz


def _require_grader(request) -> None:
    if not request.user.has_perm("quizzes.grade_attempt"):
        raise PermissionDenied


def _answer_text(data: dict, answer) -> str:
    """A stored answer as a trainer reads it (and as the export writes it)."""
    if answer is None:
        return ""
    kind = QuestionType(data["type"])
    by_id = {int(c["id"]): c["text"] for c in data.get("choices", [])}
    if kind in {QuestionType.SINGLE, QuestionType.TRUE_FALSE}:
        return by_id.get(answer, "")
    if kind in {QuestionType.MULTIPLE, QuestionType.ORDERING}:
        separator = "; " if kind == QuestionType.MULTIPLE else " → "
        return separator.join(by_id.get(choice, "") for choice in answer)
    if kind == QuestionType.MATCHING:
        return "; ".join(f"{by_id.get(int(item), '')} → {match}" for item, match in answer.items())
    return str(answer)


def attempt_detail(request, attempt_id: int):
    attempt = _visible_attempt(request, attempt_id)
    rows = []
    for response in attempt.responses.select_related("question_version", "grader"):
        data = response.question_version.data
        rows.append(
            {
                "response": response,
                "view": public_view(data, list(response.choice_order)),
                "answer": _answer_text(data, response.answer),
                "right_answer": right_answer_texts(data),
                "is_essay": data["type"] == QuestionType.ESSAY,
                "marks": data.get("marks"),
                "form": GradeForm(
                    initial={
                        "grade": response.manual_grade,
                        "comment": response.grader_comment,
                    },
                    marks=data.get("marks"),
                    prefix=f"r{response.pk}",
                ),
            }
        )
    return render(
        request,
        "quizzes/admin/attempt_detail.html",
        {
            "attempt": attempt,
            "rows": rows,
            "can_grade": request.user.has_perm("quizzes.grade_attempt") and not attempt.is_open,
            "page_title": _("Attempt %(number)s: %(quiz)s")
            % {"number": attempt.number, "quiz": attempt.quiz.title},
        },
    )


def grade(request, response_id: int):
    """POST a grade for an essay answer, then return to where the trainer came from."""
    _require_grader(request)
    if request.method != "POST":
        raise Http404
    response = Response.objects.select_related("question_version").filter(pk=response_id).first()
    if response is None:
        raise Http404
    attempt = _visible_attempt(request, response.attempt_id)
    form = GradeForm(
        request.POST, marks=response.question_version.data.get("marks"), prefix=f"r{response.pk}"
    )
    back = safe_next_url(request, reverse("quizzes_attempt_detail", args=[attempt.pk]))
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return HttpResponseRedirect(back)
    try:
        services.grade_response(
            response_id=response.pk,
            grader=request.user,
            grade=form.cleaned_data["grade"],
            comment=form.cleaned_data["comment"],
        )
    except LMSError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Grade saved; the attempt has been rescored."))
    return HttpResponseRedirect(back)


RECENT_REGRADES = 5  # listed under the dry run: who regraded the quiz, when, with what result
# Attempts listed in the dry run's table: a national quiz may change 10,000, which nobody reads
# on one page (the counts above the table say how many; the responses export has them all).
CHANGES_SHOWN = 200


def regrade(request, quiz_id: int):
    """GET: a dry run showing what would change. POST: queue the regrade (a background job,
    ``quizzes.tasks``) and follow it on its status page."""
    _require_grader(request)
    quiz = _visible_quiz(request, quiz_id)
    if request.method == "POST":
        job = tasks.start_regrade(quiz=quiz, user=request.user)
        return HttpResponseRedirect(reverse("quizzes_regrade_status", args=[job.pk]))
    running = tasks.unfinished_regrade(quiz)
    changes = [] if running else services.regrade_quiz(quiz=quiz, dry_run=True)
    changed = [change for change in changes if change.changed]
    shown = changed[:CHANGES_SHOWN]
    # The table names each delegate: their profiles in one query, not one a row.
    prefetch_related_objects([change.attempt.user for change in shown], "delegate_profile")
    recent = RegradeJob.objects.filter(quiz=quiz).select_related("requested_by")[:RECENT_REGRADES]
    return render(
        request,
        "quizzes/admin/regrade.html",
        {
            "quiz": quiz,
            "running": running,
            "recent": [(job, regrade_text(job)) for job in recent],
            "changes": shown,
            "changed_count": len(changed),
            "hidden_count": len(changed) - len(shown),
            "newly_passed": sum(1 for c in changed if c.new_passed and not c.old_passed),
            "newly_failed": sum(1 for c in changed if c.old_passed and not c.new_passed),
            "total": len(changes),
            "page_title": _("Regrade: %(quiz)s") % {"quiz": quiz.title},
        },
    )


def _visible_regrade(request, regrade_id: int) -> RegradeJob:
    """A regrade of a quiz the grader can see (the quiz's access rule); 404 for any other."""
    _require_grader(request)
    quizzes = selectors.quizzes_visible_to(request.user)
    job = RegradeJob.objects.filter(pk=regrade_id, quiz__in=quizzes).select_related("quiz").first()
    if job is None:
        raise Http404
    return job


def regrade_text(job: RegradeJob) -> str:
    """What the progress bar says, for people and screen readers."""
    if job.state == RegradeJob.State.QUEUED:
        return _("Waiting to start…")
    if job.state == RegradeJob.State.FAILED:
        return _("The regrade stopped before the end.")
    if job.state == RegradeJob.State.DONE:
        return ngettext(
            "%(count)s attempt regraded; %(changed)s changed.",
            "%(count)s attempts regraded; %(changed)s changed.",
            job.done,
        ) % {"count": job.done, "changed": job.changed}
    return ngettext(
        "%(done)s of %(total)s attempt regraded.",
        "%(done)s of %(total)s attempts regraded.",
        job.total,
    ) % {"done": job.done, "total": job.total}


def regrade_json(job: RegradeJob) -> dict:
    return {**leases.job_status(job, text=regrade_text(job)), "changed": job.changed}


def regrade_status(request, regrade_id: int):
    """A regrade's progress: HTML for people; JSON (``Accept: application/json`` or
    ``?format=json``) for the page's polling."""
    job = _visible_regrade(request, regrade_id)
    status = regrade_json(job)
    if leases.asks_for_status(request):
        return JsonResponse(status, headers={"Cache-Control": "no-store"})
    return render(
        request,
        "quizzes/admin/regrade_status.html",
        {
            "job": job,
            "quiz": job.quiz,
            "status": status,
            "status_url": reverse("quizzes_regrade_status", args=[job.pk]),
            "page_title": _("Regrade: %(quiz)s") % {"quiz": job.quiz.title},
        },
    )


# Namesakes apart; the responses are read in the same order, so the two lists can be merged.
RESPONSES_ORDER = ("user__delegate_profile__full_name", "user_id", "number")
ATTEMPT_COLUMNS = (
    "pk",
    "user__delegate_profile__full_name",
    "user__first_name",
    "user__last_name",
    "user__email",
    "enrollment__organisation",
    "enrollment__province__name",
    "enrollment__cohort__name",
    "number",
    "submitted_at",
    "score",
    "percent",
    "passed",
)


def responses_export(request, quiz_id: int, fmt: str):
    """One row per attempt: who, the score, and each question's answer and marks. Streamed: the
    attempts and their responses are read in chunks, in the same order, and merged, in a
    constant number of queries whatever the number of attempts."""
    if fmt not in ("csv", "xlsx"):
        raise Http404
    quiz = _visible_quiz(request, quiz_id)
    attempts = selectors.attempts_visible_to(request.user).filter(
        quiz=quiz, state=Attempt.State.SUBMITTED
    )
    responses = Response.objects.filter(attempt__in=attempts.values("pk"))
    width = (
        responses.order_by()
        .values("attempt_id")
        .annotate(answers=Count("pk"))
        .aggregate(width=Max("answers"))["width"]
        or 0
    )
    versions = dict(
        QuestionVersion.objects.filter(
            pk__in=responses.order_by().values("question_version_id")
        ).values_list("pk", "data")
    )
    header = [
        _("Full name"),
        _("Email"),
        _("Organisation"),
        _("Province"),
        _("Cohort"),
        _("Attempt"),
        _("Submitted"),
        _("Score"),
        _("Score (%)"),
        _("Passed"),
    ]
    for number in range(1, width + 1):
        header += [
            _("Q%(number)s answer") % {"number": number},
            _("Q%(number)s marks") % {"number": number},
        ]
    rows = _response_rows(
        attempts.order_by(*RESPONSES_ORDER).values_list(*ATTEMPT_COLUMNS),
        responses.order_by(
            *(f"attempt__{field}" for field in RESPONSES_ORDER), "position"
        ).values_list("attempt_id", "question_version_id", "answer", "earned"),
        versions=versions,
        yes=_("yes"),
        no=_("no"),
    )
    filename = f"responses-{slugify(quiz.slug)}"
    if fmt == "xlsx":
        sheet = xlsx_file([(_("Responses"), header, rows)])
        return FileResponse(
            sheet, as_attachment=True, filename=f"{filename}.xlsx", content_type=XLSX_CONTENT_TYPE
        )
    lines = csv_chunks(
        ["" if cell is None else str(cell) for cell in row] for row in _prepend(header, rows)
    )
    response = StreamingHttpResponse(lines, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}.csv"'
    return response


def _prepend(first, rows):
    yield first
    yield from rows


def _response_rows(attempts, responses, *, versions: dict, yes: str, no: str):
    """The export's rows: ``attempts`` and ``responses`` (both value rows, in the same order)
    read in chunks and merged."""
    answers = responses.iterator(chunk_size=EXPORT_CHUNK_SIZE * 20)
    pending = next(answers, None)
    for (
        pk,
        profile_name,
        first_name,
        last_name,
        email,
        organisation,
        province,
        cohort,
        number,
        submitted_at,
        score,
        percent,
        passed,
    ) in attempts.iterator(chunk_size=EXPORT_CHUNK_SIZE):
        row = [
            profile_name if profile_name is not None else f"{first_name} {last_name}".strip(),
            email,
            organisation or "",
            province or "",
            cohort or "",
            number,
            timezone.localtime(submitted_at).replace(tzinfo=None),
            score,
            percent,
            yes if passed else no,
        ]
        while pending is not None and pending[0] == pk:
            _attempt_id, version_id, answer, earned = pending
            row += [_answer_text(versions[version_id], answer), earned]
            pending = next(answers, None)
        yield row
