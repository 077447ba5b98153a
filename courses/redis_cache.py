"""A Redis cache backend (django-redis's) made to survive a Redis outage.

While Redis cannot be reached, every cache call is answered as Django's ``DummyCache`` answers
it: nothing is found, nothing is stored, ``add()`` reports success and ``incr()`` finds no key.
The site stays up without its cache:

* sessions (``cached_db``) are read from and written to the database, as they always are too;
* course outlines (``courses.outline_cache``) are built from the database on each request;
* rate limits and API throttles let requests through (they fail open): they slow abuse down,
  and nothing they guard depends on them alone (sign-in lockouts are kept in the database);
* the signed-in user is read from the database (``courses.user_cache``);
* nothing that decides a score or an answer is ever read from the cache.

After a failed call the process leaves Redis alone for ``RETRY_AFTER`` seconds, so a dead server
costs one connection attempt per process and interval, not one per call; then it tries again,
and when Redis answers it is used again, without a restart. Keys written or deleted while Redis
could not be reached are deleted before anything is read from it again, so that no entry that
changed meanwhile comes back stale (a signed-out session); past ``MAX_MISSED_KEYS`` the whole
cache database is cleared instead (give the cache its own Redis database).

The outage is logged as a warning when it starts, once a minute while it lasts, and when it ends.

Settings (``OPTIONS`` in ``CACHES``): ``RETRY_AFTER`` (seconds, default 5); options in lower
case go to redis-py's connection pool, as with Django's own ``RedisCache``, and options in upper
case to django-redis. Keep redis-py's ``socket_connect_timeout`` and ``socket_timeout`` short
(``lms.settings.shared_cache`` does).

Why django-redis rather than Django's own backend: Django's builds a new redis-py client for
every call (about 0.1 ms of CPU, spent several times on every request: the session, the rate
limit, the signed-in user), django-redis keeps one per server.
"""

import logging
import re
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.dummy import DummyCache
from django_redis.cache import RedisCache
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

logger = logging.getLogger(__name__)

# What an unreachable, restarting or overloaded server raises (AuthenticationError and
# BusyLoadingError are ConnectionErrors too). Anything else is a bug and is raised.
UNREACHABLE = (RedisConnectionError, RedisTimeoutError)

RETRY_AFTER = 5.0  # seconds without trying Redis after a failure
WARN_EVERY = 60.0  # seconds between two warnings about the same outage
MAX_MISSED_KEYS = 50_000  # keys remembered for deletion; past it the cache is cleared

PROBE_KEY = "lms:redis-probe"  # read (never written) to see whether Redis answers again

Key = tuple[str, int | None]  # a key as callers name it, and its version


@dataclass(frozen=True, slots=True)
class Recovery:
    """How an outage ended."""

    seconds: float
    calls_without_cache: int
    forgotten_keys: int
    cleared: bool


class Outage:
    """Whether a Redis server is treated as unreachable, when to try it again, when to warn,
    and what to forget when it answers again. No I/O: callers pass the time (monotonic seconds).

    Shared by the threads of a process (one per server), so every change holds a lock; the
    lock is never held while talking to Redis.
    """

    def __init__(
        self,
        *,
        retry_after: float = RETRY_AFTER,
        warn_every: float = WARN_EVERY,
        max_missed_keys: int = MAX_MISSED_KEYS,
    ) -> None:
        self.retry_after = retry_after
        self.warn_every = warn_every
        self.max_missed_keys = max_missed_keys
        self._lock = threading.Lock()
        self._since: float | None = None  # None: Redis is up
        self._retry_at = 0.0
        self._warned_at = 0.0
        self._calls = 0
        self._missed: set[Key] = set()
        self._clear = False

    @property
    def is_down(self) -> bool:
        return self._since is not None

    def should_try(self, now: float) -> bool:
        """Whether to talk to Redis now: always while it is up; during an outage, once the
        retry interval has passed since the last failure."""
        with self._lock:
            if self._since is not None and now < self._retry_at:
                self._calls += 1
                return False
            return True

    def failed(self, now: float) -> bool:
        """Record a failed call; True when it deserves a warning (the outage's first, or the
        first for ``warn_every`` seconds)."""
        with self._lock:
            self._calls += 1
            self._retry_at = now + self.retry_after
            if self._since is None:
                self._since = self._warned_at = now
                return True
            if now - self._warned_at >= self.warn_every:
                self._warned_at = now
                return True
            return False

    def missed(self, keys: Iterable[Key]) -> None:
        """These keys were written or deleted while Redis could not be reached."""
        with self._lock:
            if self._clear:
                return
            self._missed.update(keys)
            if len(self._missed) > self.max_missed_keys:
                self._clear, self._missed = True, set()

    def missed_everything(self) -> None:
        """The cache was cleared (or too much changed) while Redis could not be reached."""
        with self._lock:
            self._clear, self._missed = True, set()

    def to_forget(self) -> tuple[frozenset[Key], bool]:
        """What must be deleted before Redis is read again: keys, and whether to clear it all."""
        with self._lock:
            return frozenset(self._missed), self._clear

    def recovered(self, now: float, *, forgotten: frozenset[Key], cleared: bool) -> Recovery | None:
        """Redis answered, and ``forgotten`` (or everything) was deleted from it. The outage
        ends unless more keys were missed meanwhile (they are deleted on the next call)."""
        with self._lock:
            if self._since is None:
                return None
            if cleared:
                self._clear = False
                self._missed.clear()
            else:
                self._missed -= forgotten
            if self._missed or self._clear:
                self._retry_at = now
                return None
            recovery = Recovery(
                seconds=now - self._since,
                calls_without_cache=self._calls,
                forgotten_keys=len(forgotten),
                cleared=cleared,
            )
            self._since, self._calls = None, 0
            return recovery


_outages: dict[str, Outage] = {}
_outages_lock = threading.Lock()


def outage_of(location: str, *, retry_after: float) -> Outage:
    """The one ``Outage`` of this process for a server (Django makes a cache per thread)."""
    with _outages_lock:
        key = f"{location}|{retry_after}"
        if key not in _outages:
            _outages[key] = Outage(retry_after=retry_after)
        return _outages[key]


def redacted(location: str) -> str:
    """The server addresses (separated as Django separates them) without credentials."""
    parts = []
    for url in re.split("[;,]", location):
        split = urlsplit(url.strip())
        host = split.hostname or ""
        port = f":{split.port}" if split.port else ""
        parts.append(f"{split.scheme}://{host}{port}{split.path}")
    return ", ".join(parts)


class ResilientRedisCache(RedisCache):
    """``django_redis.cache.RedisCache`` that answers as ``DummyCache`` while Redis cannot be
    reached (see the module's docstring)."""

    def __init__(self, server, params: dict) -> None:
        options = dict(params.get("OPTIONS", {}))
        retry_after = float(options.pop("RETRY_AFTER", RETRY_AFTER))
        pool = {key: options.pop(key) for key in list(options) if not key.isupper()}
        options["CONNECTION_POOL_KWARGS"] = {**options.get("CONNECTION_POOL_KWARGS", {}), **pool}
        params = {**params, "OPTIONS": options}
        super().__init__(server, params)
        self.location = server if isinstance(server, str) else ",".join(server)
        self.outage = outage_of(self.location, retry_after=retry_after)
        self.offline = DummyCache(server, params)

    def guarded(self, call: Callable[[], Any], offline: Callable[[], Any], *, writes=()) -> Any:
        """``call()`` against Redis; ``offline()`` if Redis cannot be reached. ``writes`` are
        the keys the call changes, deleted once Redis answers again if the call fails."""
        now = time.monotonic()
        if self.outage.is_down:
            if not self.outage.should_try(now):
                self.outage.missed(writes)
                return offline()
            try:
                self.forget_what_changed(now)
            except UNREACHABLE as error:
                self.unreachable(error, now, writes)
                return offline()
        try:
            return call()
        except UNREACHABLE as error:
            self.unreachable(error, time.monotonic(), writes)
            return offline()

    def forget_what_changed(self, now: float) -> None:
        keys, clear = self.outage.to_forget()
        if clear:
            super().clear()
        elif not keys:
            super().has_key(PROBE_KEY)  # a round trip: has it really come back?
        else:
            by_version: dict[int | None, list[str]] = {}
            for key, version in keys:
                by_version.setdefault(version, []).append(key)
            for version, names in by_version.items():
                super().delete_many(names, version=version)
        recovery = self.outage.recovered(now, forgotten=keys, cleared=clear)
        if recovery:
            logger.warning(
                "Redis at %s answers again after %.0f s: the cache is in use again (%s calls "
                "were served without it; %s changed keys deleted%s).",
                redacted(self.location),
                recovery.seconds,
                recovery.calls_without_cache,
                recovery.forgotten_keys,
                ", the cache cleared" if recovery.cleared else "",
            )

    def unreachable(self, error: Exception, now: float, writes: Iterable[Key]) -> None:
        self.outage.missed(writes)
        if self.outage.failed(now):
            logger.warning(
                "Redis at %s cannot be reached (%s: %s): serving without the cache (sessions "
                "from the database, rate limits open) and trying again every %.0f s.",
                redacted(self.location),
                type(error).__name__,
                error,
                self.outage.retry_after,
            )

    # Django's cache API, each call guarded

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self.guarded(
            lambda: super(ResilientRedisCache, self).add(key, value, timeout, version),
            lambda: self.offline.add(key, value, timeout, version),
            writes=[(key, version)],
        )

    def get(self, key, default=None, version=None):
        return self.guarded(
            lambda: super(ResilientRedisCache, self).get(key, default, version),
            lambda: self.offline.get(key, default, version),
        )

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self.guarded(
            lambda: super(ResilientRedisCache, self).set(key, value, timeout, version),
            lambda: self.offline.set(key, value, timeout, version),
            writes=[(key, version)],
        )

    def touch(self, key, timeout=DEFAULT_TIMEOUT, version=None):
        return self.guarded(
            lambda: super(ResilientRedisCache, self).touch(key, timeout, version),
            lambda: self.offline.touch(key, timeout, version),
            writes=[(key, version)],
        )

    def delete(self, key, version=None):
        return self.guarded(
            lambda: super(ResilientRedisCache, self).delete(key, version),
            lambda: self.offline.delete(key, version),
            writes=[(key, version)],
        )

    def get_many(self, keys, version=None):
        keys = list(keys)
        return self.guarded(
            lambda: super(ResilientRedisCache, self).get_many(keys, version),
            lambda: self.offline.get_many(keys, version),
        )

    def has_key(self, key, version=None):
        return self.guarded(
            lambda: super(ResilientRedisCache, self).has_key(key, version),
            lambda: self.offline.has_key(key, version),
        )

    def incr(self, key, delta=1, version=None):
        return self.guarded(
            lambda: super(ResilientRedisCache, self).incr(key, delta, version),
            lambda: self.offline.incr(key, delta, version),
            writes=[(key, version)],
        )

    def set_many(self, data, timeout=DEFAULT_TIMEOUT, version=None):
        return self.guarded(
            lambda: super(ResilientRedisCache, self).set_many(data, timeout, version),
            lambda: self.offline.set_many(data, timeout, version),
            writes=[(key, version) for key in data],
        )

    def delete_many(self, keys, version=None):
        keys = list(keys)
        return self.guarded(
            lambda: super(ResilientRedisCache, self).delete_many(keys, version),
            lambda: self.offline.delete_many(keys, version),
            writes=[(key, version) for key in keys],
        )

    def clear(self):
        try:
            return self.guarded(super().clear, self.offline.clear)
        finally:
            if self.outage.is_down:
                self.outage.missed_everything()
