"""The Wagtail admin's API token screens (Wagtail 8), fitted to a site of ten thousand delegates.

Wagtail's own screens list every account the administrator manages: as a checkbox in the
listing's filter and as an option of the creation form's user menu (with 15,000 accounts, a
2.2 MB listing and a 1 MB form, 1.2-1.6 s each). Here the filter lists the accounts that hold
tokens, and the form takes the owner's email address or username, typed in, among the same
accounts Wagtail allows. Everything else (creating, renaming, revoking, the audit log, who may
manage whose tokens) is Wagtail's. Imported only where Wagtail has API tokens.
"""

from django import forms
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from wagtail.admin.filters import MultipleUserFilter
from wagtail.users.utils import get_manageable_token_owners
from wagtail.users.views import api_tokens


def token_owners(user):
    """The accounts whose tokens ``user`` may manage and that hold at least one."""
    return get_manageable_token_owners(user).filter(api_tokens__isnull=False).distinct()


class AccountField(forms.CharField):
    """An account of ``queryset`` named by its username or its email address."""

    default_error_messages = {
        "unknown": _("No account you may give a token to has this username or email address."),
        "ambiguous": _("Several accounts have this email address: enter the username instead."),
    }

    def __init__(self, *, queryset, **kwargs):
        super().__init__(**kwargs)
        self.queryset = queryset

    def clean(self, value):
        value = super().clean(value)
        username = get_user_model().USERNAME_FIELD
        by_username = self.queryset.filter(**{username: value})
        matches = list(by_username[:1]) or list(self.queryset.filter(email__iexact=value)[:2])
        if not matches:
            raise ValidationError(self.error_messages["unknown"], code="unknown")
        if len(matches) > 1:
            raise ValidationError(self.error_messages["ambiguous"], code="ambiguous")
        return matches[0]


class TokenForm(forms.Form):
    name = forms.CharField(max_length=255, label=_("Name"))
    user = AccountField(
        queryset=None,
        max_length=254,
        label=_("Account"),
        help_text=_(
            "The username or email address of the account the integration acts as. "
            "Give each integration an account of its own."
        ),
    )

    def __init__(self, *args, manageable_users, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["user"].queryset = manageable_users


class TokenFilterSet(api_tokens.APITokenFilterSet):
    user = MultipleUserFilter(
        label=_("Account"),
        field_name="user",
        queryset=lambda request: token_owners(request.user),
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta(api_tokens.APITokenFilterSet.Meta):
        pass


class TokenIndexView(api_tokens.IndexView):
    filterset_class = TokenFilterSet


class TokenViewSet(api_tokens.APITokenViewSet):
    index_view_class = TokenIndexView

    def get_form_class(self, for_update=False):
        return super().get_form_class(for_update=True) if for_update else TokenForm
