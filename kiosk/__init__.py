"""The public surface: the check-in API, the lobby kiosk, ticket pages and the lobby screen."""

from .api import api
from .pages import pages, ticket_page_url

__all__ = ["api", "pages", "ticket_page_url"]
