from django import forms
from django.utils.translation import gettext_lazy as _

from courses.models import DataRequest

DELEGATE_KINDS = [
    (DataRequest.Kind.ERASURE, _("Erase my personal data")),
    (DataRequest.Kind.RESTRICTION, _("Restrict the processing of my data")),
    (DataRequest.Kind.WITHDRAWAL, _("Withdraw my consent")),
]


class DataRequestForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("What do you ask for?"),
        choices=DELEGATE_KINDS,
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Choose what you ask for."),
            "invalid_choice": _("Choose one of the requests listed."),
        },
    )
    reason = forms.CharField(
        label=_("Reason"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Optional: anything that helps us handle the request."),
    )


class ConsentForm(forms.Form):
    agree = forms.BooleanField(
        label=_(
            "I have read the privacy notice and agree to my personal data being processed "
            "as it describes."
        ),
        error_messages={"required": _("Tick the box to give your consent, or sign out.")},
    )
