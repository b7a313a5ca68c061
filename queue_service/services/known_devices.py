"""Known devices: a browser that has signed in to an account before gets its own allowance
of sign-in tries for that account (OWASP's "device cookies").

Without it, a stranger who knows a case manager's e-mail, or who shares the office's one NAT
address, can keep the real person waiting out delays they never caused. The cookie does not
sign anyone in and stands in for no password: it only says "this browser proved this
password once", so its tries are counted apart from the account's and the address's. Its
own guesses are slowed as an account's are. The value is a random id with an HMAC (the
secret key) over it and the account's e-mail: it vouches for that account only, cannot be
made without the key, and holds nothing personal.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from datetime import timedelta

COOKIE = "frontdoor_device"
LASTS = timedelta(days=180)
_ID_BYTES = 16


def issue(secret_key: str, email: str) -> str:
    """A new cookie value for this browser and account."""
    device = secrets.token_urlsafe(_ID_BYTES)
    return f"{device}.{_mac(secret_key, device, email)}"


def vouches_for(secret_key: str, value: object, email: str) -> str | None:
    """The device id if `value` is a cookie this server issued for `email`, else None."""
    if not isinstance(value, str) or value.count(".") != 1 or len(value) > 200:
        return None
    device, mac = value.split(".")
    if not device or not hmac.compare_digest(mac, _mac(secret_key, device, email)):
        return None
    return device


def _mac(secret_key: str, device: str, email: str) -> str:
    message = f"device:{device}:{email.strip().lower()}".encode()
    return hmac.new(secret_key.encode(), message, hashlib.sha256).hexdigest()
