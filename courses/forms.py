from django import forms
from django.contrib.auth import get_user_model, password_validation
from django.contrib.auth.forms import PasswordResetForm
from django.utils.translation import gettext_lazy as _

from courses.models import DelegateProfile, Province
from courses.text import collapse_spaces, nfc


class ProvinceChoiceField(forms.ModelChoiceField):
    def __init__(self, **kwargs):
        super().__init__(
            queryset=Province.objects.filter(is_active=True),
            label=_("Province or city"),
            empty_label=_("Choose your province or city"),
            **kwargs,
        )


class ProfileFieldsMixin(forms.Form):
    full_name = forms.CharField(
        label=_("Full name"),
        max_length=150,
        help_text=_("As it should appear on your certificate, with diacritics."),
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    organisation = forms.CharField(
        label=_("Organisation"),
        max_length=200,
        widget=forms.TextInput(attrs={"autocomplete": "organization"}),
    )
    position = forms.CharField(
        label=_("Position"),
        max_length=150,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "organization-title"}),
    )
    province = ProvinceChoiceField()

    def clean_full_name(self) -> str:
        name = collapse_spaces(self.cleaned_data["full_name"])
        if not name:
            raise forms.ValidationError(_("Enter your full name."))
        return name

    def clean_organisation(self) -> str:
        return collapse_spaces(self.cleaned_data["organisation"])

    def clean_position(self) -> str:
        return collapse_spaces(self.cleaned_data["position"])


class SignupForm(ProfileFieldsMixin):
    email = forms.EmailField(
        label=_("Email"),
        max_length=150,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    password1 = forms.CharField(
        label=_("Password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=password_validation.password_validators_help_text_html(),
    )
    password2 = forms.CharField(
        label=_("Confirm password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    privacy_consent = forms.BooleanField(
        label=_(
            "I have read the privacy notice and agree to my personal data being processed "
            "as it describes."
        ),
        error_messages={"required": _("Tick the box to give your consent to sign up.")},
    )
    field_order = ["full_name", "email", "organisation", "position", "province"]

    def clean_email(self) -> str:
        # Whether the address already has an account is never said here: courses.signup
        # answers every sign-up alike and tells the address's owner by email.
        return nfc(self.cleaned_data["email"]).lower()

    def clean(self):
        cleaned = super().clean()
        first, second = cleaned.get("password1"), cleaned.get("password2")
        if first and second and first != second:
            self.add_error("password2", _("The two passwords do not match."))
        elif first:
            probe = get_user_model()(
                username=cleaned.get("email", ""), email=cleaned.get("email", "")
            )
            try:
                password_validation.validate_password(first, probe)
            except forms.ValidationError as error:
                self.add_error("password1", error)
        return cleaned


class ProfileForm(forms.ModelForm, ProfileFieldsMixin):
    class Meta:
        model = DelegateProfile
        fields = ["full_name", "organisation", "position", "province", "phone"]
        labels = {"phone": _("Phone")}


class EnrolmentCodeForm(forms.Form):
    code = forms.CharField(
        label=_("Enrolment code"),
        max_length=32,
        help_text=_("The code your organiser gave you, e.g. K7M2QX9P."),
        widget=forms.TextInput(
            attrs={"autocapitalize": "characters", "autocomplete": "off", "spellcheck": "false"}
        ),
    )


class PasswordLinkForm(PasswordResetForm):
    """Django's reset form, which also reaches delegates imported from a roster who never set a
    password (their invitation link may have expired). Other accounts without a usable password
    (e.g. signing in elsewhere) are still left alone, as Django does."""

    def get_users(self, email):
        users = get_user_model()._default_manager.filter(email__iexact=email, is_active=True)
        for user in users.select_related("delegate_profile"):
            invited = not user.has_usable_password() and hasattr(user, "delegate_profile")
            same_email = user.email.casefold() == email.casefold()
            if same_email and (user.has_usable_password() or invited):
                yield user
