"""A bulk download: one ZIP of many stored certificate PDFs, built by a background task.

The set of certificates is fixed when the job starts (``certificate_ids``), so certificates
issued while it runs do not slip in and a resumed job builds exactly what was asked for.

A finished ZIP is kept for ``LMS["BULK_DOWNLOAD_RETENTION_DAYS"]`` days; then
``purge_bulk_downloads`` deletes the file and marks the job expired. The job itself stays, as
the history of who downloaded what.
"""

import secrets

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


def new_work_token() -> str:
    return secrets.token_hex(16)


class BulkDownload(models.Model):
    wagtail_reference_index_ignore = True  # records: nothing "uses" them

    class State(models.TextChoices):
        QUEUED = "queued", _("Queued")
        RUNNING = "running", _("Running")
        DONE = "done", _("Ready")
        FAILED = "failed", _("Failed")
        EXPIRED = "expired", _("Expired")

    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("requested by"),
    )
    requested_at = models.DateTimeField(_("requested at"))
    language = models.CharField(
        _("language"),
        max_length=10,
        help_text=_("The requester's language: file list headings and errors use it."),
    )
    filters = models.JSONField(_("filters"), default=dict, blank=True)
    certificate_ids = models.JSONField(_("certificates"), default=list, editable=False)
    state = models.CharField(_("state"), max_length=10, choices=State.choices, default=State.QUEUED)
    done = models.PositiveIntegerField(_("certificates added"), default=0)
    total = models.PositiveIntegerField(_("certificates in total"), default=0)
    zip_file = models.FileField(_("ZIP file"), upload_to="certificates/bulk/", blank=True)
    error = models.TextField(_("error"), blank=True)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    heartbeat_at = models.DateTimeField(_("last progress at"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    expired_at = models.DateTimeField(_("file deleted at"), null=True, blank=True)
    task_result_id = models.CharField(_("task id"), max_length=64, blank=True)
    # Names the partial file on the worker's disk: a new job never picks up an old job's file.
    work_token = models.CharField(max_length=32, default=new_work_token, editable=False)

    class Meta:
        ordering = ["-requested_at"]
        verbose_name = _("certificate ZIP download")
        verbose_name_plural = _("certificate ZIP downloads")

    def __str__(self) -> str:
        return f"ZIP #{self.pk} ({self.state}, {self.done}/{self.total})"

    @property
    def is_finished(self) -> bool:
        return self.state in (self.State.DONE, self.State.FAILED, self.State.EXPIRED)

    @property
    def percent(self) -> int:
        if self.state in (self.State.DONE, self.State.EXPIRED):
            return 100
        return (100 * self.done // self.total) if self.total else 0
