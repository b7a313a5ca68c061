"""How long a sign-in lives: a browser session or an API token."""

from __future__ import annotations

from datetime import timedelta

# However much it is used, no session or token outlives this from its sign-in. A browser
# session also ends after the console's idle time without use (its `expires_at` slides).
TOKEN_LIFETIME = timedelta(hours=12)
