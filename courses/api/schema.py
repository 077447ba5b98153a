"""OpenAPI: every operation documents the errors it can answer with, in the one error shape.

Views document their own success responses and domain errors (``extend_schema``); the errors
every endpoint shares (authentication, permission, not found, validation, throttling, content
negotiation) are added here from what the view is, so none is forgotten.
"""

import inspect
from collections import defaultdict

from django.utils.translation import gettext_lazy as _
from drf_spectacular import openapi
from drf_spectacular.utils import OpenApiResponse
from drf_spectacular.utils import extend_schema as spectacular_extend_schema
from drf_spectacular.views import SpectacularAPIView
from rest_framework import permissions

from courses.api.errors import lms_error_status
from courses.api.schema_settings import SCHEMA_SETTINGS
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
    """drf-spectacular's schema, plus the shared errors, added through its public hooks only:
    ``get_operation()`` builds the operation, ``resolve_serializer()`` the error component."""

    def is_list_operation(self) -> bool:
        """Declared, not guessed: every LMS list is a viewset's ``list`` action."""
        return getattr(self.view, "action", None) == "list"

    def shared_error_statuses(self, *, path: str, path_regex: str, method: str) -> list[str]:
        unsafe = method in UNSAFE_METHODS
        public = all(
            isinstance(permission, permissions.AllowAny)
            for permission in self.view.get_permissions()
        )
        statuses = ["401", "406"]
        if unsafe or self.is_list_operation():
            statuses.append("400")
        if unsafe or not public:
            statuses.append("403")
        if path_regex and ("{" in path or self.is_list_operation()):
            statuses.append("404")
        if unsafe:
            statuses.append("415")
        if getattr(self.view, "throttle_scope", None):
            statuses.append("429")
        return statuses

    def get_operation(self, path, path_regex, path_prefix, method, registry):
        operation = super().get_operation(path, path_regex, path_prefix, method, registry)
        if operation is None:  # excluded
            return None
        responses = operation["responses"]
        statuses = self.shared_error_statuses(
            path=path, path_regex=path_regex, method=method.upper()
        )
        missing = [code for code in statuses if code not in responses]
        if missing:
            error = {"schema": self.resolve_serializer(ErrorSerializer, "response").ref}
            media_types = self.map_renderers("media_type")
            for code in missing:
                responses[code] = {
                    "content": {media_type: dict(error) for media_type in media_types},
                    "description": SHARED_ERRORS[code],
                }
        operation["responses"] = dict(sorted(responses.items()))
        return operation


def lms_endpoints_only(endpoints):
    """Preprocessing hook: document the LMS API, not the host's other DRF views (Wagtail's admin
    API, the host's own API), wherever the host mounted ours."""
    from courses.api.base import APIViewSetMixin

    return [
        endpoint
        for endpoint in endpoints
        if issubclass(getattr(endpoint[3], "cls", type), APIViewSetMixin)
    ]


def extend_schema(**kwargs):
    """drf-spectacular's ``extend_schema``, built on the LMS's ``AutoSchema``: drf-spectacular
    would build a decorated method's schema on the host's ``DEFAULT_SCHEMA_CLASS``."""
    decorate = spectacular_extend_schema(**kwargs)

    def decorator(f):
        if callable(f) and not inspect.isclass(f) and not hasattr(f, "cls"):
            if not hasattr(f, "kwargs"):
                f.kwargs = {}  # as drf-spectacular does for methods that are not actions
            f.kwargs.setdefault("schema", AutoSchema)
        return decorate(f)

    return decorator


class SchemaView(SpectacularAPIView):
    """The OpenAPI 3 schema of the LMS API, public (``?format=json`` for JSON)."""

    authentication_classes = []
    permission_classes = [permissions.AllowAny]
    throttle_classes = []
    custom_settings = SCHEMA_SETTINGS
