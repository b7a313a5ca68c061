"""A plain (non-editable) install carries everything the server needs."""

import json
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

ROOT = Path(__file__).parent.parent
LEFT_OUT = shutil.ignore_patterns(
    "node_modules", ".venv", ".git", "instance", "*.mo", "__pycache__", ".*_cache", "build", "dist"
)


def build_wheel(tree: Path, out: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation",
         "-q", "-w", str(out), str(tree)],
        capture_output=True, text=True, timeout=300,
    )  # fmt: skip


def fresh_clone(tmp_path: Path) -> Path:
    """The checkout as git gives it: no node_modules, so npm ci has not run."""
    tree = tmp_path / "clone"
    shutil.copytree(ROOT, tree, ignore=LEFT_OUT)
    return tree


def test_the_wheel_ships_templates_translations_and_migrations(tmp_path):
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--no-deps",
            "--no-build-isolation",
            "-q",
            "-w",
            str(tmp_path),
            str(ROOT),
        ],
        check=True,
        timeout=300,
    )
    (wheel,) = tmp_path.glob("frontdoor-*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    assert "frontdoor/templates/base.html" in names
    for language in ("en", "es", "pt", "ht", "zh", "vi"):
        assert f"frontdoor/translations/{language}/LC_MESSAGES/messages.mo" in names
    assert "frontdoor/vendor/socket.io.min.js" in names
    assert "frontdoor/vendor/socket.io-client.LICENSE" in names
    # The console's rendering library, served by Front Door itself (never a CDN).
    assert "frontdoor/vendor/lit-html/lit-html.js" in names
    assert "kiosk/static/kiosk.js" in names and "frontdoor/templates/kiosk/check_in.html" in names
    assert "queue_service/persistence/migrations/env.py" in names
    assert any(n.startswith("queue_service/persistence/migrations/versions/0001") for n in names)
    for package in ("frontdoor", "queue_service", "kiosk", "staff_console", "web_kernel"):
        assert f"{package}/__init__.py" in names


def test_a_build_without_npm_ci_stops_and_says_to_run_it(tmp_path):
    tree = fresh_clone(tmp_path)
    result = build_wheel(tree, tmp_path / "out")
    assert result.returncode != 0
    said = " ".join((result.stdout + result.stderr).split())
    assert "socket.io-client 4.8.1 is not installed" in said
    assert "lit-html 3.3.3 is not installed" in said
    assert "Run `npm ci`" in said
    assert not list((tmp_path / "out").glob("*.whl"))


def test_a_build_with_other_versions_than_the_lock_pins_stops(tmp_path):
    tree = fresh_clone(tmp_path)
    shutil.copytree(ROOT / "node_modules" / "lit-html", tree / "node_modules" / "lit-html")
    client = tree / "node_modules" / "socket.io-client"
    shutil.copytree(ROOT / "node_modules" / "socket.io-client", client)
    manifest = json.loads((client / "package.json").read_text())
    (client / "package.json").write_text(json.dumps({**manifest, "version": "4.7.0"}))
    result = build_wheel(tree, tmp_path / "out")
    assert result.returncode != 0
    said = " ".join((result.stdout + result.stderr).split())
    assert "socket.io-client is 4.7.0, package-lock.json pins 4.8.1" in said
    assert "lit-html" not in said.split("not ready:")[1].split("Run")[0]


def test_a_wheel_built_from_the_sdist_still_ships_the_client(tmp_path):
    # node_modules is not in git: the sdist carries what its wheel needs (hatch_build.py).
    build = "from hatchling.builders.sdist import SdistBuilder; "
    build += "list(SdistBuilder('.').build(directory=%r))"
    subprocess.run([sys.executable, "-c", build % str(tmp_path)], cwd=ROOT, check=True,
                   capture_output=True, timeout=300)  # fmt: skip
    (sdist,) = tmp_path.glob("frontdoor-*.tar.gz")
    shutil.unpack_archive(sdist, tmp_path / "unpacked")
    (tree,) = (tmp_path / "unpacked").iterdir()
    result = build_wheel(tree, tmp_path / "out")
    assert result.returncode == 0, result.stderr[-2000:]
    (wheel,) = (tmp_path / "out").glob("frontdoor-*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    assert {"frontdoor/vendor/socket.io.min.js", "frontdoor/vendor/lit-html/lit-html.js"} <= names


SMOKE = """
import frontdoor, pathlib, sys
from frontdoor.app import create_app
from web_kernel.settings import Settings
from queue_service.services import sites
assert sys.argv[1] in frontdoor.__file__, frontdoor.__file__
app = create_app(Settings.from_env())
with app.extensions["frontdoor"].database.session() as s:
    sites.create_site(s, "north", name="North", hours="always")  # a check-in at any hour
response = app.test_client().post("/api/v1/sites/north/check-ins", json={"language": "en"})
assert response.status_code == 201, response.get_data()
assert pathlib.Path(app.template_folder, "base.html").is_file(), app.template_folder
lit = app.test_client().get("/assets/lit-html/lit-html.js")
assert lit.status_code == 200 and b"lit" in lit.data, lit.status_code
print("ok", response.get_json()["ticket"]["code"])
"""


def test_the_installed_copy_runs_from_anywhere(tmp_path):
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "install",
            "--no-deps",
            "--no-build-isolation",
            "-q",
            "--target",
            str(tmp_path / "site"),
            str(ROOT),
        ],
        check=True,
        timeout=300,
    )
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    result = subprocess.run(
        [sys.executable, "-c", SMOKE, str(tmp_path / "site")],
        cwd=elsewhere,
        capture_output=True,
        text=True,
        timeout=120,
        env={"PYTHONPATH": str(tmp_path / "site"), "PATH": "/usr/bin:/bin"},
    )
    assert result.returncode == 0, result.stderr[-2000:]
    assert result.stdout.strip() == "ok A-001"
    assert (elsewhere / "instance" / "frontdoor.sqlite3").is_file()
