"""The staff surface: sign-in, duty, the live queue (API now; the browser console next)."""

from .api import api
from .auth import init_auth
from .live import init_console_socket

__all__ = ["api", "init_auth", "init_console_socket"]
