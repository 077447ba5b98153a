"""What every LMS API view declares for itself, so that the host's ``REST_FRAMEWORK`` setting
changes nothing in the LMS API: authentication, permissions, throttling, pagination, filtering,
parsing, rendering, content negotiation, errors and the OpenAPI schema."""

from django_filters.rest_framework import DjangoFilterBackend
from rest_framework import permissions
from rest_framework.metadata import SimpleMetadata
from rest_framework.negotiation import DefaultContentNegotiation
from rest_framework.renderers import JSONRenderer

from courses.api.authentication import AUTHENTICATION_CLASSES
from courses.api.errors import exception_handler
from courses.api.pagination import PageNumberPagination
from courses.api.parsers import JSONParser
from courses.api.schema import AutoSchema
from courses.api.throttling import ScopedRateThrottle


class APIViewSetMixin:
    """Put first in the bases of every LMS API view (before DRF's classes)."""

    authentication_classes = AUTHENTICATION_CLASSES
    permission_classes = [permissions.IsAuthenticated]
    throttle_classes = [ScopedRateThrottle]
    throttle_scope = None  # set per action: see courses.api.throttling
    pagination_class = PageNumberPagination
    filter_backends = [DjangoFilterBackend]
    parser_classes = [JSONParser]
    renderer_classes = [JSONRenderer]
    content_negotiation_class = DefaultContentNegotiation
    metadata_class = SimpleMetadata
    versioning_class = None
    schema = AutoSchema()
    lookup_value_converter = "lms_id"  # courses.api.converters.IdConverter

    def get_exception_handler(self):
        return exception_handler
