"""The sign-up rules of the terms (2.1), as plain functions."""

from datetime import date

ADULT_AGE = 18
# A year of birth further back is a typing error, not a member.
OLDEST_AGE = 120


def old_enough(*, birth_year: int, today: date) -> bool:
    """18 or turning 18 this calendar year: only the year of birth counts."""
    return today.year - birth_year >= ADULT_AGE
