"""Where the notifier may send a request on a user's behalf (a web push endpoint, a webhook):
the checks that keep a user-supplied URL from reaching into the server's own network (SSRF).

What is checked, when the URL is registered and again before every request:

- the form: an absolute http(s) URL of at most 2,048 characters, with a host, no user name
  or password, no fragment, no control characters or spaces;
- the scheme: https only in production; in development and test, http is also accepted for a
  loopback host (127.0.0.1, ::1, localhost), so a local receiver can be tested;
- the addresses (production): the host is resolved and every address it resolves to must be
  public (`ipaddress.is_global`, and not multicast); an IP literal is checked as it is. So
  loopback, private (10/8, 172.16/12, 192.168/16, fc00::/7), link-local (169.254/16 with the
  cloud metadata services, fe80::/10), carrier-grade NAT (100.64/10), unspecified, reserved
  and documentation ranges are refused, and so are IPv4 addresses written inside IPv6
  (::ffff:10.0.0.1, 6to4, NAT64 of a private one) once unwrapped.

Requests are then sent without following redirects (a redirect is an answer like any 3xx), so a
public host cannot bounce the request inward. What is left: a name whose DNS answer changes
between the check and the connection (DNS rebinding) is checked before each request, not
pinned for the connection itself.
"""

from __future__ import annotations

import asyncio
import ipaddress
import socket
from urllib.parse import urlsplit

from shared.config import get_settings
from shared.errors import BadUserInput
from shared.validation import check_unicode

MAX_URL_LENGTH = 2048
_LOOPBACK_NAMES = frozenset({"localhost", "127.0.0.1", "::1"})

Address = ipaddress.IPv4Address | ipaddress.IPv6Address


def check_url_form(url: str, field: str, *, environment: str | None = None) -> str:
    """The URL, trimmed, if its form and scheme may be used in `environment` (the configured
    one by default); BAD_USER_INPUT on `field` otherwise. Addresses are not looked at here."""
    text = check_unicode(url, field).strip()
    if not text:
        raise BadUserInput(field, "must not be empty")
    if len(text) > MAX_URL_LENGTH:
        raise BadUserInput(field, f"must be at most {MAX_URL_LENGTH} characters")
    if any(ch.isspace() or ord(ch) < 0x20 or ord(ch) == 0x7F for ch in text):
        raise BadUserInput(field, "must not contain spaces or control characters")
    try:
        parts = urlsplit(text)
        _ = parts.port
    except ValueError:
        raise BadUserInput(field, "is not a valid URL") from None
    if parts.scheme not in ("https", "http") or not parts.hostname:
        raise BadUserInput(field, "must be an https:// URL")
    if parts.username is not None or parts.password is not None:
        raise BadUserInput(field, "must not hold a user name or password")
    if parts.fragment:
        raise BadUserInput(field, "must not have a #fragment")
    production = (environment or get_settings().env) == "production"
    if parts.scheme == "http" and (production or parts.hostname not in _LOOPBACK_NAMES):
        raise BadUserInput(
            field,
            "must be an https:// URL"
            + ("" if production else " (http:// only for 127.0.0.1 in development)"),
        )
    return text


async def check_destination(url: str, field: str, *, environment: str | None = None) -> str:
    """`check_url_form`, then in production the addresses the host resolves to: every one
    must be public. BAD_USER_INPUT on `field` for a URL that may not be reached."""
    text = check_url_form(url, field, environment=environment)
    if (environment or get_settings().env) != "production":
        return text
    host = urlsplit(text).hostname or ""
    for address in await _addresses(host, field):
        if not is_public(address):
            raise BadUserInput(field, "must reach a public internet address")
    return text


def is_public(address: Address) -> bool:
    """Whether an address is on the public internet (an IPv4 one inside IPv6 unwrapped)."""
    if isinstance(address, ipaddress.IPv6Address):
        embedded = address.ipv4_mapped or address.sixtofour or _nat64(address)
        if embedded is not None:
            return is_public(embedded)
        if address.teredo is not None:
            return False
    return address.is_global and not address.is_multicast


def _nat64(address: ipaddress.IPv6Address) -> ipaddress.IPv4Address | None:
    if address in ipaddress.IPv6Network("64:ff9b::/96"):
        return ipaddress.IPv4Address(int(address) & 0xFFFFFFFF)
    return None


async def _addresses(host: str, field: str) -> list[Address]:
    try:
        return [ipaddress.ip_address(host)]
    except ValueError:
        pass
    try:
        found = await asyncio.get_running_loop().getaddrinfo(host, None, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError):
        raise BadUserInput(field, "names a host that does not resolve") from None
    addresses = []
    for *_, sockaddr in found:
        # A scoped IPv6 address comes as "fe80::1%eth0".
        addresses.append(ipaddress.ip_address(str(sockaddr[0]).split("%", 1)[0]))
    if not addresses:
        raise BadUserInput(field, "names a host that does not resolve")
    return addresses
