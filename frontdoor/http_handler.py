"""The connection handler of `frontdoor serve`: gevent's pywsgi handler, made safe to face
the internet without a proxy in front.

- Slow clients: the request line and headers must arrive within the header time-out, and
  the body within the body time-out after them; a client that trickles or stalls is
  disconnected (408), so a thousand half-sent requests cannot hold the server. A websocket,
  once upgraded, is no longer a request and is not timed.
- Connections per client address are capped; one over the cap is answered 429 at once and
  closed. Behind a proxy every connection comes from the proxy's address: there the proxy
  does this (README), and the cap is off unless set.
- A bare CR (a CR not followed by LF) in the request line or a header is refused with 400
  before anything parses it: Python's header parser treats a lone CR as a line break where
  a proxy in front may not, so one request could be read as two (request smuggling).
"""

from __future__ import annotations

import contextlib
import json
import socket
import time
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from io import BytesIO
from typing import Any

from gevent import Timeout, pywsgi

# gevent's own limits for one header line and the number of headers.
MAX_HEADER_LINE = 65536
MAX_HEADERS = 100


@dataclass(frozen=True)
class Limits:
    header_seconds: float = 10.0
    body_seconds: float = 30.0
    per_address: int = 50  # 0: no cap


class SlowClient(socket.timeout):
    """Raised in the connection's greenlet when its time-out runs out; a socket error, so
    gevent closes the connection quietly instead of logging a traceback."""


class BareCarriageReturn(ValueError):
    """A ValueError: gevent treats it as the client's mistake and answers 400."""

    formatted_message = "bare CR in the request head"


def refusal(status: str, code: str, message: str, *extra: tuple[str, str]) -> bytes:
    """A whole HTTP response in the contract's error shape, for answers given before the
    request reaches the application (so before Flask and its error handlers)."""
    body = json.dumps({"error": {"code": code, "message": message, "fields": {}}}).encode()
    head = [f"HTTP/1.1 {status}", "Connection: close", "Content-Type: application/json",
            f"Content-Length: {len(body)}", "Cache-Control: no-store",
            *(f"{name}: {value}" for name, value in extra)]  # fmt: skip
    return ("\r\n".join(head) + "\r\n\r\n").encode("latin-1") + body


TOO_MANY_CONNECTIONS = refusal(
    "429 Too Many Requests", "too_many_connections",
    "Too many connections from your address. Please wait a little and try again.",
    ("Retry-After", "5"),
)  # fmt: skip
TOO_SLOW = refusal("408 Request Timeout", "request_timeout", "The request took too long to arrive.")
BARE_CR = refusal(
    "400 Bad Request", "bad_request", "The request has a carriage return without a line feed."
)


def _has_bare_cr(line: bytes) -> bool:
    if line.endswith(b"\r\n"):
        line = line[:-2]
    elif line.endswith(b"\n"):
        line = line[:-1]
    return b"\r" in line


class _Head:
    """The header lines, read by us (so they can be checked) and replayed to the parser."""

    def __init__(self, lines: list[bytes]) -> None:
        self._buffer = BytesIO(b"".join(lines))

    def readline(self, size: int = -1) -> bytes:
        return self._buffer.readline(size)


class _TimedInput:
    """wsgi.input whose reads must all finish by the body deadline."""

    def __init__(self, inner: pywsgi.Input, deadline: float, handler: GuardedHandler) -> None:
        self._inner = inner
        self._deadline = deadline
        self._handler = handler

    def _timed(self, read: Any, *args: Any) -> Any:
        remaining = max(0.001, self._deadline - time.monotonic())
        try:
            with Timeout(remaining, SlowClient("the body took too long")):
                return read(*args)
        except SlowClient:
            # The rest of the body may still come: the stream is out of step, so this
            # connection takes no further request.
            self._handler.close_connection = True
            raise

    def read(self, length: int | None = None) -> bytes:
        return self._timed(self._inner.read, length)

    def readline(self, size: int | None = None) -> bytes:
        return self._timed(self._inner.readline, size)

    def readlines(self, hint: int | None = None) -> list[bytes]:
        return self._timed(self._inner.readlines, hint)

    def __iter__(self) -> Iterator[bytes]:
        while line := self.readline():
            yield line

    def _discard(self) -> None:
        # On time-out close_connection is set: the unread rest dies with the connection.
        with contextlib.suppress(SlowClient):
            self._timed(self._inner._discard)


class GuardedHandler(pywsgi.WSGIHandler):
    limits = Limits()
    # Open connections per client address, for this server process (one greenlet at a time
    # touches it: no lock).
    open_connections: Counter[str] = Counter()
    _head_timer: Timeout | None = None
    _refused = False

    def handle(self) -> None:
        # Nagle's algorithm off: pywsgi writes a response's headers and body in separate
        # sends, and with Nagle the body waits for the client's delayed ACK (about 40 ms on
        # Linux) on every keep-alive request.
        self.socket.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        address = self._address()
        self.open_connections[address] += 1
        try:
            super().handle()
        finally:
            self._stop_head_timer()
            self.open_connections[address] -= 1
            if self.open_connections[address] <= 0:
                del self.open_connections[address]

    def _address(self) -> str:
        return str(self.client_address[0]) if isinstance(self.client_address, tuple) else ""

    def handle_one_request(self) -> Any:
        cap = self.limits.per_address
        if cap and self.open_connections[self._address()] > cap:
            # Answered before reading anything; handle() then drains what was sent and closes.
            return ("429", TOO_MANY_CONNECTIONS)
        return super().handle_one_request()

    def read_requestline(self) -> str:
        # From here until the last header line, one deadline (not one per read: a client
        # sending a byte every few seconds must not stretch it).
        self._stop_head_timer()
        self._head_timer = Timeout.start_new(
            self.limits.header_seconds, SlowClient("the request head took too long")
        )
        line = self.rfile.readline(pywsgi.MAX_REQUEST_LINE)
        if not line or len(line) >= pywsgi.MAX_REQUEST_LINE:
            self._stop_head_timer()
        if _has_bare_cr(line):
            self._stop_head_timer()
            self._refused = True
            return line.replace(b"\r", b" ").decode("latin-1")
        self._refused = False
        return line.decode("latin-1")

    def read_request(self, raw_requestline: str) -> bool:
        if self._refused:
            raise BareCarriageReturn(BareCarriageReturn.formatted_message)
        try:
            lines = self._head_lines()
        finally:
            self._stop_head_timer()
        if any(_has_bare_cr(line) for line in lines):
            raise BareCarriageReturn(BareCarriageReturn.formatted_message)
        rfile, self.rfile = self.rfile, _Head(lines)  # the parser reads the checked copy
        try:
            return super().read_request(raw_requestline)
        finally:
            self.rfile = rfile

    def _head_lines(self) -> list[bytes]:
        lines: list[bytes] = []
        while True:
            line = self.rfile.readline(MAX_HEADER_LINE + 1)
            if len(line) > MAX_HEADER_LINE or len(lines) > MAX_HEADERS:
                raise ValueError("request head too large")  # gevent answers 400
            lines.append(line)
            if line in (b"\r\n", b"\n", b""):
                return lines

    def _handle_client_error(self, ex: BaseException) -> Any:
        if isinstance(ex, SlowClient):
            return ("408", TOO_SLOW)
        if isinstance(ex, BareCarriageReturn):
            self.log_error("(from %s) %s", self.client_address, ex.formatted_message)
            return ("400", BARE_CR)
        return super()._handle_client_error(ex)

    def handle_error(self, t: type, v: BaseException, tb: object) -> None:
        if isinstance(v, SlowClient):
            # A body that stopped coming, read by Socket.IO's own handler rather than Flask:
            # the client's doing, not a server error worth a traceback.
            self.close_connection = True
            return
        super().handle_error(t, v, tb)

    def _stop_head_timer(self) -> None:
        if self._head_timer is not None:
            self._head_timer.close()
            self._head_timer = None

    def get_environ(self) -> dict:
        environ = super().get_environ()
        # No permessage-deflate on websockets (every browser offers it, simple-websocket
        # accepts it): compressing each Socket.IO message for each socket separately doubled
        # the server's CPU per console event (benchmarks/console_latency.py: p99 at 1,000
        # consoles 67-83 ms with it, 37-50 ms without), for messages of a few hundred bytes.
        environ.pop("HTTP_SEC_WEBSOCKET_EXTENSIONS", None)
        if environ["wsgi.input"] is self.wsgi_input:  # not a websocket upgrade
            deadline = time.monotonic() + self.limits.body_seconds
            self.wsgi_input = _TimedInput(self.wsgi_input, deadline, self)  # type: ignore[assignment]
            environ["wsgi.input"] = self.wsgi_input
        return environ


def handler_for(limits: Limits) -> type[GuardedHandler]:
    """A handler class with these limits and its own count of open connections."""
    return type(
        "FrontDoorHandler", (GuardedHandler,), {"limits": limits, "open_connections": Counter()}
    )
