from django import forms
from django.contrib.auth import get_user_model
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminModelForm

from courses.compat import permission_policy_for
from courses.conf import lms_settings
from courses.models import Cohort
from courses.permissions import ScopedPermissionPolicy, visible_choices
from courses.services import normalise_code


class ScopedModelFormMixin:
    """The admin form of a model with a ``ScopedPermissionPolicy``: the field naming what owns
    the instance (a question's category, a template's course...) offers only owners the user
    may add to or change, so nobody moves an instance out of their reach, or into another
    course's."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        policy = permission_policy_for(type(self.instance))
        user = getattr(self, "for_user", None)
        if not isinstance(policy, ScopedPermissionPolicy) or user is None:
            return
        name, _sep, rest = policy.owner.partition("__")
        name = name.removesuffix("_id")
        field = self.fields.get(name)
        if field is None or not hasattr(field, "queryset"):
            return
        reach = policy.reach(user, "change" if self.instance.pk else "add")
        lookup = rest.removesuffix("_id") + "_id" if rest else "pk"
        condition = Q()
        if reach.owners is not None:
            condition = Q(**{f"{lookup}__in": sorted(reach.owners)})
            if reach.unowned and rest:
                condition |= Q(**{f"{lookup}__isnull": True})
        elif not reach.unowned and rest:
            condition = Q(**{f"{lookup}__isnull": False})
        field.queryset = field.queryset.filter(condition)
        if not reach.unowned and not rest:
            field.required = True  # no owner would make it shared: administrators only
        field.error_messages["invalid_choice"] = _(
            "You may not choose this: it belongs to a course you do not train, or it is shared "
            "and only administrators change it."
        )


class CohortAdminForm(WagtailAdminModelForm):
    class Meta:
        model = Cohort
        fields = "__all__"

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "course" in self.fields and getattr(self, "for_user", None) is not None:
            self.fields["course"].queryset = visible_choices(
                self.fields["course"].queryset, self.for_user
            )
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
