"""A pytest plugin that leaks on purpose, for tests/test_log_grep.py alone, which loads it
in a pytest run of its own (`-p tests.leak_probe`): the run's log check must then fail it.
FRONTDOOR_PROBE_LOG is put in a log record; FRONTDOOR_PROBE_FILE names a server's output
file to be read at the end, as start_server's are."""

from __future__ import annotations

import logging
import os
from pathlib import Path

from tests import log_grep


def pytest_runtest_call(item) -> None:  # type: ignore[no-untyped-def]
    if os.environ.get("FRONTDOOR_PROBE_LOG"):
        logging.getLogger("frontdoor.probe").info(
            "checked in %s", os.environ["FRONTDOOR_PROBE_LOG"]
        )
    if os.environ.get("FRONTDOOR_PROBE_FILE"):
        log_grep.read_at_the_end(Path(os.environ["FRONTDOOR_PROBE_FILE"]))
