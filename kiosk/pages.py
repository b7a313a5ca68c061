"""The pages people see: the lobby kiosk, their own ticket page, and the lobby screen."""

from __future__ import annotations

import io
from pathlib import Path

from flask import Blueprint, Response, abort, g, render_template, request, send_file, url_for
from flask_babel import gettext

from queue_service.domain import needs as need_rules
from queue_service.domain.lifecycle import Status
from queue_service.persistence import repositories
from queue_service.services import display, office, views
from web_kernel.assets import cache_if_current, digest
from web_kernel.i18n import HTML_LANG, LANGUAGE_NAMES, use_language
from web_kernel.web import core, db_session, public_base_url

from . import texts
from .qr import qr_bytes, qr_svg, return_code_payload

pages = Blueprint("kiosk", __name__, static_folder="static", static_url_path="/static/kiosk")

SOCKET_IO_CLIENT = "socket.io.min.js"
KIOSK_PERMISSIONS = "camera=(self), microphone=(), geolocation=()"
TICKET_PAGE_PATH = "/t/{token}"


@pages.app_context_processor
def _helpers() -> dict:
    return {
        "need_label": texts.need_label,
        "desk_names_itself": texts.desk_names_itself,
        "crisis_lines_for": texts.crisis,
        "socket_io_url": socket_io_url,
    }


def site_lang(site) -> str:  # type: ignore[no-untyped-def]
    """The HTML language of what staff type for a site (a closure's reason): its first one."""
    first = site.languages[0] if site.languages else "en"
    return HTML_LANG.get(first, first)


def ticket_page_url(token: str, base: str | None = None) -> str:
    """The person's own ticket page, absolute: what the QR code and status_url point to."""
    return (base or public_base_url()) + TICKET_PAGE_PATH.format(token=token)


@pages.get("/kiosk/<site>")
def languages(site: str) -> str:
    found = repositories.site_by_slug(db_session(), site)
    use_language(request.accept_languages.best_match(found.languages) or found.languages[0])
    offered = [(code, LANGUAGE_NAMES[code]) for code in found.languages if code in LANGUAGE_NAMES]
    codes = [code for code, _ in offered]
    return render_template(
        "kiosk/languages.html",
        site=found,
        offered=offered,
        welcome=texts.in_each_language(lambda _: gettext(texts.WELCOME), codes),
        need_help=texts.in_each_language(lambda _: gettext(texts.NEED_HELP), codes),
        crisis_by_language=texts.in_each_language(texts.crisis, codes),
        away=texts.in_each_language(_out_of_reach_words, codes),
    )


def _out_of_reach_words(_lang: str) -> dict[str, str]:
    """The language screen's words while a tap waits for the office computer to answer."""
    return {
        "offline": gettext(texts.OFFLINE),
        "talk_now": gettext("You can talk to someone right now:"),
        "back": gettext("Back"),
    }


@pages.get("/kiosk/<site>/<lang>")
def check_in(site: str, lang: str) -> Response:
    found = repositories.site_by_slug(db_session(), site)
    if lang not in found.languages or lang not in LANGUAGE_NAMES:
        abort(404)
    use_language(lang)
    settings = core().settings
    # The office as it is now, in the page: the first screen is the true one (closed: no
    # check-in), with no flash of the form while the status is fetched.
    office_now = views.office_status(office.site_status(db_session(), found))
    page = render_template(
        "kiosk/check_in.html",
        site=found,
        needs=found.need_categories,
        need_label=_need_labels(found, lang),
        idle_seconds=settings.kiosk_idle_seconds,
        warn_seconds=settings.kiosk_warn_seconds,
        help_now=request.args.get("help") == "now",
        office_now=office_now,
        crisis=texts.crisis(lang),
        screen_strings={**texts.office_strings(), **texts.help_strings()},
        print_tickets=bool(found.print_tickets),
        site_lang=site_lang(found),
    )
    response = Response(page)
    # The tablet's camera may read a return code's QR on this page alone (web_kernel.security
    # refuses the camera everywhere else).
    response.headers["Permissions-Policy"] = KIOSK_PERMISSIONS
    return response


def _need_labels(site, lang: str):  # type: ignore[no-untyped-def]
    """The site's words for each of its needs in `lang` (the page's language), else the
    catalog's: what the template's need_label(slug) shows."""
    by_slug = {n.slug: n for n in site.needs}
    return lambda slug: need_rules.client_label(
        by_slug[slug], lang, lambda default, _lang: texts.need_label(default)
    )


@pages.get(TICKET_PAGE_PATH.replace("{token}", "<token>"))
def ticket_page(token: str) -> str:
    session = db_session()
    ticket = repositories.ticket_by_token(session, token)
    asked = request.args.get("lang")
    use_language(asked if asked in LANGUAGE_NAMES else ticket.language)
    place = views.PlaceInLine.read(session, ticket)
    body = views.public_ticket(
        ticket, position=place.position, wait=place.wait, status_url=ticket_page_url(token)
    )
    open_ = ticket.status in {s.value for s in (Status.WAITING, Status.CALLED)}
    return render_template(
        "ticket.html",
        ticket=body,
        can_leave=open_,
        status_text=texts.status_texts(),
        office_strings={**texts.office_strings(), **texts.help_strings()},
        crisis=texts.crisis(str(g.lang)),
        site_lang=site_lang(ticket.site),
    )


@pages.get("/t/<token>/qr.<kind>")
def ticket_qr(token: str, kind: str) -> Response:
    repositories.ticket_by_token(db_session(), token)
    if kind not in ("png", "svg"):
        abort(404)
    mimetype = "image/svg+xml" if kind == "svg" else "image/png"
    image = io.BytesIO(qr_bytes(ticket_page_url(token), kind))
    return send_file(image, mimetype=mimetype, max_age=0)


@pages.get("/t/<token>/return-code.svg")
def return_code_qr(token: str) -> Response:
    """The holder's own return code as a QR, for the kiosk's camera next time. Only while
    the visit keeps it (it is erased when the visit closes): 404 after."""
    ticket = repositories.ticket_by_token(db_session(), token)
    if not ticket.return_code:
        abort(404)
    response = Response(qr_svg(return_code_payload(ticket.return_code)), mimetype="image/svg+xml")
    response.headers["Cache-Control"] = "no-store"  # personal: never kept by a shared cache
    return response


@pages.get("/display/<site>")
def lobby_screen(site: str) -> str:
    session = db_session()
    found = repositories.site_by_slug(session, site)
    asked = request.args.get("lang")
    use_language(asked if asked in found.languages else found.languages[0])
    spoken = [code for code in found.languages if code in LANGUAGE_NAMES]
    return render_template(
        "display.html",
        site=found,
        board=display.board(session, found.id),
        spoken=spoken,
        board_strings=texts.in_each_language(texts.board_words, spoken),
        site_lang=site_lang(found),
    )


def _socket_io_client_file() -> Path | None:
    for folder in (
        Path(__file__).parent.parent / "frontdoor" / "vendor",
        Path(__file__).parent.parent / "node_modules" / "socket.io-client" / "dist",
    ):
        if (folder / SOCKET_IO_CLIENT).is_file():
            return folder / SOCKET_IO_CLIENT
    return None


def socket_io_url() -> str:
    """The client's URL with its content hash, so browsers keep it for good."""
    path = _socket_io_client_file()
    return url_for("kiosk.socket_io_client", v=digest(path) if path else None)


@pages.get("/assets/" + SOCKET_IO_CLIENT)
def socket_io_client() -> Response:
    """The official client from npm (package.json pins it), served by us, never a CDN."""
    path = _socket_io_client_file()
    if path is None:
        abort(404)
    return cache_if_current(send_file(path, mimetype="text/javascript", max_age=86400), path)
