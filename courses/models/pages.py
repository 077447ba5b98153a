import uuid
from typing import TYPE_CHECKING

from django.db import models
from django.http import HttpResponseRedirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Page
from wagtail.search import index
from wagtail.url_routing import RouteResult

from courses.blocks import RICH_TEXT_FEATURES, ModuleContentBlock

if TYPE_CHECKING:
    from courses.models.enrolment import Enrollment


class CourseIndexPage(Page):
    """The catalogue: lists the courses below it. Editors create it anywhere in the page tree
    (under the site's home page, typically), so ``parent_page_types`` is left open."""

    intro = RichTextField(_("introduction"), blank=True, features=RICH_TEXT_FEATURES)

    content_panels = Page.content_panels + [FieldPanel("intro")]
    subpage_types = ["courses.CoursePage"]
    max_count_per_parent = 1

    class Meta:
        verbose_name = _("course catalogue")

    @classmethod
    def allowed_parent_page_models(cls):
        """Any page but the LMS's own (which Wagtail 7.4 would offer: a course declares its
        children through ``allowed_subpage_models``)."""
        return [
            model
            for model in super().allowed_parent_page_models()
            if not issubclass(model, CourseIndexPage | CoursePage | CourseItem)
        ]

    def get_context(self, request, *args, **kwargs):
        from courses import selectors

        context = super().get_context(request, *args, **kwargs)
        context["catalogue"] = selectors.catalogue(index_page=self, user=request.user)
        return context


class CoursePage(Page):
    """A course. Its child pages, in tree order, are the teaching sequence."""

    code = models.CharField(
        _("course code"),
        max_length=20,
        unique=True,
        help_text=_("Short code used in reports and certificate serial numbers, e.g. TTĐN."),
    )
    summary = models.TextField(_("summary"), max_length=600)
    cover_image = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("cover image"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    description = RichTextField(_("description"), blank=True, features=RICH_TEXT_FEATURES)
    outcomes = StreamField(
        [("outcome", blocks.CharBlock(label=_("Outcome"), max_length=300))],
        verbose_name=_("learning outcomes"),
        blank=True,
    )
    estimated_hours = models.DecimalField(
        _("estimated hours"), max_digits=5, decimal_places=1, null=True, blank=True
    )
    allow_self_enrolment = models.BooleanField(
        _("open to self-enrolment"),
        default=True,
        help_text=_("If unticked, delegates can only join with a cohort's enrolment code."),
    )
    # Keys the course's cached outline (courses.outline_cache). Replaced, never incremented,
    # whenever the outline may change, so that a stale copy written back (a revision, an old
    # instance saved again) can never bring an old cache entry back. Not editable: no label.
    outline_version = models.UUIDField(default=uuid.uuid4, editable=False)

    content_panels = Page.content_panels + [
        MultiFieldPanel(
            [FieldPanel("code"), FieldPanel("summary"), FieldPanel("cover_image")],
            heading=_("Catalogue entry"),
        ),
        FieldPanel("description"),
        FieldPanel("outcomes"),
        MultiFieldPanel(
            [FieldPanel("estimated_hours"), FieldPanel("allow_self_enrolment")],
            heading=_("Enrolment"),
        ),
    ]
    search_fields = Page.search_fields + [
        index.SearchField("summary"),
        index.SearchField("description"),
        index.FilterField("code"),
    ]
    parent_page_types = ["courses.CourseIndexPage"]

    class Meta:
        verbose_name = _("course")
        verbose_name_plural = _("courses")

    @classmethod
    def allowed_subpage_models(cls):
        # Any course item (modules here, quizzes from their own app) may sit in a course.
        return [
            model for model in super().allowed_subpage_models() if issubclass(model, CourseItem)
        ]

    def get_context(self, request, *args, **kwargs):
        from courses import selectors

        context = super().get_context(request, *args, **kwargs)
        context.update(selectors.course_overview(course=self, user=request.user))
        return context

    def route(self, request, path_components):
        """Routing to an item passes through its course: hand it to the item's ``serve()`` in
        the route's keyword arguments (Wagtail's ``RouteResult``), so serving the item need
        not query it again."""
        result = super().route(request, path_components)
        page, args, kwargs = result
        if isinstance(page, CourseItem) and page.path[: -page.steplen] == self.path:
            return RouteResult(page, args=args, kwargs={**kwargs, "course": self})
        return result


class CourseItem(models.Model):
    """What every page inside a course shares: it counts towards progress.

    Quiz pages inherit this too, so ``courses`` never needs to import ``quizzes``.
    """

    # Modules are completed by the delegate's say-so; other items (quizzes) by what they record.
    completed_by_delegate = True

    is_required = models.BooleanField(
        _("required for completion"),
        default=True,
        help_text=_("Delegates must complete this item to complete the course."),
    )
    settings_panels = Page.settings_panels + [FieldPanel("is_required")]

    class Meta:
        abstract = True

    def get_course(self) -> "CoursePage":
        return CoursePage.objects.get(path=self.path[: -self.steplen])

    def user_may_read(self, request) -> bool:
        """Editors of the page may read it unenrolled; everyone else needs an enrolment."""
        return self.permissions_for_user(request.user).can_edit()

    def serve(self, request, *args, course: "CoursePage | None" = None, **kwargs):
        """Every course item is served here, as Wagtail's form pages are: check access,
        record the visit, build the context (``get_context``), render. ``course`` comes from
        routing (``CoursePage.route``)."""
        from courses import selectors, services

        course = course or self.get_course()
        enrollment = selectors.enrollment_for(user=request.user, course=course)
        if enrollment is None and not self.user_may_read(request):
            return HttpResponseRedirect(selectors.enrol_url(course=course, request=request))
        if enrollment is not None:
            services.record_visit(enrollment=enrollment, page=self)
        context = self.get_context(request, *args, course=course, enrollment=enrollment, **kwargs)
        return TemplateResponse(request, self.get_template(request, *args, **kwargs), context)

    def get_context(
        self,
        request,
        *args,
        course: "CoursePage | None" = None,
        enrollment: "Enrollment | None" = None,
        **kwargs,
    ):
        """The page's context with the course outline. ``serve()`` passes the course and the
        delegate's enrolment; a preview passes neither (an outline with nothing completed)."""
        from courses import selectors

        context = super().get_context(request, *args, **kwargs)
        course = course or self.get_course()
        context["outline"] = selectors.course_outline(
            course=course, enrollment=enrollment, current=self, request=request
        )
        context.update(self.get_item_context(request, course=course, enrollment=enrollment))
        return context

    def get_item_context(
        self, request, *, course: "CoursePage", enrollment: "Enrollment | None"
    ) -> dict:
        """What this kind of item adds to the context. You can override this method to show
        more (a quiz page adds the delegate's attempts); it runs for pages and previews."""
        return {}


class ModulePage(CourseItem, Page):  # noqa: DJ008 (Page provides __str__)
    """A lesson: rich content that a delegate reads and marks complete."""

    summary = models.TextField(_("summary"), max_length=600, blank=True)
    estimated_minutes = models.PositiveSmallIntegerField(
        _("estimated reading time (minutes)"), null=True, blank=True
    )
    body = StreamField(ModuleContentBlock(), verbose_name=_("content"))

    content_panels = Page.content_panels + [
        FieldPanel("summary"),
        FieldPanel("estimated_minutes"),
        FieldPanel("body"),
    ]
    settings_panels = CourseItem.settings_panels
    search_fields = Page.search_fields + [
        index.SearchField("summary"),
        index.SearchField("body"),
    ]
    parent_page_types = ["courses.CoursePage"]
    subpage_types: list[str] = []

    class Meta:
        verbose_name = _("module")
        verbose_name_plural = _("modules")
