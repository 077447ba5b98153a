from django import forms
from django.utils.translation import gettext_lazy as _

from certificates.exceptions import FileTooLarge

MAX_PDF_BYTES = 5 * 1024 * 1024


class VerifyCodeForm(forms.Form):
    """What a visitor types from a certificate: the verification code under its QR code (or
    the address the QR code holds), or its register number ("Số vào sổ")."""

    code = forms.CharField(
        label=_("Verification code or register number"),
        max_length=300,  # a pasted verification address is accepted too
        help_text=_(
            "The code printed under the QR code of the certificate, or its register number."
        ),
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )

    def clean_code(self) -> str:
        code = "".join(self.cleaned_data["code"].split())
        if "://" in code or code.startswith("/") or "/verify/" in code:
            # A pasted address: keep its last part. Other slashes belong to a register number.
            code = code.rstrip("/").rsplit("/", 1)[-1]
        return code


TOO_LARGE = FileTooLarge.message


class VerifyFileForm(forms.Form):
    """The PDF to check. It is never parsed: its SHA-256, computed chunk by chunk, must be an
    issued certificate's (``certificates.selectors.by_pdf_file``)."""

    file = forms.FileField(label=_("Certificate PDF"))

    def __init__(self, *args, refusal: str = "", **kwargs) -> None:
        """``refusal``: the upload was refused before it was read (see ``too_large``)."""
        super().__init__(*args, **kwargs)
        self.refusal = refusal
        if refusal:
            self.fields["file"].required = False

    @classmethod
    def too_large(cls) -> "VerifyFileForm":
        """The form answering a request whose body was too large to be read at all."""
        return cls(data={}, refusal=str(TOO_LARGE))

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if self.refusal:
            raise forms.ValidationError(self.refusal)
        if upload.size > MAX_PDF_BYTES:
            raise forms.ValidationError(TOO_LARGE)
        head = upload.read(5)
        upload.seek(0)
        if head != b"%PDF-":
            raise forms.ValidationError(_("This is not a PDF file."))
        return upload
