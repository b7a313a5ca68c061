"""What a person's text to the office asks for: a command word (STATUS, CANCEL, HELP, STOP,
START, JOIN) in any supported language and any case, or words that suggest a crisis.

A command is the whole text, as carriers read STOP: "I can't cancel my appointment" is not
CANCEL. Latin-script words match typed with or without their accents ("huy", "trang thai"),
because many phones make accents hard. Crisis words are looked for anywhere in the text and
win over everything but an exact command: "STOP" stays an opt-out, "stop, I want to die" is
a crisis.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from enum import StrEnum

from .sms_wording import REPLY_WORDS


class Command(StrEnum):
    STATUS = "status"
    CANCEL = "cancel"
    HELP = "help"
    STOP = "stop"
    START = "start"
    JOIN = "join"
    CRISIS = "crisis"
    OTHER = "other"


# Each language's own words. STATUS and CANCEL come from the texts' own reply words (the
# words a text tells people to send back). STOP and START also take the carriers' and
# Twilio's standard English words, which Twilio itself acts on for US numbers.
_WORDS: dict[Command, dict[str, tuple[str, ...]]] = {
    Command.STATUS: {lang: (words[0],) for lang, words in REPLY_WORDS.items()},
    Command.CANCEL: {lang: (words[1],) for lang, words in REPLY_WORDS.items()},
    Command.HELP: {
        "en": ("HELP", "INFO"),
        "es": ("AYUDA",),
        "pt": ("AJUDA",),
        "ht": ("ÈD",),
        "zh": ("帮助",),
        "vi": ("GIÚP", "TRỢ GIÚP"),
    },
    Command.STOP: {
        "en": ("STOP", "STOPALL", "UNSUBSCRIBE", "END", "QUIT", "REVOKE", "OPTOUT"),
        "es": ("PARAR", "BAJA"),
        "pt": ("PARAR", "SAIR"),
        "ht": ("SISPANN",),
        "zh": ("停止", "退订"),
        "vi": ("DỪNG", "NGỪNG"),
    },
    Command.START: {
        "en": ("START", "UNSTOP", "YES"),
        "es": ("INICIAR",),
        "pt": ("INICIAR",),
        "ht": ("KÒMANSE",),
        "zh": ("开始",),
        "vi": ("BẮT ĐẦU",),
    },
    Command.JOIN: {
        "en": ("JOIN",),
        "es": ("UNIRME",),
        "pt": ("ENTRAR",),
        "ht": ("ANTRE",),
        "zh": ("排队",),
        "vi": ("XẾP HÀNG",),
    },
}

# Phrases that suggest a person may be in danger, in each language, without accents for
# the Latin scripts (matched against the text with its accents removed). Vietnamese keeps
# its accents where the bare letters mean something harmless ("tu tu" is also "slowly").
_CRISIS: dict[str, tuple[str, ...]] = {
    "en": ("suicid", "kill myself", "killing myself", "want to die", "end my life",
           "hurt myself", "not safe", "dont feel safe", "don't feel safe", "do not feel safe",
           "overdose"),
    "es": ("suicid", "matarme", "quiero morir", "no quiero vivir", "hacerme dano",
           "no estoy a salvo", "no me siento segur"),
    "pt": ("suicid", "me matar", "quero morrer", "nao quero viver", "me machucar",
           "nao me sinto segur", "nao estou segur"),
    "ht": ("swisid", "touye tet mwen", "vle mouri", "fe tet mwen mal", "pa an sekirite"),
    "zh": ("自杀", "想死", "不想活", "结束生命", "伤害自己", "不安全"),
    "vi": ("tự tử", "tự sát", "muốn chết", "muon chet", "không muốn sống", "khong muon song",
           "làm hại bản thân", "không an toàn", "khong an toan"),
}  # fmt: skip


@dataclass(frozen=True)
class Reading:
    command: Command
    # The language the word belongs to, when only one language has it ("AYUDA": es);
    # None when it is shared ("STATUS": en and pt) or there is no command word.
    language: str | None = None


# Punctuation a text may end or start with, the full-width forms of Chinese included.
_ENDS = " .,!?\u00a1\u00bf\u3002\uff01\uff1f\uff0c"


def bare(text: str) -> str:
    """Lower case, accents off, single spaces, no punctuation at the ends."""
    # Phones type a curly apostrophe (U+2019) where people mean the plain one.
    decomposed = unicodedata.normalize("NFKD", text.casefold().replace("\u2019", "'"))
    plain = "".join(c for c in decomposed if not unicodedata.combining(c))
    plain = plain.replace("đ", "d")  # Vietnamese đ is a letter of its own, not d + accent
    return " ".join(plain.split()).strip(_ENDS)


def _accented(text: str) -> str:
    folded = text.casefold().replace("\u2019", "'")
    return " ".join(unicodedata.normalize("NFC", folded).split()).strip(_ENDS)


def _keyword_index() -> dict[str, tuple[Command, frozenset[str]]]:
    index: dict[str, tuple[Command, set[str]]] = {}
    for command, by_language in _WORDS.items():
        for language, words in by_language.items():
            for word in words:
                key = bare(word)
                known = index.setdefault(key, (command, set()))
                if known[0] != command:
                    raise ValueError(f"{word!r} means two commands")
                known[1].add(language)
    return {key: (command, frozenset(langs)) for key, (command, langs) in index.items()}


_KEYWORDS = _keyword_index()
# Vietnamese phrases typed with accents match only with them; every other phrase (and the
# Vietnamese ones listed without accents) matches the bare text.
_CRISIS_FORMS = tuple(
    (language, _accented(p), False) if bare(p) != _accented(p) and language == "vi"
    else (language, bare(p), True)
    for language, phrases in _CRISIS.items()
    for p in phrases
)  # fmt: skip


def read_text(text: str) -> Reading:
    """What a text asks for."""
    plain = bare(text)
    found = _KEYWORDS.get(plain)
    if found is not None:
        command, languages = found
        return Reading(command, _only(languages))
    accented = _accented(text)
    matched = {
        language
        for language, phrase, is_bare in _CRISIS_FORMS
        if phrase in (plain if is_bare else accented)
    }
    if matched:
        return Reading(Command.CRISIS, _only(matched))
    return Reading(Command.OTHER)


def _only(languages: set[str] | frozenset[str]) -> str | None:
    return next(iter(languages)) if len(languages) == 1 else None


def word_for(command: Command, language: str) -> str:
    """The word a text in `language` tells people to send for `command`."""
    by_language = _WORDS[command]
    return by_language.get(language, by_language["en"])[0]
