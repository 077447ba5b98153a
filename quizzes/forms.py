"""Reading a posted attempt page into answers by position (the no-JavaScript path)."""

from typing import Any

from django.http import QueryDict

from quizzes.exceptions import NotInAttempt
from quizzes.scoring import QuestionType

# Response.position is a small integer: a larger number names no question (and overflows
# SQLite's integers when looked up).
MAX_POSITION = 32767


def _int(value: str | None) -> int | None:
    try:
        return int(value) if value not in (None, "") else None
    except ValueError:
        return None


def answers_from_post(post: QueryDict, questions) -> tuple[dict[int, Any], dict[int, int]]:
    """Answers and the revisions the page was rendered with, for the questions on the page.

    Values are passed on as posted; ``quizzes.answers.clean_answer`` decides what is valid.
    """
    answers: dict[int, Any] = {}
    revisions: dict[int, int] = {}
    for question in questions:
        position, name = question.position, f"q{question.position}"
        kind = QuestionType(question.type)
        if kind == QuestionType.MULTIPLE:
            answers[position] = post.getlist(name)
        elif kind == QuestionType.MATCHING:
            answers[position] = {
                str(item["id"]): post.get(f"{name}-{item['id']}", "")
                for item in question.view["items"]
            }
        elif kind == QuestionType.ORDERING:
            ranks = {
                choice["id"]: _int(post.get(f"{name}-{choice['id']}"))
                for choice in question.view["choices"]
            }
            if all(rank is None for rank in ranks.values()):
                answers[position] = None
            elif any(rank is None for rank in ranks.values()) or len(set(ranks.values())) != len(
                ranks
            ):
                answers[position] = ["invalid"]  # incomplete or repeated positions: refused
            else:
                answers[position] = sorted(ranks, key=lambda choice_id: ranks[choice_id])
        else:
            answers[position] = post.get(name, "")
        revision = _int(post.get(f"rev{position}"))
        if revision is not None:
            revisions[position] = revision
    return answers, revisions


def answers_from_json(payload: Any) -> tuple[dict[int, Any], dict[int, int]]:
    """``{"answers": {"<position>": value}, "revisions": {"<position>": n}}`` from autosave or
    the API. Raises ``ValueError`` if it is not shaped like that, ``NotInAttempt`` for a position
    no attempt can have."""
    if not isinstance(payload, dict):
        raise ValueError("not an object")
    # Flags alone (quizzes.forms.flags_from_json) need no answers.
    answers_in = payload.get("answers", {} if "flags" in payload else None)
    if not isinstance(answers_in, dict):
        raise ValueError("answers missing")
    answers = {int(position): value for position, value in answers_in.items()}
    if any(not 0 <= position <= MAX_POSITION for position in answers):
        raise NotInAttempt()
    revisions_in = payload.get("revisions") or {}
    if not isinstance(revisions_in, dict):
        raise ValueError("revisions must be an object")
    try:
        revisions = {int(position): int(rev) for position, rev in revisions_in.items()}
    except OverflowError:  # JSON's 1e999 is infinity
        raise ValueError("revisions must be whole numbers") from None
    return answers, revisions


def flags_from_post(post: QueryDict, questions) -> dict[int, bool]:
    """The "flag for review" boxes of the page's questions that differ from the stored flags
    (an unticked box posts nothing): a page posted without changing one writes none."""
    posted = {q.position: post.get(f"flag{q.position}") == "1" for q in questions}
    return {
        q.position: posted[q.position]
        for q in questions
        if posted[q.position] != q.response.flagged
    }


def flags_from_json(payload: Any) -> dict[int, bool]:
    """``{"flags": {"<position>": true|false}}``, optional beside the answers. Raises
    ``ValueError`` if it is not shaped like that, ``NotInAttempt`` for a position no attempt
    can have."""
    flags_in = payload.get("flags") if isinstance(payload, dict) else None
    if flags_in is None:
        return {}
    if not isinstance(flags_in, dict) or not all(isinstance(v, bool) for v in flags_in.values()):
        raise ValueError("flags must map positions to true or false")
    flags = {int(position): flagged for position, flagged in flags_in.items()}
    if any(not 0 <= position <= MAX_POSITION for position in flags):
        raise NotInAttempt()
    return flags
