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
    import click

    from .cli import cli

    try:
        cli.main(standalone_mode=False)
    except click.exceptions.Exit as done:
        sys.exit(done.exit_code)
    except click.ClickException as error:  # bad usage: one line, like every other error
        click.echo(f"error: {error.format_message()}", err=True)
        sys.exit(error.exit_code)
    except click.Abort:
        sys.exit(1)
    except Exception as error:  # e.g. the database cannot be reached: say so in one line
        first_line = (str(error).strip().splitlines() or [""])[0]
        click.echo(f"error: {type(error).__name__}: {first_line}", err=True)
        sys.exit(1)
