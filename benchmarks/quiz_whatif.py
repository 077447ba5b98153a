"""Bench-only experiment: the changes proposed for ``quizzes/services/attempts.py``, applied as
monkeypatches so their effect can be measured without touching the application.

    .venv/bin/python benchmarks/profile_quiz.py --what-if     # in-process CPU per request
    .venv/bin/python benchmarks/run_quiz.py --what-if         # under load, in gunicorn

Each patch keeps the service's behaviour (the concurrency tests' assertions hold) and changes
only how it talks to the database:

1. ``_locked``: lock the attempt row alone, without joining the quiz. The original
   ``select_for_update().select_related("quiz")`` was FOR UPDATE without OF, which in PostgreSQL
   also locked the quiz's ``quizzes_quizpage`` and ``wagtailcore_page`` rows: every save and
   submit of one quiz waited for all the others. Commit bd1bb2b fixed that with
   ``select_for_update(of=("self",))``; the patch also drops the join, since saving needs
   nothing of the quiz (submit loads it when it scores: one small query instead of a wide join
   on every save).
2. ``selectors.attempt_for`` (the views' ownership check before save and submit): no join of the
   quiz page either; the save and submit views never use it. (Better still, those two views could
   skip this read and let the service's own ``filter(user=...)`` raise ``DoesNotExist``.)
3. ``_write_answers``: one plain ``UPDATE`` per changed answer (at most a page's worth) instead of
   ``bulk_update``, whose CASE/WHEN expression per field and row costs more Python than the
   handful of statements it saves.
4. ``rescore``: one ``UPDATE ... WHERE id IN (...)`` per distinct (marks, outcome) pair, usually
   two or three, instead of ``bulk_update`` over all 20 responses; ``attempt.save`` limited to
   the fields scoring changes.
"""

from collections import defaultdict

from django.apps import AppConfig

WHAT_IF_ENV = "BENCH_QUIZ_WHAT_IF"


def _locked(attempt_id, user):
    from quizzes.models import Attempt

    attempts = Attempt.objects.select_for_update()
    if user is not None:
        attempts = attempts.filter(user=user)
    attempt = attempts.filter(pk=attempt_id).first()
    if attempt is None:
        raise Attempt.DoesNotExist
    return attempt


def attempt_for(*, attempt_id, user):
    from quizzes.models import Attempt

    return Attempt.objects.filter(pk=attempt_id, user=user).first()


def _write_answers(attempt, answers, seen_revisions, now):
    from quizzes import exceptions
    from quizzes.answers import InvalidAnswer, clean_answer
    from quizzes.models import Response
    from quizzes.scoring import QuestionType
    from quizzes.services.attempts import SaveResult

    responses = {
        r.position: r
        for r in attempt.responses.select_related("question_version").filter(
            position__in=list(answers)
        )
    }
    cleaned = {}
    for position, value in answers.items():
        response = responses.get(position)
        if response is None:
            raise exceptions.NotInAttempt()
        data = response.question_version.data
        try:
            cleaned[position] = clean_answer(
                QuestionType(data["type"]),
                value,
                choice_ids={int(c["id"]) for c in data.get("choices", [])},
                options={c.get("match", "") for c in data.get("choices", [])},
            )
        except InvalidAnswer as error:
            raise exceptions.BadAnswer(position, error.message) from None
    result = SaveResult(deadline_at=attempt.deadline_at)
    for position, value in cleaned.items():
        response = responses[position]
        seen = seen_revisions.get(position)
        if seen is not None and seen != response.revision:
            result.stale.append(position)
        elif value != response.answer:
            response.revision += 1
            Response.objects.filter(pk=response.pk).update(
                answer=value, answered_at=now, revision=response.revision
            )
            result.saved.append(position)
        result.revisions[position] = response.revision
    return result


def rescore(attempt):
    from quizzes.answers import for_scoring
    from quizzes.keys import key_from_snapshot
    from quizzes.models import Response
    from quizzes.scoring import score_attempt
    from quizzes.services import attempts as services

    responses = list(attempt.responses.select_related("question_version").order_by("position"))
    keys = [key_from_snapshot(r.question_version.data) for r in responses]
    result = score_attempt(
        keys,
        [for_scoring(k.type, r.answer) for k, r in zip(keys, responses, strict=True)],
        pass_mark_percent=attempt.quiz.pass_mark_percent,
        manual_grades=[r.manual_grade for r in responses],
    )
    changed = defaultdict(list)
    for response, question in zip(responses, result.questions, strict=True):
        earned, outcome = question.earned_decimal, question.outcome.value
        if (response.earned, response.outcome) != (earned, outcome):
            response.earned, response.outcome = earned, outcome
            changed[earned, outcome].append(response.pk)
    for (earned, outcome), ids in changed.items():
        Response.objects.filter(pk__in=ids).update(earned=earned, outcome=outcome)
    attempt.score, attempt.max_score = result.earned, result.possible
    attempt.percent, attempt.passed = result.percent, result.passed
    attempt.pending_grading = result.pending
    if attempt.pk is None:
        attempt.save()
    else:
        attempt.save(
            update_fields=[
                "state",
                "closed_by",
                "submitted_at",
                "score",
                "max_score",
                "percent",
                "passed",
                "pending_grading",
            ]
        )
    if attempt.passed:
        services._record_pass(attempt)


def apply() -> None:
    from quizzes import selectors
    from quizzes.services import attempts

    selectors.attempt_for = attempt_for
    attempts._locked = _locked
    attempts._write_answers = _write_answers
    attempts.rescore = rescore


class WhatIfConfig(AppConfig):
    """Installed by ``lms.settings.bench`` when $BENCH_QUIZ_WHAT_IF is set: patches the
    services in every gunicorn worker."""

    name = "benchmarks.quiz_whatif"
    label = "quiz_whatif"

    def ready(self) -> None:
        apply()
