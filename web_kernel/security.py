"""Headers on every response: no third-party anything, and nothing about a person cached.
Also what keeps a slow lobby tablet quick: versioned static files and compressed text."""

from __future__ import annotations

import re

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


def init_security_headers(app: Flask) -> None:
    app.config.setdefault("COMPRESS_REGISTER", False)
    # zstd and brotli for browsers that have them, gzip for the rest; brotli at 5 is a
    # fraction of a millisecond on these small files.
    app.config.setdefault("COMPRESS_ALGORITHM", ["br", "zstd", "gzip"])
    app.config.setdefault("COMPRESS_BR_LEVEL", 5)
    compress.init_app(app)
    init_assets(app)

    @app.after_request
    def _headers(response: Response) -> Response:
        headers = response.headers
        headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
        headers.setdefault("X-Content-Type-Options", "nosniff")
        headers.setdefault("Referrer-Policy", "no-referrer")
        headers.setdefault("Permissions-Policy", "camera=(), microphone=(), geolocation=()")
        if not request.path.startswith(CACHEABLE_PREFIXES):
            headers["Cache-Control"] = "no-store"
        if COMPRESSED.match(request.path):
            response = compress.after_request(response)
        return response
