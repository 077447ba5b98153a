from django import forms
from django.utils.translation import gettext_lazy as _

MAX_PDF_BYTES = 5 * 1024 * 1024


class VerifyCodeForm(forms.Form):
    code = forms.CharField(
        label=_("Verification code"),
        max_length=300,  # a pasted verification address is accepted too
        help_text=_("Printed under the QR code of the certificate."),
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )

    def clean_code(self) -> str:
        code = "".join(self.cleaned_data["code"].split())
        if "/" in code:  # a pasted address: keep its last part
            code = code.rstrip("/").rsplit("/", 1)[-1]
        return code


class VerifyFileForm(forms.Form):
    file = forms.FileField(label=_("Certificate PDF"))

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_PDF_BYTES:
            raise forms.ValidationError(_("The file is larger than any certificate (5 MB)."))
        head = upload.read(5)
        upload.seek(0)
        if head != b"%PDF-":
            raise forms.ValidationError(_("This is not a PDF file."))
        return upload
