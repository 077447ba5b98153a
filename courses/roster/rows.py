"""Delegate rosters, checked: each raw row cleaned and validated, its province matched (a
former province's name leads to today's), and what a valid row means for existing accounts.

Plain functions, no database: the caller passes the province lookup in (see
``build_province_index``) and the service layer (``courses.roster.services``) decides what each
valid row means for the accounts the database holds (see ``classify``).
"""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from courses.roster.table import COLUMN_LABELS, Column, RawRow, heading_key
from courses.text import collapse_spaces, nfc

# Lengths of the fields the rows end up in (DelegateProfile; the email is also the username).
MAX_LENGTHS = {"full_name": 150, "organisation": 200, "position": 150, "email": 150}
# Administrative prefixes written before a province's name ("Tỉnh Phú Thọ", "TP. Huế").
PROVINCE_PREFIXES = ("thanh pho ", "tinh ", "tp ")


class RowStatus(StrEnum):
    NEW = "new"  # an account is created and enrolled
    EXISTING = "existing"  # an existing account is enrolled; its profile is left alone
    ENROLLED = "enrolled"  # already in this cohort: skipped
    OTHER_COHORT = "other_cohort"  # in another cohort of the same course: skipped
    ERROR = "error"


STATUS_LABELS = {
    RowStatus.NEW: gettext_lazy("New account"),
    RowStatus.EXISTING: gettext_lazy("Existing account"),
    RowStatus.ENROLLED: gettext_lazy("Already enrolled"),
    RowStatus.OTHER_COHORT: gettext_lazy("In another cohort"),
    RowStatus.ERROR: gettext_lazy("Error"),
}
ENROLLING = frozenset({RowStatus.NEW, RowStatus.EXISTING})


@dataclass(frozen=True, slots=True)
class ProvinceMatch:
    province_id: int
    name: str
    former_name: str = ""  # set when the roster used a pre-2025 unit's name


@dataclass(frozen=True, slots=True)
class RosterRow:
    """A row after validation: cleaned values, the matched province, errors and notes."""

    number: int
    full_name: str
    organisation: str
    position: str
    province_text: str
    email: str
    province: ProvinceMatch | None
    errors: tuple[str, ...] = ()
    notes: tuple[str, ...] = ()

    @property
    def is_valid(self) -> bool:
        return not self.errors


def province_key(value: str) -> str:
    return heading_key(value)


def _without_prefix(key: str) -> str:
    for prefix in PROVINCE_PREFIXES:
        if key.startswith(prefix) and len(key) > len(prefix):
            return key[len(prefix) :]
    return key


# Provinces


def build_province_index(
    current: Iterable[tuple[int, str]], former: Iterable[tuple[str, int]]
) -> dict[str, ProvinceMatch]:
    """Map province keys to today's provinces.

    ``current`` holds ``(id, name)`` of today's provinces, ``former`` ``(name, successor_id)``
    of the units they replaced. A current name wins over a former one with the same key.
    """
    index: dict[str, ProvinceMatch] = {}
    names: dict[int, str] = {}
    for province_id, name in current:
        names[province_id] = name
        match = ProvinceMatch(province_id=province_id, name=name)
        key = province_key(name)
        index[key] = match
        index.setdefault(_without_prefix(key), match)
    for name, successor_id in former:
        if successor_id not in names:
            continue
        key = province_key(name)
        if key in index:
            continue
        match = ProvinceMatch(province_id=successor_id, name=names[successor_id], former_name=name)
        index[key] = match
        index.setdefault(_without_prefix(key), match)
    return index


def match_province(value: str, index: Mapping[str, ProvinceMatch]) -> ProvinceMatch | None:
    key = province_key(value)
    if not key:
        return None
    return index.get(key) or index.get(_without_prefix(key))


# Validating rows


def validate_rows(
    rows: Iterable[RawRow], *, provinces: Mapping[str, ProvinceMatch]
) -> list[RosterRow]:
    """Clean and check each row; a repeated email is an error on every later occurrence."""
    first_seen: dict[str, int] = {}
    result = []
    for raw in rows:
        row = validate_row(raw, provinces=provinces)
        if row.email and "@" in row.email:
            seen = first_seen.setdefault(row.email, row.number)
            if seen != row.number:
                message = _("The email %(email)s is already in row %(row)d.") % {
                    "email": row.email,
                    "row": seen,
                }
                row = RosterRow(**{**_fields(row), "errors": (*row.errors, message)})
        result.append(row)
    return result


def _fields(row: RosterRow) -> dict[str, Any]:
    return {name: getattr(row, name) for name in RosterRow.__dataclass_fields__}


def validate_row(raw: RawRow, *, provinces: Mapping[str, ProvinceMatch]) -> RosterRow:
    errors: list[str] = []
    notes: list[str] = []
    full_name = collapse_spaces(raw.full_name)
    organisation = collapse_spaces(raw.organisation)
    position = collapse_spaces(raw.position)
    province_text = collapse_spaces(raw.province)
    email = nfc(raw.email).lower()
    if email.startswith("mailto:"):
        email = email.removeprefix("mailto:")

    if not full_name:
        errors.append(_("The full name is missing."))
    if not organisation:
        errors.append(_("The organisation is missing."))
    for name, value, label in (
        ("full_name", full_name, COLUMN_LABELS[Column.FULL_NAME]),
        ("organisation", organisation, COLUMN_LABELS[Column.ORGANISATION]),
        ("position", position, COLUMN_LABELS[Column.POSITION]),
    ):
        if len(value) > MAX_LENGTHS[name]:
            errors.append(
                _("%(field)s is longer than %(limit)d characters.")
                % {"field": label, "limit": MAX_LENGTHS[name]}
            )

    if not email:
        errors.append(_("The email is missing."))
    elif len(email) > MAX_LENGTHS["email"]:
        errors.append(
            _("The email is longer than %(limit)d characters.") % {"limit": MAX_LENGTHS["email"]}
        )
    else:
        try:
            validate_email(email)
        except ValidationError:
            errors.append(_("“%(email)s” is not a valid email address.") % {"email": email})

    province = None
    if not province_text:
        errors.append(_("The province is missing."))
    else:
        province = match_province(province_text, provinces)
        if province is None:
            errors.append(
                _(
                    "The province “%(province)s” is unknown. Use one of today's 34 provinces "
                    "and cities, or a former province's name."
                )
                % {"province": province_text}
            )
        elif province.former_name:
            notes.append(
                _("The former province %(former)s is now part of %(province)s.")
                % {"former": province.former_name, "province": province.name}
            )

    return RosterRow(
        number=raw.number,
        full_name=full_name,
        organisation=organisation,
        position=position,
        province_text=province_text,
        email=email,
        province=province,
        errors=tuple(errors),
        notes=tuple(notes),
    )


# What a valid row means, given what the database already holds


def classify(
    row: RosterRow,
    *,
    has_account: bool,
    enrolled: bool,
    enrolled_cohort_id: int | None,
    cohort_id: int,
) -> RowStatus:
    """``enrolled``: the account has an enrolment in the cohort's course, in
    ``enrolled_cohort_id`` (``None`` when it enrolled on its own, outside any cohort)."""
    if row.errors:
        return RowStatus.ERROR
    if not has_account:
        return RowStatus.NEW
    if not enrolled or enrolled_cohort_id is None:
        return RowStatus.EXISTING
    if enrolled_cohort_id == cohort_id:
        return RowStatus.ENROLLED
    return RowStatus.OTHER_COHORT
