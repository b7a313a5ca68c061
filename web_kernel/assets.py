"""Static files under URLs that carry their content hash, so a slow tablet fetches each one
once and then never asks again (not even for a 304), yet sees a new version at once."""

from __future__ import annotations

import hashlib
from pathlib import Path

from flask import Flask, Response, current_app, request, url_for

# A year, and "immutable": the URL changes whenever the content does.
FOREVER = "public, max-age=31536000, immutable"
_digests: dict[Path, tuple[int, int, str]] = {}


def digest(path: Path) -> str:
    """A short hash of the file's bytes, recomputed only when the file changes."""
    stat = path.stat()
    known = _digests.get(path)
    if known and known[:2] == (stat.st_mtime_ns, stat.st_size):
        return known[2]
    value = hashlib.sha256(path.read_bytes()).hexdigest()[:12]
    _digests[path] = (stat.st_mtime_ns, stat.st_size, value)
    return value


def _static_file(endpoint: str, filename: str) -> Path | None:
    blueprint = endpoint.rpartition(".")[0]
    owner = current_app.blueprints.get(blueprint) if blueprint else current_app
    folder = owner.static_folder if owner else None
    if not folder:
        return None
    path = (Path(folder) / filename).resolve()
    return path if path.is_file() and path.is_relative_to(Path(folder).resolve()) else None


def asset_url(filename: str, blueprint: str = "kiosk") -> str:
    """The versioned URL of a blueprint's static file, e.g. /static/kiosk/kiosk.js?v=1a2b…"""
    endpoint = f"{blueprint}.static"
    path = _static_file(endpoint, filename)
    version = digest(path) if path else None
    return url_for(endpoint, filename=filename, v=version)


def cache_if_current(response: Response, path: Path) -> Response:
    """Cache a file's response for good when the URL names its current version; otherwise
    (an old page asking for an old version) only until the next look."""
    if response.status_code == 200 and request.args.get("v") == digest(path):
        response.headers["Cache-Control"] = FOREVER
        response.headers.pop("Expires", None)  # "now", from a max-age of 0: max-age wins anyway
    return response


def init_assets(app: Flask) -> None:
    app.add_template_global(asset_url, "asset_url")

    @app.after_request
    def _cache_static(response: Response) -> Response:
        endpoint = request.endpoint or ""
        if endpoint == "static" or endpoint.endswith(".static"):
            path = _static_file(endpoint, (request.view_args or {}).get("filename", ""))
            if path:
                cache_if_current(response, path)
        return response
