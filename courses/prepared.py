"""Queries whose SQL is built once, then run many times with new values.

Django builds a query's SQL anew on every run. For the few reads behind the busiest requests
(the signed-in user of every request, autosave, submitting a quiz) building costs more CPU than
the database spends answering (measured: a user by id takes 0.22 ms through the ORM and 0.05 ms
with its SQL ready; an attempt with its quiz's columns, locked, 0.9 ms against 0.2 ms).
``Prepared`` keeps the ORM queryset as the one description of such a query: it builds it once per
database connection with marker values, keeps the SQL, and binds each run's values in their place.
"""

import weakref
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from django.db import DEFAULT_DB_ALIAS, connections
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.models import Model, QuerySet
from django.db.models.query import NamedValuesListIterable, ValuesListIterable
from django.db.models.sql.compiler import SQLCompiler
from django.db.models.utils import create_namedtuple_class
from django.db.transaction import TransactionManagementError


def _markers(kinds: dict[str, type], variant: int) -> dict[str, int | str]:
    """Stand-ins for the values, to find where the SQL's parameters take each one. Built twice
    with different stand-ins, so that a constant of the query that happens to equal one is not
    taken for it. Small numbers: Django rewrites a lookup on a value out of a column's range."""
    markers: dict[str, int | str] = {}
    for k, (name, kind) in enumerate(kinds.items()):
        if kind is int:
            markers[name] = 30001 + 2 * k + variant
        elif kind is str:
            markers[name] = f"\ue000prepared-{k}-{variant}\ue000"  # private-use characters
        else:
            raise TypeError(f"Prepared parameters are int or str, not {kind.__name__}")
    return markers


@dataclass(frozen=True)
class _Compiled:
    sql: str
    params: tuple[Any, ...]  # the constants, and markers where ``slots`` put the values
    slots: tuple[tuple[int, str], ...]  # (position in params, parameter name)
    compiler: SQLCompiler
    converters: dict
    columns: int  # the selected columns (the SQL may select more for its ORDER BY)
    for_update: bool


class Prepared:
    """A ``values_list()`` query run by parameter values, its SQL built once per connection.

    ``build`` takes one keyword argument per entry of ``kinds`` (``int`` or ``str``) and returns
    the queryset. The SQL must not depend on the values: equality lookups only (no ``__in``
    list, no None, no ``__contains`` which rewrites its value); building it with a value it
    rewrites raises ``ValueError``. Rows come back as ``values_list()`` gives them (with the
    fields' conversions), named tuples when it was ``named=True``.
    """

    def __init__(self, build: Callable[..., QuerySet], **kinds: type) -> None:
        self._build = build
        self._kinds = kinds
        self._alias: str | None = None
        # Per connection: each thread has its own, and a backend's converters are bound to it.
        self._compiled: weakref.WeakKeyDictionary[BaseDatabaseWrapper, _Compiled] = (
            weakref.WeakKeyDictionary()
        )
        self._row_class: type | None = None

    def rows(self, **values: int | str) -> list[tuple]:
        if values.keys() != self._kinds.keys():
            raise TypeError(f"Prepared query takes {sorted(self._kinds)}, got {sorted(values)}")
        for name, value in values.items():
            # bool is an int, and None would need IS NULL: both would change the SQL.
            if type(value) is not self._kinds[name]:
                raise TypeError(f"{name} must be {self._kinds[name].__name__}, not {value!r}")
        connection = connections[self.db]
        compiled = self._compiled.get(connection)
        if compiled is None:
            compiled = self._compiled[connection] = self._compile(connection)
        if compiled.for_update and connection.get_autocommit():
            raise TransactionManagementError(
                "select_for_update cannot be used outside of a transaction."
            )
        params = list(compiled.params)
        for position, name in compiled.slots:
            params[position] = values[name]
        with connection.cursor() as cursor:
            cursor.execute(compiled.sql, params)
            rows = cursor.fetchall()
        if rows and len(rows[0]) > compiled.columns:
            rows = [row[: compiled.columns] for row in rows]
        if compiled.converters:
            rows = compiled.compiler.apply_converters(rows, compiled.converters)
        if self._row_class is not None:
            return [self._row_class(*row) for row in rows]
        return [tuple(row) for row in rows]

    def first(self, **values: int | str) -> tuple | None:
        rows = self.rows(**values)
        return rows[0] if rows else None

    @property
    def db(self) -> str:
        """The database alias the query runs on (the router's choice for its queryset)."""
        if self._alias is None:
            self._alias = self._build(**_markers(self._kinds, 0)).db
        return self._alias

    def _compile(self, connection: BaseDatabaseWrapper) -> _Compiled:
        compiled = [self._sql(connection, _markers(self._kinds, variant)) for variant in (0, 1)]
        (queryset, compiler, sql, params), (_, _, other_sql, other_params) = compiled
        if sql != other_sql or len(params) != len(other_params):
            raise ValueError("Prepared query: its SQL changes with the values")
        first, second = _markers(self._kinds, 0), _markers(self._kinds, 1)
        slots = tuple(
            (position, name)
            for position, (a, b) in enumerate(zip(params, other_params, strict=True))
            for name in self._kinds
            if a == first[name] and b == second[name]
        )
        unbound = set(self._kinds) - {name for _, name in slots}
        if unbound:
            raise ValueError(
                f"Prepared query: {sorted(unbound)} not found as such in the SQL's parameters "
                "(a lookup rewrote the value, or the queryset did not use it)"
            )
        if queryset._iterable_class is NamedValuesListIterable:
            self._row_class = create_namedtuple_class(*queryset._fields)
        columns = compiler.col_count
        return _Compiled(
            sql=sql,
            params=tuple(params),
            slots=slots,
            compiler=compiler,
            converters=compiler.get_converters([s[0] for s in compiler.select[:columns]]),
            columns=columns,
            # As Django: databases without row locks (SQLite) take the query anywhere.
            for_update=queryset.query.select_for_update
            and connection.features.has_select_for_update,
        )

    def _sql(self, connection, markers):
        queryset = self._build(**markers)
        if queryset._iterable_class not in (ValuesListIterable, NamedValuesListIterable):
            raise TypeError("Prepared needs a values_list() queryset")
        compiler = queryset.query.get_compiler(connection=connection)
        sql, params = compiler.as_sql()
        return queryset, compiler, sql, list(params)


@dataclass(frozen=True)
class Columns:
    """Some of a model's columns, in its field order, to read with a ``Prepared`` query (through
    a relation: ``lookups("quiz__")``) and make an instance of: the other fields are deferred,
    read from the database if used."""

    model: type[Model]
    attnames: tuple[str, ...]

    @classmethod
    def of(cls, model: type[Model], names: Sequence[str] | None = None) -> "Columns":
        fields = model._meta.concrete_fields
        wanted = None if names is None else set(names)
        unknown = (wanted or set()) - {f.attname for f in fields} - {f.name for f in fields}
        if unknown:
            raise ValueError(f"{model.__name__} has no columns {sorted(unknown)}")
        return cls(
            model,
            tuple(
                f.attname
                for f in fields
                if wanted is None or f.attname in wanted or f.name in wanted
            ),
        )

    def lookups(self, prefix: str = "") -> list[str]:
        return [prefix + attname for attname in self.attnames]

    def instance(self, values: Sequence[Any], *, using: str = DEFAULT_DB_ALIAS) -> Model:
        return self.model.from_db(using, self.attnames, values)


def instances(row: Sequence[Any], *columns: Columns, using: str) -> list[Model | None]:
    """One instance per ``columns``, from consecutive parts of ``row`` (a query that selected
    their ``lookups()`` one after the other); None for a part whose primary key is NULL, the
    related row a LEFT JOIN did not find."""
    made: list[Model | None] = []
    start = 0
    for part in columns:
        values = row[start : start + len(part.attnames)]
        start += len(part.attnames)
        pk = part.model._meta.pk.attname
        missing = pk in part.attnames and values[part.attnames.index(pk)] is None
        made.append(None if missing else part.instance(values, using=using))
    return made
