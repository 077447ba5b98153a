from decimal import Decimal

from django import forms
from django.template.defaultfilters import floatformat
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminModelForm

from courses.admin_forms import ScopedModelFormMixin
from quizzes.keys import validate_snapshot
from quizzes.question_types import without_unused_fields
from quizzes.scoring import QuestionType, parse_number


class QuestionCategoryAdminForm(ScopedModelFormMixin, WagtailAdminModelForm):
    """A category goes into a bank the user may change: a course they train (administrators:
    any course, or the shared bank)."""


class QuestionAdminForm(ScopedModelFormMixin, WagtailAdminModelForm):
    """The question editor. Beyond field validation, the question as a whole must make sense
    (a right choice, matches for every item, ...): ``quizzes.keys.validate_snapshot`` decides,
    as it does for imports and the API.

    Only the fields of the chosen type count: the others are put back to their defaults before
    validation (``quizzes.question_types``), so the form works the same with the script that
    hides them and without it."""

    class Media:
        js = ["quizzes/question_form.js"]
        css = {"all": ["quizzes/admin.css"]}

    def __init__(self, data=None, *args, **kwargs):
        if data is None:
            data = kwargs.pop("data", None)
        if data is not None:
            data = without_unused_fields(data)
        super().__init__(data, *args, **kwargs)
        type_field = self.fields.get("type")
        if type_field is not None:
            type_field.widget.attrs["data-question-type-select"] = ""
            if self.instance.pk is None and not self.initial.get("type"):
                self.initial["type"] = QuestionType.SINGLE.value

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


class MarksField(forms.Field):
    """Marks as trainers type them: "1,5" (the Vietnamese decimal comma) or "1.5"; shown back
    as the listings show numbers (``floatformat``, localised)."""

    widget = forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off", "size": 8})

    def prepare_value(self, value):
        if isinstance(value, Decimal | int | float):
            return floatformat(value, "-2")
        return value

    def to_python(self, value):
        text = str(value or "").strip()
        if not text:
            return None
        number = parse_number(text[:50])
        if number is None:
            raise forms.ValidationError(_("Enter the marks as a number, e.g. 1,5."), code="invalid")
        return number


class GradeForm(forms.Form):
    grade = MarksField(label=_("Grade"))
    comment = forms.CharField(
        label=_("Comment for the delegate"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, marks, **kwargs):
        super().__init__(*args, **kwargs)
        self.marks = Decimal(str(marks))
        self.fields["grade"].help_text = _("Out of %(marks)s.") % {
            "marks": floatformat(self.marks, "-2")
        }

    def clean_grade(self):
        grade = self.cleaned_data["grade"]
        if grade < 0 or grade > self.marks:
            raise forms.ValidationError(
                _("The grade must be between 0 and %(marks)s.")
                % {"marks": floatformat(self.marks, "-2")}
            )
        if grade != grade.quantize(Decimal("0.01")):
            raise forms.ValidationError(_("Give the grade to two decimal places at most."))
        return grade
