"""Building a quiz fast: the bank filtered by type, category, tag and text, many questions
ticked and added at once (``quizzes.services.authoring``), the quiz's slots with their type and
marks. A quiz the user may not edit is a 404, as another course's object is everywhere."""

from django import forms
from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404, HttpResponseRedirect
from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.generic import TemplateView
from taggit.models import Tag
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from courses.compat import permission_policy_for
from courses.permissions import VISIBLE_ACTIONS
from quizzes.models import Question, QuestionCategory, QuizPage, QuizSlot
from quizzes.services.authoring import add_questions_to_quiz

PER_PAGE = 50


def usable_questions(*, quiz: QuizPage, user):
    """The questions a quiz may hold (its course's bank and the shared one, as
    ``QuizPageForm`` requires) that the user may see."""
    course = quiz.get_parent()
    questions = Question.objects.filter(
        Q(category__course_id=course.pk) | Q(category__course__isnull=True)
    )
    return permission_policy_for(Question).narrow(questions, user, VISIBLE_ACTIONS)


class BankFilterForm(forms.Form):
    q = forms.CharField(label=gettext_lazy("Text"), required=False, max_length=200)
    type = forms.ChoiceField(label=gettext_lazy("Type"), required=False)
    category = forms.ModelChoiceField(
        label=gettext_lazy("Category"),
        queryset=QuestionCategory.objects.none(),
        required=False,
        empty_label=gettext_lazy("Any category"),
    )
    tag = forms.ModelChoiceField(
        label=gettext_lazy("Tag"),
        queryset=Tag.objects.none(),
        required=False,
        to_field_name="slug",
        empty_label=gettext_lazy("Any tag"),
    )

    def __init__(self, *args, questions, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["type"].choices = [("", _("Any type")), *Question.TYPE_CHOICES]
        self.fields["category"].queryset = QuestionCategory.objects.filter(
            pk__in=questions.values("category_id")
        )
        self.fields["tag"].queryset = Tag.objects.filter(
            quizzes_taggedquestion_items__content_object__in=questions
        ).distinct()

    def filter(self, questions):
        if not self.is_valid():
            return questions.none()
        data = self.cleaned_data
        if data["q"]:
            questions = questions.filter(
                Q(name__icontains=data["q"]) | Q(text__icontains=data["q"])
            )
        if data["type"]:
            questions = questions.filter(type=data["type"])
        if data["category"]:
            questions = questions.filter(category=data["category"])
        if data["tag"]:
            questions = questions.filter(tags=data["tag"])
        return questions


class AddQuestionsView(WagtailAdminTemplateMixin, TemplateView):
    template_name = "quizzes/admin/add_questions.html"
    page_title = gettext_lazy("Add questions from the bank")
    header_icon = "help"

    def dispatch(self, request, *args, **kwargs):
        quiz = QuizPage.objects.filter(pk=kwargs["quiz_id"]).first()
        if quiz is None or not quiz.permissions_for_user(request.user).can_edit():
            raise Http404
        self.quiz = quiz
        return super().dispatch(request, *args, **kwargs)

    def get_page_subtitle(self):
        return self.quiz.title

    @cached_property
    def edit_url(self) -> str:
        return reverse("wagtailadmin_pages:edit", args=[self.quiz.pk])

    def get_breadcrumbs_items(self):
        return [
            *self.breadcrumbs_items,
            {"url": self.edit_url, "label": self.quiz.title},
            {"url": "", "label": self.get_page_title()},
        ]

    @cached_property
    def questions(self):
        return usable_questions(quiz=self.quiz, user=self.request.user)

    def current_slots(self) -> list[QuizSlot]:
        """The slots of the quiz's latest revision (what the editor shows), with their questions
        and categories read in two queries."""
        slots = list(self.quiz.get_latest_revision_as_object().slots.all())
        question_ids = {slot.question_id for slot in slots if slot.question_id}
        category_ids = {slot.category_id for slot in slots if slot.category_id}
        questions = Question.objects.in_bulk(question_ids)
        categories = QuestionCategory.objects.in_bulk(category_ids)
        for slot in slots:
            slot.listed_question = questions.get(slot.question_id)
            slot.listed_category = categories.get(slot.category_id)
        return slots

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        slots = self.current_slots()
        form = BankFilterForm(self.request.GET or None, questions=self.questions)
        found = form.filter(self.questions) if form.is_bound else self.questions
        found = found.select_related("category").prefetch_related("tags")
        page = Paginator(found.order_by("category__name", "name", "pk"), PER_PAGE).get_page(
            self.request.GET.get("p")
        )
        held = {slot.question_id for slot in slots if slot.question_id}
        context.update(
            quiz=self.quiz,
            slots=slots,
            filter_form=form,
            page_obj=page,
            held=held,
            edit_url=self.edit_url,
            query_without_page=self.query_without_page(),
        )
        return context

    def query_without_page(self) -> str:
        query = self.request.GET.copy()
        query.pop("p", None)
        return query.urlencode()

    def post(self, request, *args, **kwargs):
        ids = [value for value in request.POST.getlist("question") if value.isdigit()]
        chosen = {q.pk: q for q in self.questions.filter(pk__in=ids)}
        ordered = [chosen[int(value)] for value in ids if int(value) in chosen]
        if not ordered:
            messages.error(request, _("Tick the questions to add first."))
            return HttpResponseRedirect(request.get_full_path())
        _revision, added = add_questions_to_quiz(
            quiz=self.quiz, questions=ordered, user=request.user
        )
        if added:
            messages.success(
                request,
                ngettext(
                    "%(count)s question added to the quiz's draft. Review and publish it.",
                    "%(count)s questions added to the quiz's draft. Review and publish it.",
                    len(added),
                )
                % {"count": len(added)},
            )
        else:
            messages.warning(request, _("The quiz already holds every question you ticked."))
        return HttpResponseRedirect(request.get_full_path())
