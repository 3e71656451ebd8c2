"""Forwarded headers are believed only from the proxies TALLY_TRUSTED_PROXIES names: behind an
ingress each client keeps its own address; without one, anyone's header is ignored."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import httpx
import pytest
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import PlainTextResponse
from starlette.routing import Route

from shared.config import Settings
from tally.cli import uvicorn_options
from tests.support.servers import served


async def _client_address(request: Request) -> PlainTextResponse:
    return PlainTextResponse(request.client.host if request.client else "?")


@contextmanager
def _served(settings: Settings) -> Iterator[str]:
    """A server with the options `tally serve`/`tally gateway` give uvicorn."""
    app = Starlette(routes=[Route("/", _client_address)])
    with served(app, **uvicorn_options(settings)) as server:
        yield server.url + "/"


def _seen_as(url: str, forwarded_for: str) -> str:
    return httpx.get(url, headers={"X-Forwarded-For": forwarded_for}, timeout=5).text


def test_a_forwarded_header_from_an_untrusted_peer_is_ignored() -> None:
    with _served(Settings(trusted_proxies="")) as url:
        assert _seen_as(url, "203.0.113.7") == "127.0.0.1"
    with _served(Settings(trusted_proxies="10.0.0.0/8")) as url:  # we are not in it
        assert _seen_as(url, "203.0.113.7") == "127.0.0.1"


def test_behind_a_trusted_proxy_each_client_keeps_its_address() -> None:
    with _served(Settings(trusted_proxies="127.0.0.0/8, 10.0.0.0/8")) as url:
        assert _seen_as(url, "203.0.113.7") == "203.0.113.7"
        assert _seen_as(url, "198.51.100.9") == "198.51.100.9"


def test_a_trusted_proxy_must_be_an_address_or_network() -> None:
    with pytest.raises(ValueError, match="'ingress' is not an IP address or network"):
        Settings(trusted_proxies="10.0.0.0/8,ingress")
    assert Settings(trusted_proxies=" 10.1.2.3/8 ,::1").trusted_proxies == "10.0.0.0/8,::1/128"
