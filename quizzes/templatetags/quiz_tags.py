from django import template

register = template.Library()


@register.filter
def lookup(mapping, key):
    """``{{ answer|lookup:item.id }}``: a stored matching answer keyed by item id."""
    if not isinstance(mapping, dict):
        return None
    return mapping.get(str(key))


@register.filter
def rank_of(order, item_id):
    """1-based position of ``item_id`` in a stored ordering answer."""
    try:
        return list(order).index(item_id) + 1
    except (TypeError, ValueError):
        return None


@register.filter
def is_in(value, collection):
    """``{% with chosen=choice.id|is_in:item.chosen %}``: membership, for a ``with``."""
    try:
        return value in collection
    except TypeError:
        return False
