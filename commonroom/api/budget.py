"""Each token's own request budget (R34): ``API_TOKEN_RATE`` requests per
period, counted in the cache like every other rate limit. Anonymous
budgets are the site's (another middleware); sessions use the site's own
per-action limits."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest
from django.utils.translation import gettext as _
from django_ratelimit.core import get_usage

from commonroom.api.errors import ApiError
from commonroom.api.models import AccessToken

GROUP = "api-token"


def token_budget_check(request: HttpRequest, token: AccessToken) -> None:
    """Count this request against the token; refuse it with 429 and
    ``Retry-After`` once the budget of the period is spent."""
    usage = get_usage(
        request,
        group=GROUP,
        key=lambda _group, _request: f"token:{token.pk}",
        rate=settings.API_TOKEN_RATE,
        increment=True,
    )
    if usage is None or not usage["should_limit"]:
        return
    wait = max(1, int(usage["time_left"]))
    raise ApiError(
        429,
        "rate_limited",
        _("This token has made too many requests; try again in %(n)d seconds.") % {"n": wait},
        headers={"Retry-After": str(wait)},
    )
