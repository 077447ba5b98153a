"""Wagtail admin: the question bank (snippets) and the attempts register."""

import django_filters
from django import forms
from django.urls import path, reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from taggit.models import Tag
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.panels import ObjectList
from wagtail.admin.ui.tables import Column, DateColumn
from wagtail.admin.views import generic
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.admin.widgets import ListingButton
from wagtail.admin.widgets.button import Button
from wagtail.snippets.views.chooser import SnippetChosenMultipleView, SnippetChosenView
from wagtail.snippets.views.snippets import (
    CreateView,
    EditView,
    IndexView,
    SnippetViewSet,
    SnippetViewSetGroup,
)
from wagtail.snippets.widgets import AdminSnippetChooser

from courses.admin_toolkit import ScopedChooserViewSet, ScopedViewSetMixin
from courses.spreadsheets import ExcelFriendlyExportMixin
from quizzes.admin_forms import QuestionAdminForm, QuestionCategoryAdminForm
from quizzes.admin_preview import PREVIEW_URL_NAME, QuestionPreviewView, preview_button
from quizzes.models import Attempt, Question, QuestionCategory
from quizzes.services import current_versions
from quizzes.services.versions import choices_in_order


class VersioningMixin:
    """Every saved edit becomes a new question version, credited to its author."""

    def save_instance(self):
        instance = super().save_instance()
        current_versions(
            [Question.objects.prefetch_related(choices_in_order()).get(pk=instance.pk)],
            user=self.request.user,
        )
        return instance


class QuestionCreateView(VersioningMixin, CreateView):
    pass


class QuestionEditView(VersioningMixin, EditView):
    @cached_property
    def header_more_buttons(self):
        return [*super().header_more_buttons, preview_button(self.object.pk)]


class QuestionSummaryMixin:
    """A chosen question shows its type and marks, so a quiz's slots read at a glance."""

    def get_display_title(self, instance):
        return instance.summary


class QuestionChooser(QuestionSummaryMixin, AdminSnippetChooser):
    pass


class QuestionChosenView(QuestionSummaryMixin, SnippetChosenView):
    pass


class QuestionChosenMultipleView(QuestionSummaryMixin, SnippetChosenMultipleView):
    pass


class QuestionChooserViewSet(ScopedChooserViewSet):
    base_widget_class = QuestionChooser
    chosen_view_class = QuestionChosenView
    chosen_multiple_view_class = QuestionChosenMultipleView


class QuestionFilterSet(WagtailFilterSet):
    tags = django_filters.ModelMultipleChoiceFilter(
        label=_("Tags"),
        field_name="tags",
        queryset=Tag.objects.filter(quizzes_taggedquestion_items__isnull=False).distinct(),
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = Question
        fields = ["category", "type"]


class QuestionIndexView(IndexView):
    """The bank's listing, with import and export of GIFT, Aiken and Excel files."""

    @cached_property
    def filters(self):
        filterset = super().filters
        tags = filterset.form.fields.get("tags") if filterset is not None else None
        if tags is not None:  # only the tags of questions the user may see
            tags.queryset = tags.queryset.filter(
                quizzes_taggedquestion_items__content_object__in=self.get_base_queryset()
            )
        return filterset

    def get_base_queryset(self):
        return super().get_base_queryset().select_related("category")

    def get_list_more_buttons(self, instance):
        buttons = super().get_list_more_buttons(instance)
        button = preview_button(instance.pk)
        buttons.append(
            ListingButton(button.label, url=button.url, icon_name="view", priority=button.priority)
        )
        return buttons

    @cached_property
    def header_more_buttons(self):
        buttons = super().header_more_buttons
        user = self.request.user
        if user.has_perm("quizzes.add_question"):
            buttons.append(
                Button(_("Import questions"), url=reverse("quizzes_import"), icon_name="upload")
            )
        if user.has_perm("quizzes.view_question"):
            buttons.append(
                Button(_("Export questions"), url=reverse("quizzes_export"), icon_name="download")
            )
        return buttons


class QuestionViewSet(ScopedViewSetMixin, SnippetViewSet):
    """The questions of the banks the user may see (``QuestionPermissionPolicy``): a trainer's
    courses' and the shared bank's, the latter read-only."""

    model = Question
    icon = "help"
    menu_label = _("Questions")
    chooser_viewset_class = QuestionChooserViewSet
    inspect_view_enabled = True
    index_view_class = QuestionIndexView
    add_view_class = QuestionCreateView
    edit_view_class = QuestionEditView
    list_display = [
        "name",
        Column("category", label=_("Category")),
        Column("bank", label=_("Bank"), accessor="category.bank_label"),
        Column("type", label=_("Type"), accessor="get_type_display"),
        Column("marks", label=_("Marks")),
        DateColumn("updated_at", label=_("Updated")),
    ]
    filterset_class = QuestionFilterSet
    # No ``search_fields``: the search backend then searches the model's own index (name and
    # text). Field names passed to it are read as index columns by the SQLite backend ("no such
    # column: name").
    list_export = ["name", "category", "get_type_display", "marks", "updated_at"]
    export_headings = {"get_type_display": _("Type")}

    def get_edit_handler(self):
        return ObjectList(Question.panels, base_form_class=QuestionAdminForm).bind_to_model(
            Question
        )

    @property
    def preview_question_view(self):
        return self.construct_view(
            QuestionPreviewView,
            **self.get_inspect_view_kwargs(template_name=QuestionPreviewView.template_name),
        )

    def get_urlpatterns(self):
        return [
            *super().get_urlpatterns(),
            path(
                f"preview-question/<{self.pk_path_converter}:pk>/",
                self.preview_question_view,
                name=PREVIEW_URL_NAME,
            ),
        ]


class QuestionCategoryViewSet(ScopedViewSetMixin, SnippetViewSet):
    """Categories of the banks the user may see (``QuestionCategoryPermissionPolicy``)."""

    model = QuestionCategory
    icon = "folder-open-inverse"
    menu_label = _("Question categories")
    chooser_viewset_class = ScopedChooserViewSet
    list_display = ["name", Column("bank", label=_("Bank"), accessor="bank_label"), "description"]
    list_filter = ["course"]
    search_fields = ["name"]

    def get_edit_handler(self):
        return ObjectList(
            QuestionCategory.panels, base_form_class=QuestionCategoryAdminForm
        ).bind_to_model(QuestionCategory)


class QuestionBankGroup(SnippetViewSetGroup):
    menu_label = _("Question bank")
    menu_icon = "help"
    menu_order = 230
    items = (QuestionViewSet, QuestionCategoryViewSet)


# Attempts: records, read-only in the admin.


class AttemptIndexView(ExcelFriendlyExportMixin, generic.IndexView):
    def get_base_queryset(self):
        return (
            super()
            .get_base_queryset()
            .select_related(
                "quiz", "user__delegate_profile", "enrollment__cohort", "enrollment__province"
            )
        )

    def get_list_more_buttons(self, instance):
        buttons = super().get_list_more_buttons(instance)
        buttons.append(
            ListingButton(
                _("Answers"),
                url=reverse("quizzes_attempt_detail", args=[instance.pk]),
                icon_name="view",
                priority=5,
            )
        )
        return buttons


class AttemptViewSet(ScopedViewSetMixin, ModelViewSet):
    """Attempts of the delegates of the cohorts a trainer trains (``AttemptPermissionPolicy``)."""

    model = Attempt
    icon = "tasks"
    menu_label = _("Quiz attempts")
    menu_order = 240
    add_to_admin_menu = True
    index_view_class = AttemptIndexView
    add_to_reference_index = False
    copy_view_enabled = False
    form_fields = []
    list_filter = ["quiz", "state", "passed", "enrollment__cohort", "enrollment__province"]
    search_fields = [
        "user__email",
        "user__delegate_profile__full_name",
        "enrollment__organisation",
    ]
    list_display = [
        Column("delegate", label=_("Delegate"), accessor="user.delegate_profile.full_name"),
        Column("quiz", label=_("Quiz")),
        Column("number", label=_("Attempt")),
        Column("state", label=_("State"), accessor="get_state_display"),
        Column("percent", label=_("Score (%)")),
        Column("passed", label=_("Passed")),
        DateColumn("submitted_at", label=_("Submitted")),
    ]
    list_export = [
        "user.delegate_profile.full_name",
        "user.email",
        "enrollment.organisation",
        "enrollment.province",
        "enrollment.cohort",
        "quiz",
        "number",
        "get_state_display",
        "started_at",
        "submitted_at",
        "score",
        "max_score",
        "percent",
        "passed",
    ]
    export_headings = {
        "user.delegate_profile.full_name": _("Full name"),
        "user.email": _("Email"),
        "enrollment.organisation": _("Organisation"),
        "enrollment.province": _("Province"),
        "enrollment.cohort": _("Cohort"),
        "get_state_display": _("State"),
    }
