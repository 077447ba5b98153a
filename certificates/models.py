"""Certificate templates (edited by trainers and HR) and issued certificates (records)."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel
from wagtail.models import PreviewableMixin

from certificates.pdf import DATE_LINE_PLACEHOLDERS, PLACEHOLDERS, unknown_placeholders

OPTIONAL_TEXT_HELP = _("Text in square brackets is left out when a placeholder in it has no value.")

hex_colour = RegexValidator(r"^#[0-9a-fA-F]{6}$", _("Use a colour like #a3161c."))


def default_motto_1():
    return str(_("SOCIALIST REPUBLIC OF VIET NAM"))


def default_motto_2():
    return str(_("Independence - Freedom - Happiness"))


class CertificateTemplate(PreviewableMixin, models.Model):
    """How the certificates of a course look. A template without a course is the default."""

    class Preset(models.TextChoices):
        OFFICIAL = "official", _("Vietnamese official document")
        MODERN = "modern", _("Modern")

    name = models.CharField(_("name"), max_length=200)
    course = models.OneToOneField(
        "courses.CoursePage",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="certificate_template",
        verbose_name=_("course"),
        help_text=_("Leave empty to make this the template of every course without its own."),
    )
    preset = models.CharField(
        _("style"), max_length=10, choices=Preset.choices, default=Preset.OFFICIAL
    )
    title = models.CharField(_("title"), max_length=120, default=_("CERTIFICATE"))
    intro = models.CharField(
        _("line before the name"), max_length=300, default=_("This is to certify that")
    )
    body = models.TextField(
        _("text after the name"),
        default=_(
            "[{position}, ]{organisation}\nhas completed the training course “{course}”"
            "[\n({cohort})][ with a score of {score}]."
        ),
        help_text=format_lazy(
            "{placeholders} {optional}",
            placeholders=format_lazy(
                _("Placeholders: {names}."),
                names=", ".join("{" + name + "}" for name in PLACEHOLDERS),
            ),
            optional=OPTIONAL_TEXT_HELP,
        ),
    )
    parent_body = models.CharField(
        _("parent organisation"), max_length=200, blank=True, help_text=_("Printed above.")
    )
    issuing_body = models.CharField(_("issuing organisation"), max_length=200)
    place = models.CharField(_("place of issue"), max_length=100, blank=True)
    show_motto = models.BooleanField(
        _("national motto header"),
        default=True,
        help_text=_("The two-line header of Vietnamese official documents."),
    )
    motto_line_1 = models.CharField(_("motto, line 1"), max_length=120, default=default_motto_1)
    motto_line_2 = models.CharField(_("motto, line 2"), max_length=120, default=default_motto_2)
    date_line = models.CharField(
        _("place and date line"),
        max_length=120,
        default=_("[{place}, ]{day}/{month}/{year}"),
        help_text=format_lazy(
            "{placeholders} {optional}",
            placeholders=_("Placeholders: {place}, {day}, {month}, {year}."),
            optional=OPTIONAL_TEXT_HELP,
        ),
    )
    register_label = models.CharField(
        _("register number label"),
        max_length=60,
        default=pgettext_lazy("certificate register number label", "No."),
    )
    logo = models.ForeignKey(
        "wagtailimages.Image",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("logo"),
    )
    seal = models.ForeignKey(
        "wagtailimages.Image",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("seal"),
    )
    signatory_1_name = models.CharField(_("first signatory"), max_length=120, blank=True)
    signatory_1_title = models.CharField(_("first signatory's title"), max_length=120, blank=True)
    signatory_1_signature = models.ForeignKey(
        "wagtailimages.Image",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("first signature"),
    )
    signatory_2_name = models.CharField(_("second signatory"), max_length=120, blank=True)
    signatory_2_title = models.CharField(_("second signatory's title"), max_length=120, blank=True)
    signatory_2_signature = models.ForeignKey(
        "wagtailimages.Image",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("second signature"),
    )
    primary_colour = models.CharField(
        _("main colour"), max_length=7, default="#a3161c", validators=[hex_colour]
    )
    text_colour = models.CharField(
        _("text colour"), max_length=7, default="#1d2433", validators=[hex_colour]
    )
    border = models.CharField(
        _("border"),
        max_length=10,
        default="double",
        choices=[("double", _("Double")), ("single", _("Single")), ("none", _("None"))],
    )
    landscape = models.BooleanField(_("landscape (A4)"), default=True)
    validity_months = models.PositiveSmallIntegerField(
        _("valid for (months)"),
        null=True,
        blank=True,
        help_text=_("Leave empty for certificates that never expire."),
    )
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    panels = [
        FieldRowPanel([FieldPanel("name"), FieldPanel("course")]),
        FieldPanel("preset"),
        MultiFieldPanel(
            [
                FieldPanel("parent_body"),
                FieldPanel("issuing_body"),
                FieldPanel("show_motto"),
                FieldRowPanel([FieldPanel("motto_line_1"), FieldPanel("motto_line_2")]),
            ],
            heading=_("Header"),
        ),
        MultiFieldPanel(
            [FieldPanel("title"), FieldPanel("intro"), FieldPanel("body")], heading=_("Text")
        ),
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("place"), FieldPanel("date_line")]),
                FieldPanel("register_label"),
                FieldRowPanel(
                    [
                        FieldPanel("signatory_1_title"),
                        FieldPanel("signatory_1_name"),
                        FieldPanel("signatory_1_signature"),
                    ]
                ),
                FieldRowPanel(
                    [
                        FieldPanel("signatory_2_title"),
                        FieldPanel("signatory_2_name"),
                        FieldPanel("signatory_2_signature"),
                    ]
                ),
            ],
            heading=_("Signatures"),
        ),
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("logo"), FieldPanel("seal")]),
                FieldRowPanel(
                    [FieldPanel("primary_colour"), FieldPanel("text_colour"), FieldPanel("border")]
                ),
                FieldPanel("landscape"),
            ],
            heading=_("Look"),
        ),
        FieldPanel("validity_months"),
    ]

    class Meta:
        ordering = ["name"]
        verbose_name = _("certificate template")
        verbose_name_plural = _("certificate templates")

    def __str__(self) -> str:
        return self.name

    def clean(self):
        errors = {}
        allowed = {"date_line": DATE_LINE_PLACEHOLDERS}
        for field in ("body", "intro", "date_line"):
            unknown = unknown_placeholders(
                str(getattr(self, field) or ""), allowed=allowed.get(field, PLACEHOLDERS)
            )
            if "" in unknown:
                errors[field] = _(
                    "Write each placeholder as a name in braces, like {name}; "
                    "write no other braces."
                )
            elif unknown:
                errors[field] = _("Unknown placeholders: %(names)s.") % {
                    "names": ", ".join("{" + name + "}" for name in unknown)
                }
        if errors:
            raise ValidationError(errors)

    # Preview in the admin: the PDF itself, for a sample delegate, at a size an A4 page needs.
    preview_modes = [("", _("PDF"))]
    default_preview_size = "desktop"

    def serve_preview(self, request, mode_name):
        from certificates.services import preview_pdf_response

        return preview_pdf_response(self)


class SerialCounter(models.Model):
    """The last serial number used, per course and year: locked while issuing, so no gaps."""

    course = models.ForeignKey("courses.CoursePage", on_delete=models.CASCADE, related_name="+")
    year = models.PositiveSmallIntegerField()
    last_number = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["course", "year"], name="one_counter_per_course_year")
        ]

    def __str__(self) -> str:
        return f"{self.course_id}/{self.year}: {self.last_number}"


class Certificate(models.Model):
    """An issued certificate: a snapshot of what was true at issue, never deleted."""

    wagtail_reference_index_ignore = True  # records: nothing "uses" them

    class Status(models.TextChoices):
        VALID = "valid", _("Valid")
        REVOKED = "revoked", _("Revoked")
        SUPERSEDED = "superseded", _("Superseded")

    serial = models.CharField(_("serial number"), max_length=60, unique=True)
    verification_code = models.CharField(
        _("verification code"), max_length=40, unique=True, editable=False
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.VALID
    )
    enrollment = models.ForeignKey(
        "courses.Enrollment",
        on_delete=models.PROTECT,
        related_name="certificates",
        verbose_name=_("enrolment"),
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="certificates",
        verbose_name=_("delegate"),
    )
    course = models.ForeignKey(
        "courses.CoursePage",
        on_delete=models.PROTECT,
        related_name="certificates",
        verbose_name=_("course"),
    )
    cohort = models.ForeignKey(
        "courses.Cohort",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="certificates",
        verbose_name=_("cohort"),
    )
    # Snapshot at issue.
    full_name = models.CharField(_("full name"), max_length=150)
    organisation = models.CharField(_("organisation"), max_length=200, blank=True)
    position = models.CharField(_("position"), max_length=150, blank=True)
    province = models.CharField(_("province"), max_length=100, blank=True)
    course_title = models.CharField(_("course title"), max_length=255)
    cohort_name = models.CharField(_("cohort name"), max_length=200, blank=True)
    score = models.DecimalField(_("score (%)"), max_digits=5, decimal_places=2, null=True)
    issued_on = models.DateField(_("issued on"))
    issued_at = models.DateTimeField(_("issued at"))
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("issued by"),
        help_text=_("Empty when issued automatically on completion."),
    )
    pdf = models.FileField(_("PDF"), upload_to="certificates/%Y/", editable=False)
    pdf_sha256 = models.CharField(_("SHA-256 of the PDF"), max_length=64, editable=False)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    revocation_reason = models.TextField(_("reason"), blank=True)
    replaces = models.OneToOneField(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="replaced_by",
        verbose_name=_("replaces"),
    )
    # Expiry (certificates.expiry): the last day it is valid, and when its holder was reminded.
    valid_until = models.DateField(_("valid until"), null=True, blank=True)
    expiry_reminder_sent_at = models.DateTimeField(
        _("expiry reminder sent at"), null=True, blank=True, editable=False
    )

    class Meta:
        ordering = ["-issued_at"]
        verbose_name = _("certificate")
        verbose_name_plural = _("certificates")
        constraints = [
            models.UniqueConstraint(
                fields=["enrollment"],
                condition=Q(status="valid"),
                name="one_valid_certificate_per_enrollment",
            )
        ]
        indexes = [models.Index(fields=["course", "issued_on"])]

    def __str__(self) -> str:
        return self.serial


class CertificateEvent(models.Model):
    """The audit trail: who issued, downloaded, revoked or reissued what, and when."""

    wagtail_reference_index_ignore = True

    class Action(models.TextChoices):
        ISSUED = "issued", _("Issued")
        DOWNLOADED = "downloaded", _("Downloaded")
        REVOKED = "revoked", _("Revoked")
        REISSUED = "reissued", _("Reissued")
        EMAILED = "emailed", _("Emailed")

    certificate = models.ForeignKey(
        Certificate, on_delete=models.PROTECT, related_name="events", verbose_name=_("certificate")
    )
    action = models.CharField(_("action"), max_length=12, choices=Action.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("by"),
    )
    at = models.DateTimeField(_("when"))
    note = models.TextField(_("note"), blank=True)

    class Meta:
        ordering = ["-at"]
        verbose_name = _("certificate event")
        verbose_name_plural = _("certificate events")

    def __str__(self) -> str:
        return f"{self.certificate} {self.action}"


from certificates.models_badges import BadgeKey, StatusListEntry  # noqa: E402, F401
from certificates.models_bulk import BulkDownload  # noqa: E402, F401
from certificates.models_signing import CertificateSignature, CertificateSigner  # noqa: E402, F401
