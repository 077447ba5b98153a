"""Taking a quiz: start, answer page by page, review the summary, submit, see the result.

Everything works as plain HTML forms; attempt.js adds background autosave and a timer on top,
talking to the same ``save`` view with JSON.
"""

import json

from django.contrib import messages
from django.http import Http404, HttpResponseRedirect, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from courses import selectors as course_selectors
from courses.exceptions import LMSError
from courses.web_toolkit import login_required, throttled
from quizzes import exceptions, selectors, services
from quizzes.forms import answers_from_json, answers_from_post, flags_from_json, flags_from_post
from quizzes.models import Attempt

UNREADABLE_ANSWERS = gettext_lazy("The answers could not be read. Please try again.")

# Messages attempt.js shows, translated on the server; %(name)s placeholders are filled in JS.
JS_MESSAGES = {
    "saving": gettext_lazy("Saving…"),
    "saved": gettext_lazy("All answers saved at %(time)s."),
    "not_saved": gettext_lazy("The answer could not be saved."),
    "stale": gettext_lazy(
        "Some answers were changed in another window. Reload the page to see the latest."
    ),
    "signed_out": gettext_lazy(
        "You have been signed out. Sign in again; unsaved answers are kept on this device."
    ),
    "offline": gettext_lazy("Not saved yet: you may be offline. Retrying in %(seconds)s s."),
    "ordering": gettext_lazy("Give each item a different position."),
    "waiting": gettext_lazy(
        "No connection. Your answers are kept on this device; the quiz will continue by itself "
        "when the connection is back."
    ),
    "answered": gettext_lazy("answered"),
    "not_answered": gettext_lazy("not answered"),
    "flagged": gettext_lazy("flagged"),
    "words": gettext_lazy("Words: %(count)s"),
    "move_up": gettext_lazy("Move “%(item)s” up"),
    "move_down": gettext_lazy("Move “%(item)s” down"),
    "moved": gettext_lazy("“%(item)s” is now at position %(position)s of %(count)s."),
    "minutes_left": gettext_lazy("%(minutes)s minutes left."),
    "one_minute_left": gettext_lazy("1 minute left."),
    "seconds_left": gettext_lazy("%(seconds)s seconds left."),
    "time_up": gettext_lazy("Time is up. Your attempt is being submitted."),
}


def _attempt_or_404(request, attempt_id: int):
    attempt = selectors.attempt_for(attempt_id=attempt_id, user=request.user)
    if attempt is None:
        raise Http404
    return attempt


def _page_number(request, attempt) -> int:
    try:
        page = int(request.GET.get("page", 1)) - 1
    except ValueError:
        page = 0
    return min(max(page, 0), max(len(attempt.pages) - 1, 0))


def _attempt_url(attempt, page: int = 0) -> str:
    return f"{reverse('quizzes:attempt', args=[attempt.pk])}?page={page + 1}"


def _question_url(attempt, number: str) -> str | None:
    """The attempt page holding question ``number`` (1-based), scrolled to it; None if the
    attempt has no such question."""
    try:
        position = int(number) - 1
    except ValueError:
        return None
    for page, positions in enumerate(attempt.pages):
        if position in positions:
            return f"{_attempt_url(attempt, page)}#question-{position + 1}"
    return None


def _wants_json(request) -> bool:
    return request.content_type == "application/json"


def _error_json(error: LMSError, status: int | None = None, **extra) -> JsonResponse:
    body = {"code": error.code, "message": str(error.message), **extra}
    return JsonResponse(body, status=status or getattr(error, "status", 400))


@login_required
@require_POST
@throttled("attempt_write")  # as the API's start, save and submit
def start(request, quiz_id: int):
    quiz = selectors.startable_quiz(quiz_id)
    if quiz is None:
        raise Http404
    try:
        attempt = services.start_attempt(quiz=quiz, user=request.user)
    except LMSError as error:
        messages.error(request, error.message)
        return HttpResponseRedirect(quiz.get_url(request))
    return HttpResponseRedirect(_attempt_url(attempt))


@login_required
def attempt_page(request, attempt_id: int):
    attempt = _attempt_or_404(request, attempt_id)
    if not attempt.is_open:
        return HttpResponseRedirect(reverse("quizzes:review", args=[attempt.pk]))
    if services.is_overdue(attempt, timezone.now()):
        services.submit_attempt(attempt_id=attempt.pk, user=request.user)
        messages.warning(request, exceptions.TimeExpired.message)
        return HttpResponseRedirect(reverse("quizzes:review", args=[attempt.pk]))
    page = _page_number(request, attempt)
    return render(
        request,
        "quizzes/attempt.html",
        {
            "attempt": attempt,
            "quiz": attempt.quiz,
            "questions": selectors.page_questions(attempt=attempt, page=page),
            "states": selectors.question_states(attempt),
            "page_index": page,
            "page_count": len(attempt.pages),
            "now": timezone.now(),
            # A data attribute, not an inline <script>: the page needs no CSP nonce.
            "js_messages": json.dumps(
                {key: str(message) for key, message in JS_MESSAGES.items()}, ensure_ascii=False
            ),
        },
    )


@login_required
@require_POST
@throttled("attempt_write")  # as the API's start, save and submit
def save(request, attempt_id: int):
    """Save answers. Form posts then go to the requested page; JSON posts get JSON back."""
    if _wants_json(request):
        return _save_json(request, attempt_id)
    return _save_form(request, attempt_id)


def _save_json(request, attempt_id: int) -> JsonResponse:
    """attempt.js's autosave, the busiest request of a quiz: the service's locked read of the
    attempt, filtered by user, is the only one (someone else's attempt raises DoesNotExist)."""
    try:
        body = _json_body(request)
        answers, revisions = answers_from_json(body)
        flags = flags_from_json(body)
        result = services.save_answers(
            attempt_id=attempt_id, user=request.user, answers=answers, seen_revisions=revisions
        )
        flags = services.flag_questions(attempt_id=attempt_id, user=request.user, flags=flags)
    except Attempt.DoesNotExist:
        raise Http404 from None
    except (ValueError, TypeError):
        return _error_json(exceptions.QuizError(UNREADABLE_ANSWERS), 400)
    except exceptions.AttemptClosed as error:
        return _error_json(error, 400, review_url=reverse("quizzes:review", args=[attempt_id]))
    except exceptions.QuizError as error:
        return _error_json(error, 400, position=getattr(error, "position", None))
    return JsonResponse(
        {
            "saved": result.saved,
            "stale": result.stale,
            "revisions": {str(k): v for k, v in result.revisions.items()},
            "flags": {str(k): v for k, v in flags.items()},
            "deadline": result.deadline_at.isoformat() if result.deadline_at else None,
            "server_time": timezone.now().isoformat(),
        }
    )


def _json_body(request):
    """The request's JSON. Raises ValueError for anything unreadable, including nesting too deep
    for the parser (``[[[[...`` a hundred thousand deep overflows Python's recursion limit)."""
    try:
        return json.loads(request.body or b"null")
    except RecursionError:
        raise ValueError("JSON nested too deeply") from None


def _save_form(request, attempt_id: int) -> HttpResponseRedirect:
    """The plain HTML form, without JavaScript: answers are read against the page's questions."""
    attempt = _attempt_or_404(request, attempt_id)
    page = _page_number(request, attempt)
    try:
        questions = selectors.page_questions(attempt=attempt, page=page)
        answers, revisions = answers_from_post(request.POST, questions)
        result = services.save_answers(
            attempt_id=attempt.pk, user=request.user, answers=answers, seen_revisions=revisions
        )
        services.flag_questions(
            attempt_id=attempt.pk, user=request.user, flags=flags_from_post(request.POST, questions)
        )
    except (ValueError, TypeError):
        messages.error(request, UNREADABLE_ANSWERS)
        return HttpResponseRedirect(_attempt_url(attempt, page))
    except exceptions.AttemptClosed as error:
        messages.warning(request, error.message)
        return HttpResponseRedirect(reverse("quizzes:review", args=[attempt.pk]))
    except exceptions.QuizError as error:
        position = getattr(error, "position", None)
        if position is not None:
            message = _("Question %(number)s: %(message)s") % {
                "number": position + 1,
                "message": error.message,
            }
        else:
            message = error.message
        messages.error(request, message)
        return HttpResponseRedirect(_attempt_url(attempt, page))
    if result.stale:
        messages.warning(
            request,
            _(
                "Some answers on this page were changed in another window and were kept as they "
                "are there: questions %(numbers)s."
            )
            % {"numbers": ", ".join(str(p + 1) for p in result.stale)},
        )
    goto = request.POST.get("goto", "")
    if goto == "summary":
        return HttpResponseRedirect(reverse("quizzes:summary", args=[attempt.pk]))
    if goto.startswith("q"):  # a question of the navigation panel: its page, at the question
        return HttpResponseRedirect(_question_url(attempt, goto[1:]) or _attempt_url(attempt, page))
    try:
        target = int(goto) - 1
    except ValueError:
        target = page
    return HttpResponseRedirect(_attempt_url(attempt, min(max(target, 0), len(attempt.pages) - 1)))


@login_required
def summary(request, attempt_id: int):
    attempt = _attempt_or_404(request, attempt_id)
    if not attempt.is_open:
        return HttpResponseRedirect(reverse("quizzes:review", args=[attempt.pk]))
    pages = selectors.question_states(attempt)
    states = [state for page in pages for state in page]
    answered = sum(state.answered for state in states)
    return render(
        request,
        "quizzes/summary.html",
        {
            "attempt": attempt,
            "quiz": attempt.quiz,
            "pages": pages,
            "answered_count": answered,
            "unanswered_count": len(states) - answered,
            "flagged_count": sum(state.flagged for state in states),
            "now": timezone.now(),
        },
    )


@login_required
@require_POST
@throttled("attempt_write")  # as the API's start, save and submit
def submit(request, attempt_id: int):
    try:
        services.submit_attempt(attempt_id=attempt_id, user=request.user)
    except Attempt.DoesNotExist:  # someone else's: it does not exist for this delegate
        raise Http404 from None
    return HttpResponseRedirect(reverse("quizzes:review", args=[attempt_id]))


@login_required
def review(request, attempt_id: int):
    attempt = _attempt_or_404(request, attempt_id)
    if attempt.is_open:
        return HttpResponseRedirect(_attempt_url(attempt))
    options, items, overall = selectors.review(attempt=attempt, now=timezone.now())
    status = selectors.quiz_status(quiz=attempt.quiz, user=request.user)
    course = attempt.quiz.get_course()
    outline = course_selectors.course_outline(
        course=course,
        enrollment=course_selectors.enrollment_for(user=request.user, course=course),
        current=attempt.quiz,
        request=request,
    )
    return render(
        request,
        "quizzes/review.html",
        {
            "attempt": attempt,
            "quiz": attempt.quiz,
            "options": options,
            "items": items,
            "overall_feedback": overall,
            "status": status,
            "passed_before": any(
                other.passed and other.number < attempt.number for other in status.attempts
            ),
            "outline": outline,
        },
    )
