"""Settings of the throughput benchmark (bench/throughput.py): the project's
own, with a URLconf that adds one trivial view in front of the site's."""

from commonroom.settings import *  # noqa: F403

ROOT_URLCONF = "throughput_urls"

# Every request comes from one address: the budgets (R34) still count each
# page, as in production, but never refuse the benchmark's load.
ANONYMOUS_BUDGET_PAGES = "100000000/10m"
ANONYMOUS_BUDGET_SEARCH = "100000000/10m"
