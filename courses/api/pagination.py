from django.utils.translation import gettext_lazy as _
from rest_framework import pagination
from rest_framework.exceptions import ErrorDetail, ValidationError


class PageNumberPagination(pagination.PageNumberPagination):
    """``?page=2&page_size=50``; the page size is capped so one request stays cheap. A page size
    that is not a whole number of at least 1 is refused (DRF would silently ignore it)."""

    page_size = 20
    page_size_query_param = "page_size"
    max_page_size = 100

    def get_page_number(self, request, paginator):
        # DRF reads an empty ``?page=`` as page 1; the schema says "a whole number from 1", so
        # it is not found like any other page that is not a number.
        number = request.query_params.get(self.page_query_param, 1)
        if number in self.last_page_strings:
            return paginator.num_pages
        return number

    def get_page_size(self, request):
        raw = request.query_params.get(self.page_size_query_param)
        if raw is None:
            return self.page_size
        try:
            size = int(raw)
        except ValueError:
            code = "invalid"
        else:
            if size >= 1:
                return min(size, self.max_page_size)
            code = "min_value"
        raise ValidationError({self.page_size_query_param: [ErrorDetail(code, code=code)]})

    def get_schema_operation_parameters(self, view):
        return [
            {
                "name": self.page_query_param,
                "required": False,
                "in": "query",
                "description": _("Page number, from 1."),
                "schema": {"type": "integer", "minimum": 1},
            },
            {
                "name": self.page_size_query_param,
                "required": False,
                "in": "query",
                "description": _("Results per page: 20 unless asked, 100 at most."),
                "schema": {"type": "integer", "minimum": 1},
            },
        ]
