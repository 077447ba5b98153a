"""Filtering issued certificates from a querystring: the certificates register and the bulk ZIP
download read the same parameters, so "Download all as ZIP" gets exactly the filtered list.

Parameters (all optional; unknown ones such as ``q``, ``ordering`` or ``p`` are ignored):

* ``course``, ``cohort``: page / cohort ids; repeat the parameter to allow several.
* ``province``: a province id or its name (certificates keep the name as it was at issue).
* ``organisation``: part of the organisation's name, ignoring case, spacing and tone placement.
* ``issued_from``, ``issued_to``: ``YYYY-MM-DD`` (or ``WAGTAIL_DATE_FORMAT``), both included.
* ``status``: ``valid``, ``revoked`` or ``superseded``; repeatable.

    from certificates.filters import filter_certificates, filter_querystring
    certificates = filter_certificates(Certificate.objects.all(), request.GET)
    zip_url = reverse("certificates_bulk_start") + "?" + filter_querystring(request.GET)

A malformed value raises ``InvalidFilter`` (never silently widened: a bulk download must not
return more than the list showed).
"""

import contextlib
import datetime
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass

from django.conf import settings
from django.db.models import QuerySet
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from certificates.models import Certificate
from courses.text import match_key

FILTER_PARAMS = (
    "course",
    "cohort",
    "province",
    "organisation",
    "issued_from",
    "issued_to",
    "status",
)
MULTI_VALUED = frozenset({"course", "cohort", "province", "status"})


class InvalidFilter(ValueError):
    def __init__(self, param: str, message: str) -> None:
        self.param, self.message = param, message
        super().__init__(f"{param}: {message}")


@dataclass(frozen=True, slots=True)
class CertificateFilters:
    """Checked filter values; empty tuples and ``None`` mean "not filtered"."""

    course_ids: tuple[int, ...] = ()
    cohort_ids: tuple[int, ...] = ()
    provinces: tuple[str, ...] = ()
    organisation: str = ""
    issued_from: datetime.date | None = None
    issued_to: datetime.date | None = None
    statuses: tuple[str, ...] = ()


def _values(params: Mapping, name: str) -> list[str]:
    """Every non-empty value of ``name``, from a QueryDict or a plain dict of str or lists."""
    if hasattr(params, "getlist"):
        raw = params.getlist(name)
    else:
        raw = params.get(name, [])
        raw = [raw] if isinstance(raw, str | int) else list(raw)
    values = (unicodedata.normalize("NFC", str(value)).strip() for value in raw)
    return [value for value in values if value]


def clean_params(params: Mapping) -> dict[str, list[str]]:
    """The recognised, non-empty filter parameters, as lists (JSON-friendly, for storing)."""
    cleaned = {name: _values(params, name) for name in FILTER_PARAMS}
    for name in FILTER_PARAMS:
        if name not in MULTI_VALUED:
            cleaned[name] = cleaned[name][:1]
    return {name: values for name, values in cleaned.items() if values}


def filter_querystring(params: Mapping) -> str:
    """The filter parameters only, URL-encoded: for links such as "Download all as ZIP"."""
    return urlencode(clean_params(params), doseq=True)


def _ids(name: str, values: list[str]) -> tuple[int, ...]:
    try:
        return tuple(int(value) for value in values)
    except ValueError:
        raise InvalidFilter(name, _("Expected a number.")) from None


def _date(name: str, values: list[str]) -> datetime.date | None:
    """ISO dates, or the format of Wagtail's date pickers if the site sets one."""
    if not values:
        return None
    for date_format in ("%Y-%m-%d", getattr(settings, "WAGTAIL_DATE_FORMAT", None)):
        if date_format:
            with contextlib.suppress(ValueError):
                return datetime.datetime.strptime(values[0], date_format).date()  # noqa: DTZ007
    raise InvalidFilter(name, _("Enter a date as YYYY-MM-DD."))


def _province_names(values: list[str]) -> tuple[str, ...]:
    from courses.models import Province

    ids = [int(value) for value in values if value.isdigit()]
    names = dict(Province.objects.filter(pk__in=ids).values_list("pk", "name")) if ids else {}
    result = []
    for value in values:
        if value.isdigit():
            if int(value) not in names:
                raise InvalidFilter("province", _("Unknown province."))
            result.append(names[int(value)])
        else:
            result.append(value)
    return tuple(result)


def parse_filters(params: Mapping) -> CertificateFilters:
    """Check the querystring's filter parameters. Raises ``InvalidFilter``."""
    values = clean_params(params)
    statuses = tuple(values.get("status", ()))
    for status in statuses:
        if status not in Certificate.Status.values:
            raise InvalidFilter("status", _("Unknown status."))
    filters = CertificateFilters(
        course_ids=_ids("course", values.get("course", [])),
        cohort_ids=_ids("cohort", values.get("cohort", [])),
        provinces=_province_names(values.get("province", [])),
        organisation=(values.get("organisation") or [""])[0],
        issued_from=_date("issued_from", values.get("issued_from", [])),
        issued_to=_date("issued_to", values.get("issued_to", [])),
        statuses=statuses,
    )
    if filters.issued_from and filters.issued_to and filters.issued_from > filters.issued_to:
        raise InvalidFilter("issued_to", _("The end date is before the start date."))
    return filters


def organisation_contains(queryset: QuerySet[Certificate], text: str) -> QuerySet[Certificate]:
    """Certificates whose organisation contains ``text``, ignoring case, spacing, Unicode
    normalisation and tone placement (hoà/hòa) on every database: the distinct organisation
    names are matched in Python, then selected exactly."""
    key = match_key(text)
    if not key:
        return queryset
    names = queryset.order_by().values_list("organisation", flat=True).distinct()
    return queryset.filter(organisation__in=[name for name in names if key in match_key(name)])


def filter_certificates(
    queryset: QuerySet[Certificate], params: Mapping | CertificateFilters
) -> QuerySet[Certificate]:
    """``queryset`` narrowed by the filters in ``params`` (a querystring or parsed filters)."""
    filters = params if isinstance(params, CertificateFilters) else parse_filters(params)
    if filters.course_ids:
        queryset = queryset.filter(course_id__in=filters.course_ids)
    if filters.cohort_ids:
        queryset = queryset.filter(cohort_id__in=filters.cohort_ids)
    if filters.provinces:
        queryset = queryset.filter(province__in=filters.provinces)
    if filters.organisation:
        queryset = organisation_contains(queryset, filters.organisation)
    if filters.issued_from:
        queryset = queryset.filter(issued_on__gte=filters.issued_from)
    if filters.issued_to:
        queryset = queryset.filter(issued_on__lte=filters.issued_to)
    if filters.statuses:
        queryset = queryset.filter(status__in=filters.statuses)
    return queryset


def describe_filters(filters: CertificateFilters) -> list[tuple[str, str]]:
    """(label, value) pairs for showing what a download contains."""
    from courses.models import Cohort, CoursePage

    rows = []
    if filters.course_ids:
        courses = CoursePage.objects.filter(pk__in=filters.course_ids)
        titles = courses.values_list("title", flat=True)
        rows.append((_("Course"), ", ".join(sorted(titles))))
    if filters.cohort_ids:
        names = Cohort.objects.filter(pk__in=filters.cohort_ids).values_list("name", flat=True)
        rows.append((_("Cohort"), ", ".join(sorted(names))))
    if filters.provinces:
        rows.append((_("Province"), ", ".join(filters.provinces)))
    if filters.organisation:
        rows.append((_("Organisation contains"), filters.organisation))
    if filters.issued_from:
        rows.append((_("Issued from"), filters.issued_from.strftime("%d/%m/%Y")))
    if filters.issued_to:
        rows.append((_("Issued until"), filters.issued_to.strftime("%d/%m/%Y")))
    if filters.statuses:
        labels = dict(Certificate.Status.choices)
        rows.append((_("Status"), ", ".join(str(labels[s]) for s in filters.statuses)))
    return rows
