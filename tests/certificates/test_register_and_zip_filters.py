"""The register's filter form and the bulk ZIP read one set of query parameters
(``certificates.filters.FILTER_PARAMS``): a filter shown on the register is kept for the ZIP."""

import pytest
from django.http import QueryDict

from certificates.admin_forms import CertificateFilterSet
from certificates.filters import FILTER_PARAMS, filter_querystring

pytestmark = pytest.mark.django_db


def test_the_register_form_asks_for_exactly_the_parameters_the_zip_reads():
    parameters = set()
    for name, field in CertificateFilterSet().form.fields.items():
        suffixes = getattr(field.widget, "suffixes", None)  # a date range: issued_from, issued_to
        parameters |= {f"{name}_{suffix}" for suffix in suffixes} if suffixes else {name}
    assert parameters == set(FILTER_PARAMS)


def test_the_zip_link_keeps_the_filters_and_drops_search_ordering_and_page():
    query = QueryDict(
        "course=3&course=4&province=Hu%E1%BA%BF&issued_from=2024-07-01&issued_to="
        "&status=valid&q=L%C3%AA&ordering=-issued_on&p=2"
    )
    assert filter_querystring(query) == (
        "course=3&course=4&province=Hu%E1%BA%BF&issued_from=2024-07-01&status=valid"
    )
