"""What `/` answers: in `frontdoor demo`, a page of links to the demo site's screens; on a
real server, the staff console.

Nobody from the public is sent to the bare address: kiosks, lobby screens and ticket pages
each have their own URL (a QR code, a bookmark on the tablet). The people who type the
server's name are staff, so a real server sends them to the console's sign-in.
"""

from __future__ import annotations

from flask import Blueprint, current_app, redirect, render_template, url_for
from werkzeug.wrappers import Response

from .demo import SIGN_INS, SLUG

front_page = Blueprint("front_page", __name__)
DEMO_FLAG = "FRONTDOOR_DEMO"  # set by create_app(demo=True), which `frontdoor demo` asks for


@front_page.get("/")
def home() -> Response | str:
    if not current_app.config.get(DEMO_FLAG):
        return redirect(url_for("console.home"), code=302)
    return render_template(
        "demo_landing.html",
        kiosk=url_for("kiosk.languages", site=SLUG),
        display=url_for("kiosk.lobby_screen", site=SLUG),
        console=url_for("console.home"),
        sign_ins=SIGN_INS,
    )
