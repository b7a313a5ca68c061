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
