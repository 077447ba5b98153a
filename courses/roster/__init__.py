"""Delegate rosters: an organiser's XLSX or CSV list of delegates, read, checked and imported
into a cohort.

``table`` reads the file into raw rows (pure), ``rows`` checks each row (pure), ``services``
plans and runs the import against the database and sends the invitations. The pure names are
re-exported here; import the services from ``courses.roster.services``.
"""

from courses.roster.rows import (
    ENROLLING,
    MAX_LENGTHS,
    STATUS_LABELS,
    ProvinceMatch,
    RosterRow,
    RowStatus,
    build_province_index,
    classify,
    match_province,
    province_key,
    validate_row,
    validate_rows,
)
from courses.roster.table import (
    COLUMN_LABELS,
    HEADER_ALIASES,
    HEADER_INDEX,
    MAX_COLUMNS,
    REQUIRED_COLUMNS,
    TEMPLATE_EXAMPLE,
    Column,
    RawRow,
    RosterFileError,
    RosterTable,
    TableEnd,
    ends_table,
    heading_key,
    read_roster,
    template_csv,
    template_example,
    template_headings,
    template_xlsx,
)

__all__ = [
    "COLUMN_LABELS",
    "ENROLLING",
    "HEADER_ALIASES",
    "HEADER_INDEX",
    "MAX_COLUMNS",
    "MAX_LENGTHS",
    "REQUIRED_COLUMNS",
    "STATUS_LABELS",
    "TEMPLATE_EXAMPLE",
    "Column",
    "ProvinceMatch",
    "RawRow",
    "RosterFileError",
    "RosterRow",
    "RosterTable",
    "RowStatus",
    "TableEnd",
    "build_province_index",
    "classify",
    "ends_table",
    "heading_key",
    "match_province",
    "province_key",
    "read_roster",
    "template_csv",
    "template_example",
    "template_headings",
    "template_xlsx",
    "validate_row",
    "validate_rows",
]
