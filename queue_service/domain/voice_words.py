"""What the office's phone line says, in the caller's language: the words (translated through
the same catalogs as every text) and the voice that reads them.

Spoken, not read: short sentences, numbers said one at a time, and never a name, a need or a
word that says what kind of office this is (anyone may be listening). The crisis lines are the
kiosk's and the texts' own words (crisis_words.py).
"""

from __future__ import annotations

from .crisis_words import N_

# Twilio's text-to-speech voices, one per language Front Door speaks. No provider has a
# Haitian Creole voice: Creole is read by a French one, whose spelling rules are close
# enough to be understood (sites that want better record their own prompts).
VOICES = {
    "en": ("en-US", "Google.en-US-Standard-C"),
    "es": ("es-US", "Google.es-US-Standard-A"),
    "pt": ("pt-BR", "Google.pt-BR-Standard-A"),
    "ht": ("fr-FR", "Google.fr-FR-Standard-A"),
    "zh": ("cmn-CN", "Google.cmn-CN-Standard-A"),
    "vi": ("vi-VN", "Google.vi-VN-Standard-A"),
}

# Translators: on the phone line's first menu, read in this language only. %(digit)s is the
# key to press; the name is this language's own name for itself.
CHOOSE = N_("For English, press %(digit)s.")
# Translators: spoken on the phone line when no site uses the number that was called.
NO_OFFICE = N_("This number does not reach an office right now.")
# Translators: spoken when the office is closed and nobody is on duty: no call back is made.
CLOSED = N_("The office is closed now, and nobody is on duty to call you back.")
# Translators: spoken after the office is closed. %(day)s is a weekday's name, %(time)s a time.
OPENS_ON = N_("It opens again on %(day)s at %(time)s. You can call then.")
# Translators: spoken after the office is closed, when it opens later the same day.
OPENS_TODAY = N_("It opens again today at %(time)s. You can call then.")
# Translators: spoken when the caller's number is hidden, so nobody can call them back.
HIDDEN_NUMBER = N_(
    "We cannot see your phone number, so we cannot call you back. Please call again without "
    "hiding your number, or come to the office."
)
# Translators: spoken when the caller joins the line. %(code)s is their code, read one
# character at a time.
JOINED = N_("You are in the line for a call back. Your code is %(code)s.")
# Translators: spoken to a caller who is already in today's line.
ALREADY = N_("You are already in the line. Your code is %(code)s.")
# Translators: spoken after the code. %(place)s is their place in line, %(minutes)s the wait.
PLACE_WAIT = N_("You are number %(place)s in line. The wait is about %(minutes)s minutes.")
# Translators: as above, when a case manager is free now.
PLACE_SOON = N_("You are number %(place)s in line. We will call you in a few minutes.")
# Translators: as above, when no case manager is on duty yet: nobody can say how long.
PLACE_UNSTAFFED = N_(
    "You are number %(place)s in line. No case manager is on duty yet, so we cannot say how "
    "long it will be."
)
# Translators: spoken when a case manager has already called or is calling this person.
YOUR_TURN = N_("A case manager is calling you now.")
# Translators: spoken as the call ends: the office will call back the number they called from.
CALL_BACK = N_("We will call you back at the number you are calling from. Goodbye.")
# Translators: as above, when no case manager is on duty yet: no promise of when.
CALL_BACK_LATER = N_(
    "We will call you back at this number when a case manager is on duty. If nobody calls "
    "you today, please call again. Goodbye."
)
# Translators: spoken as the call ends to someone who checked in at the office (a walk-in):
# their code is called in the waiting room, nobody phones them.
AT_THE_OFFICE = N_(
    "When it is your turn, your code is called at the office, so please be there. Goodbye."
)
# Translators: the last word of a call that leads to no call back.
GOODBYE = N_("Goodbye.")
# Translators: spoken to a walk-in whose turn it is. %(desk)s is a desk's name or number.
COME_TO_DESK = N_("It is your turn now. Please come to desk %(desk)s.")
# Translators: as above, when no desk was given.
COME_TO_FRONT = N_("It is your turn now. Please come to the front desk.")
# Translators: a key to press for texts about their place in line.
TEXTS_KEY = N_("To get text messages about your place in line, press %(digit)s.")
# Translators: a key to press for someone who does not feel safe.
UNSAFE_KEY = N_("If you do not feel safe, press %(digit)s.")
# Translators: spoken after they pressed the key for texts.
TEXTS_ON = N_("We will text you. To stop the texts, reply %(stop)s.")
# Translators: spoken when the line is busy with a key that means nothing.
NOT_A_KEY = N_("Sorry, that key is not one of the choices.")
# Translators: spoken when something went wrong on our side during the call.
TRY_AGAIN = N_("Sorry, something went wrong on our side. Please call again, or come in.")
