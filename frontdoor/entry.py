"""The `frontdoor` console script.

Serving commands run on gevent, which must patch the standard library before anything else
imports it; every other command runs unpatched. Ctrl-C stops a server with one line, not a
traceback: it is how a person ends the demo.
"""

from __future__ import annotations

import sys

SERVING = {"serve", "demo"}


def _serving() -> bool:
    return len(sys.argv) > 1 and sys.argv[1] in SERVING


def main() -> None:
    if _serving():
        from gevent import monkey

        monkey.patch_all()
        _interrupt_quietly()
    import click

    from .cli import cli

    try:
        cli.main(standalone_mode=False)
    except click.exceptions.Exit as done:
        sys.exit(done.exit_code)
    except click.ClickException as error:  # bad usage: one line, like every other error
        click.echo(f"error: {error.format_message()}", err=True)
        sys.exit(error.exit_code)
    except click.Abort as stopped:
        if isinstance(stopped.__cause__, KeyboardInterrupt) and _serving():
            click.echo("Front Door stopped.", err=True)
            sys.exit(0)
        sys.exit(1)
    except Exception as error:  # e.g. the database cannot be reached: say so in one line
        first_line = (str(error).strip().splitlines() or [""])[0]
        click.echo(f"error: {type(error).__name__}: {first_line}", err=True)
        sys.exit(1)


def _interrupt_quietly() -> None:
    """Ctrl-C lands in gevent's hub, which prints it with a timestamp before handing it on
    to the main greenlet (click then turns it into Abort): let it pass without the print."""
    from gevent.hub import Hub

    if KeyboardInterrupt not in Hub.NOT_ERROR:
        Hub.NOT_ERROR = (*Hub.NOT_ERROR, KeyboardInterrupt)
