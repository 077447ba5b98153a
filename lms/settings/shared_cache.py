"""The cache, and sessions, in Redis when ``REDIS_URL`` is set (production, benchmarks).

One cache for every worker process (rate limits, outlines, throttles count once per server),
and a delegate's session read from memory instead of from the database on each request:
``cached_db`` still writes sessions through to the database, so a Redis restart logs nobody out.
"""

import os


def configure(settings: dict) -> None:
    url = os.environ.get("REDIS_URL")
    if not url:
        return
    settings["CACHES"] = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": url}
    }
    settings["SESSION_ENGINE"] = "django.contrib.sessions.backends.cached_db"
