"""The OAI-PMH endpoint: GET and POST at /oai (issue 18)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.utils.translation import override
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from commonroom.oai import access, conf
from commonroom.oai.handlers import respond, terms_note

XML = "text/xml; charset=utf-8"


@csrf_exempt  # harvesters POST form-encoded requests; nothing is changed by one
@require_http_methods(["GET", "POST", "HEAD"])
def endpoint(request: HttpRequest) -> HttpResponse:
    verdict = access.check(request)
    if verdict.status != 200:
        response = HttpResponse(
            f"{verdict.message}\n{terms_note()}\n",
            status=verdict.status,
            content_type="text/plain; charset=utf-8",
        )
        if verdict.retry_after:
            response["Retry-After"] = str(verdict.retry_after)
        if verdict.status == 401:
            response["WWW-Authenticate"] = 'Bearer realm="oai"'
        return response
    data = request.POST if request.method == "POST" else request.GET
    arguments = {name: data.getlist(name) for name in data}
    base_url = conf.site_url() + request.path
    with override("en"):
        body = respond(arguments, base_url=base_url)
    response = HttpResponse(body, content_type=XML)
    response["X-Robots-Tag"] = "noindex"
    return response
