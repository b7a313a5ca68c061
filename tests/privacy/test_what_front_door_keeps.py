"""The README's "What Front Door keeps" lists exactly the columns the models mark personal,
and a column that looks personal is either marked or said here not to be."""

import re
from pathlib import Path

from queue_service.models import Base

README = Path(__file__).resolve().parents[2] / "README.md"
# Looks personal by its name, and is not: each with why.
NOT_PERSONAL = {
    "Site.name": "the office's own name",
    "Ticket.end_reason": "a code: day_closed",
    "Site.sms_sender_name": "the office's own neutral name, at the start of its texts",
    "CaseEvent.detail": "facts of a case's step: dates, a goal's status, staff ids; no words",
}
LOOKS_PERSONAL = re.compile(r"name|phone|email|note|body|reason|origin|address|detail|message")


def marked_personal() -> set[str]:
    return {
        f"{mapper.class_.__name__}.{attr.key}"
        for mapper in Base.registry.mappers
        for attr in mapper.column_attrs
        if any(column.info.get("personal") for column in attr.columns)
    }


def documented() -> set[str]:
    text = README.read_text(encoding="utf-8")
    section = text.split("\n## What Front Door keeps\n", 1)[1].split("\n## ", 1)[0]
    rows = [line for line in section.splitlines() if line.startswith("| `")]
    return {field for row in rows for field in re.findall(r"`(\w+\.\w+)`", row.split("|")[1])}


def test_the_readme_lists_every_personal_column_and_nothing_else():
    assert documented() == marked_personal()


def test_a_column_that_looks_personal_is_marked_or_explained():
    looks = {
        f"{mapper.class_.__name__}.{attr.key}"
        for mapper in Base.registry.mappers
        for attr in mapper.column_attrs
        if LOOKS_PERSONAL.search(attr.key)
    }
    assert looks - marked_personal() == set(NOT_PERSONAL)
