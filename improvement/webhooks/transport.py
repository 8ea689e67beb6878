"""HTTP POST for webhooks, with the SSRF policy (README "Closed loop").

Policy: http(s) only, no credentials in the URL; the host is resolved and EVERY address must be
public (not private, loopback, link-local, multicast, reserved or unspecified) unless it lies
in an explicitly allowed network (settings.WEBHOOK_ALLOWED_NETWORKS, e.g. an intranet relay).
Plain http is refused for public hosts unless WEBHOOK_ALLOW_HTTP. The connection goes to the
address that was checked (no second DNS lookup: no rebinding), redirects are not followed,
and the answer is read up to MAX_RESPONSE_BYTES with a timeout.
"""

from __future__ import annotations

import http.client
import ipaddress
import socket
import ssl
import time
from dataclasses import dataclass
from urllib.parse import urlsplit

MAX_RESPONSE_BYTES = 64 * 1024
USER_AGENT = "OpenCEM-Webhooks/1.0"


class UnsafeUrl(ValueError):
    """The URL breaks the webhook policy; the message says why."""


@dataclass(frozen=True)
class Policy:
    allowed_networks: tuple = ()
    allow_http: bool = False

    @classmethod
    def build(cls, networks, allow_http: bool) -> Policy:
        return cls(tuple(ipaddress.ip_network(n, strict=False) for n in networks), allow_http)


@dataclass(frozen=True)
class Target:
    scheme: str
    host: str
    port: int
    path: str
    address: str


def _allowed(address: str, policy: Policy) -> tuple[bool, bool]:
    """(allowed, inside an explicitly allowed network)."""
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    if ip.version == 6 and ip.ipv4_mapped:
        ip = ip.ipv4_mapped
    if any(ip in net for net in policy.allowed_networks):
        return True, True
    public = ip.is_global and not (ip.is_multicast or ip.is_reserved or ip.is_link_local)
    return public, False


def check_url(url: str, policy: Policy, *, resolve=socket.getaddrinfo) -> Target:
    """Parse, resolve and check a webhook URL; raises UnsafeUrl with the reason."""
    parts = urlsplit(url.strip())
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise UnsafeUrl("Use an http(s) URL with a host name.")
    if parts.username or parts.password:
        raise UnsafeUrl("Credentials in the URL are not allowed.")
    try:
        port = parts.port or (443 if parts.scheme == "https" else 80)
        infos = resolve(parts.hostname, port, type=socket.SOCK_STREAM)
    except (ValueError, OSError, UnicodeError):
        raise UnsafeUrl("The host name cannot be resolved.")
    addresses = list(dict.fromkeys(info[4][0] for info in infos))
    verdicts = [_allowed(a, policy) for a in addresses]
    if not addresses or not all(ok for ok, _inside in verdicts):
        raise UnsafeUrl("The host resolves to a private or reserved address.")
    if parts.scheme == "http" and not policy.allow_http and not all(inside for _ok, inside in verdicts):
        raise UnsafeUrl("Use https (plain http is allowed only inside the allowed networks).")
    path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    return Target(parts.scheme, parts.hostname, port, path, addresses[0])


class _PinnedHTTP(http.client.HTTPConnection):
    def __init__(self, target: Target, timeout: float):
        super().__init__(target.host, target.port, timeout=timeout)
        self._address = target.address

    def connect(self):
        self.sock = socket.create_connection((self._address, self.port), self.timeout)


class _PinnedHTTPS(http.client.HTTPSConnection):
    def __init__(self, target: Target, timeout: float):
        super().__init__(target.host, target.port, timeout=timeout,
                         context=ssl.create_default_context())
        self._address = target.address

    def connect(self):
        sock = socket.create_connection((self._address, self.port), self.timeout)
        self.sock = self._context.wrap_socket(sock, server_hostname=self.host)


def post(target: Target, body: bytes, headers: dict, timeout: float) -> tuple[int, str, int]:
    """POST to the checked address; returns (status, answer text, milliseconds)."""
    connection_class = _PinnedHTTPS if target.scheme == "https" else _PinnedHTTP
    connection = connection_class(target, timeout)
    started = time.monotonic()
    try:
        connection.request("POST", target.path, body=body, headers={
            "Content-Type": "application/json; charset=utf-8", "User-Agent": USER_AGENT, **headers})
        response = connection.getresponse()
        text = response.read(MAX_RESPONSE_BYTES).decode("utf-8", "replace")
        return response.status, text, int((time.monotonic() - started) * 1000)
    finally:
        connection.close()
