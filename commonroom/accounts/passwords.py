from django.contrib.auth.hashers import make_password
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _


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


def password_hash_discard(*, password: str) -> None:
    """Do the work of storing a password without storing it, where a request
    must take as long as one that stores a password (see SignupForm.try_save)."""
    make_password(password)
