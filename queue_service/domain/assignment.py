"""Who a case manager is given when they press "call next".

The rule, in order:

1. If anyone urgent is waiting, the longest-waiting urgent person. Language never delays
   someone who said they feel unsafe.
2. Otherwise the head of the line (the longest-waiting person), if the manager speaks
   their language.
3. Otherwise the manager may be given the longest-waiting person whose language they do
   speak, so that each person is seen in their own language when possible. This skips the
   head only while both are true:
   - another case manager on duty at the site speaks the head's language (someone else can
     serve them in it), and
   - the head has waited less than LANGUAGE_WINDOW.
   So nobody is starved: once the head has waited LANGUAGE_WINDOW, the next manager to
   press "call next" takes them, whatever languages they speak (with an interpreter line
   if needed), and a head whose language no one on duty speaks is never skipped at all.

Continuity of care comes before language, under the same bound: while the head has waited
less than LANGUAGE_WINDOW (and is not urgent), a person whose open critical-need case is
this manager's (`own_cases`) is offered to them first. Urgent people still go first, and
the head is still taken once their window has passed, so nobody is starved by a caseload.

`call_order` returns every waiting ticket in the order to try, so that a manager who loses
a race for the first choice (another manager claimed it a moment earlier) moves straight on
to the next one instead of getting nothing.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Set
from datetime import datetime, timedelta

from .ordering import QueuedTicket, in_queue_order

LANGUAGE_WINDOW = timedelta(minutes=15)


def call_order(
    waiting: Iterable[QueuedTicket],
    *,
    manager_languages: Set[str],
    languages_of_other_managers: Set[str] | Callable[[], Set[str]],
    now: datetime,
    window: timedelta = LANGUAGE_WINDOW,
    own_cases: Set[int] = frozenset(),
) -> list[int]:
    """`languages_of_other_managers` may be a function: it is only asked when it matters."""
    ordered = in_queue_order(list(waiting))
    if not ordered:
        return []
    head = ordered[0]
    if head.urgent or now - head.queued_at >= window:
        return [t.id for t in ordered]
    mine = [t.id for t in ordered if t.id in own_cases]
    rest = [t for t in ordered if t.id not in own_cases]
    return mine + _by_language(rest, manager_languages, languages_of_other_managers)


def _by_language(
    ordered: list[QueuedTicket],
    manager_languages: Set[str],
    languages_of_other_managers: Set[str] | Callable[[], Set[str]],
) -> list[int]:
    """The queue order, or, when someone else can serve the head in their language, the
    manager's own languages first (the head's window has not passed: call_order checks)."""
    if not ordered:
        return []
    head = ordered[0]
    in_order = [t.id for t in ordered]
    if head.urgent or head.language in manager_languages:
        return in_order
    others = (
        languages_of_other_managers()
        if callable(languages_of_other_managers)
        else languages_of_other_managers
    )
    if head.language not in others:
        return in_order
    preferred = [t for t in ordered if not t.urgent and t.language in manager_languages]
    rest = [t for t in ordered if t not in preferred]
    return [t.id for t in preferred + rest]
