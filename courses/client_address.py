"""Who is on the other end of a request, as every rate limit and the sign-in lockout count it.

Behind a reverse proxy, ``REMOTE_ADDR`` is the proxy's address and the client's is in
``X-Forwarded-For``, which anyone can also write. Each proxy *appends* the address it received the
request from, so the header is read from the right: skip the hops that are our own trusted
proxies, and the first address that is not one of them is the client. Whatever lies to its left
was written by the client and is never believed. A request whose peer is not a trusted proxy is
answered by its peer's address, whatever it says in the header.

An IPv6 client is counted by its /64 network: one subscriber, one network or one cloud machine
is given at least a /64, so an address picked anew for each request from it must not make a
fresh client to every limit.

The parsing below is pure (no Django): ``parse_trusted_proxies`` reads the
``LMS["TRUSTED_PROXIES"]`` setting, ``client_address`` picks the address, ``counted_address``
widens IPv6 to its /64; ``request_client_address`` applies them to a request and is the one
function the limiters call.
"""

import functools
import ipaddress
import logging
from collections.abc import Iterable
from dataclasses import dataclass

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
IPNetwork = ipaddress.IPv4Network | ipaddress.IPv6Network

# Listed in TRUSTED_PROXIES, trusts a peer reached through a Unix socket (gunicorn bound to one
# behind nginx), whose REMOTE_ADDR is empty or not an address.
UNIX_SOCKET = "unix"

logger = logging.getLogger(__name__)


class InvalidProxy(ValueError):
    """A TRUSTED_PROXIES entry that is neither an address, a network nor ``"unix"``."""

    def __init__(self, value: object) -> None:
        super().__init__(value)
        self.value = value


@dataclass(frozen=True, slots=True)
class TrustedProxies:
    networks: tuple[IPNetwork, ...] = ()
    unix_socket: bool = False

    def trusts(self, address: IPAddress) -> bool:
        return any(address in network for network in self.networks)

    @property
    def trusts_everyone(self) -> bool:
        return any(network.prefixlen == 0 for network in self.networks)


def parse_trusted_proxies(values: Iterable[object]) -> TrustedProxies:
    """``["10.0.0.0/8", "192.0.2.7", "unix"]`` → the networks to trust. Raises ``InvalidProxy``
    for the first entry that is not an IPv4/IPv6 address, a network (host bits allowed) or
    ``"unix"``."""
    networks: list[IPNetwork] = []
    unix_socket = False
    for value in values:
        if not isinstance(value, str):
            raise InvalidProxy(value)
        text = value.strip()
        if text.lower() == UNIX_SOCKET:
            unix_socket = True
            continue
        try:
            network = ipaddress.ip_network(text, strict=False)
        except ValueError:
            raise InvalidProxy(value) from None
        networks.append(_unmapped_network(network))
    return TrustedProxies(networks=tuple(networks), unix_socket=unix_socket)


def parse_address(value: str) -> IPAddress | None:
    """An address as proxies write it (``192.0.2.1``, ``192.0.2.1:443``, ``[2001:db8::1]:443``,
    ``::ffff:192.0.2.1``), IPv4-mapped addresses as IPv4; None for anything else."""
    text = value.strip()
    if text.startswith("["):  # [v6] or [v6]:port
        text = text[1:].partition("]")[0]
    elif text.count(":") == 1:  # v4:port (a bare v6 address has at least two colons)
        text = text.partition(":")[0]
    try:
        address = ipaddress.ip_address(text)
    except ValueError:
        return None
    return _unmapped(address)


def client_address(*, remote_addr: str, forwarded_for: str, trusted: TrustedProxies) -> str | None:
    """The client's address: the peer's, or, when the peer is a trusted proxy, the rightmost
    ``X-Forwarded-For`` hop that is not a trusted proxy. None when the peer has no address and
    is not trusted (a Unix socket not listed as ``"unix"``).

    When every hop is trusted, the leftmost is the client (an internal host); when a hop is not
    an address at all, the last trusted hop before it stands for the client: a proxy of ours does
    not write garbage, so the garbage came from beyond it.
    """
    peer = parse_address(remote_addr)
    if peer is None:
        if not trusted.unix_socket:
            return None
    elif not trusted.trusts(peer):
        return str(peer)
    client = peer
    for hop in reversed(forwarded_for.split(",")):
        if not hop.strip():
            continue
        address = parse_address(hop)
        if address is None:
            break
        client = address
        if not trusted.trusts(address):
            break
    return None if client is None else str(client)


IPV6_CLIENT_PREFIX = 64


def counted_address(address: str | None) -> str | None:
    """The address a limit counts: an IPv4 address itself, an IPv6 address the first address of
    its /64 (still an address, so django-axes stores it as one)."""
    if address is None:
        return None
    parsed = ipaddress.ip_address(address)
    if isinstance(parsed, ipaddress.IPv6Address):
        network = ipaddress.IPv6Network((parsed, IPV6_CLIENT_PREFIX), strict=False)
        return str(network.network_address)
    return address


def request_client_address(request) -> str | None:
    """The client address of a Django or DRF request under ``LMS["TRUSTED_PROXIES"]``, IPv6 by
    its /64: the one function every limiter uses (the verification page, DRF's throttles, the
    HTML throttles and django-axes through ``AXES_CLIENT_IP_CALLABLE``)."""
    from courses.conf import lms_settings

    return counted_address(
        client_address(
            remote_addr=request.META.get("REMOTE_ADDR") or "",
            forwarded_for=request.META.get("HTTP_X_FORWARDED_FOR") or "",
            trusted=_trusted(tuple(lms_settings.TRUSTED_PROXIES or ())),
        )
    )


@functools.lru_cache(maxsize=8)
def _trusted(values: tuple) -> TrustedProxies:
    try:
        return parse_trusted_proxies(values)
    except InvalidProxy as error:
        # The system check reports it at start-up; until it is fixed, trust no proxy at all,
        # so that a typo can never make forged headers count.
        logger.error(
            "LMS['TRUSTED_PROXIES'] has an invalid entry %r: no proxy trusted.", error.value
        )
        return TrustedProxies()


def _unmapped(address: IPAddress) -> IPAddress:
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        return address.ipv4_mapped
    return address


def _unmapped_network(network: IPNetwork) -> IPNetwork:
    if (
        isinstance(network, ipaddress.IPv6Network)
        and network.prefixlen >= 96
        and network.network_address.ipv4_mapped is not None
    ):
        return ipaddress.IPv4Network(
            (network.network_address.ipv4_mapped, network.prefixlen - 96), strict=False
        )
    return network
