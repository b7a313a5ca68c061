"""Command line: a site's need categories (`frontdoor site needs` and `site need`), beside
cli.py's site add/set/list. Every change goes through the same settings service as the
console, so the same rule refuses the same lists, and it is audited."""

from __future__ import annotations

import click

from queue_service.persistence import repositories
from queue_service.services import sites

from .cli import _fail, _service_session, site


@site.command("needs")
@click.argument("slug")
def site_needs(slug: str) -> None:
    """A site's need categories in its order, one a line: slug, offered or retired, the
    staff's English words, and the site's own labels."""
    with _service_session() as session:
        found = sites.site_settings(repositories.site_by_slug(session, slug))
    for need in found["needs"]:
        labels = ",".join(f"{lang}={text}" for lang, text in need["labels"].items())
        state = "retired" if need["retired"] else "offered"
        click.echo(f"{need['slug']}\t{state}\t{need['label']}\t{labels or '-'}")


@site.command("need")
@click.argument("slug")
@click.argument("need")
@click.option(
    "--label",
    "labels",
    multiple=True,
    metavar="LANG=WORDS",
    help="The need's words in one language, e.g. --label 'ht=Kat idantite'; once per "
    "language. 'LANG=' drops the site's own words (a standard need then shows Front Door's).",
)
@click.option("--retire/--restore", default=None, help="Hide it from the kiosk, or offer it again.")
@click.option("--position", type=int, help="Its place in the list: 1 is first.")
def site_need(
    slug: str, need: str, labels: tuple[str, ...], retire: bool | None, position: int | None
) -> None:
    """Add a need category (at the end), or change one's labels, place or retirement."""
    with _service_session() as session:
        read = sites.site_settings(repositories.site_by_slug(session, slug))
        found = _edited(read["needs"], need, labels, retire, position)
        # The whole list is written back: a console save between the read and the write
        # must refuse this one (run it again), not be undone by it.
        changed = sites.update_site(session, slug, {"needs": found}, if_version={read["version"]})
        place = [n.slug for n in changed.needs].index(need) + 1
        click.echo(f"Site {changed.slug}: need {need} is number {place} of {len(changed.needs)}.")


def _edited(
    current: list[dict],
    need: str,
    labels: tuple[str, ...],
    retire: bool | None,
    position: int | None,
) -> list[dict]:
    """The site's needs with NEED added or changed as the options say."""
    found = [{k: n[k] for k in ("slug", "labels", "retired")} for n in current]
    entry = next((n for n in found if n["slug"] == need), None)
    if entry is None:
        entry = {"slug": need, "labels": {}, "retired": False}
        found.append(entry)
    for text in labels:
        lang, equals, words = text.partition("=")
        if not equals:
            _fail(f"--label {text!r}: write LANG=WORDS, e.g. 'ht=Kat idantite'")
        entry["labels"][lang.strip()] = words.strip()
    if retire is not None:
        entry["retired"] = retire
    if position is not None:
        if not 1 <= position <= len(found):
            _fail(f"--position: from 1 to {len(found)}")
        found.remove(entry)
        found.insert(position - 1, entry)
    return found
