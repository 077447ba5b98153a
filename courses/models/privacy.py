"""Personal data records (``courses.privacy``): consent, data subjects' requests, erased accounts
and the log of staff looking at personal data. Changed only through ``courses.privacy.services``.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class Consent(models.Model):
    """A delegate's consent to one version of the privacy notice, and its withdrawal."""

    wagtail_reference_index_ignore = True

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="privacy_consents",
        verbose_name=_("delegate"),
    )
    notice_version = models.CharField(_("notice version"), max_length=20)
    given_at = models.DateTimeField(_("given at"))
    withdrawn_at = models.DateTimeField(_("withdrawn at"), null=True, blank=True)

    class Meta:
        ordering = ["-given_at"]
        verbose_name = _("consent")
        verbose_name_plural = _("consents")
        indexes = [models.Index(fields=["user", "notice_version"])]

    def __str__(self) -> str:
        return f"{self.user_id} {self.notice_version}"


class DataRequest(models.Model):
    """A data subject's request (export, erasure, restriction, withdrawal of consent) and what
    was done about it. The subject stays ``user`` after erasure: the account is de-identified,
    not deleted, so the record still says which (now anonymous) account it concerned."""

    wagtail_reference_index_ignore = True

    class Kind(models.TextChoices):
        EXPORT = "export", _("Copy of my data")
        ERASURE = "erasure", _("Erasure")
        RESTRICTION = "restriction", _("Restriction of processing")
        WITHDRAWAL = "withdrawal", _("Withdrawal of consent")

    class State(models.TextChoices):
        OPEN = "open", _("Received")
        DONE = "done", _("Done")
        REFUSED = "refused", _("Refused")
        CANCELLED = "cancelled", pgettext_lazy("state of a personal data request", "Cancelled")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="data_requests",
        verbose_name=_("data subject"),
    )
    kind = models.CharField(_("request"), max_length=12, choices=Kind.choices)
    state = models.CharField(_("state"), max_length=10, choices=State.choices, default=State.OPEN)
    reason = models.TextField(_("reason"), blank=True)
    received_at = models.DateTimeField(_("received at"))
    due_at = models.DateTimeField(_("due by"))
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("entered by"),
        help_text=_("Staff who entered a request made in writing; empty when made online."),
    )
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("handled by"),
    )
    outcome = models.TextField(_("what was done"), blank=True)

    class Meta:
        ordering = ["state", "due_at"]
        verbose_name = _("personal data request")
        verbose_name_plural = _("personal data requests")
        permissions = [("handle_datarequest", _("Can handle personal data requests"))]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "kind"],
                condition=Q(state="open"),
                name="one_open_data_request_per_kind",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} #{self.pk}"

    @property
    def is_open(self) -> bool:
        return self.state == self.State.OPEN


class ErasedAccount(models.Model):
    """An account whose personal data was erased: what remains of it is anonymous records."""

    wagtail_reference_index_ignore = True

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="erasure",
        verbose_name=pgettext_lazy("a user account", "account"),
    )
    erased_at = models.DateTimeField(_("erased at"))
    erased_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("erased by"),
        help_text=_("Empty when erased by the retention schedule."),
    )
    notes = models.JSONField(_("what was done"), default=list, blank=True)
    certificate_names_kept = models.BooleanField(
        _("names kept on certificates"),
        help_text=_("Certificates stay verifiable with the holder's name (LMS setting)."),
    )

    class Meta:
        verbose_name = _("erased account")
        verbose_name_plural = _("erased accounts")

    def __str__(self) -> str:
        return f"#{self.user_id}"


class PersonalDataAccess(models.Model):
    """Who exported or viewed whose personal data: the access log, kept
    ``LMS["ACCESS_LOG_RETENTION_DAYS"]`` days."""

    wagtail_reference_index_ignore = True

    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("by"),
    )
    at = models.DateTimeField(_("when"), db_index=True)
    action = models.CharField(_("action"), max_length=20)  # "export", "view"
    what = models.CharField(_("what"), max_length=200)  # the URL name or a description
    path = models.CharField(_("address"), max_length=500)
    filters = models.JSONField(_("filters"), default=dict, blank=True)
    rows = models.PositiveIntegerField(_("rows"), null=True, blank=True)
    subject = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("whose data"),
    )

    class Meta:
        ordering = ["-at"]
        verbose_name = _("personal data access")
        verbose_name_plural = _("personal data accesses")

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.what}"
