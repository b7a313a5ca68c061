"""Only the server's own names: a request whose Host is none of them is refused (400), so no
answer is ever made for, or links to, a name an attacker chose (Host header poisoning, DNS
rebinding). Load balancers probe /healthz and /readyz by address, so those answer anyway.

A WSGI layer, not a Flask hook, so Socket.IO's own requests are checked too; it sits inside
ProxyFix, which has already put the proxy's X-Forwarded-Host in place of its Host.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from urllib.parse import urlsplit

PROBES = frozenset({"/healthz", "/readyz"})


def host_name(host: str) -> str:
    """`Example.org:443` → `example.org`; `[::1]:5000` → `::1`."""
    host = host.strip().lower()
    if host.startswith("["):
        return host[1 : host.find("]")] if "]" in host else host
    return host.rsplit(":", 1)[0].rstrip(".") if host.count(":") == 1 else host.rstrip(".")


def public_host(public_url: str | None) -> str | None:
    """The host of an http(s) public URL; None if there is none or it is not one."""
    if not public_url:
        return None
    parts = urlsplit(public_url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        return None
    return parts.hostname.lower()


class AllowedHosts:
    def __init__(self, wsgi_app: Callable, names: Iterable[str]) -> None:
        self.wsgi_app = wsgi_app
        self.names = frozenset(host_name(name) for name in names)
        self.refusal = json.dumps(
            {
                "error": {
                    "code": "unknown_host",
                    "message": "This server does not answer for that host name.",
                    "fields": {},
                }
            }
        ).encode()

    def __call__(self, environ: dict, start_response: Callable) -> Iterable[bytes]:
        host = environ.get("HTTP_HOST") or environ.get("SERVER_NAME") or ""
        if host_name(host) in self.names or environ.get("PATH_INFO") in PROBES:
            return self.wsgi_app(environ, start_response)
        start_response(
            "400 Bad Request",
            [("Content-Type", "application/json"), ("Content-Length", str(len(self.refusal)))],
        )
        return [self.refusal]
