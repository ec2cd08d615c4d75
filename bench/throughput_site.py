"""Settings of the throughput benchmark (bench/throughput.py): the project's
own, with a URLconf that adds one trivial view in front of the site's."""

from commonroom.settings import *  # noqa: F403

ROOT_URLCONF = "throughput_urls"
