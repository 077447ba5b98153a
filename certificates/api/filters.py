"""The register's filters in the API: the parameters ``certificates.filters`` reads (as the admin
register and the bulk ZIP do), type-checked first so that a bad value is a 400, never a database
error or a silently wider selection. Query strings (list, exports) and JSON bodies (bulk ZIP)
take the same names."""

from collections.abc import Mapping

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter
from rest_framework import serializers
from rest_framework.exceptions import ErrorDetail, ValidationError

from certificates.filters import InvalidFilter, filter_certificates
from certificates.models import Certificate
from courses.api.toolkit import ID_SCHEMA, MAX_ID

# certificates.filters explains its refusals in words; the API names them with its error codes.
INVALID_FILTER_CODES = {"province": "does_not_exist"}

ORGANISATION_HELP = _(
    "Part of the organisation's name; case, spacing and where the tone mark sits (hoà, hòa) "
    "do not matter."
)


def _ids(**kwargs) -> serializers.ListField:
    return serializers.ListField(
        child=serializers.IntegerField(min_value=0, max_value=MAX_ID), required=False, **kwargs
    )


class CertificateFilterSerializer(serializers.Serializer):
    """Which certificates: every filter is optional; the lists allow several values."""

    course = _ids(help_text=_("Course ids."))
    cohort = _ids(help_text=_("Cohort ids."))
    province = serializers.ListField(
        child=serializers.CharField(max_length=100),
        required=False,
        help_text=_("Province ids or names (as printed on the certificate)."),
    )
    organisation = serializers.CharField(
        max_length=200,
        required=False,
        allow_blank=True,
        help_text=ORGANISATION_HELP,
    )
    issued_from = serializers.DateField(required=False, help_text=_("Issued on or after."))
    issued_to = serializers.DateField(required=False, help_text=_("Issued on or before."))
    status = serializers.ListField(
        child=serializers.ChoiceField(choices=Certificate.Status.choices), required=False
    )


IDS_SCHEMA = {"type": "array", "items": ID_SCHEMA}

FILTER_PARAMETERS = [
    OpenApiParameter("course", IDS_SCHEMA, description=_("Course ids.")),
    OpenApiParameter("cohort", IDS_SCHEMA, description=_("Cohort ids.")),
    OpenApiParameter(
        "province",
        OpenApiTypes.STR,
        many=True,
        description=_("Province ids or names (as printed on the certificate)."),
    ),
    OpenApiParameter(
        "organisation",
        OpenApiTypes.STR,
        description=ORGANISATION_HELP,
    ),
    OpenApiParameter("issued_from", OpenApiTypes.DATE, description=_("Issued on or after.")),
    OpenApiParameter("issued_to", OpenApiTypes.DATE, description=_("Issued on or before.")),
    OpenApiParameter(
        "status",
        OpenApiTypes.STR,
        many=True,
        enum=Certificate.Status.values,
        description=_("Certificate status."),
    ),
]


def filter_params(data: Mapping) -> dict[str, list[str]]:
    """The checked filters of a query string or JSON body, as ``certificates.filters`` reads
    them (lists of strings). Raises ValidationError."""
    serializer = CertificateFilterSerializer(data=data)
    if not serializer.is_valid():
        # Errors by parameter, not by position in its list of values.
        raise ValidationError({name: _leaves(errors) for name, errors in serializer.errors.items()})
    params = {}
    for name, value in serializer.validated_data.items():
        values = value if isinstance(value, list) else [value]
        params[name] = [v.isoformat() if hasattr(v, "isoformat") else str(v) for v in values]
    return params


def _leaves(errors) -> list:
    if isinstance(errors, Mapping):
        return [leaf for value in errors.values() for leaf in _leaves(value)]
    if isinstance(errors, list):
        return [leaf for value in errors for leaf in _leaves(value)]
    return [errors]


def invalid_filter(error: InvalidFilter) -> ValidationError:
    """What ``certificates.filters`` refused, as invalid input of that parameter."""
    code = INVALID_FILTER_CODES.get(error.param, "invalid")
    return ValidationError({error.param: [ErrorDetail(str(error.message), code=code)]})


def filtered_certificates(queryset: QuerySet[Certificate], data: Mapping) -> QuerySet[Certificate]:
    try:
        return filter_certificates(queryset, filter_params(data))
    except InvalidFilter as error:
        raise invalid_filter(error) from None
