"""Redis for the outage tests: a closed port, the real server, and a switchable path to it.

``RedisSwitch`` forwards a local port to the real Redis: stopping it is an outage as the site
sees one (connections refused, open ones cut), starting it again on the same port is Redis
coming back, without touching the server other tests use.
"""

import contextlib
import os
import socket
import threading
import uuid
from urllib.parse import urlsplit

import pytest

# The real server, and the database number these tests may use.
REDIS_URL = os.environ.get("TEST_REDIS_OUTAGE_URL", "redis://127.0.0.1:6379/3")


_handed_out: set[int] = set()


def closed_port() -> int:
    """A local port where nothing listens, never the same twice in a test run (the cache keeps
    one outage record per address and process)."""
    while True:
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            port = probe.getsockname()[1]
        if port not in _handed_out:
            _handed_out.add(port)
            return port


def real_redis():
    """A redis-py client of the real server, or a skip where there is none (CI has one)."""
    import redis

    client = redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1)
    try:
        client.ping()
    except redis.exceptions.ConnectionError:
        if os.environ.get("CI"):
            raise
        pytest.skip(f"No Redis server at {REDIS_URL}.")
    return client


def unique_prefix() -> str:
    return f"lms-test-{uuid.uuid4().hex[:12]}"


def use_redis_at(url: str, settings, monkeypatch, **options) -> None:
    """The cache and session settings production derives from ``REDIS_URL=url``."""
    from lms.settings import shared_cache

    monkeypatch.setenv("REDIS_URL", url)
    configured: dict = {}
    shared_cache.configure(configured)
    default = configured["CACHES"]["default"]
    default["KEY_PREFIX"] = unique_prefix()
    default.setdefault("OPTIONS", {}).update(options)
    settings.CACHES = configured["CACHES"]
    settings.SESSION_ENGINE = configured["SESSION_ENGINE"]


class RedisSwitch:
    """A TCP forwarder from ``127.0.0.1:port`` to the real Redis, which can be switched off
    and on again on the same port."""

    def __init__(self) -> None:
        target = urlsplit(REDIS_URL)
        self.target = (target.hostname, target.port or 6379)
        self.database = target.path or "/0"
        self.port = closed_port()
        self.listener: socket.socket | None = None
        self.sockets: set[socket.socket] = set()
        self.lock = threading.Lock()
        self.threads: list[threading.Thread] = []

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}{self.database}"

    def on(self) -> None:
        listener = socket.socket()
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        listener.bind(("127.0.0.1", self.port))
        listener.listen()
        self.listener = listener
        self.spawn(self.accept, listener)

    def off(self) -> None:
        """Refuse new connections and cut the open ones; returns once nothing is forwarded."""
        listener, self.listener = self.listener, None
        if listener:
            # shutdown() wakes the accept() blocked in the other thread.
            with contextlib.suppress(OSError):
                listener.shutdown(socket.SHUT_RDWR)
            listener.close()
        with self.lock:
            open_sockets, self.sockets = list(self.sockets), set()
        for sock in open_sockets:
            with contextlib.suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)
            sock.close()
        threads, self.threads = self.threads, []
        for thread in threads:
            thread.join(timeout=5)

    def spawn(self, target, *args) -> None:
        thread = threading.Thread(target=target, args=args, daemon=True)
        self.threads.append(thread)
        thread.start()

    def accept(self, listener: socket.socket) -> None:
        while True:
            try:
                client, _address = listener.accept()
            except OSError:
                return  # switched off
            try:
                upstream = socket.create_connection(self.target)
            except OSError:
                client.close()
                continue
            with self.lock:
                self.sockets.update((client, upstream))
            self.spawn(self.pump, client, upstream)
            self.spawn(self.pump, upstream, client)

    @staticmethod
    def pump(source: socket.socket, destination: socket.socket) -> None:
        try:
            while data := source.recv(65536):
                destination.sendall(data)
        except OSError:
            pass
        for sock in (source, destination):
            with contextlib.suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)
