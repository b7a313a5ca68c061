"""Build hook: compiled catalogs and the browser libraries we serve go into every build.

The .mo files are made from translations/*/LC_MESSAGES/messages.po at build time (never
committed). The browser libraries come from node_modules (package.json pins them;
scripts/setup runs npm ci): the Socket.IO client is shipped as
frontdoor/vendor/socket.io.min.js, and lit-html's production ES modules (the console's
rendering) as frontdoor/vendor/lit-html/, keeping their relative layout because they import
each other by relative path.
"""

from __future__ import annotations

from pathlib import Path

from hatchling.builders.hooks.plugin.interface import BuildHookInterface

SOCKET_IO = Path("node_modules/socket.io-client/dist/socket.io.min.js")
LIT_HTML = Path("node_modules/lit-html")
LIT_HTML_MODULES = ("LICENSE", "*.js", "directives/*.js")  # not development/ or node/


class CustomBuildHook(BuildHookInterface):
    def initialize(self, version: str, build_data: dict) -> None:
        from babel.messages.mofile import write_mo
        from babel.messages.pofile import read_po

        root = Path(self.root)
        for po in sorted(root.glob("translations/*/LC_MESSAGES/messages.po")):
            with po.open("rb") as source:
                catalog = read_po(source)
            with po.with_suffix(".mo").open("wb") as target:
                write_mo(target, catalog)
        if self.target_name != "wheel" or version == "editable":
            return
        if (root / SOCKET_IO).is_file():
            build_data["force_include"][str(root / SOCKET_IO)] = "frontdoor/vendor/socket.io.min.js"
        else:
            self.app.display_warning(
                "node_modules/socket.io-client is missing (run npm ci, or scripts/setup): this "
                "build's ticket pages and lobby screens will poll instead of updating live."
            )
        lit = root / LIT_HTML
        modules = sorted(m for pattern in LIT_HTML_MODULES for m in lit.glob(pattern))
        if not (lit / "lit-html.js").is_file():
            self.app.display_warning(
                "node_modules/lit-html is missing (run npm ci, or scripts/setup): this build's "
                "staff console cannot draw the queue."
            )
        for module in modules:
            target = f"frontdoor/vendor/lit-html/{module.relative_to(lit).as_posix()}"
            build_data["force_include"][str(module)] = target
