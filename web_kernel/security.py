"""Headers on every response: no third-party anything, and nothing about a person cached.
Also what keeps a slow lobby tablet quick: versioned static files and compressed text."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable

from flask import Flask, Response, request
from flask_compress import Compress

from .assets import init_assets

CONTENT_SECURITY_POLICY = "; ".join(
    (
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "connect-src 'self'",
        "font-src 'self'",
        "object-src 'none'",
        "base-uri 'none'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    )
)
# Only these may be cached: they are the same for everyone.
CACHEABLE_PREFIXES = ("/static/", "/assets/")
# Compressed: the public pages, their files and their JSON. Not the staff console: its pages
# and answers carry a CSRF token or a session beside text a visitor typed, which is what a
# compression side channel (BREACH) reads.
COMPRESSED = re.compile(
    r"^/(static|assets|kiosk|t|display)/"
    r"|^/api/v1/(tickets/[^/]+(/help|/cancel)?|sites/[^/]+/(status|check-ins))$"
)

compress = Compress()


def init_security_headers(app: Flask, *, https: bool = False) -> None:
    """`https`: the public URL is https, so browsers are told to use nothing else (HSTS)."""
    app.config.setdefault("COMPRESS_REGISTER", False)
    # zstd and brotli for browsers that have them, gzip for the rest; brotli at 5 is a
    # fraction of a millisecond on these small files.
    app.config.setdefault("COMPRESS_ALGORITHM", ["br", "zstd", "gzip"])
    app.config.setdefault("COMPRESS_BR_LEVEL", 5)
    compress.init_app(app)
    init_assets(app)
    # Outermost, so Socket.IO's own answers (long-polling carries names and phones to staff)
    # get the same headers as Flask's: call after socketio.init_app.
    app.wsgi_app = SecurityHeaders(app.wsgi_app, hsts=https)  # type: ignore[method-assign]

    @app.after_request
    def _compress(response: Response) -> Response:
        if COMPRESSED.match(request.path):
            response = compress.after_request(response)
        return response


HSTS = "max-age=31536000; includeSubDomains"


class SecurityHeaders:
    """Adds the headers every answer needs, whichever part of the stack made it."""

    def __init__(self, wsgi_app: Callable, *, hsts: bool) -> None:
        self.wsgi_app = wsgi_app
        self.fixed = [
            ("Content-Security-Policy", CONTENT_SECURITY_POLICY),
            ("X-Content-Type-Options", "nosniff"),
            ("X-Frame-Options", "DENY"),  # for browsers that ignore frame-ancestors
            ("Referrer-Policy", "no-referrer"),
            ("Permissions-Policy", "camera=(), microphone=(), geolocation=()"),
        ] + ([("Strict-Transport-Security", HSTS)] if hsts else [])

    def __call__(self, environ: dict, start_response: Callable) -> Iterable[bytes]:
        cacheable = environ.get("PATH_INFO", "").startswith(CACHEABLE_PREFIXES)

        def start(status: str, headers: list[tuple[str, str]], *exc: object) -> Callable:
            present = {name.lower() for name, _ in headers}
            if not cacheable:
                headers = [(n, v) for n, v in headers if n.lower() != "cache-control"]
                headers.append(("Cache-Control", "no-store"))
            headers += [(n, v) for n, v in self.fixed if n.lower() not in present]
            return start_response(status, headers, *exc)

        return self.wsgi_app(environ, start)
