from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminModelForm

from courses.admin_forms import ScopedModelFormMixin
from quizzes.keys import validate_snapshot


class QuestionCategoryAdminForm(ScopedModelFormMixin, WagtailAdminModelForm):
    """A category goes into a bank the user may change: a course they train (administrators:
    any course, or the shared bank)."""


class QuestionAdminForm(ScopedModelFormMixin, WagtailAdminModelForm):
    """The question editor. Beyond field validation, the question as a whole must make sense
    (a right choice, matches for every item, ...): ``quizzes.keys.validate_snapshot`` decides,
    as it does for imports and the API."""

    def snapshot(self) -> dict:
        data = self.cleaned_data
        choices = []
        for form in self.formsets["choices"].forms:
            cleaned = getattr(form, "cleaned_data", None) or {}
            if not cleaned or cleaned.get("DELETE"):
                continue
            choices.append(
                {
                    "id": 0,
                    "text": cleaned.get("text", ""),
                    "match": cleaned.get("match", ""),
                    "is_correct": cleaned.get("is_correct", False),
                    "credit_percent": cleaned.get("credit_percent"),
                    "tolerance": cleaned.get("tolerance"),
                }
            )
        return {
            "type": data.get("type"),
            "text": data.get("text", ""),
            "marks": data.get("marks"),
            "wildcards": data.get("wildcards", False),
            "choices": choices,
        }

    def is_valid(self) -> bool:
        valid = super().is_valid()
        if not valid:
            return False
        problems = validate_snapshot(self.snapshot())
        for problem in problems:
            self.add_error(None, problem)
        return not problems


class GradeForm(forms.Form):
    grade = forms.DecimalField(label=_("Grade"), min_value=0, decimal_places=2, max_digits=8)
    comment = forms.CharField(
        label=_("Comment for the delegate"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, marks, **kwargs):
        super().__init__(*args, **kwargs)
        self.marks = Decimal(str(marks))
        self.fields["grade"].widget.attrs["max"] = str(marks)
        self.fields["grade"].help_text = _("Out of %(marks)s.") % {"marks": marks}

    def clean_grade(self):
        grade = self.cleaned_data["grade"]
        if grade > self.marks:
            raise forms.ValidationError(
                _("The grade must be between 0 and %(marks)s.") % {"marks": self.marks}
            )
        return grade
