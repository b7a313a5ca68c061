"""What each text says, in the person's language, through the catalogs, and how many
segments it costs (domain/sms_wording.py, domain/segments.py)."""

# Chinese texts are written with the full-width colon, comma and brackets, on purpose.
# ruff: noqa: RUF001

import re

import pytest

from queue_service.domain.messages import MessageKind as Kind
from queue_service.domain.segments import Encoding, count_segments
from queue_service.domain.sms_wording import Facts as F
from queue_service.domain.sms_wording import (
    InvalidSender,
    check_sender_name,
    render,
)
from queue_service.notifications.catalogs import clock_time, gettext_for

SENDER = "North Office"
# The longest a site may set: every bound below holds with it, a two-digit place and a
# three-digit wait.
LONGEST_SENDER = "Harbor Street Office"
LANGUAGES = ("en", "es", "pt", "ht", "zh", "vi")


def text(facts: F, language: str, sender: str = SENDER) -> str:
    return render(facts, language, gettext_for(language), sender)


# Each kind, in English and in one other language each, word for word, with its segments.
EXACT = [
    (F(Kind.CHECKED_IN, "A-042", False, place=3, minutes=25), "en",
     "North Office: You are checked in, code A-042. Place in line: 3, wait about 25 min. "
     "Reply STATUS for an update, CANCEL to leave the line.", Encoding.GSM7, 1),
    (F(Kind.CHECKED_IN, "A-042", False, place=3, minutes=25), "es",
     "North Office: Su turno es A-042. Lugar en la fila: 3, espera de unos 25 min. "
     "Responda ESTADO para novedades o CANCELAR para salir de la fila.", Encoding.GSM7, 1),
    (F(Kind.CHECKED_IN, "A-042", False, place=1, minutes=0), "en",
     "North Office: You are checked in, code A-042. Place in line: 1, wait a few minutes. "
     "Reply STATUS for an update, CANCEL to leave the line.", Encoding.GSM7, 1),
    (F(Kind.CHECKED_IN, "A-042", False, place=1, minutes=0), "ht",
     "North Office: Ou nan liy lan, nimewo A-042. Plas ou: 1, tann kèk minit. "
     "Reponn ESTATI pou nouvèl, ANILE pou kite liy lan.", Encoding.GSM7, 1),
    (F(Kind.CHECKED_IN, "A-042", False, place=3), "en",
     "North Office: You are checked in, code A-042. Place in line: 3. "
     "Reply STATUS for an update, CANCEL to leave the line.", Encoding.GSM7, 1),
    (F(Kind.CHECKED_IN, "A-042", False, place=3), "zh",
     "North Office：您已取号：A-042。排队位置：第3位。回复“状态”查询，回复“取消”退出排队。",
     Encoding.UCS2, 1),
    (F(Kind.ALMOST_TURN, "B-007", False, place=3), "en",
     "North Office: Almost your turn (code B-007). People ahead of you: 2. "
     "Please stay near the waiting area.", Encoding.GSM7, 1),
    (F(Kind.ALMOST_TURN, "B-007", True, place=2), "ht",
     "North Office: Prèske tou pa ou (nimewo B-007). Moun devan ou: 1. "
     "Tanpri kenbe telefòn ou pre ou.", Encoding.GSM7, 1),
    (F(Kind.CALLED, "A-003", False, desk="2"), "en",
     "North Office: It is your turn, code A-003. Please come to desk 2 now.", Encoding.GSM7, 1),
    (F(Kind.CALLED, "A-003", False, desk="2"), "es",
     "North Office: Es su turno, A-003. Por favor, venga a la ventanilla 2 ahora.",
     Encoding.GSM7, 1),
    (F(Kind.CALLED, "A-003", False, desk="Window B"), "en",
     "North Office: It is your turn, code A-003. Please come to Window B now.", Encoding.GSM7, 1),
    (F(Kind.CALLED, "C-011", True, callback_number="617-555-0100"), "en",
     "North Office: It is your turn, code C-011. We are calling you now from 617-555-0100.",
     Encoding.GSM7, 1),
    (F(Kind.CALLED, "C-011", True, callback_number="617-555-0100"), "vi",
     "North Office: Đã đến lượt quý vị, số C-011. Chúng tôi đang gọi cho quý vị từ số "
     "617-555-0100.", Encoding.UCS2, 2),
    (F(Kind.NO_SHOW, "A-009", False), "en",
     "North Office: We called code A-009 but did not see you. If you are still here, please "
     "ask at the front desk.", Encoding.GSM7, 1),
    (F(Kind.NO_SHOW, "A-009", False), "pt",
     "North Office: Chamamos o número A-009, mas não vimos você. Se ainda estiver aqui, fale "
     "com a recepção.", Encoding.UCS2, 2),
    (F(Kind.LEFT, "A-010", False), "en",
     "North Office: You left the line (code A-010). We will not text you about this visit "
     "again.", Encoding.GSM7, 1),
    (F(Kind.LEFT, "A-010", False), "zh",
     "North Office：您已退出排队（排队号A-010）。这次来访我们不会再给您发短信。", Encoding.UCS2, 1),
    (F(Kind.CLOSING, "A-020", False, place=6, closes_at="5:00 PM"), "en",
     "North Office: We close at 5:00 PM and may not see everyone today. Code A-020, place in "
     "line: 6.", Encoding.GSM7, 1),
    (F(Kind.CLOSING, "A-020", False, place=6, closes_at="17:00"), "es",
     "North Office: Cerramos a las 17:00 y es posible que hoy no podamos atender a todos. "
     "Turno A-020, lugar en la fila: 6.", Encoding.GSM7, 1),
]  # fmt: skip


@pytest.mark.parametrize(("facts", "language", "words", "encoding", "segments"), EXACT)
def test_each_kind_says_exactly_this_in_two_languages(facts, language, words, encoding, segments):
    said = text(facts, language)
    assert said == words
    found = count_segments(said)
    assert (found.encoding, found.count) == (encoding, segments)


def every_variant(place: int = 12, minutes: int = 125) -> list[F]:
    return [
        F(Kind.CHECKED_IN, "A-042", False, place=place, minutes=minutes),
        F(Kind.CHECKED_IN, "A-042", False, place=place),
        F(Kind.CHECKED_IN, "A-042", False, place=place, minutes=0),
        F(Kind.ALMOST_TURN, "A-042", False, place=3),
        F(Kind.ALMOST_TURN, "A-042", True, place=3),
        F(Kind.CALLED, "A-042", False, desk="12"),
        F(Kind.CALLED, "A-042", False, desk="Window B"),
        F(Kind.CALLED, "A-042", False),
        F(Kind.CALLED, "A-042", True, callback_number="(617) 555-0100"),
        F(Kind.CALLED, "A-042", True),
        F(Kind.NO_SHOW, "A-042", False),
        F(Kind.LEFT, "A-042", False),
        F(Kind.CLOSING, "A-042", False, place=place, closes_at="10:30 PM"),
    ]


# English and Haitian Creole stay in GSM-7; Chinese is short enough for one UCS-2 segment;
# Spanish, Portuguese and Vietnamese need at most two even at their longest.
MOST_SEGMENTS = {"en": 1, "ht": 1, "zh": 1, "es": 2, "pt": 2, "vi": 2}


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_text_fits_its_languages_segment_budget_with_the_longest_sender(language):
    for facts in every_variant():
        said = text(facts, language, LONGEST_SENDER)
        found = count_segments(said)
        assert found.count <= MOST_SEGMENTS[language], (said, found)
        if language in ("en", "ht"):
            assert found.encoding == Encoding.GSM7, said


def test_spanish_keeps_to_gsm7_wherever_its_words_allow():
    plain = [f for f in every_variant() if f.kind not in (Kind.NO_SHOW, Kind.LEFT)]
    for facts in plain:
        if facts.kind == Kind.CALLED and not facts.desk and not facts.callback:
            continue  # "recepción"
        assert count_segments(text(facts, "es")).encoding == Encoding.GSM7, text(facts, "es")


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_text_is_translated_and_keeps_code_place_and_desk(language):
    for facts in every_variant(place=7, minutes=35):
        said = text(facts, language)
        assert said.startswith(SENDER) and "A-042" in said
        if facts.kind == Kind.CHECKED_IN:
            assert "7" in said
        if language != "en":
            assert said != text(facts, "en"), "not translated"


# What no text may say, in any language: what kind of office this is.
REVEALING = re.compile(
    r"(?i)mental|psych|crisis|health|therap|counsel|DMH|salud|saúde|sante|mantal|心理|精神|"
    r"tâm thần|sức khỏe|988"
)


@pytest.mark.parametrize("language", LANGUAGES)
def test_no_text_reveals_what_kind_of_office_sent_it(language):
    for facts in every_variant():
        assert not REVEALING.search(text(facts, language)), text(facts, language)


def test_the_reply_words_are_each_languages_own():
    checked_in = F(Kind.CHECKED_IN, "A-001", False, place=1)
    assert "ESTADO" in text(checked_in, "es") and "CANCELAR" in text(checked_in, "es")
    assert "ANILE" in text(checked_in, "ht")
    assert "HỦY" in text(checked_in, "vi")


def test_closing_time_is_written_as_each_language_writes_it_without_a_no_break_space():
    from datetime import UTC, datetime

    five_pm_boston = datetime(2026, 12, 2, 22, 0, tzinfo=UTC)
    assert clock_time(five_pm_boston, "America/New_York", "en") == "5:00 PM"
    assert clock_time(five_pm_boston, "America/New_York", "es") == "17:00"


@pytest.mark.parametrize(
    ("name", "stored"), [("  North   Office ", "North Office"), ("", None), (None, None)]
)
def test_a_sender_name_is_neutral_short_and_plain(name, stored):
    assert check_sender_name(name) == stored


@pytest.mark.parametrize(
    "name", ["Harbor Street Office North", "Oficina Pública", "North Mental Health", "DMH Boston"]
)
def test_a_sender_name_that_would_cost_segments_or_reveal_the_service_is_refused(name):
    with pytest.raises(InvalidSender):
        check_sender_name(name)
