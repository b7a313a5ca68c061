"""The `frontdoor` console script.

Serving commands run on gevent, which must patch the standard library before anything else
imports it; every other command runs unpatched.
"""

from __future__ import annotations

import sys

SERVING = {"serve", "demo"}


def main() -> None:
    if len(sys.argv) > 1 and sys.argv[1] in SERVING:
        from gevent import monkey

        monkey.patch_all()
    from .cli import cli

    cli()
