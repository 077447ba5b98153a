"""Question versions: an attempt keeps the version its delegate saw."""

import hashlib
import json
from collections.abc import Iterable
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import F, OuterRef, Prefetch, Subquery

from quizzes.keys import key_from_snapshot
from quizzes.models import Choice, Question, QuestionVersion
from quizzes.scoring import QuestionKey


def choices_in_order() -> Prefetch:
    """A question's choices in the editor's order, for ``prefetch_related()``: choices without a
    position last, ties by creation. Explicit, so that snapshots, their fingerprints and choice
    orders are the same on SQLite and PostgreSQL (which disagree on where NULLs go and keep
    rows in storage order)."""
    return Prefetch(
        "choices", queryset=Choice.objects.order_by(F("sort_order").asc(nulls_last=True), "pk")
    )


def snapshot_of(question: Question) -> dict[str, Any]:
    """Everything about a question that an attempt must keep, as JSON."""
    return {
        "type": question.type,
        "name": question.name,
        "text": question.text,
        "marks": str(question.marks),
        "general_feedback": question.general_feedback,
        "all_or_nothing": question.all_or_nothing,
        "penalise_wrong_choices": question.penalise_wrong_choices,
        "case_sensitive": question.case_sensitive,
        "accept_without_diacritics": question.accept_without_diacritics,
        "shuffle_choices": question.shuffle_choices,
        # Only when set, so that the versions (and fingerprints) of questions without
        # wildcards stay as they were before the option existed.
        **({"wildcards": True} if question.wildcards else {}),
        "choices": [
            {
                "id": choice.pk,
                "text": choice.text,
                "match": choice.match,
                "is_correct": choice.is_correct,
                "credit_percent": None
                if choice.credit_percent is None
                else str(choice.credit_percent),
                "tolerance": None if choice.tolerance is None else str(choice.tolerance),
                "feedback": choice.feedback,
            }
            for choice in question.choices.all()
        ],
    }


def fingerprint(data: dict[str, Any]) -> str:
    return hashlib.sha256(
        json.dumps(data, sort_keys=True, ensure_ascii=False).encode("utf-8")
    ).hexdigest()


def current_versions(questions: Iterable[Question], *, user=None) -> dict[int, QuestionVersion]:
    """The latest version of each question, creating one where the question has changed since
    (or has never been versioned). Questions must come with their choices prefetched."""
    questions = list(questions)
    newest = QuestionVersion.objects.filter(question=OuterRef("question")).order_by("-number")
    latest = {
        version.question_id: version
        for version in QuestionVersion.objects.filter(
            question__in=questions, number=Subquery(newest.values("number")[:1])
        )
    }
    result: dict[int, QuestionVersion] = {}
    for question in questions:
        data = snapshot_of(question)
        digest = fingerprint(data)
        version = latest.get(question.pk)
        if version is None or version.fingerprint != digest:
            version = _create_version(question, data, digest, user=user)
        result[question.pk] = version
    return result


def _create_version(question: Question, data, digest: str, *, user) -> QuestionVersion:
    for _attempt in range(3):
        newest = QuestionVersion.objects.filter(question=question).order_by("-number").first()
        if newest is not None and newest.fingerprint == digest:
            return newest  # another request versioned this very content a moment ago
        number = (newest.number if newest else 0) + 1
        try:
            with transaction.atomic():
                return QuestionVersion.objects.create(
                    question=question, number=number, data=data, fingerprint=digest, created_by=user
                )
        except IntegrityError:
            continue  # the same number was taken at the same moment: look again
    raise RuntimeError(f"could not version question {question.pk}")


# A version never changes once written, so its scoring key is derived once per process rather than
# on every save and submit. Keyed by id *and* fingerprint: an id alone may name other content in
# another database (a restored backup, a test database rolled back).
_keys: dict[tuple[int, str], QuestionKey] = {}
KEYS_KEPT = 4096  # ample for every question in use; past it the cache starts again


def answer_keys(versions: Iterable[tuple[int, str]]) -> dict[int, QuestionKey]:
    """The scoring keys of the given ``(version id, fingerprint)`` pairs, by version id. Reads
    only the versions not seen before in this process (one query, none once warm)."""
    keys: dict[int, QuestionKey] = {}
    missing = []
    for version_id, digest in versions:
        key = _keys.get((version_id, digest))
        if key is None:
            missing.append(version_id)
        else:
            keys[version_id] = key
    if missing:
        if len(_keys) + len(missing) > KEYS_KEPT:
            _keys.clear()
        for version_id, digest, data in QuestionVersion.objects.filter(pk__in=missing).values_list(
            "pk", "fingerprint", "data"
        ):
            keys[version_id] = _keys[version_id, digest] = key_from_snapshot(data)
    return keys
