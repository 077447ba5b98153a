"""Whether the cache is one for every process of the site (Redis), as a cache of facts that
another process may change needs: a per-process cache (LocMem) would keep an entry that another
process replaced or deleted (``quizzes.services.drawing``, ``courses.user_cache``)."""

from django.core.cache import caches
from django.core.cache.backends.dummy import DummyCache
from django.core.cache.backends.locmem import LocMemCache


def cache_is_shared(alias: str = "default") -> bool:
    return not isinstance(caches[alias], LocMemCache | DummyCache)
