"""Wagtail admin: the agency signing certificate of each issuing body (``CertificateSigner``).

Only administrators (or a group given the model's permissions) see it: it names where the key
is kept. Saving signs a test document with the configuration, so a wrong password, an expired
certificate or an unreachable timestamp server is reported on the form, never discovered when
a delegate's certificate is due.
"""

from django import forms
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.ui.tables import Column, DateColumn
from wagtail.admin.viewsets.model import ModelViewSet

from certificates import signing
from certificates.models import CertificateSigner

KEY_STORE_FIELDS = {
    CertificateSigner.Kind.PKCS12: ("pkcs12_path",),
    CertificateSigner.Kind.PKCS11: ("pkcs11_module", "pkcs11_token_label", "pkcs11_key_label"),
}


class CertificateSignerForm(WagtailAdminModelForm):
    class Meta:
        model = CertificateSigner
        fields = [
            "template",
            "enabled",
            "signer_name",
            "reason",
            "location",
            "kind",
            "pkcs12_path",
            "password_env",
            "password_file",
            "pkcs11_module",
            "pkcs11_token_label",
            "pkcs11_key_label",
            "pkcs11_pin_env",
            "timestamp_url",
        ]

    def clean(self):
        cleaned = super().clean()
        kind = cleaned.get("kind")
        for name in KEY_STORE_FIELDS.get(kind, ()):
            if not cleaned.get(name):
                self.add_error(name, _("Required for this key store."))
        if kind == CertificateSigner.Kind.PKCS12 and bool(cleaned.get("password_env")) == bool(
            cleaned.get("password_file")
        ):
            self.add_error(
                "password_env",
                _("Give either the environment variable or the file that holds the password."),
            )
        if self.errors or not cleaned.get("enabled"):
            return cleaned
        probe = CertificateSigner(**{name: cleaned.get(name) for name in self.Meta.fields})
        try:
            self.identity = signing.check_configuration(probe)
        except signing.SigningError as error:
            raise forms.ValidationError(
                _("The test signature failed: %(reason)s") % {"reason": error.message}
            ) from error
        return cleaned

    def save(self, commit=True):
        identity = getattr(self, "identity", None)
        if identity is not None:
            signing.remember_identity(self.instance, identity)
        return super().save(commit=commit)


class CertificateSignerViewSet(ModelViewSet):
    model = CertificateSigner
    name = "certificate_signers"
    url_prefix = "certificates/signers"
    icon = "key"
    menu_label = _("Digital signatures")
    copy_view_enabled = False
    inspect_view_enabled = False
    add_to_reference_index = False
    list_display = [
        "signer_name",
        Column("template", label=_("Certificate template")),
        Column("certificate_subject", label=_("Signing certificate")),
        DateColumn("certificate_not_after", label=_("Valid until")),
        Column("enabled", label=_("Signs")),
    ]

    def get_form_class(self, for_update=False):
        return CertificateSignerForm
