"""The quiz page in the course tree: introduction, attempts so far, start or continue."""

from django.http import HttpResponseRedirect

from courses import selectors as course_selectors
from courses import services as course_services
from quizzes import selectors


def serve_quiz_page(page, request, render, *args, **kwargs):
    course = page.get_course(request)
    enrollment = course_selectors.enrollment_for(user=request.user, course=course)
    if enrollment is None and not page.user_may_read(request):
        return HttpResponseRedirect(course_selectors.enrol_url(course=course, request=request))
    if enrollment is not None:
        course_services.record_visit(enrollment=enrollment, page=page)
    request.lms_outline = course_selectors.course_outline(
        course=course, enrollment=enrollment, current=page, request=request
    )
    request.lms_quiz_status = selectors.quiz_status(quiz=page, user=request.user)
    return render(request, *args, **kwargs)
