"""Every API error as JSON: ``{"code": "...", "message": "...", "errors"?: {field: [messages]}}``.

Codes are stable; messages are ours, translated into the request's language (Vietnamese unless the
client sends ``Accept-Language: en``). DRF's own texts never reach a client: errors are recognised
by class and field errors by their code, and each is given a message from the tables below.
Domain errors (``courses.exceptions.LMSError`` and subclasses) carry their own code and message.
"""

import math
from collections.abc import Mapping

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.http import Http404, JsonResponse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from django.views.decorators.csrf import csrf_exempt
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.settings import api_settings
from rest_framework.views import set_rollback

from courses import exceptions as course_exceptions
from courses import lockout
from courses.api.authentication import CSRFFailed, LockedOut
from courses.exceptions import LMSError

NOT_FOUND_MESSAGE = _("Nothing was found at this address.")

# DRF exception class → (code, message). The first matching class wins: subclasses first.
API_ERRORS: list[tuple[type[exceptions.APIException], str, str]] = [
    (
        CSRFFailed,
        "csrf_failed",
        _("The CSRF token is missing or wrong. Reload the page and try again."),
    ),
    (
        exceptions.NotAuthenticated,
        "not_authenticated",
        _("Sign in or send an API token to use this endpoint."),
    ),
    (
        exceptions.AuthenticationFailed,
        "authentication_failed",
        _("The credentials sent are not valid."),
    ),
    (exceptions.PermissionDenied, "permission_denied", _("You are not allowed to do this.")),
    (exceptions.NotFound, "not_found", NOT_FOUND_MESSAGE),
    (exceptions.MethodNotAllowed, "method_not_allowed", _("This method is not allowed here.")),
    (exceptions.NotAcceptable, "not_acceptable", _("This API answers in JSON only.")),
    (
        exceptions.UnsupportedMediaType,
        "unsupported_media_type",
        _("Send the request body as JSON (Content-Type: application/json)."),
    ),
    (exceptions.ParseError, "parse_error", _("The request body is not valid JSON.")),
    (exceptions.ValidationError, "invalid_input", _("Some of the data sent is not valid.")),
]
OTHER_ERROR = ("error", LMSError.message)

# Field error code (DRF serializers, Django forms behind django-filter, our own) → message.
FIELD_ERRORS: dict[str, str] = {
    "required": _("This value is required."),
    "null": _("This value must not be empty."),
    "blank": _("This value must not be empty."),
    "empty": _("This value must not be empty."),
    "invalid": _("This value is not valid."),
    "invalid_choice": _("Choose one of the allowed values."),
    "invalid_list": _("A list of values is expected here."),
    "invalid_pk_value": _("No such item."),
    "does_not_exist": _("No such item."),
    "incorrect_type": _("No such item."),
    "max_length": _("This value is too long."),
    "max_string_length": _("This value is too long."),
    "min_length": _("This value is too short."),
    "max_value": _("This number is too large."),
    "min_value": _("This number is too small."),
    "max_digits": _("This number has too many digits."),
    "max_decimal_places": _("This number has too many digits."),
    "max_whole_digits": _("This number has too many digits."),
    "not_a_list": _("A list of values is expected here."),
    "not_a_dict": _("An object is expected here."),
    "null_characters_not_allowed": _("This text contains characters that are not allowed."),
    "surrogate_characters_not_allowed": _("This text contains characters that are not allowed."),
    "date": _("This is not a valid date."),
    "datetime": _("This is not a valid date and time."),
    # Our own codes, raised by our serializers.
    "unreadable_answers": _("The answers could not be read. Please try again."),
}
FIELD_ERROR_FALLBACK = FIELD_ERRORS["invalid"]

# Domain errors of ``courses`` carry no HTTP status; quiz errors carry ``.status``.
LMS_ERROR_STATUS: dict[type[LMSError], int] = {
    course_exceptions.AlreadyEnrolled: status.HTTP_409_CONFLICT,
    course_exceptions.CohortFull: status.HTTP_409_CONFLICT,
    course_exceptions.NotEnrolled: status.HTTP_403_FORBIDDEN,
    course_exceptions.SelfEnrolmentClosed: status.HTTP_403_FORBIDDEN,
}


def field_message(code: str | None) -> str:
    return str(FIELD_ERRORS.get(code or "", FIELD_ERROR_FALLBACK))


def field_errors(detail, prefix: str = "") -> dict[str, list[str]]:
    """A ValidationError's detail flattened to ``{"field.sub": [messages]}``; errors that belong
    to no field go under ``non_field_errors``."""
    errors: dict[str, list[str]] = {}

    def walk(node, path: str) -> None:
        if isinstance(node, Mapping):
            for key, value in node.items():
                walk(value, f"{path}.{key}" if path else str(key))
        elif isinstance(node, list | tuple):
            for index, value in enumerate(node):
                if isinstance(value, Mapping | list | tuple):
                    walk(value, f"{path}.{index}" if path else str(index))
                else:
                    walk(value, path)
        else:
            key = path or api_settings.NON_FIELD_ERRORS_KEY
            errors.setdefault(key, []).append(field_message(getattr(node, "code", None)))

    walk(detail, prefix)
    return errors


def lms_error_status(error: LMSError | type[LMSError]) -> int:
    """The HTTP status of a domain error (an instance or its class)."""
    error_class = error if isinstance(error, type) else type(error)
    for cls in error_class.__mro__:
        if cls in LMS_ERROR_STATUS:
            return LMS_ERROR_STATUS[cls]
    return getattr(error_class, "status", status.HTTP_400_BAD_REQUEST)


def lms_error_body(error: LMSError) -> dict:
    body = {"code": error.code, "message": str(error.message)}
    position = getattr(error, "position", None)
    if position is not None:  # quizzes.exceptions.BadAnswer: which answer was refused
        body["position"] = position
        body["errors"] = {f"answers.{position}": [str(error.message)]}
    return body


def throttled_message(wait: float | None) -> str:
    if wait is None:
        return str(_("Too many requests. Try again later."))
    seconds = max(1, math.ceil(wait))
    return ngettext(
        "Too many requests. Try again in %(seconds)s second.",
        "Too many requests. Try again in %(seconds)s seconds.",
        seconds,
    ) % {"seconds": seconds}


def api_error_body(error: exceptions.APIException) -> dict:
    if isinstance(error, LockedOut):
        message = lockout.lockout_message(wait=error.wait, now=timezone.now(), api=True)
        return {"code": "locked_out", "message": message}
    if isinstance(error, exceptions.Throttled):
        return {"code": "throttled", "message": throttled_message(error.wait)}
    code, message = next(
        ((code, message) for cls, code, message in API_ERRORS if isinstance(error, cls)),
        OTHER_ERROR,
    )
    body = {"code": code, "message": str(message)}
    if isinstance(error, exceptions.ValidationError):
        body["errors"] = field_errors(error.detail)
    return body


def exception_handler(exc, context):
    """DRF's ``EXCEPTION_HANDLER``: every error in the shape and words above."""
    if isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied()
    if isinstance(exc, LMSError):
        set_rollback()
        return Response(lms_error_body(exc), status=lms_error_status(exc))
    if not isinstance(exc, exceptions.APIException):
        return None  # a bug: let Django report it
    headers = {}
    if getattr(exc, "auth_header", None):
        headers["WWW-Authenticate"] = exc.auth_header
    if getattr(exc, "wait", None):
        headers["Retry-After"] = str(math.ceil(exc.wait))
    set_rollback()
    return Response(api_error_body(exc), status=exc.status_code, headers=headers)


@csrf_exempt  # it changes nothing; a POST to a wrong address is a 404 too, not a CSRF page
def not_found(request, *args, **kwargs) -> JsonResponse:
    """Any address under the API that matches no endpoint."""
    return JsonResponse({"code": "not_found", "message": str(NOT_FOUND_MESSAGE)}, status=404)
