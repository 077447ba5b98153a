"""The client address behind trusted proxies: pure parsing, no database."""

import ipaddress

import pytest
from hypothesis import given
from hypothesis import strategies as st

from courses.client_address import (
    InvalidProxy,
    TrustedProxies,
    client_address,
    counted_address,
    parse_address,
    parse_trusted_proxies,
)

PROXIES = parse_trusted_proxies(["10.0.0.0/8", "2001:db8:ffff::/48"])
NOBODY = TrustedProxies()

public_v4 = st.ip_addresses(v=4).filter(lambda a: a.is_global)
public_v6 = st.ip_addresses(v=6).filter(lambda a: a.is_global and a.ipv4_mapped is None)
public = st.one_of(public_v4, public_v6)
proxy = st.ip_addresses(network="10.0.0.0/8")
junk = st.text(alphabet=st.characters(blacklist_characters=","), max_size=40)


def forwarded(*hops) -> str:
    return ", ".join(str(hop) for hop in hops)


# Trusted proxies


def test_addresses_and_networks_of_both_families_are_read():
    trusted = parse_trusted_proxies([" 192.0.2.7 ", "10.1.2.3/8", "2001:db8::/32", "UNIX"])

    assert trusted.networks == (
        ipaddress.ip_network("192.0.2.7/32"),
        ipaddress.ip_network("10.0.0.0/8"),
        ipaddress.ip_network("2001:db8::/32"),
    )
    assert trusted.unix_socket


@pytest.mark.parametrize("value", ["10.0.0.300", "proxy.example.vn", "10.0.0.0/33", "", None, 7])
def test_an_invalid_entry_is_named(value):
    with pytest.raises(InvalidProxy) as error:
        parse_trusted_proxies(["10.0.0.1", value])

    assert error.value.value == value


def test_ipv4_mapped_networks_match_plain_ipv4_peers():
    trusted = parse_trusted_proxies(["::ffff:10.0.0.0/104"])

    assert trusted.trusts(ipaddress.ip_address("10.9.8.7"))


def test_trusting_everyone_is_recognised():
    assert parse_trusted_proxies(["0.0.0.0/0"]).trusts_everyone
    assert not PROXIES.trusts_everyone


# Addresses as proxies write them


@pytest.mark.parametrize(
    ("value", "address"),
    [
        ("203.0.113.5", "203.0.113.5"),
        (" 203.0.113.5:8443 ", "203.0.113.5"),
        ("[2001:db8::1]:443", "2001:db8::1"),
        ("2001:DB8:0::1", "2001:db8::1"),
        ("::ffff:203.0.113.5", "203.0.113.5"),
        ("unknown", None),
        ("", None),
        ("_hidden", None),
    ],
)
def test_addresses_are_read_in_every_form_proxies_write(value, address):
    parsed = parse_address(value)

    assert (None if parsed is None else str(parsed)) == address


# Picking the client


@given(peer=public, header=junk)
def test_an_untrusted_peer_is_the_client_whatever_the_header_says(peer, header):
    assert client_address(remote_addr=str(peer), forwarded_for=header, trusted=PROXIES) == str(peer)


@given(peer=public, hops=st.lists(public, max_size=5))
def test_without_trusted_proxies_the_header_is_ignored(peer, hops):
    assert client_address(
        remote_addr=str(peer), forwarded_for=forwarded(*hops), trusted=NOBODY
    ) == str(peer)


@given(
    client=public,
    forged=st.lists(st.one_of(public, junk), max_size=5),
    chain=st.lists(proxy, max_size=4),
    peer=proxy,
)
def test_behind_trusted_proxies_the_rightmost_untrusted_hop_is_the_client(
    client, forged, chain, peer
):
    """Whatever the client wrote to the left of its own address never counts."""
    header = forwarded(*forged, client, *chain)

    assert client_address(remote_addr=str(peer), forwarded_for=header, trusted=PROXIES) == str(
        client
    )


@given(chain=st.lists(proxy, min_size=1, max_size=4), peer=proxy)
def test_when_every_hop_is_trusted_the_leftmost_is_the_client(chain, peer):
    header = forwarded(*chain)

    assert client_address(remote_addr=str(peer), forwarded_for=header, trusted=PROXIES) == str(
        chain[0]
    )


@given(peer=proxy)
def test_a_trusted_peer_without_a_header_is_the_client(peer):
    assert client_address(remote_addr=str(peer), forwarded_for="", trusted=PROXIES) == str(peer)


def test_garbage_written_by_the_hop_before_a_trusted_proxy_stops_the_walk():
    header = "203.0.113.5, not-an-address, 10.0.0.2"

    assert client_address(remote_addr="10.0.0.1", forwarded_for=header, trusted=PROXIES) == (
        "10.0.0.2"
    )


def test_ports_and_mapped_addresses_are_normalised():
    header = "[2001:db8::5]:51000, ::ffff:10.0.0.3"

    assert client_address(remote_addr="::ffff:10.0.0.1", forwarded_for=header, trusted=PROXIES) == (
        "2001:db8::5"
    )


def test_a_unix_socket_peer_is_trusted_only_when_listed():
    header = "198.51.100.7"
    unix = parse_trusted_proxies(["unix"])

    assert client_address(remote_addr="", forwarded_for=header, trusted=NOBODY) is None
    assert client_address(remote_addr="", forwarded_for=header, trusted=unix) == "198.51.100.7"
    assert client_address(remote_addr="", forwarded_for="", trusted=unix) is None


# What the limits count


@given(public_v4)
def test_an_ipv4_client_is_counted_by_its_address(address):
    assert counted_address(str(address)) == str(address)


@given(public_v6, st.integers(min_value=0, max_value=2**64 - 1))
def test_every_address_of_an_ipv6_64_counts_as_one_client(address, host):
    network = ipaddress.IPv6Network((address, 64), strict=False)
    neighbour = network.network_address + host

    assert counted_address(str(neighbour)) == counted_address(str(address))
    assert ipaddress.ip_address(counted_address(str(address))) in network


def test_neighbouring_ipv6_networks_are_different_clients():
    assert counted_address("2001:db8:1:2::7") == "2001:db8:1:2::"
    assert counted_address("2001:db8:1:3::7") == "2001:db8:1:3::"
    assert counted_address(None) is None
