"""The ranking formula, in one place (issue 5, item 4; R11).

    score = text × quality × personal

text
    How well the words match, from the engine, in [0, 1):
    ``r / (r + TEXT_HALF[engine])`` where ``r`` is the engine's relevance
    with the field weights title 10, keywords 5, description 2, body 1
    (``-bm25`` on SQLite FTS5, ``ts_rank_cd`` on PostgreSQL), summed over
    the query's words on both (a quoted phrase counts as one). ``TEXT_HALF``
    is the relevance of about one word in the title: it scores ½. An empty
    search has text 1 for every resource.
quality
    ``1 + 0.15·ln(1 + saves) + 0.25·ln(1 + used in class)
    + 0.1·(average rating - 3)·min(number of ratings, 5) / 5``.
    Logarithms so that a handful of saves counts and thousands do not
    drown the words; "used in class" weighs more than a save; a rating moves
    the score by at most ±0.2 and only with five or more ratings fully.
    Never below 0.8.
personal
    For a signed-in member: ×1.3 when the resource has one of the subjects
    in their profile (a parent in the profile counts its children), ×1.15
    when it has one of their levels. Visitors get 1: the same results, in
    the order of text and quality alone.

Ties go to the newest resource.
"""

from __future__ import annotations

import numpy as np

TEXT_HALF = {"sqlite": 10.0, "postgresql": 0.1}
SAVES_WEIGHT = 0.15
USED_WEIGHT = 0.25
RATING_WEIGHT = 0.1
RATINGS_FOR_FULL_WEIGHT = 5
QUALITY_FLOOR = 0.8
SUBJECT_BOOST = 1.3
LEVEL_BOOST = 1.15


def text_score(relevance: np.ndarray, vendor: str) -> np.ndarray:
    relevance = np.maximum(relevance.astype(np.float64), 0.0)
    return relevance / (relevance + TEXT_HALF[vendor])


def quality_factor(
    *, saves: np.ndarray, rating: np.ndarray, ratings: np.ndarray, used: np.ndarray
) -> np.ndarray:
    """Vectorised over resources; ``rating`` is NaN where there is none."""
    rated = np.where(np.isnan(rating), 0.0, rating - 3.0)
    confidence = np.minimum(ratings, RATINGS_FOR_FULL_WEIGHT) / RATINGS_FOR_FULL_WEIGHT
    score = (
        1.0
        + SAVES_WEIGHT * np.log1p(saves)
        + USED_WEIGHT * np.log1p(used)
        + RATING_WEIGHT * rated * confidence
    )
    return np.maximum(score, QUALITY_FLOOR).astype(np.float32)


def personal_factor(has_subject: np.ndarray, has_level: np.ndarray) -> np.ndarray:
    return np.where(has_subject, SUBJECT_BOOST, 1.0) * np.where(has_level, LEVEL_BOOST, 1.0)
