import unicodedata
from datetime import date
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one input (Django's documented recipe)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data: Any, initial: Any = None) -> list[Any]:
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(d, initial) for d in data if d]
        return [single(data, initial)] if data else []


# --- numbers and ids from a request ------------------------------------------------------------

# The largest id a BigAutoField holds on every database; a larger number is
# no row's id, and sent to the database it raises (OverflowError on SQLite,
# DataError on PostgreSQL) instead of finding nothing.
MAX_ID = 2**63 - 1


def id_from(text: object) -> int | None:
    """The id written in ``text`` (ASCII digits, 1 to MAX_ID), or None."""
    raw = str(text).strip()
    if not (raw.isascii() and raw.isdigit()) or len(raw) > len(str(MAX_ID)):
        return None
    number = int(raw)
    return number if 1 <= number <= MAX_ID else None


def _uses_ids(field: forms.ModelChoiceField[Any]) -> bool:
    """Whether the field's values are row ids (not slugs or codes)."""
    queryset = field.queryset
    if queryset is None:
        return False
    key = field.to_field_name or queryset.model._meta.pk.name
    model_field = queryset.model._meta.get_field(key)
    return model_field.get_internal_type() in {
        "AutoField",
        "BigAutoField",
        "SmallAutoField",
        "IntegerField",
        "BigIntegerField",
        "PositiveIntegerField",
        "PositiveBigIntegerField",
    }


class IdModelMultipleChoiceField(forms.ModelMultipleChoiceField[Any]):
    """A ModelMultipleChoiceField whose values, when they are row ids, are
    checked to be ids before any query (one error names the first bad one).
    A single ModelChoiceField needs no such check: Django's exact lookup
    already answers "no such row" for a number out of the column's range,
    but the ``__in`` lookup this field uses does not."""

    def clean(self, value: Any) -> Any:
        if _uses_ids(self) and isinstance(value, list | tuple):
            for item in value:
                if id_from(item) is None:
                    raise ValidationError(
                        self.error_messages["invalid_choice"],
                        code="invalid_choice",
                        params={"value": str(item)[:40]},
                    )
        return super().clean(value)


class BoundedDateField(forms.DateField):
    """A date between ``first`` and ``last``: reports over a period do date
    arithmetic, which raises past the calendar's ends (year 1, year 9999)."""

    def __init__(self, *, first: date, last: date, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.first, self.last = first, last

    def validate(self, value: Any) -> None:
        super().validate(value)
        if isinstance(value, date) and not self.first <= value <= self.last:
            raise ValidationError(
                _("Enter a date between %(first)s and %(last)s."),
                code="out_of_range",
                params={"first": self.first.isoformat(), "last": self.last.isoformat()},
            )


# --- one-line text ---------------------------------------------------------------------------


def _control_characters(value: str) -> list[str]:
    """Control (Cc) and format (Cf) characters, line breaks included, and the
    Unicode line and paragraph separators (Zl, Zp)."""
    return [ch for ch in value if unicodedata.category(ch) in {"Cc", "Cf", "Zl", "Zp"}]


def validate_single_line(value: str) -> None:
    """One-line text (a title, a name, a mail subject) holds no line break or
    other control character: in a mail header one makes the mail fail."""
    found = _control_characters(value)
    if not found:
        return
    if any(ch in "\r\n\u2028\u2029\x85\x0b\x0c" for ch in found):
        raise ValidationError(
            _("Write this on one line: remove the line break."), code="line_break"
        )
    raise ValidationError(
        _("Remove the invisible control character (%(code)s) from this text."),
        code="control_character",
        params={"code": f"U+{ord(found[0]):04X}"},
    )


class SingleLineCharField(forms.CharField):
    """A CharField for one line of text: control characters are refused with
    a clear error, before anything is stored or mailed."""

    default_validators = [validate_single_line]


def validate_single_line_fields(instance: object, *names: str) -> None:
    """For a model's clean(): the named fields hold one line each, so that
    full_clean() in a service refuses what a form would have refused."""
    errors: dict[str, list[ValidationError]] = {}
    for name in names:
        try:
            validate_single_line(str(getattr(instance, name) or ""))
        except ValidationError as exc:
            errors[name] = exc.error_list
    if errors:
        raise ValidationError(errors)
