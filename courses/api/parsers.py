"""Request body parsers of the API (``DEFAULT_PARSER_CLASSES``)."""

from rest_framework import parsers
from rest_framework.exceptions import ParseError


class JSONParser(parsers.JSONParser):
    """DRF's JSON parser, also refusing bodies nested too deeply for Python's decoder: they
    raise ``RecursionError``, which DRF does not catch, so a few kilobytes of ``[`` were a 500."""

    def parse(self, stream, media_type=None, parser_context=None):
        try:
            return super().parse(stream, media_type, parser_context)
        except RecursionError:
            raise ParseError() from None
