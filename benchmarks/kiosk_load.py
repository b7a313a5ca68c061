"""The kiosk on a slow lobby tablet: how long each tap takes to show the next screen.

    .venv/bin/python benchmarks/kiosk_load.py                  # 15 check-ins, 6x CPU, 150 ms
    .venv/bin/python benchmarks/kiosk_load.py --runs 20 --cpu 4 --latency 100
    .venv/bin/python benchmarks/kiosk_load.py --tree /tmp/before  # another tree's server
    .venv/bin/python benchmarks/kiosk_load.py --help

Starts its own `frontdoor serve` on a temporary SQLite database (one site, hours `always`,
one case manager on duty), then drives Chromium (/usr/bin/chromium) through Playwright with
the CPU slowed down (CDP Emulation.setCPUThrottlingRate) and every request delayed
(Network.emulateNetworkConditions: latency, no bandwidth cap unless --kbps). A check-in is
tapped through as a person does: language, Next, Skip (name), No texts (phone), Done.

Each time is measured inside the browser, from the tap (a click dispatched in the page) to
the first frame that shows the next screen; for the last tap, to the code and to the QR
image ready. The ceiling is measured the same way, in the same throttled page on the same
server: a navigation to /healthz (for taps that load a page) and a fetch of it (for the
tap that posts the check-in), so figures compare across machines as ratios. Bytes are what
went over the wire (CDP encodedDataLength: compressed, headers included), on a cold tablet
(empty cache) and on a warm one. Figures are printed, never asserted.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import socket
import statistics
import subprocess
import tempfile
import time
import urllib.error
import urllib.request
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = "/usr/bin/chromium"
SITE = "bench"
PASSWORD = "benchmark-passphrase"
TABLET = {"width": 1024, "height": 768}

# In the page: dispatch a tap now and answer its time (ms since the epoch, high resolution).
TAP = """selector => {
    const at = performance.timeOrigin + performance.now();
    document.querySelector(selector).click();
    return at;
}"""
# In the page: the time of the first frame (a requestAnimationFrame callback, just before
# the paint) in which `selector` is on screen (with text, or an image ready, if `needs` says).
SHOWN = """([selector, needs]) => new Promise(resolve => {
    const ready = () => {
        const el = document.querySelector(selector);
        if (!el || !el.getClientRects().length) return false;
        if (needs === "text") return el.textContent.trim() !== "";
        return needs !== "image" || (el.complete && el.naturalWidth > 0);
    };
    const frame = () => ready() ? resolve(performance.timeOrigin + performance.now())
                                : requestAnimationFrame(frame);
    requestAnimationFrame(frame);
})"""
# A loaded page cannot be asked in time, so each page watches from its very start for what
# the next screen shows, and notes the first frame it is on screen.
PAGE_SHOWS = {
    "questions": "[data-step=needs] h1",
    "languages": "a.tile[data-lang=en]",
    "anything": "body",
}
WATCH = """(() => {
    const watch = PAGE_SHOWS;
    window.__seen = {};
    const frame = () => {
        for (const [name, selector] of Object.entries(watch)) {
            const el = name in window.__seen ? null : document.querySelector(selector);
            if (el && el.getClientRects().length) {
                window.__seen[name] = performance.timeOrigin + performance.now();
            }
        }
        if (Object.keys(window.__seen).length < Object.keys(watch).length
            && performance.now() < 20000) requestAnimationFrame(frame);
    };
    requestAnimationFrame(frame);
})();""".replace("PAGE_SHOWS", json.dumps(PAGE_SHOWS))


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def call(base: str, method: str, path: str, body: object = None, token: str | None = None):  # type: ignore[no-untyped-def]
    request = urllib.request.Request(
        base + path,
        method=method,
        data=None if body is None else json.dumps(body).encode(),
        headers={"Content-Type": "application/json"}
        | ({"Authorization": f"Bearer {token}"} if token else {}),
    )
    with urllib.request.urlopen(request, timeout=10) as response:
        return json.loads(response.read() or b"null")


@contextmanager
def own_server(tree: Path | None = None):  # type: ignore[no-untyped-def]
    """A fresh instance directory, a site open day and night with one manager on duty, and
    `frontdoor serve`: this checkout's, or that of another source tree (to compare)."""
    with tempfile.TemporaryDirectory(prefix="frontdoor-kiosk-bench-") as tmp:
        env = {**os.environ, "FRONTDOOR_INSTANCE_PATH": tmp, "FRONTDOOR_RATE_LIMITS": "off"}
        env.pop("FRONTDOOR_DATABASE_URL", None)
        if tree:
            env["PYTHONPATH"] = str(tree)
            python = str(ROOT / ".venv" / "bin" / "python")
            frontdoor = [python, "-c", "from frontdoor.entry import main; main()"]
        else:
            frontdoor = [shutil.which("frontdoor", path=str(ROOT / ".venv" / "bin")) or "frontdoor"]
        run = {"env": env, "check": True, "capture_output": True, "text": True, "cwd": tree}
        subprocess.run([*frontdoor, "site", "add", SITE, "--name", "Bench Office",
                        "--hours", "always"], **run)  # fmt: skip
        subprocess.run([*frontdoor, "staff", "add", "cm@bench.example", "--name", "Cam",
                        "--role", "case_manager", "--site", SITE, "--password-stdin"],
                       input=PASSWORD, **run)  # fmt: skip
        port = free_port()
        server = subprocess.Popen([*frontdoor, "serve", "--port", str(port)], env=env, cwd=tree,
                                  stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)  # fmt: skip
        base = f"http://127.0.0.1:{port}"
        try:
            deadline = time.monotonic() + 30
            while True:
                try:
                    urllib.request.urlopen(f"{base}/healthz", timeout=1)
                    break
                except urllib.error.HTTPError:  # up, but older: no /healthz
                    break
                except OSError:
                    if time.monotonic() > deadline:
                        raise SystemExit("the server did not come up") from None
                    time.sleep(0.1)
            token = call(base, "POST", "/api/v1/auth/login",
                         {"email": "cm@bench.example", "password": PASSWORD})["token"]  # fmt: skip
            call(base, "PUT", f"/api/v1/sites/{SITE}/duty", {"on_duty": True, "desk": "1"}, token)
            yield base, token
        finally:
            server.terminate()
            server.wait(timeout=10)


def trivial_path(base: str) -> str:
    """The cheapest thing the server answers: /healthz, or on a server without it, a 404."""
    try:
        urllib.request.urlopen(f"{base}/healthz", timeout=5)
        return "/healthz"
    except urllib.error.HTTPError:
        return "/api/v1/tickets/none"


class Tablet:
    """One throttled Chromium page, and the bytes it receives."""

    def __init__(self, browser, args: argparse.Namespace):  # type: ignore[no-untyped-def]
        self.context = browser.new_context(viewport=TABLET)
        self.context.add_init_script(WATCH)
        self.page = self.context.new_page()
        self.bytes = 0
        cdp = self.context.new_cdp_session(self.page)
        cdp.send("Network.enable")
        cdp.on("Network.loadingFinished", self._count)
        cdp.send("Emulation.setCPUThrottlingRate", {"rate": args.cpu})
        throughput = args.kbps * 1024 / 8 if args.kbps else -1
        cdp.send("Network.emulateNetworkConditions", {
            "offline": False, "latency": args.latency,
            "downloadThroughput": throughput, "uploadThroughput": throughput,
        })  # fmt: skip
        self.cdp = cdp

    def _count(self, event: dict) -> None:
        self.bytes += int(event.get("encodedDataLength", 0))

    def tap(self, selector: str, shows: str) -> float:
        """ms from tapping `selector` to the first frame that shows `shows` (same page)."""
        at = self.page.evaluate(TAP, selector)
        return self.page.evaluate(SHOWN, [shows, None]) - at

    def tap_to_page(self, selector: str | None, shows: str, url: str | None = None) -> float:
        """ms from tapping `selector` (or going to `url`) to the first frame of the next
        page that shows PAGE_SHOWS[shows]."""
        go = f"location.replace({json.dumps(url)})" if url else None
        script = (
            f"() => {{ const at = performance.timeOrigin + performance.now(); {go}; return at; }}"
            if go
            else TAP
        )
        with self.page.expect_navigation(wait_until="load"):
            at = self.page.evaluate(script) if go else self.page.evaluate(script, selector)
        seen = self.page.wait_for_function(f"window.__seen && window.__seen[{json.dumps(shows)}]")
        return seen.json_value() - at

    def close(self) -> None:
        self.context.close()


def check_in_once(tablet: Tablet) -> dict[str, float]:
    """One person's check-in from the language screen; ms for each tap."""
    page = tablet.page
    times = {}
    times["language → questions (page load)"] = tablet.tap_to_page(
        "a.tile[data-lang=en]", "questions"
    )
    times["Next → name"] = tablet.tap("[data-step=needs] [data-action=next]", "#name")
    times["Skip → phone"] = tablet.tap("[data-step=name] [data-action=skip]", "#phone")
    at = page.evaluate(TAP, "[data-step=phone] [data-action=skip]")
    code = page.evaluate(SHOWN, ["[data-step=ticket] .code", "text"])
    qr = page.evaluate(SHOWN, ["[data-field=qr]", "image"])
    times["No texts → code (check-in posted)"] = code - at
    times["No texts → code and QR"] = max(code, qr) - at
    times["Done → language screen (page load)"] = tablet.tap_to_page(
        "[data-action=done]", "languages"
    )
    return times


def ceiling_once(tablet: Tablet, base: str, trivial: str) -> dict[str, float]:
    """The same throttled page doing the least the server can do."""
    page = tablet.page
    fetched = page.evaluate(
        """async path => {
        const at = performance.timeOrigin + performance.now();
        await (await fetch(path, {cache: 'no-store'})).json();
        return performance.timeOrigin + performance.now() - at;
    }""",
        trivial,
    )
    loaded = tablet.tap_to_page(None, "anything", url=trivial)
    page.goto(f"{base}/kiosk/{SITE}")
    return {f"fetch {trivial}": fetched, f"page load {trivial}": loaded}


def summary(samples: list[float]) -> str:
    ordered = sorted(samples)
    p90 = ordered[min(len(ordered) - 1, round(0.9 * (len(ordered) - 1)))]
    median = statistics.median(ordered)
    return f"median {median:6.0f} ms   p90 {p90:6.0f} ms   max {ordered[-1]:6.0f} ms"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=15, help="check-ins on the warm tablet")
    parser.add_argument("--cpu", type=float, default=6, help="CPU slow-down factor")
    parser.add_argument("--latency", type=float, default=150, help="ms added to each request")
    parser.add_argument("--kbps", type=float, default=0, help="bandwidth cap (0: none)")
    parser.add_argument("--tree", type=Path, help="serve this source tree instead (e.g. an "
                        "older commit from `git archive`), to compare")  # fmt: skip
    args = parser.parse_args()
    if not Path(CHROMIUM).exists():
        raise SystemExit(f"needs Chromium at {CHROMIUM}")
    from playwright.sync_api import sync_playwright

    with own_server(args.tree) as (base, token), sync_playwright() as playwright:
        trivial = trivial_path(base)
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        network = f"{args.kbps:g} kbit/s" if args.kbps else "no bandwidth cap"
        print(f"Chromium {browser.version}; CPU {args.cpu:g}x slower; "
              f"+{args.latency:g} ms a request; {network}")  # fmt: skip

        tablet = Tablet(browser, args)
        tablet.page.goto(f"{base}/kiosk/{SITE}")
        tablet.page.wait_for_load_state("networkidle")
        first_load = tablet.bytes
        check_in_once(tablet)
        whole_cold = tablet.bytes
        times: dict[str, list[float]] = {}
        ceiling: dict[str, list[float]] = {}
        warm = 0
        for _ in range(args.runs):
            before = tablet.bytes
            for name, ms in check_in_once(tablet).items():
                times.setdefault(name, []).append(ms)
            warm += tablet.bytes - before
            for name, ms in ceiling_once(tablet, base, trivial).items():
                ceiling.setdefault(name, []).append(ms)
            call(base, "POST", f"/api/v1/sites/{SITE}/queue/next", token=token)
        tablet.close()
        browser.close()

    print(f"\nBytes over the wire: first load {first_load / 1024:.1f} KB; a whole check-in "
          f"on an empty cache {whole_cold / 1024:.1f} KB (first load included); "
          f"each check-in on the warm tablet {warm / args.runs / 1024:.1f} KB")  # fmt: skip
    # A page load compares with loading /healthz as a page; the check-in with fetching it.
    against = {"page": statistics.median(ceiling[f"page load {trivial}"]),
               "post": statistics.median(ceiling[f"fetch {trivial}"])}  # fmt: skip
    print(f"\nTap → next screen on the warm tablet, {args.runs} check-ins:")
    for name, samples in times.items():
        kind = "page" if "page load" in name else "post" if "No texts" in name else None
        ratio = f"{statistics.median(samples) / against[kind]:4.1f}x ceiling" if kind else ""
        print(f"  {name:<36} {summary(samples)}   {ratio}")
    print("\nCeiling, the same throttled page on the same server:")
    for name, samples in ceiling.items():
        print(f"  {name:<36} {summary(samples)}")


if __name__ == "__main__":
    main()
