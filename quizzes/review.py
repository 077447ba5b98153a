"""What a delegate may see of a submitted attempt, from the quiz's review options. Pure."""

from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True, slots=True)
class ReviewOptions:
    score: bool = False
    correctness: bool = False
    right_answers: bool = False
    feedback: bool = False

    @property
    def anything(self) -> bool:
        return self.score or self.correctness or self.right_answers or self.feedback


NOTHING = ReviewOptions()


def review_options(quiz, *, attempt_open: bool, now: datetime) -> ReviewOptions:
    """Nothing while the attempt is open; the "after submit" options until the quiz closes, the
    "after close" options from then on."""
    if attempt_open:
        return NOTHING
    closed = quiz.closes_at is not None and now >= quiz.closes_at
    when = "close" if closed else "submit"
    return ReviewOptions(
        score=getattr(quiz, f"review_score_after_{when}"),
        correctness=getattr(quiz, f"review_correctness_after_{when}"),
        right_answers=getattr(quiz, f"review_answers_after_{when}"),
        feedback=getattr(quiz, f"review_feedback_after_{when}"),
    )


def feedback_for(bands, percent) -> str:
    """The overall feedback of the highest band the percentage reaches."""
    reached = [band for band in bands if percent is not None and percent >= band.min_percent]
    return max(reached, key=lambda band: band.min_percent).text if reached else ""
