"""Wagtail admin screens to import question files into the bank and export questions.

Import: upload (file, format, target category) -> preview (every question, every error with its
line or row) -> confirm (all or nothing) -> result. The uploaded bytes wait in the session under
a random token between the steps; confirming reads and checks the file again and imports it in
one transaction. Export: a category or a selection of questions as GIFT, Aiken or Excel.

Their URLs are ``importing_urlpatterns()`` in ``quizzes/admin_urls.py``; their forms are in
``quizzes/admin_forms.py``.
"""

import base64
import secrets
import zlib
from contextlib import suppress

from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.urls import NoReverseMatch, reverse
from django.utils.http import content_disposition_header
from django.utils.text import capfirst, slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.generic import FormView, TemplateView, View
from wagtail.admin import messages
from wagtail.admin.admin_url_finder import AdminURLFinder
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from courses.admin_toolkit import PermissionRequiredMixin, SessionStore
from courses.compat import permission_policy_for
from courses.permissions import VISIBLE_ACTIONS
from courses.text import strip_diacritics
from quizzes import formats, importing
from quizzes.admin_forms import ExportForm, ImportForm
from quizzes.formats import FORMAT_LABELS, Format, QuestionFileError, aiken, gift
from quizzes.formats import xlsx as xlsx_format
from quizzes.formats.text import html_to_text
from quizzes.keys import key_from_snapshot
from quizzes.models import Question
from quizzes.scoring import QuestionType, to_decimal
from quizzes.selectors.importing import bank_label, import_reach

IMPORT_PERMISSION = "quizzes.add_question"
EXPORT_PERMISSION = "quizzes.view_question"
IMPORTS = SessionStore("quizzes_question_imports")  # uploads and results, the newest 3


class PermissionMixin(PermissionRequiredMixin):
    permission = IMPORT_PERMISSION
    forbidden_template_name = "quizzes/admin/import_forbidden.html"


def questions_url() -> str:
    """The question bank's listing, once Question is registered as a snippet."""
    viewset = getattr(Question, "snippet_viewset", None)
    if viewset is not None:
        with suppress(NoReverseMatch):
            return reverse(viewset.get_url_name("list"))
    return ""


class AdminPageMixin(PermissionMixin, WagtailAdminTemplateMixin):
    header_icon = "upload"
    page_title = gettext_lazy("Import questions")

    def get_breadcrumbs_items(self):
        items = list(self.breadcrumbs_items)
        if url := questions_url():
            items.append({"url": url, "label": capfirst(Question._meta.verbose_name_plural)})
        items.append({"url": "", "label": self.get_page_title()})
        return items

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["upload_url"] = reverse("quizzes_import")
        context["questions_url"] = questions_url()
        return context


def _pack(data: bytes) -> str:
    return base64.b64encode(zlib.compress(data)).decode("ascii")


def _unpack(value: str) -> bytes:
    return zlib.decompress(base64.b64decode(value))


# Upload


class QuestionImportView(AdminPageMixin, FormView):
    template_name = "quizzes/admin/import_upload.html"
    form_class = ImportForm

    def get_initial(self):
        initial = super().get_initial()
        with suppress(ValueError, TypeError):
            initial["category"] = int(self.request.GET.get("category", ""))
        return initial

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "user": self.request.user}

    def form_valid(self, form):
        token = secrets.token_urlsafe(16)
        IMPORTS.keep(
            self.request,
            token,
            {
                "state": "pending",
                "format": form.cleaned_data["format"],
                "filename": form.cleaned_data["file"].name,
                "category": form.cleaned_data["category_name"],
                "course": form.cleaned_data["course_id"],
                "use_file_categories": form.cleaned_data["use_file_categories"],
                "data": _pack(form.content),
            },
        )
        return redirect("quizzes_import_preview", token)

    def form_invalid(self, form):
        return self.render_to_response(self.get_context_data(form=form), status=400)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["max_bytes"] = formats.MAX_BYTES
        context["max_questions"] = formats.MAX_QUESTIONS
        context["template_url"] = reverse("quizzes_import_template")
        return context


class ImportTemplateView(PermissionMixin, View):
    def get(self, request):
        response = HttpResponse(
            xlsx_format.template(), content_type=formats.CONTENT_TYPES[Format.XLSX]
        )
        response["Content-Disposition"] = content_disposition_header(True, "question-template.xlsx")
        return response


# Preview and confirmation


def _choice_rows(question: formats.ParsedQuestion) -> list[dict]:
    scored = question.type in {
        QuestionType.SINGLE,
        QuestionType.MULTIPLE,
        QuestionType.TRUE_FALSE,
        QuestionType.SHORT_ANSWER,
        QuestionType.NUMERICAL,
    }
    fractions = (
        [choice.fraction for choice in key_from_snapshot(question.snapshot()).choices]
        if scored and not question.errors
        else [None] * len(question.choices)
    )
    rows = []
    for choice, fraction in zip(question.choices, fractions, strict=True):
        details = []
        if choice.match:
            details.append(f"→ {choice.match}")
        if choice.tolerance:
            details.append(f"± {formats.plain_number(choice.tolerance)}")
        if fraction is not None and fraction not in (0, 1):
            details.append(f"{formats.plain_number(to_decimal(fraction * 100))} %")
        if question.type == QuestionType.MATCHING and not choice.text:
            text = _("(extra wrong option)")
        else:
            text = choice.text
        rows.append(
            {
                "text": text,
                "correct": choice.is_correct and scored,
                "details": " ".join(details),
                "feedback": choice.feedback,
            }
        )
    return rows


def preview_rows(plan: importing.ImportPlan) -> list[dict]:
    labels = dict(Question.TYPE_CHOICES)
    return [
        {
            "line": item.question.line,
            "name": item.question.name,
            "type": labels.get(item.question.type, item.question.type),
            "category": item.category,
            "new_category": item.new_category,
            "marks": formats.plain_number(item.question.marks),
            "text": html_to_text(item.question.text),
            "choices": _choice_rows(item.question),
            "general_feedback": item.question.general_feedback,
            "errors": item.question.errors,
        }
        for item in plan.questions
    ]


class PendingImportMixin(AdminPageMixin):
    template_name = "quizzes/admin/import_preview.html"

    def prepare(self):
        data = IMPORTS.get(self.request, self.kwargs["token"])
        if data and data.get("state") == "pending" and self.may_import_into(data.get("course")):
            self.pending = data
            return None
        if data and data.get("state") == "done":  # e.g. a second click on Confirm
            return redirect("quizzes_import_result", self.kwargs["token"])
        messages.warning(self.request, _("This import has expired. Upload the file again."))
        return redirect("quizzes_import")

    def may_import_into(self, course_id: int | None) -> bool:
        """Still true at confirmation: the user may add to this bank (a trainer removed from
        the course's cohorts since the upload may not)."""
        reach = import_reach(self.request.user)
        if course_id is None:
            return reach.unowned
        return reach.owners is None or course_id in reach.owners

    def import_arguments(self) -> dict:
        return {
            "data": _unpack(self.pending["data"]),
            "fmt": self.pending["format"],
            "category": self.pending["category"],
            "course_id": self.pending.get("course"),
            "use_file_categories": self.pending["use_file_categories"],
        }

    def render_preview(self, *, error: str = "", status: int = 200):
        try:
            plan = importing.plan_import(**self.import_arguments())
        except QuestionFileError as file_error:
            messages.error(self.request, file_error.message)
            return redirect("quizzes_import")
        count = len(plan.questions)
        context = self.get_context_data(
            plan=plan,
            rows=preview_rows(plan),
            error=error,
            filename=self.pending["filename"],
            format_label=FORMAT_LABELS[Format(self.pending["format"])],
            default_category=self.pending["category"],
            bank_label=bank_label(self.pending.get("course")),
            summary=ngettext(
                "%(count)d question read from %(file)s.",
                "%(count)d questions read from %(file)s.",
                count,
            )
            % {"count": count, "file": self.pending["filename"]},
            error_count=len(plan.errors),
            confirm_label=ngettext("Import %(count)d question", "Import %(count)d questions", count)
            % {"count": count},
            confirm_url=reverse("quizzes_import_confirm", args=[self.kwargs["token"]]),
        )
        return self.render_to_response(context, status=status)


class ImportPreviewView(PendingImportMixin, TemplateView):
    def get(self, request, *args, **kwargs):
        return self.render_preview()


class ImportConfirmView(PendingImportMixin, TemplateView):
    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        try:
            outcome = importing.import_questions(**self.import_arguments(), user=request.user)
        except (importing.QuestionImportRejected, QuestionFileError) as error:
            return self.render_preview(error=error.message, status=400)
        IMPORTS.keep(
            request,
            self.kwargs["token"],
            {
                "state": "done",
                "filename": self.pending["filename"],
                "questions": [question.pk for question in outcome.questions],
                "new_categories": [category.name for category in outcome.new_categories],
            },
        )
        count = len(outcome.questions)
        messages.success(
            request,
            ngettext(
                "%(count)d question was imported.", "%(count)d questions were imported.", count
            )
            % {"count": count},
        )
        return redirect("quizzes_import_result", self.kwargs["token"])


# Result


class ImportResultView(AdminPageMixin, TemplateView):
    template_name = "quizzes/admin/import_result.html"

    def get_page_title(self):
        return _("Questions imported")

    def prepare(self):
        self.done = IMPORTS.get(self.request, self.kwargs["token"])
        if not self.done or self.done.get("state") != "done":
            raise Http404
        return None

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        finder = AdminURLFinder(self.request.user)
        labels = dict(Question.TYPE_CHOICES)
        questions = (
            permission_policy_for(Question)
            .narrow(
                Question.objects.filter(pk__in=self.done["questions"]),
                self.request.user,
                VISIBLE_ACTIONS,
            )
            .select_related("category")
        )
        count = len(self.done["questions"])
        context.update(
            filename=self.done["filename"],
            summary=ngettext(
                "%(count)d question was imported from %(file)s.",
                "%(count)d questions were imported from %(file)s.",
                count,
            )
            % {"count": count, "file": self.done["filename"]},
            new_categories=self.done["new_categories"],
            rows=[
                {
                    "name": question.name,
                    "type": labels.get(question.type, question.type),
                    "category": question.category.name,
                    "edit_url": finder.get_edit_url(question),
                }
                for question in questions.order_by("pk")
            ],
        )
        return context


# Export


def export_availability(snapshot: dict) -> dict:
    """Why each format would skip a question ("" if it would not)."""
    return {
        Format.GIFT: gift.unsuitable(snapshot),
        Format.AIKEN: aiken.unsuitable(snapshot),
        Format.XLSX: xlsx_format.unsuitable(snapshot),
    }


class QuestionExportView(AdminPageMixin, TemplateView):
    permission = EXPORT_PERMISSION
    template_name = "quizzes/admin/import_export.html"
    header_icon = "download"
    page_title = gettext_lazy("Export questions")

    def get(self, request, *args, **kwargs):
        form = ExportForm(request.GET if request.GET else None, user=request.user)
        context = self.get_context_data(form=form, rows=None)
        if form.is_bound and form.is_valid():
            questions = form.questions()
            labels = dict(Question.TYPE_CHOICES)
            rows = []
            for question, snapshot in zip(
                questions, importing.export_snapshots(questions), strict=True
            ):
                reasons = export_availability(snapshot)
                rows.append(
                    {
                        "name": question.name,
                        "type": labels.get(question.type, question.type),
                        "category": question.category.name,
                        "skipped": {fmt.value: reason for fmt, reason in reasons.items()},
                    }
                )
            query = form.query()
            context.update(
                rows=rows,
                downloads=[
                    {
                        "label": FORMAT_LABELS[fmt],
                        "url": reverse("quizzes_export_download", args=[fmt.value]) + "?" + query,
                        "count": sum(1 for row in rows if not row["skipped"][fmt.value]),
                        "format": fmt.value,
                    }
                    for fmt in Format
                ],
                summary=ngettext(
                    "%(count)d question selected.", "%(count)d questions selected.", len(rows)
                )
                % {"count": len(rows)},
            )
        return self.render_to_response(context)


class QuestionExportDownloadView(PermissionMixin, View):
    permission = EXPORT_PERMISSION

    def get(self, request, fmt: str):
        if fmt not in {choice.value for choice in Format}:
            raise Http404
        form = ExportForm(request.GET, user=request.user)
        if not form.is_valid():
            raise Http404
        questions = form.questions()
        export = importing.export_questions(questions, fmt)
        category = form.cleaned_data.get("category")
        stem = slugify(strip_diacritics(category.name)) if category else "questions"
        response = HttpResponse(export.content, content_type=export.content_type)
        response["Content-Disposition"] = content_disposition_header(
            True, export.filename(stem or "questions")
        )
        response["X-Questions-Exported"] = str(export.count)
        response["X-Questions-Skipped"] = str(len(export.skipped))
        return response
