"""Build hook: compiled catalogs and the browser's Socket.IO client go into every build.

The .mo files are made from translations/*/LC_MESSAGES/messages.po at build time (never
committed); the client comes from node_modules (package.json pins it; scripts/setup runs
npm ci) and is shipped as frontdoor/vendor/socket.io.min.js.
"""

from __future__ import annotations

from pathlib import Path

from hatchling.builders.hooks.plugin.interface import BuildHookInterface

SOCKET_IO = Path("node_modules/socket.io-client/dist/socket.io.min.js")


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
