"""OpenAPI: every operation documents the errors it can answer with, in the one error shape.

Views document their own success responses and domain errors (``extend_schema``); the errors
every endpoint shares (authentication, permission, not found, validation, throttling, content
negotiation) are added here from what the view is, so none is forgotten.
"""

from collections import defaultdict

from django.utils.translation import gettext_lazy as _
from drf_spectacular import openapi
from drf_spectacular.utils import OpenApiResponse
from rest_framework import permissions

from courses.api.errors import lms_error_status
from courses.api.serializers import ErrorSerializer
from courses.exceptions import LMSError

UNSAFE_METHODS = {"POST", "PUT", "PATCH", "DELETE"}

SHARED_ERRORS = {
    "400": _(
        "Invalid input (`invalid_input`, with `errors` per field) or unreadable JSON "
        "(`parse_error`)."
    ),
    "401": _("Not signed in (`not_authenticated`) or a wrong token (`authentication_failed`)."),
    "403": _("Not allowed (`permission_denied`), or the CSRF token is missing (`csrf_failed`)."),
    "404": _("Not found, or not yours to see (`not_found`)."),
    "406": _("Only JSON is served (`not_acceptable`)."),
    "415": _("The body must be JSON (`unsupported_media_type`)."),
    "429": _("Too many requests (`throttled`); see the Retry-After header."),
}


def error_response(description) -> OpenApiResponse:
    return OpenApiResponse(response=ErrorSerializer, description=description)


def domain_errors(
    *errors: type[LMSError], also: dict[int, str] | None = None
) -> dict[int, OpenApiResponse]:
    """The responses of an operation's domain errors, grouped by the status each is answered
    with (so the documentation follows the domain), plus ``also`` (e.g. invalid input)."""
    codes: dict[int, list[str]] = defaultdict(list)
    for error in errors:
        codes[lms_error_status(error)].append(f"`{error.code}`")
    for status, text in (also or {}).items():
        codes[status].append(text)
    return {status: error_response(", ".join(texts)) for status, texts in sorted(codes.items())}


class AutoSchema(openapi.AutoSchema):
    def shared_error_statuses(self) -> list[str]:
        unsafe = self.method in UNSAFE_METHODS
        public = all(
            isinstance(permission, permissions.AllowAny)
            for permission in self.view.get_permissions()
        )
        statuses = ["401", "406"]
        if unsafe or self._is_list_view():
            statuses.append("400")
        if unsafe or not public:
            statuses.append("403")
        if self.path_regex and ("{" in self.path or self._is_list_view()):
            statuses.append("404")
        if unsafe:
            statuses.append("415")
        if getattr(self.view, "throttle_scope", None):
            statuses.append("429")
        return statuses

    def _get_response_bodies(self, direction="response"):
        responses = super()._get_response_bodies(direction)
        for code in self.shared_error_statuses():
            if code not in responses:
                responses[code] = self._get_response_for_code(
                    error_response(SHARED_ERRORS[code]), code, direction=direction
                )
        return dict(sorted(responses.items()))


def api_endpoints_only(endpoints):
    """Preprocessing hook: document our API, not the other DRF views in the project (Wagtail's
    admin API)."""
    from drf_spectacular.settings import spectacular_settings

    prefix = spectacular_settings.SCHEMA_PATH_PREFIX.rstrip("/") + "/"
    return [endpoint for endpoint in endpoints if endpoint[0].startswith(prefix)]
