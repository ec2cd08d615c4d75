"""The sign-up rules of the terms (2.1), as plain functions."""

from datetime import date

ADULT_AGE = 18


def old_enough(*, born: date, today: date) -> bool:
    """18 or turning 18 this calendar year: only the year of birth counts."""
    return today.year - born.year >= ADULT_AGE
