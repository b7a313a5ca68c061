"""Where a text goes: `log` (the default: recorded, nothing leaves the machine) or `twilio`
(the official library's Client). Both answer the same way, so the sender knows only that a
text went, that it may go later, or that it never will.
"""

from __future__ import annotations

import logging
import secrets
from dataclasses import dataclass
from typing import Protocol

log = logging.getLogger("frontdoor.sms")


@dataclass(frozen=True)
class Sent:
    sid: str


class TryLater(Exception):
    """A passing failure (the network, the provider down): the text waits and is tried again."""

    def __init__(self, why: str, *, slow_down: bool = False) -> None:
        super().__init__(why)
        self.why = why
        self.slow_down = slow_down  # the provider said too many requests (429)


class Refused(Exception):
    """The provider will never take this text (a bad or unsubscribed number): it fails."""

    def __init__(self, why: str) -> None:
        super().__init__(why)
        self.why = why


class Transport(Protocol):
    sender: str  # the sending number, the key its pacing is shared under

    def send(self, to: str, body: str) -> Sent: ...


class LogTransport:
    """Sends nothing. The text, with its number, stays in the outbox for staff (and the
    log backend's phone page) to see; the log line names the message only, never the
    number or the words."""

    sender = "log"

    def send(self, to: str, body: str) -> Sent:
        sid = f"LOG{secrets.token_hex(16)}"
        log.info("log backend: a text of %d characters would be sent now (%s)", len(body), sid)
        return Sent(sid)


class TwilioTransport:
    """Twilio's Messages API through the official client. `http_client`: the library's
    transport (tests pass their own twilio.http.HttpClient; nothing else is replaced)."""

    TIMEOUT_SECONDS = 15

    def __init__(
        self,
        account_sid: str,
        auth_token: str,
        from_number: str,
        *,
        status_callback: str | None = None,
        http_client: object | None = None,
    ) -> None:
        from twilio.http.http_client import TwilioHttpClient
        from twilio.rest import Client

        self.sender = from_number
        self.status_callback = status_callback
        self.client = Client(
            account_sid,
            auth_token,
            http_client=http_client or TwilioHttpClient(timeout=self.TIMEOUT_SECONDS),
        )

    def send(self, to: str, body: str) -> Sent:
        from twilio.base.exceptions import TwilioException, TwilioRestException

        extra = {"status_callback": self.status_callback} if self.status_callback else {}
        try:
            message = self.client.messages.create(to=to, from_=self.sender, body=body, **extra)
        except TwilioRestException as error:
            raise _classified(error) from None
        except (TwilioException, OSError, ValueError) as error:
            # requests' errors are OSErrors; a reply that is not JSON is a ValueError.
            raise TryLater(f"transport_{type(error).__name__}"[:40]) from None
        return Sent(message.sid)


def _classified(error: object) -> Exception:
    """A refusal from Twilio's API by its HTTP status: 429 and 5xx pass, other 4xx stay."""
    status = int(getattr(error, "status", 0) or 0)
    code = getattr(error, "code", None)
    if status == 429:
        return TryLater("http_429", slow_down=True)
    if status >= 500 or status == 0:
        return TryLater(f"http_{status}")
    return Refused(f"twilio_{code}" if code else f"http_{status}")
