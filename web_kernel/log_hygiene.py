"""One log record, one line: values put into log messages cannot start a line of their own.

A sign-in with the e-mail "x\\nINFO:staff:maria signed in" must not write a second, forged
line into the log a person or a tool reads later. Every record's message is formatted once,
when it is made, with CR, LF and the other control characters escaped (a tab stays). The
traceback of a logged exception is not the message, and keeps its lines.
"""

from __future__ import annotations

import logging
import re

_CONTROL = re.compile(r"[\x00-\x08\x0a-\x1f\x7f\u2028\u2029]")
_NAMED = {"\n": "\\n", "\r": "\\r"}


def escape(text: str) -> str:
    return _CONTROL.sub(lambda m: _NAMED.get(m.group(), f"\\x{ord(m.group()):02x}"), text)


def install() -> None:
    """Escape every record made from now on, in this process (once, however often called)."""
    previous = logging.getLogRecordFactory()
    if getattr(previous, "escapes_control_characters", False):
        return

    def make(*args: object, **kwargs: object) -> logging.LogRecord:
        record = previous(*args, **kwargs)
        try:
            message = record.getMessage()
        except Exception:  # a broken format string: leave it for logging to report
            return record
        record.msg, record.args = escape(message), None
        return record

    make.escapes_control_characters = True  # type: ignore[attr-defined]
    logging.setLogRecordFactory(make)
