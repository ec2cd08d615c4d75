"""A forked web worker reads the platform's state before its first
visitor (issue 15, item 5)."""

import pytest
from django.core.cache import cache

from commonroom.legal import warmup
from commonroom.legal.selectors import STATE_CACHE_KEY, terms_current

pytestmark = pytest.mark.django_db


def test_r37_a_worker_puts_the_platforms_state_in_the_cache_before_its_first_visitor() -> None:
    cache.delete(STATE_CACHE_KEY)
    terms = terms_current()

    warmup.warm_worker()

    assert cache.get(STATE_CACHE_KEY) == {
        "maintenance": False,
        "message_nl": "",
        "message_en": "",
        "terms_id": terms.pk if terms else None,
    }
