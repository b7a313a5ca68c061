"""The staff surface: sign-in, duty, the live queue, visits, the audit log (API and browser)."""

from . import phone_reply  # noqa: F401  (its route joins message_pages)
from .admin_api import admin_api
from .api import api
from .audit_api import audit_api
from .audit_pages import audit_pages
from .auth import init_auth
from .case_pages import case_pages
from .cases_api import cases_api
from .live import init_console_socket
from .message_pages import message_pages
from .messages_api import messages_api
from .pages import console, refused_page
from .report_pages import report_pages
from .reports_api import reports_api
from .staff_api import staff_api
from .staff_pages import staff_pages
from .visitor_pages import visitor_pages
from .visits_api import visits_api

blueprints = (
    api, visits_api, messages_api, admin_api, audit_api, staff_api, console, staff_pages,
    audit_pages, message_pages, cases_api, visitor_pages, case_pages, reports_api,
    report_pages,
)  # fmt: skip
# A page a role may not open answers in the console's own words (pages.refused_page).
for _pages in (console, staff_pages, audit_pages, message_pages, visitor_pages, case_pages):
    _pages.register_error_handler(403, refused_page)

__all__ = ["blueprints", "init_auth", "init_console_socket"]
