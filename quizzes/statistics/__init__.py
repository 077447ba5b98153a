"""Item analysis of quiz attempts, as Moodle's quiz statistics report does it: plain Python, no
Django, no database. ``analysis`` holds the descriptive statistics, the analysis of a set of
attempts (its docstring cites every formula) and the colour cues; ``distractors`` counts the
choices picked. Import the names from here.
"""

from quizzes.statistics.analysis import (
    VERY_EASY_FACILITY,
    VERY_HARD_FACILITY,
    WEAK_DISCRIMINATION,
    Analysis,
    Flag,
    ItemScore,
    ItemStatistics,
    QuizStatistics,
    analyse,
    analyse_scaled,
    correlation,
    cronbach_alpha,
    discriminative_efficiency,
    item_flags,
    kurtosis,
    mean,
    median,
    sample_covariance,
    sample_variance,
    skewness,
)
from quizzes.statistics.distractors import (
    ChoiceFrequency,
    ChoiceOption,
    DistractorAnalysis,
    distractor_analysis,
)

__all__ = [
    "Analysis",
    "ChoiceFrequency",
    "ChoiceOption",
    "DistractorAnalysis",
    "Flag",
    "ItemScore",
    "ItemStatistics",
    "QuizStatistics",
    "VERY_EASY_FACILITY",
    "VERY_HARD_FACILITY",
    "WEAK_DISCRIMINATION",
    "analyse",
    "analyse_scaled",
    "correlation",
    "cronbach_alpha",
    "discriminative_efficiency",
    "distractor_analysis",
    "item_flags",
    "kurtosis",
    "mean",
    "median",
    "sample_covariance",
    "sample_variance",
    "skewness",
]
