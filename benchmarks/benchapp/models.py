from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.fields import StreamField
from wagtail.models import Page

from courses.blocks import ModuleContentBlock


class BarePage(Page):
    """A plain Wagtail page with a module's body and none of the LMS logic: the baseline."""

    body = StreamField(ModuleContentBlock(), verbose_name=_("content"))

    content_panels = Page.content_panels + [FieldPanel("body")]

    class Meta:
        verbose_name = _("bare page")


class BenchAttempt(models.Model):
    """The reference write's attempt-like row: the shape of a quiz attempt, none of its logic."""

    user_id = models.BigIntegerField()
    number = models.PositiveSmallIntegerField(default=1)
    state = models.CharField(max_length=10, default="open")
    started_at = models.DateTimeField()
    pages = models.JSONField(default=list)

    def __str__(self) -> str:
        return f"bench attempt {self.pk}"


class BenchAnswer(models.Model):
    """The reference write's answer rows: twenty per attempt, like a quiz attempt's responses."""

    attempt = models.ForeignKey(BenchAttempt, on_delete=models.CASCADE, related_name="answers")
    position = models.PositiveSmallIntegerField()
    answer = models.JSONField(null=True)
    revision = models.PositiveIntegerField(default=0)

    def __str__(self) -> str:
        return f"bench answer {self.attempt_id}/{self.position}"
