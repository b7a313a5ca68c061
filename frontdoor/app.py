"""The app factory: the one place where the surfaces are wired to the core."""

from __future__ import annotations

import logging
from datetime import timedelta
from pathlib import Path

from flask import Flask
from werkzeug.middleware.proxy_fix import ProxyFix

import kiosk
import staff_console
import webhooks
from queue_service.bus import EventBus
from queue_service.persistence.database import Database
from queue_service.persistence.migrate import upgrade
from queue_service.services import staff_views
from web_kernel import errors, log_hygiene, socket_rooms
from web_kernel.extensions import limiter, socketio
from web_kernel.hosts import AllowedHosts, public_host
from web_kernel.i18n import init_i18n
from web_kernel.ops import ops
from web_kernel.security import init_security_headers
from web_kernel.settings import Settings
from web_kernel.web import Core, close_db_session, refuse_nul_in_url

from . import realtime
from .front_page import front_page

MAX_BODY_BYTES = 64 * 1024


def resource_dir(name: str) -> Path:
    """templates/ and translations/: inside the installed package, or at the checkout's top."""
    packaged = Path(__file__).with_name(name)
    return packaged if packaged.is_dir() else Path(__file__).parent.parent / name


def create_app(
    settings: Settings | None = None, *, migrate: bool | None = None, demo: bool = False
) -> Flask:
    settings = settings or Settings.from_env()
    app = Flask(
        "frontdoor",
        instance_path=str(settings.instance_path),
        template_folder=str(resource_dir("templates")),
    )
    app.config.update(
        SECRET_KEY=settings.secret_key,
        MAX_CONTENT_LENGTH=MAX_BODY_BYTES,
        RATELIMIT_ENABLED=settings.rate_limits,
        RATELIMIT_STORAGE_URI=settings.redis_url or "memory://",
        RATELIMIT_HEADERS_ENABLED=True,
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        SESSION_COOKIE_SECURE=settings.secure_cookies,
        FRONTDOOR_DEMO=demo,  # `/` links the demo site's screens (front_page.py)
    )
    logging.basicConfig(level=logging.INFO)
    log_hygiene.install()

    bus = EventBus()
    database = Database(settings.database_url, publish=bus.publish)
    if migrate if migrate is not None else settings.is_sqlite:
        upgrade(database.engine)
    app.extensions["frontdoor"] = Core(settings=settings, database=database, bus=bus)
    staff_views.NO_SHOW_AFTER = timedelta(seconds=settings.no_show_after_seconds)
    app.teardown_appcontext(close_db_session)
    app.before_request(refuse_nul_in_url)

    limiter.init_app(app)
    staff_console.init_auth(app)
    socketio.init_app(
        app,
        async_mode=_async_mode(),
        message_queue=settings.redis_url,
        # Delivers as Flask-SocketIO's own would, and can end a room's connections on every
        # process (a deactivated account's consoles): web_kernel/socket_rooms.py.
        client_manager=socket_rooms.client_manager(settings.redis_url),
        # Only the server's own origin (or the configured public URL) may open a socket:
        # the console's socket signs in with the session cookie.
        cors_allowed_origins=settings.public_url or None,
    )
    init_i18n(app, str(resource_dir("translations")))
    names = allowed_host_names(settings)
    if names:
        app.wsgi_app = AllowedHosts(app.wsgi_app, names)  # type: ignore[method-assign]
    init_security_headers(app, https=settings.secure_cookies)
    if settings.proxy_hops:
        # Behind a TLS proxy, rate limits, URLs and the host check must see the client, not
        # the proxy: outermost, so Socket.IO's own requests are seen the same way.
        hops = settings.proxy_hops
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops)  # type: ignore[method-assign]
    errors.register(app)
    app.register_blueprint(ops)
    app.register_blueprint(front_page)
    app.register_blueprint(kiosk.api)
    app.register_blueprint(kiosk.pages)
    for blueprint in staff_console.blueprints:
        app.register_blueprint(blueprint)
    app.register_blueprint(webhooks.twilio_webhooks)
    realtime.init_realtime(app, socketio, database, bus)
    staff_console.init_console_socket(socketio, database, bus)
    return app


def allowed_host_names(settings: Settings) -> tuple[str, ...]:
    """The public URL's host and the allow-list; none (any host) only without either, which
    `frontdoor serve` refuses (the demo and the tests' app use the request's own host)."""
    public = public_host(settings.public_url)
    return ((public,) if public else ()) + settings.allowed_hosts


def _async_mode() -> str:
    """gevent when `frontdoor serve` patched the process for it; plain threads otherwise."""
    try:
        from gevent import monkey
    except ImportError:
        return "threading"
    return "gevent" if monkey.is_module_patched("socket") else "threading"
