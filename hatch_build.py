"""Build hook: compiled catalogs and the browser libraries we serve go into every build.

The .mo files are made from translations/*/LC_MESSAGES/messages.po at build time (never
committed). The browser libraries come from node_modules (package.json pins them;
scripts/setup runs npm ci): the Socket.IO client is shipped as
frontdoor/vendor/socket.io.min.js, and lit-html's production ES modules (the console's
rendering) as frontdoor/vendor/lit-html/, keeping their relative layout because they import
each other by relative path.

Without them the server starts but its pages cannot work (the console stays on
"Connecting…" with an empty line), so a build without them, or with other versions than
package-lock.json pins, stops with one clear message instead of shipping a broken server.
We do not commit copies of the libraries: package-lock.json stays the one place that says
which version is served (with its integrity hash), and npm ci is what puts it there.
"""

from __future__ import annotations

import json
from pathlib import Path

from hatchling.builders.hooks.plugin.interface import BuildHookInterface

SOCKET_IO = Path("node_modules/socket.io-client/dist/socket.io.min.js")
SOCKET_IO_LICENSE = Path("node_modules/socket.io-client/LICENSE")
LIT_HTML = Path("node_modules/lit-html")
LIT_HTML_MODULES = ("LICENSE", "*.js", "directives/*.js")  # not development/ or node/
BROWSER_LIBRARIES = ("socket.io-client", "lit-html")


def browser_library_problems(root: Path) -> list[str]:
    """What is wrong with node_modules for a build: missing, or not the pinned version."""
    locked = json.loads((root / "package-lock.json").read_text())["packages"]
    problems = []
    for name in BROWSER_LIBRARIES:
        pinned = locked[f"node_modules/{name}"]["version"]
        manifest = root / "node_modules" / name / "package.json"
        if not manifest.is_file():
            problems.append(f"{name} {pinned} is not installed")
            continue
        installed = json.loads(manifest.read_text()).get("version")
        if installed != pinned:
            problems.append(f"{name} is {installed}, package-lock.json pins {pinned}")
    if not problems and not (root / SOCKET_IO).is_file():
        problems.append(f"{SOCKET_IO} is missing")
    return problems


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
        problems = browser_library_problems(root)
        if problems:
            self.app.abort(
                "Front Door's browser libraries are not ready: "
                + "; ".join(problems)
                + ". Run `npm ci` in the checkout first (or scripts/setup, which does), then "
                "build again: without them the console cannot show its live queue."
            )
        lit = root / LIT_HTML
        modules = sorted(m for pattern in LIT_HTML_MODULES for m in lit.glob(pattern))
        if self.target_name == "sdist":
            # node_modules is not in git; an sdist carries what a wheel built from it needs.
            shipped = [root / SOCKET_IO, root / SOCKET_IO_LICENSE, *modules]
            shipped += [root / "node_modules" / name / "package.json" for name in BROWSER_LIBRARIES]
            for path in shipped:
                build_data["force_include"][str(path)] = path.relative_to(root).as_posix()
            return
        if self.target_name != "wheel" or version == "editable":
            return  # an editable install serves them straight from node_modules
        build_data["force_include"][str(root / SOCKET_IO)] = "frontdoor/vendor/socket.io.min.js"
        build_data["force_include"][str(root / SOCKET_IO_LICENSE)] = (
            "frontdoor/vendor/socket.io-client.LICENSE"
        )
        for module in modules:
            target = f"frontdoor/vendor/lit-html/{module.relative_to(lit).as_posix()}"
            build_data["force_include"][str(module)] = target
