"""Embeds (YouTube, Vimeo...) that never fail a page or a form when the provider cannot be
reached, as on an agency's offline intranet: the page shows a plain link instead."""

import hashlib

from django.core.cache import cache
from django.utils.safestring import SafeString, mark_safe
from wagtail.embeds.embeds import get_embed
from wagtail.embeds.exceptions import EmbedException

# After a failed lookup, pages show the plain link for this long before asking again, so an
# offline network does not wait on the provider at every page view.
RETRY_AFTER_SECONDS = 600


def _failure_key(url: str) -> str:
    return "lms:embed-unavailable:" + hashlib.sha256(url.encode()).hexdigest()


def embed_html(url: str) -> SafeString | str:
    """The provider's player for ``url`` (cached by Wagtail once found), or "" if it cannot be
    found now."""
    if not url or cache.get(_failure_key(url)):
        return ""
    try:
        html = get_embed(url).html
    except EmbedException:
        cache.set(_failure_key(url), True, RETRY_AFTER_SECONDS)
        return ""
    return mark_safe(html)  # noqa: S308 (the provider's player, as Wagtail's {% embed %} shows it)
