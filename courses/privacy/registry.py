"""Where each app declares the personal data it holds, in the style of Moodle's privacy API.

Every app that stores something about a person registers one ``Provider`` in its
``AppConfig.ready()``::

    from courses.privacy import registry
    registry.register(MyProvider())

A provider names the models it holds personal data in (``declarations``: model, fields, why),
the models it looked at and found to hold none (``not_personal``: model label and why), and
implements ``export`` (rows to hand to the person) and ``erase`` (remove or de-identify).
``courses.privacy.services`` runs a request through every provider in one transaction, and
``tests/courses/test_privacy_registry.py`` fails when a model that points at a user or holds a
name or an email is declared by no provider.
"""

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.utils.functional import Promise


@dataclass(frozen=True)
class PersonalData:
    """One model's personal data: which fields, and why the LMS holds them."""

    model: str  # "app_label.ModelName"
    fields: tuple[str, ...]
    purpose: str | Promise
    # What erasure does to it, for the data-protection officer's record of processing.
    on_erasure: str | Promise = ""


@dataclass
class ErasureContext:
    """What an erasure run knows: the account, when, and the settings in force."""

    user: AbstractBaseUser
    now: Any  # datetime
    keep_certificate_names: bool
    identifiers: tuple[str, ...]  # the person's name(s) and email, for redact()
    notes: list[str] = field(default_factory=list)  # what each provider did, for the record


@dataclass(frozen=True)
class ExportSection:
    """One table of the export: a title, column names and rows (plain JSON-able values)."""

    key: str  # stable name, the JSON key and the sheet name
    title: str | Promise
    columns: tuple[str, ...]
    rows: list[tuple]


@dataclass(frozen=True)
class RetentionResult:
    """What one retention rule found (and, unless a dry run, purged)."""

    rule: str  # the LMS setting, e.g. "RETENTION_ATTEMPT_TEXT_DAYS"
    description: str
    count: int


@dataclass(frozen=True)
class ExportFile:
    name: str  # path inside the ZIP
    content: bytes


class Provider:
    """The personal data one app holds. Subclasses set ``app_label`` and ``declarations``
    and override the methods below."""

    app_label: str = ""
    declarations: tuple[PersonalData, ...] = ()
    # Models looked at and found to hold no personal data: {"app.Model": "why"}.
    not_personal: dict[str, str] = {}

    def refusals(self, user: AbstractBaseUser) -> list[str]:
        """Translated reasons why this account may not be erased (empty: it may)."""
        return []

    def export(self, user: AbstractBaseUser) -> list[ExportSection]:
        return []

    def export_files(self, user: AbstractBaseUser) -> Iterable[ExportFile]:
        return ()

    def erase(self, context: ErasureContext) -> None:
        """Remove or de-identify the person's data. Runs inside the erasure's transaction;
        append a short English line to ``context.notes`` saying what was done."""

    def apply_retention(self, *, now, dry_run: bool) -> list["RetentionResult"]:
        """Purge or de-identify what has outlived its ``LMS`` retention setting; with
        ``dry_run`` only count it. Must be idempotent (a second run finds nothing)."""
        return []

    def restrict(self, user: AbstractBaseUser) -> None:
        """Stop processing the person's data (beyond keeping it). Default: nothing to stop."""


_providers: dict[str, Provider] = {}


def register(provider: Provider) -> Provider:
    """Register an app's provider (once; a second registration for the app replaces it)."""
    if not provider.app_label:
        raise ValueError("A privacy provider needs an app_label.")
    _providers[provider.app_label] = provider
    return provider


def providers() -> Iterator[Provider]:
    """Registered providers in a stable order (by app label)."""
    for label in sorted(_providers):
        yield _providers[label]


def declared_models() -> dict[str, PersonalData]:
    return {d.model.lower(): d for p in providers() for d in p.declarations}


def reviewed_models() -> dict[str, str]:
    return {label.lower(): why for p in providers() for label, why in p.not_personal.items()}


def redact(text: str, identifiers: Iterable[str], *, mark: str = "[…]") -> str:
    """``text`` with every occurrence of the person's identifiers (case-insensitive) replaced:
    for the agency's own notes that may mention the person (revocation reasons, event notes)."""
    for identifier in sorted({i for i in identifiers if i and len(i) > 2}, key=len, reverse=True):
        text = re.sub(re.escape(identifier), mark, text, flags=re.IGNORECASE)
    return text
