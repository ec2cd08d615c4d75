import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "commonroom.settings")
application = get_wsgi_application()

# Ready before the first request (core/boot.py); WARM_UP=false skips it.
from commonroom.core.boot import warm_up, warm_up_enabled  # noqa: E402 - after Django is set up

if warm_up_enabled():
    warm_up()
