"""Forms of the certificates admin: the template editor and its preset, the register's and the
completion report's filters, and the revoke / reissue / issue-by-hand forms."""

import unicodedata
from datetime import date

import django_filters
from django import forms
from django.utils import formats, translation
from django.utils.functional import Promise
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from wagtail.admin.filters import DateRangePickerWidget, WagtailFilterSet
from wagtail.admin.forms import WagtailAdminModelForm

from certificates.filters import organisation_contains
from certificates.models import Certificate, CertificateTemplate
from certificates.pdf import Holder, fill_placeholders, unknown_placeholders
from courses import selectors as course_selectors
from courses.admin_toolkit import STATUS_LABELS, ScopedModelFormMixin
from courses.model_fields import column_names
from courses.models import Cohort, CoursePage, Enrollment, Province
from courses.text import match_key, nfc

# Template editor


def official_preset() -> dict:
    """The fields of a Vietnamese official document ("GIẤY CHỨNG NHẬN"), in Vietnamese.

    The texts are English msgids translated by the .po catalogue: nothing Vietnamese is written
    in code. Override this function to change the preset.
    """
    with translation.override("vi"):
        return {
            "name": gettext("Vietnamese official document"),
            "preset": CertificateTemplate.Preset.OFFICIAL,
            "title": gettext("CERTIFICATE"),
            "intro": gettext("This is to certify that Mr/Ms"),
            "body": gettext(
                "[Position: {position}\n][Organisation: {organisation}\n]"
                "has completed the training course “{course}”[\nfrom {start_date} to {end_date}]."
            ),
            "show_motto": True,
            "motto_line_1": gettext("SOCIALIST REPUBLIC OF VIET NAM"),
            "motto_line_2": gettext("Independence - Freedom - Happiness"),
            "date_line": gettext("[{place}, ]day {day} month {month} year {year}"),
            "register_label": gettext("Register no.:"),
            "border": "double",
            "landscape": True,
        }


PRESETS = {CertificateTemplate.Preset.OFFICIAL.value: official_preset}

# What a template's texts are filled with when checked: any well-formed text fills.
_CHECK_HOLDER = Holder(
    full_name="-",
    course_title="-",
    serial="-",
    issued_on=date(2000, 1, 1),
    verification_url="-",
)


class CertificateTemplateForm(ScopedModelFormMixin, WagtailAdminModelForm):
    """Texts in NFC, and every text checked by filling it in as a certificate would. The course
    is one the user keeps (only administrators make the default template)."""

    FILLED_FIELDS = ("intro", "body")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The model's defaults are lazy translations; a field left out of a failed form keeps
        # its default on the instance, where the model's clean() needs a str.
        for name in column_names(type(self.instance)):
            field = self.instance._meta.get_field(name)
            value = getattr(self.instance, field.attname, None)
            if isinstance(value, Promise):
                setattr(self.instance, field.attname, str(value))

    def clean(self):
        cleaned_data = super().clean()
        for name, value in cleaned_data.items():
            if isinstance(value, str):
                cleaned_data[name] = unicodedata.normalize("NFC", value)
        for name in self.FILLED_FIELDS:
            value = cleaned_data.get(name)
            # Unknown names are reported by the model's clean(); other mistakes are caught here.
            if not value or name in self.errors or unknown_placeholders(value):
                continue
            try:
                fill_placeholders(value, _CHECK_HOLDER)
            except (KeyError, IndexError, ValueError, AttributeError, TypeError):
                self.add_error(name, self.bad_text_message())
        return cleaned_data

    def clean_date_line(self) -> str:
        value = self.cleaned_data["date_line"]
        try:
            value.format(place="-", day=1, month=1, year=2000)
        except (KeyError, IndexError, ValueError, AttributeError, TypeError) as error:
            raise forms.ValidationError(
                _("Use only the placeholders {place}, {day}, {month} and {year}.")
            ) from error
        return value

    @staticmethod
    def bad_text_message() -> str:
        return gettext(
            "Write each placeholder as a name in braces, like {name}; write no other braces."
        )


# The register's filters


def certificate_provinces(request=None) -> list[tuple[str, str]]:
    """The provinces printed on certificates (the snapshot text), for the filter's choices."""
    names = (
        Certificate.objects.exclude(province="")
        .order_by()
        .values_list("province", flat=True)
        .distinct()
    )
    return [(name, name) for name in sorted(names, key=match_key)]


class CertificateFilterSet(WagtailFilterSet):
    course = django_filters.ModelChoiceFilter(
        label=_("Course"), queryset=CoursePage.objects.order_by("title")
    )
    cohort = django_filters.ModelChoiceFilter(
        label=_("Cohort"), queryset=Cohort.objects.select_related("course")
    )
    province = django_filters.ChoiceFilter(label=_("Province"), choices=certificate_provinces)
    organisation = django_filters.CharFilter(
        label=_("Organisation contains"), method="filter_organisation"
    )
    # Named "issued": the widget's parameters are issued_from and issued_to.
    issued = django_filters.DateFromToRangeFilter(
        label=_("Issued"), field_name="issued_on", widget=DateRangePickerWidget
    )
    status = django_filters.ChoiceFilter(
        label=_("Status"),
        choices=Certificate.Status.choices,
        widget=forms.RadioSelect,
        empty_label=_("All"),
    )

    class Meta:
        model = Certificate
        fields = ["course", "cohort", "province", "organisation", "issued", "status"]

    def filter_organisation(self, queryset, name, value):
        return organisation_contains(queryset, value)


# Revoke, reissue, issue by hand


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Kept in the certificate's history."),
    )

    def clean_reason(self) -> str:
        return nfc(self.cleaned_data["reason"])


class CohortChoiceForm(forms.Form):
    cohort = forms.ModelChoiceField(label=_("Cohort"), queryset=Cohort.objects.none())

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["cohort"].queryset = course_selectors.cohorts_visible_to(user)


class EnrollmentChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, enrollment):
        profile = getattr(enrollment.user, "delegate_profile", None)
        name = (profile.full_name if profile else "") or enrollment.user.get_username()
        if enrollment.completed_at:
            state = gettext("completed %(date)s") % {
                "date": formats.date_format(enrollment.completed_at, "SHORT_DATE_FORMAT")
            }
        else:
            state = gettext("not completed")
        parts = [name, enrollment.organisation, state]
        return " · ".join(part for part in parts if part)


class IssueCertificateForm(forms.Form):
    """Pick a delegate of the cohort who has no valid certificate yet."""

    enrollment = EnrollmentChoiceField(
        label=_("Delegate"),
        queryset=Enrollment.objects.none(),
        widget=forms.RadioSelect,
        empty_label=None,
        help_text=_(
            "Delegates who have not completed the course may be given a certificate by hand."
        ),
    )

    def __init__(self, *args, cohort: Cohort, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["enrollment"].queryset = (
            cohort.enrollments.exclude(certificates__status=Certificate.Status.VALID)
            .select_related("user__delegate_profile")
            .order_by("user__delegate_profile__full_name", "user__username")
        )


# The completion report's filters (applied to cohort_progress rows by the view)


class CompletionReportFilterSet(WagtailFilterSet):
    cohort = django_filters.ModelChoiceFilter(
        label=_("Cohort"),
        queryset=lambda request: course_selectors.cohorts_visible_to(request.user),
        method="keep",
    )
    province = django_filters.ModelChoiceFilter(
        label=_("Province"), queryset=Province.objects.all(), method="keep"
    )
    status = django_filters.ChoiceFilter(
        label=_("Status"),
        choices=list(STATUS_LABELS.items()),
        widget=forms.RadioSelect,
        empty_label=_("All"),
        method="keep",
    )

    class Meta:
        model = Enrollment
        fields = ["cohort", "province", "status"]

    def keep(self, queryset, name, value):
        return queryset
