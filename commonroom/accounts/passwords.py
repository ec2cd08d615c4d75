"""Password rules beyond Django's validators, and password work that must
take the same time whatever its outcome."""

import re
from functools import cache
from pathlib import Path

from django.conf import settings
from django.contrib.auth import password_validation
from django.contrib.auth.hashers import make_password
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django_zxcvbn_password_validator.translate_zxcvbn_text import (
    translate_zxcvbn_text,
    translate_zxcvbn_time_estimate,
)
from zxcvbn import zxcvbn
from zxcvbn.feedback import get_feedback

WORDS_FILE = Path(__file__).parent / "data" / "password_words.txt"
# zxcvbn refuses to estimate longer passwords (its matching grows with the
# square of the length); a password whose first 72 characters are hard to
# guess is hard to guess.
ESTIMATE_MAX_LENGTH = 72


class MinimumLengthValidator(password_validation.MinimumLengthValidator):
    """Django's length rule with its message in the platform's catalogue:
    Django 5.2 asks for a msgid ("… at least %d characters.") that its own
    Dutch catalogue does not have, so the error came out in English."""

    def get_error_message(self) -> str:
        return ngettext(
            "This password is too short: use at least %(n)d character.",
            "This password is too short: use at least %(n)d characters.",
            self.min_length,
        ) % {"n": self.min_length}

    def get_help_text(self) -> str:
        return ngettext(
            "Your password must be at least %(n)d character long.",
            "Your password must be at least %(n)d characters long.",
            self.min_length,
        ) % {"n": self.min_length}


class VarietyValidator:
    """Refuses passwords made of very few distinct characters ("aaaaaaaaaaab",
    "121212121212"), the kind breach lists are full of."""

    min_distinct = 6

    def validate(self, password: str, user: object = None) -> None:
        if len(set(password.lower())) < self.min_distinct:
            raise ValidationError(
                _("This password repeats too few characters; use at least %(n)d different ones.")
                % {"n": self.min_distinct},
                code="password_too_repetitive",
            )

    def get_help_text(self) -> str:
        return _("Your password must use at least %(n)d different characters.") % {
            "n": self.min_distinct
        }


@cache
def context_words() -> tuple[str, ...]:
    """Dutch and English words that passwords on this platform are built from."""
    lines = WORDS_FILE.read_text(encoding="utf-8").splitlines()
    return tuple(w for line in lines if (w := line.strip()) and not w.startswith("#"))


def _parts(text: str) -> list[str]:
    """The text, its words run together, and each word: for
    "lotte.van-dam@school.example", "lottevandamschoolexample", "lotte", "van"…"""
    words = [w for w in re.split(r"[\W_]+", text.lower()) if w]
    return [text.lower(), "".join(words), *words] if words else []


def _full_names(first: str, last: str) -> list[str]:
    """Both orders of the full name's words joined by each usual separator:
    zxcvbn counts each separator as one more part of a pattern, so
    "Lotte-Verbeke-1990" would otherwise look like five unrelated parts."""
    given, family = first.lower().split(), last.lower().split()
    if not (given and family):
        return []
    orders = (given + family, family + given)
    return [sep.join(words) for words in orders for sep in ("", " ", "-", ".", "_")]


def password_context(user: object = None) -> list[str]:
    """What an attacker who targets this member tries first: the platform's
    name, the member's names and e-mail address, then common words."""
    names = {
        a: v
        for a in ("first_name", "last_name", "email")
        if isinstance(v := getattr(user, a, ""), str)
    }
    own: list[str] = [
        *_parts(settings.PLATFORM_NAME),
        *_full_names(names.get("first_name", ""), names.get("last_name", "")),
    ]
    for value in names.values():
        own += _parts(value)
    own += _parts(names.get("email", "").partition("@")[0])
    return list(dict.fromkeys([*own, *context_words()]))


def _sentence(text: str) -> str:
    # zxcvbn's messages end with a full stop or not, at random.
    return text if text.endswith((".", "!", "?")) else f"{text}."


class StrengthValidator:
    """Refuses passwords that zxcvbn estimates an attacker would guess early,
    given this platform's and this member's own words.

    The default bar is zxcvbn's top score (4: at least 10^10 guesses): with
    the 12-character minimum, any password not built from known words and
    patterns scores 4 (10^12 guesses or more), while zxcvbn gives every
    password of three parts 10^8 guesses for the pattern alone, so
    "Summer2024!!" (word, digits, symbols) scores 3.
    """

    def __init__(self, min_score: int = 4) -> None:
        self.min_score = min_score

    def validate(self, password: str, user: object = None) -> None:
        estimate = zxcvbn(password[:ESTIMATE_MAX_LENGTH], user_inputs=password_context(user))
        if estimate["score"] >= self.min_score:
            return
        # zxcvbn only explains scores up to 2; above that its feedback is
        # empty, so ask for the feedback it gives a weak password.
        feedback = get_feedback(min(estimate["score"], 2), estimate["sequence"])
        seconds = estimate["crack_times_seconds"]["offline_slow_hashing_1e4_per_second"]
        messages = [
            _(
                "This password is easy to guess: software that tries likely passwords "
                "would find it within %(time)s."
            )
            % {"time": translate_zxcvbn_time_estimate(seconds)}
        ]
        if feedback["warning"]:
            messages.append(_sentence(str(translate_zxcvbn_text(feedback["warning"]))))
        messages += [_sentence(str(translate_zxcvbn_text(s))) for s in feedback["suggestions"]]
        messages.append(
            _(
                "Stronger: four or more unrelated words, like a short odd sentence that only "
                "you would think of. Avoid your name, this site's name, places, seasons and years."
            )
        )
        raise ValidationError([ValidationError(m, code="password_too_guessable") for m in messages])

    def get_help_text(self) -> str:
        return _(
            "Your password must not be easy to guess. Four or more unrelated words are "
            "strong and easy to remember."
        )


def password_hash_discard(*, password: str) -> None:
    """Do the work of storing a password without storing it, where a request
    must take as long as one that stores a password (see SignupForm.try_save)."""
    make_password(password)
