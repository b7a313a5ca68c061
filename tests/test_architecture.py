"""The core stays free of the web: it imports no Flask and no surface."""

import ast
from pathlib import Path

ROOT = Path(__file__).parent.parent
FORBIDDEN_IN_CORE = (
    "flask",
    "flask_socketio",
    "flask_login",
    "flask_limiter",
    "werkzeug",
    "kiosk",
    "staff_console",
    "frontdoor",
    "web_kernel",
    "webhooks",
)


def imports_of(path: Path) -> set[str]:
    tree = ast.parse(path.read_text())
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module.split(".")[0])
    return names


def test_the_core_imports_no_web_framework_and_no_surface():
    offenders = {
        str(path.relative_to(ROOT)): sorted(imports_of(path) & set(FORBIDDEN_IN_CORE))
        for path in (ROOT / "queue_service").rglob("*.py")
    }
    assert {k: v for k, v in offenders.items() if v} == {}


def test_the_domain_imports_no_database_either():
    offenders = {
        str(path.relative_to(ROOT)): sorted(imports_of(path) & {"sqlalchemy", "alembic"})
        for path in (ROOT / "queue_service" / "domain").rglob("*.py")
    }
    assert {k: v for k, v in offenders.items() if v} == {}


# Browser test modules that still import their conftest; they are for the e2e suite's owner
# to clean (fixtures arrive by name). The list may only shrink.
E2E_NOT_YET_CLEANED: dict[str, list[str]] = {}


def modules_imported_by(path: Path) -> set[str]:
    """Every module `path` imports, by its full dotted name, relative imports resolved."""
    package = list(path.relative_to(ROOT).parent.parts)
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            names |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom):
            base = package[: len(package) - node.level + 1] if node.level else []
            module = ".".join([*base, *([node.module] if node.module else [])])
            names.add(module)
            names |= {f"{module}.{alias.name}" for alias in node.names}  # from tests import x
    return names


def is_test_module(name: str) -> bool:
    parts = name.split(".")
    return parts[0] == "tests" and any(part.startswith("test_") for part in parts[1:])


def test_no_test_module_is_imported_and_test_modules_share_only_through_fixtures():
    offenders = {}
    for path in sorted((ROOT / "tests").rglob("*.py")):
        imported = modules_imported_by(path)
        if path.name.startswith("test_"):
            wrong = {name for name in imported if name.split(".")[0] == "tests"}
        else:
            wrong = {name for name in imported if is_test_module(name)}
        # `from .conftest import X` names both tests.e2e.conftest and tests.e2e.conftest.X.
        wrong = {name for name in wrong if not any(name.startswith(f"{w}.") for w in wrong)}
        if wrong:
            offenders[str(path.relative_to(ROOT))] = sorted(wrong)
    unexpected = {
        path: names for path, names in offenders.items() if E2E_NOT_YET_CLEANED.get(path) != names
    }
    assert unexpected == {}, "share it as a fixture in conftest.py instead"


def test_the_surfaces_share_the_web_kernel_and_never_import_the_composition_root():
    """frontdoor/ wires everything; kiosk/ and staff_console/ use web_kernel/, which uses
    neither them nor the root, so nothing imports the package that imports it."""
    rules = {
        "kiosk": {"frontdoor", "staff_console", "webhooks"},
        "staff_console": {"frontdoor", "kiosk", "webhooks"},
        "webhooks": {"frontdoor", "kiosk", "staff_console"},
        "web_kernel": {"frontdoor", "kiosk", "staff_console", "webhooks"},
    }
    offenders = {
        str(path.relative_to(ROOT)): sorted(imports_of(path) & forbidden)
        for package, forbidden in rules.items()
        for path in (ROOT / package).rglob("*.py")
    }
    assert {k: v for k, v in offenders.items() if v} == {}


PACKAGES = ("frontdoor", "queue_service", "kiosk", "staff_console", "web_kernel", "webhooks")
MAX_LINES = 300


def test_no_module_of_the_packages_is_longer_than_300_lines():
    """Files stay short: a module that grows past this is split by what it is for."""
    too_long = {
        str(path.relative_to(ROOT)): length
        for package in PACKAGES
        for path in (ROOT / package).rglob("*.py")
        if (length := len(path.read_text().splitlines())) > MAX_LINES
    }
    assert too_long == {}
