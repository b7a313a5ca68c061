"""Reading a person's text: each command in English and in each language's own words, any
case, with or without accents; crisis words anywhere in a text, in every language."""

import pytest

from queue_service.domain.sms_commands import Command, read_text, word_for
from queue_service.domain.sms_wording import REPLY_WORDS


@pytest.mark.parametrize(
    ("text", "command", "language"),
    [
        ("STATUS", Command.STATUS, None),  # English and Portuguese share it
        ("estado", Command.STATUS, "es"),
        ("Trang thai", Command.STATUS, "vi"),
        ("状态", Command.STATUS, "zh"),
        ("  Cancelar! ", Command.CANCEL, None),
        ("anile", Command.CANCEL, "ht"),
        ("HUY", Command.CANCEL, "vi"),
        ("Ayuda", Command.HELP, "es"),
        ("stop", Command.STOP, "en"),
        ("Unsubscribe", Command.STOP, "en"),
        ("退订", Command.STOP, "zh"),
        ("dừng", Command.STOP, "vi"),
        ("unstop", Command.START, "en"),
        ("Kòmanse", Command.START, "ht"),
        ("xep hang", Command.JOIN, "vi"),
    ],
)
def test_each_command_is_read_in_its_languages_words(text, command, language):
    reading = read_text(text)
    assert (reading.command, reading.language) == (command, language)


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("I don't feel safe", "en"),
        ("quiero morir", "es"),
        ("Eu quero morrer", "pt"),
        ("mwen vle mouri", "ht"),
        ("我想自杀", "zh"),
        ("tôi muốn chết", "vi"),
        ("toi muon chet", "vi"),
        ("STOP. I want to kill myself", "en"),
    ],
)
def test_crisis_words_are_found_anywhere_in_every_language(text, language):
    reading = read_text(text)
    assert reading.command == Command.CRISIS and reading.language == language


@pytest.mark.parametrize(
    "text", ["I can't cancel my appointment", "từ từ", "ok thanks", "stop by later?", ""]
)
def test_a_sentence_that_only_holds_a_command_word_is_no_command(text):
    assert read_text(text).command == Command.OTHER


def test_the_words_the_texts_tell_people_to_send_are_the_ones_read():
    for language, (status, cancel) in REPLY_WORDS.items():
        assert read_text(status).command == Command.STATUS
        assert read_text(cancel).command == Command.CANCEL
        for command in (Command.STOP, Command.START, Command.JOIN, Command.HELP):
            assert read_text(word_for(command, language)).command == command
