"""The public surface: check-in API, and (next issue) the kiosk, ticket and lobby pages."""

from .api import api

__all__ = ["api"]
