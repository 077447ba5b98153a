"""The cache, and sessions, in Redis when ``REDIS_URL`` is set (production, benchmarks).

One cache for every worker process (rate limits, outlines, throttles count once per server),
and a delegate's session read from memory instead of from the database on each request:
``cached_db`` still writes sessions through to the database, so a Redis restart logs nobody out.

Redis is not a single point of failure: ``courses.redis_cache.ResilientRedisCache`` answers
without the cache while Redis cannot be reached (sessions from the database, rate limits open,
a warning in the log) and uses it again as soon as it answers. Short socket timeouts keep an
unreachable server (a dropped packet rather than a refused connection) to a fraction of a
second per process and retry interval; ``REDIS_TIMEOUT`` (seconds) changes them.
"""

import os

from redis.backoff import NoBackoff
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.retry import Retry


def configure(settings: dict) -> None:
    url = os.environ.get("REDIS_URL")
    if not url:
        return
    timeout = float(os.environ.get("REDIS_TIMEOUT", "0.5"))
    settings["CACHES"] = {
        "default": {
            "BACKEND": "courses.redis_cache.ResilientRedisCache",
            "LOCATION": url,
            "OPTIONS": {
                "socket_connect_timeout": timeout,
                "socket_timeout": timeout,
                # One immediate reconnection when a pooled connection was closed by a Redis
                # restart; an unreachable server is left alone for RETRY_AFTER seconds.
                "retry": Retry(NoBackoff(), 1, supported_errors=(RedisConnectionError,)),
                "health_check_interval": 30,
                "RETRY_AFTER": float(os.environ.get("REDIS_RETRY_AFTER", "5")),
            },
        }
    }
    settings["SESSION_ENGINE"] = "django.contrib.sessions.backends.cached_db"
