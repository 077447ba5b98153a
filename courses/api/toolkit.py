"""The REST toolkit that ``courses`` offers the other apps' APIs (part of its declared public
surface, see ``courses/__init__.py``): every app's API shares its authentication, errors,
pagination, throttling and OpenAPI schema through these names. Import them from here, not from
the modules that define them: those are ``courses``' own and may change.

Viewsets: ``APIViewSetMixin`` (authentication, pagination, throttling, translated errors) and
``validated`` (a command's input through a serializer). Access: ``FollowsCohorts`` (trainers and
HR). Filters: ``filtered``, ``IdFilter`` and ``BooleanFilter`` (strict, translated errors); path
ids: ``ID_SCHEMA`` and ``MAX_ID``. Schema: ``extend_schema``, ``error_response`` and
``domain_errors``. Serializers: ``absolute_url``, ``full_name`` and ``rich_text``. Reads:
``with_course_pk``.
"""

from courses.api.base import APIViewSetMixin
from courses.api.converters import ID_SCHEMA, MAX_ID
from courses.api.filters import BooleanFilter, IdFilter, filtered
from courses.api.permissions import FollowsCohorts
from courses.api.schema import domain_errors, error_response, extend_schema
from courses.api.selectors import with_course_pk
from courses.api.serializers import absolute_url, full_name, rich_text
from courses.api.views import validated

__all__ = [
    "ID_SCHEMA",
    "MAX_ID",
    "APIViewSetMixin",
    "BooleanFilter",
    "FollowsCohorts",
    "IdFilter",
    "absolute_url",
    "domain_errors",
    "error_response",
    "extend_schema",
    "filtered",
    "full_name",
    "rich_text",
    "validated",
    "with_course_pk",
]
