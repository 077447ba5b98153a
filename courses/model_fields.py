"""Which fields of a model are columns, through Django's documented ``_meta`` API."""

from django.db.models import Model


def column_names(model: type[Model]) -> tuple[str, ...]:
    """The names of ``model``'s fields that have a column of its table (and its parents'), in
    field order: what ``only()`` needs to keep a model whole while narrowing a related one."""
    return tuple(
        field.name
        for field in model._meta.get_fields()
        if field.concrete and not field.many_to_many
    )
