"""Path converters of the API's URLs (registered as ``lms_id`` by courses.api.urls)."""

# Ids fit a signed 64-bit column; a longer number cannot name anything (and would overflow the
# database driver), so it is simply not found.
MAX_ID = 10**18 - 1
ID_SCHEMA = {"type": "integer", "minimum": 0, "maximum": MAX_ID}


class IdConverter:
    regex = "[0-9]{1,18}"

    def to_python(self, value: str) -> int:
        return int(value)

    def to_url(self, value) -> str:
        return str(value)
