import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "commonroom.settings")
application = get_wsgi_application()

# Ready before the first request (core/boot.py); WARM_UP=false skips it.
if os.environ.get("WARM_UP", "true").lower() not in {"0", "false", "no", "off"}:
    from commonroom.core.boot import warm_up

    warm_up()
