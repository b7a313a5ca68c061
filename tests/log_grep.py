"""No name, phone number or note text may reach a log (issue 9): the check over a whole run.

tests/conftest.py holds the one list of what the factories and the demo seed, and starts
and ends this check. Every log record of the run goes through one handler on the root
logger (at INFO, the level `frontdoor serve` logs at), and the output of every server the
tests start is read from its file at the end. A record is searched when it is made and only
hits are kept, so the run pays a regex per record and no memory for the rest.
"""

from __future__ import annotations

import logging
import os
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

import pytest

# Around a phone's digits, how people and libraries write them: "(617) 555-0123", "+1 617…".
_BETWEEN_DIGITS = r"[\s().+-]{0,2}"


@dataclass(frozen=True)
class Private:
    """Made-up private details: people's names, phone numbers (10 digits) and note texts."""

    names: tuple[str, ...]
    phones: tuple[str, ...]
    notes: tuple[str, ...]

    def pattern(self) -> re.Pattern[str]:
        # A name only as a whole word ("Ana", never "Anaheim" or a token's "-Ana-").
        names = [rf"(?<![\w-]){re.escape(n)}(?![\w-])" for n in self.names]
        phones = [
            rf"(?<!\d)(?:1{_BETWEEN_DIGITS})?{_BETWEEN_DIGITS.join(p)}(?!\d)" for p in self.phones
        ]
        notes = [re.escape(n) for n in self.notes]
        return re.compile("|".join(names + phones + notes))

    def needles(self) -> tuple[str, ...]:
        """Plain substrings one of which any hit contains (a phone: its last four digits):
        a record without any is passed over without the regex, which costs far more."""
        return (*self.names, *self.notes, *(p[-4:] for p in self.phones))


def leaks(text: str, pattern: re.Pattern[str]) -> list[str]:
    """Each private detail found in `text`, with a little of what surrounds it."""
    return [
        f"{found.group()!r} in …{text[max(0, found.start() - 40) : found.end() + 40]!r}…"
        for found in pattern.finditer(text)
    ]


class _Collector(logging.Handler):
    def __init__(self, private: Private) -> None:
        super().__init__(logging.INFO)
        self.pattern = private.pattern()
        self.needles = private.needles()
        self.found: list[str] = []
        self.setFormatter(logging.Formatter("%(levelname)s:%(name)s:%(message)s"))

    def emit(self, record: logging.LogRecord) -> None:
        try:
            text = self.format(record)  # the message, and a logged traceback too
        except Exception:
            return  # a record that cannot be formatted reaches no log either
        if any(needle in text for needle in self.needles) and self.pattern.search(text):
            where = os.environ.get("PYTEST_CURRENT_TEST", "outside a test")
            self.found += [f"{where}: {hit}" for hit in leaks(text, self.pattern)]


@dataclass
class _Check:
    collector: _Collector
    level_before: int
    files: list[Path] = field(default_factory=list)


_running: list[_Check] = []


def start(private: Private) -> None:
    root = logging.getLogger()
    check = _Check(_Collector(private), root.level)
    root.addHandler(check.collector)
    # What production logs: `frontdoor serve` logs at INFO (logging.basicConfig in
    # create_app); under pytest the root logger would stay at WARNING.
    root.setLevel(min(root.level or logging.WARNING, logging.INFO))
    _running.append(check)


def read_at_the_end(path: Path) -> None:
    """A server's output file: searched when the run ends (it may still be written to)."""
    if _running:
        _running[-1].files.append(path)


def finish(session: pytest.Session) -> None:
    if not _running:
        return
    check = _running.pop()
    root = logging.getLogger()
    root.removeHandler(check.collector)
    root.setLevel(check.level_before)
    found = check.collector.found + list(_in_files(check.files, check.collector.pattern))
    if not found:
        return
    reporter = session.config.pluginmanager.get_plugin("terminalreporter")
    if reporter is not None:
        reporter.write_sep("=", "private details reached a log", red=True)
        for line in found[:50]:
            reporter.write_line(line)
    session.exitstatus = pytest.ExitCode.TESTS_FAILED


def _in_files(paths: Iterable[Path], pattern: re.Pattern[str]) -> Iterable[str]:
    for path in paths:
        if path.is_file():
            text = path.read_text(errors="replace")
            yield from (f"{path.name}: {hit}" for hit in leaks(text, pattern))
