"""Delegate-facing views: dashboard, enrolment and completion. Thin: validate, call, redirect."""

from django.contrib import messages
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from wagtail.models import Page

from courses import exceptions, selectors, services
from courses.forms import EnrolmentCodeForm
from courses.models import CoursePage
from courses.redirects import safe_next_url
from courses.throttling import throttled
from courses.views.access import login_required


def catalogue(request):
    """The course catalogue of this site: the header's "Courses" link, found when followed."""
    page = selectors.catalogue_page(request=request)
    if page is None:
        raise Http404
    return HttpResponseRedirect(page.get_url(request))


@login_required
def dashboard(request):
    entries = selectors.dashboard(user=request.user, request=request)
    return render(
        request,
        "courses/dashboard.html",
        {
            "entries": entries,
            "in_progress": [e for e in entries if not e.enrollment.completed_at],
            "completed": [e for e in entries if e.enrollment.completed_at],
            "code_form": EnrolmentCodeForm(),
        },
    )


@login_required
@require_POST
def enrol(request, course_id: int):
    course = CoursePage.objects.live().public().filter(pk=course_id).first()
    if course is None:
        raise Http404
    course_url = course.get_url(request)
    try:
        services.enrol(user=request.user, course=course)
    except exceptions.EnrolmentError as error:
        messages.error(request, error.message)
        return HttpResponseRedirect(course_url)
    messages.success(
        request, _("You are enrolled in “%(course)s”. Welcome!") % {"course": course.title}
    )
    first = selectors.course_outline(course=course, enrollment=None, request=request).next_to_do
    return HttpResponseRedirect(first.url if first else course_url)


@login_required
@throttled("enrolment_code")  # as POST /api/v1/enrolments/join/: one budget for both
def enrol_with_code(request):
    form = EnrolmentCodeForm(request.POST or None, initial={"code": request.GET.get("code", "")})
    if request.method == "POST" and form.is_valid():
        try:
            enrollment = services.enrol_with_code(user=request.user, code=form.cleaned_data["code"])
        except exceptions.EnrolmentError as error:
            form.add_error("code", error.message)
        else:
            messages.success(
                request,
                _("You have joined “%(cohort)s”.") % {"cohort": enrollment.cohort.name},
            )
            return HttpResponseRedirect(enrollment.course.get_url(request))
    status = 400 if request.method == "POST" else 200
    return render(request, "courses/enrol_code.html", {"form": form}, status=status)


@login_required
@require_POST
def complete(request, page_id: int):
    page = Page.objects.live().public().filter(pk=page_id).first()
    if page is None:
        raise Http404
    try:
        completion = services.complete_item(user=request.user, page=page)
    except (
        exceptions.NotEnrolled,
        exceptions.NotACourseItem,
        exceptions.CompletedByPassing,
    ) as error:
        messages.error(request, error.message)
        return HttpResponseRedirect(page.get_url(request) or "/")
    enrollment = completion.enrollment
    course_url = enrollment.course.get_url(request)
    if enrollment.completed_at:
        messages.success(
            request,
            _("Congratulations! You have completed “%(course)s”.")
            % {"course": enrollment.course.title},
        )
        return HttpResponseRedirect(safe_next_url(request, course_url))
    messages.success(request, _("“%(title)s” is marked complete.") % {"title": page.title})
    outline = selectors.course_outline(
        course=enrollment.course, enrollment=enrollment, current=page, request=request
    )
    target = outline.next.url if outline.next else course_url
    return HttpResponseRedirect(safe_next_url(request, target))
