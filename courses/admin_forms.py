from django import forms
from django.contrib.auth import get_user_model
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminModelForm

from courses.conf import lms_settings
from courses.models import Cohort
from courses.services import normalise_code


class CohortAdminForm(WagtailAdminModelForm):
    class Meta:
        model = Cohort
        fields = "__all__"

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "trainers" in self.fields:
            self.fields["trainers"].queryset = (
                get_user_model()
                .objects.filter(
                    Q(groups__name=lms_settings.TRAINERS_GROUP)
                    | Q(pk__in=self.instance.trainers.all() if self.instance.pk else [])
                )
                .distinct()
                .order_by("first_name", "last_name", "username")
            )
            self.fields["trainers"].help_text = _(
                "Only members of the Trainers group are listed. Trainers of a cohort may edit "
                "its course and follow its delegates."
            )

    def clean_enrolment_code(self) -> str:
        code = normalise_code(self.cleaned_data["enrolment_code"])
        if not code.isalnum() or not code.isascii():
            raise forms.ValidationError(_("Use only letters A–Z and digits, without spaces."))
        return code
