"""Where the notifier may send requests on a user's behalf (push endpoints, webhooks): https
to public addresses in production; http://127.0.0.1 too in development and test."""

from __future__ import annotations

import ipaddress

import pytest

from services.notifier import outbound
from shared.errors import BadUserInput


@pytest.mark.parametrize(
    "url",
    [
        "https://127.0.0.1/hook",  # loopback
        "https://[::1]/hook",
        "https://10.1.2.3/hook",  # private
        "https://172.16.0.1/hook",
        "https://192.168.1.10:8443/hook",
        "https://169.254.169.254/latest/meta-data",  # link-local: cloud metadata
        "https://100.64.0.1/hook",  # carrier-grade NAT
        "https://0.0.0.0/hook",
        "https://[::ffff:10.0.0.1]/hook",  # IPv4 inside IPv6
        "https://[64:ff9b::a00:1]/hook",  # NAT64 of 10.0.0.1
        "https://[2002:a00:1::]/hook",  # 6to4 of 10.0.0.1
        "https://[fd00::1]/hook",  # unique local
        "https://[fe80::1]/hook",
        "https://224.0.0.1/hook",  # multicast
        "https://localhost/hook",  # a name that resolves to loopback
    ],
)
async def test_production_refuses_addresses_inside_the_network(url: str) -> None:
    with pytest.raises(BadUserInput) as refused:
        await outbound.check_destination(url, "input.url", environment="production")
    assert refused.value.field == "input.url"


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1:8000/hook",  # http is for development only
        "http://hooks.example.com/hook",
        "ftp://hooks.example.com/hook",
        "https://user:secret@hooks.example.com/hook",
        "https://hooks.example.com/hook#part",
        "https://hooks.example.com/a b",
        "https:///no-host",
    ],
)
async def test_production_refuses_anything_but_a_plain_https_url(url: str) -> None:
    with pytest.raises(BadUserInput):
        outbound.check_url_form(url, "input.url", environment="production")


async def test_production_takes_a_public_address() -> None:
    url = "https://93.184.215.14:8443/hooks/tally?x=1"
    assert await outbound.check_destination(url, "input.url", environment="production") == url


@pytest.mark.parametrize("url", ["http://127.0.0.1:9/hook", "http://localhost:9/hook"])
async def test_development_takes_http_on_loopback(url: str) -> None:
    assert await outbound.check_destination(url, "u", environment="development") == url


async def test_development_still_refuses_http_elsewhere() -> None:
    with pytest.raises(BadUserInput, match=r"only for 127\.0\.0\.1"):
        outbound.check_url_form("http://10.0.0.5/hook", "u", environment="test")


@pytest.mark.parametrize(
    ("address", "public"),
    [
        ("8.8.8.8", True),
        ("2001:4860:4860::8888", True),
        ("10.0.0.1", False),
        ("::ffff:8.8.8.8", True),
        ("2001::1", False),
    ],
)
def test_what_counts_as_public(address: str, public: bool) -> None:
    assert outbound.is_public(ipaddress.ip_address(address)) is public
