"""The staff surface: sign-in, duty, the live queue (API now; the browser console next)."""

from .api import api
from .auth import init_auth

__all__ = ["api", "init_auth"]
