"""Which way texts leave (FRONTDOOR_SMS_BACKEND): `log`, the default, sends nothing and keeps
each text in the outbox for staff to see; `twilio` sends through the official client with
the TWILIO_* account. `frontdoor serve` runs the sender (queue_service/notifications/
sender.py) beside the server (server.py)."""

from __future__ import annotations

import click

from queue_service.notifications.transports import LogTransport, Transport, TwilioTransport
from web_kernel.settings import Settings

BACKENDS = ("log", "twilio")
STATUS_PATH = "/webhooks/twilio/status"


def transport_for(settings: Settings) -> Transport:
    """The configured transport; a one-line error for a backend that cannot work."""
    if settings.sms_backend == "log":
        return LogTransport()
    if settings.sms_backend != "twilio":
        raise click.ClickException(
            f"FRONTDOOR_SMS_BACKEND must be one of {', '.join(BACKENDS)}, "
            f"not {settings.sms_backend!r}"
        )
    missing = [
        name
        for name, value in (
            ("TWILIO_ACCOUNT_SID", settings.twilio_account_sid),
            ("TWILIO_AUTH_TOKEN", settings.twilio_auth_token),
            ("TWILIO_FROM_NUMBER", settings.twilio_from_number),
        )
        if not value
    ]
    if missing:
        raise click.ClickException(f"FRONTDOOR_SMS_BACKEND=twilio needs {', '.join(missing)}")
    assert settings.twilio_account_sid and settings.twilio_auth_token
    assert settings.twilio_from_number
    return TwilioTransport(
        settings.twilio_account_sid,
        settings.twilio_auth_token,
        settings.twilio_from_number,
        # Delivery reports come back to the public URL (serve refuses to start without one).
        status_callback=f"{settings.public_url}{STATUS_PATH}" if settings.public_url else None,
    )
