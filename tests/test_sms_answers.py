"""What the office answers to a person's text, in each language: plain, short (a test counts
the segments), never revealing what kind of office it is, and honest about the office's
state in a crisis (domain/sms_replies.py)."""

import re

import pytest

from queue_service.domain.segments import count_segments
from queue_service.domain.sms_replies import (
    CANNOT_LEAVE,
    CLOSED,
    NOT_IN_LINE,
    NOT_IN_LINE_JOIN,
    RECEIVED,
    STARTED,
    STOPPED,
    Staffing,
    crisis_lines,
    help_lines,
    render_reply,
    simple,
    status_lines,
)
from queue_service.notifications.catalogs import gettext_for

LANGUAGES = ("en", "es", "pt", "ht", "zh", "vi")
LONGEST_SENDER = "Harbor Street Office"


def said(lines, language: str) -> str:  # type: ignore[no-untyped-def]
    return render_reply(lines, language, gettext_for(language), LONGEST_SENDER)


def everyday_answers(language: str):  # type: ignore[no-untyped-def]
    yield from (
        status_lines("A-042", 12, 135, Staffing.STAFFED),
        status_lines("A-042", 12, 0, Staffing.STAFFED),
        status_lines("A-042", 12, None, Staffing.UNSTAFFED),
        status_lines("A-042", None, None, Staffing.STAFFED),
        simple(CANNOT_LEAVE, code="A-042"),
        simple(NOT_IN_LINE),
        simple(NOT_IN_LINE_JOIN),
        simple(RECEIVED),
        simple(STOPPED),
        simple(STARTED),
        simple(CLOSED),
        help_lines(),
    )


# What no everyday answer may say: what kind of office this is (anyone may read the phone).
REVEALING = re.compile(
    r"(?i)mental|psych|crisis|health|therap|counsel|DMH|salud|saúde|sante|mantal|心理|精神|"
    r"tâm thần|sức khỏe|988"
)


@pytest.mark.parametrize("language", LANGUAGES)
def test_everyday_answers_are_translated_short_and_reveal_nothing(language):
    for lines in everyday_answers(language):
        text = said(lines, language)
        assert text.startswith(LONGEST_SENDER)
        assert count_segments(text).count <= 3, text
        assert not REVEALING.search(text), text
        if language != "en":
            assert text != said(lines, "en"), "not translated"


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_crisis_answer_gives_the_lines_first_and_promises_only_what_is_true(language):
    staffed, unstaffed, closed = (
        said(crisis_lines(language, s), language)
        for s in (Staffing.STAFFED, Staffing.UNSTAFFED, Staffing.CLOSED)
    )
    for text in (staffed, unstaffed, closed):
        assert "988" in text and "911" in text
        assert text.index("988") < text.index("911")
        assert count_segments(text).count <= 5, text
    assert len({staffed, unstaffed, closed}) == 3
    # A text that reached no site: the lines alone, nothing about an office.
    lines_only = crisis_lines(language, Staffing.CLOSED)[:2]
    assert said(crisis_lines(language, Staffing.UNKNOWN), language) == said(lines_only, language)


def test_the_crisis_line_is_each_languages_own():
    assert "AYUDA" in said(crisis_lines("es", Staffing.STAFFED), "es")
    assert "Vietnamese" in said(crisis_lines("vi", Staffing.STAFFED), "vi")
    assert "Mandarin" in said(crisis_lines("zh", Staffing.STAFFED), "zh")
    assert "AYUDA" not in said(crisis_lines("pt", Staffing.STAFFED), "pt")
    english = said(crisis_lines("en", Staffing.UNSTAFFED), "en")
    assert "no case manager is on duty" in english and "contact you" not in english
    closed = said(crisis_lines("en", Staffing.CLOSED), "en")
    assert "nobody there can answer" in closed and "alerting" not in closed
