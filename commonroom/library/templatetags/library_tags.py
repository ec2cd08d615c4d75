"""The save, collect and share panel on the resource page (R13, R14).

``{% include "library/_resource_actions.html" with resource=resource %}``
renders it; the panel asks ``selectors.resource_actions`` for what it shows
(one query for visitors, two for members) unless the view has already put
that answer in the context as ``library_actions``.
"""

from typing import Any

from django import template

from commonroom.library import selectors
from commonroom.library.sharing import send_to_colleague_url, share_for_resource
from commonroom.resources.models import Resource

register = template.Library()


@register.inclusion_tag("library/_resource_actions_panel.html", takes_context=True)
def library_resource_actions(context: template.Context, resource: Resource) -> dict[str, Any]:
    request = context["request"]
    actions = context.get("library_actions")
    if not isinstance(actions, selectors.ResourceActions):
        actions = selectors.resource_actions(request.user, resource)
    return {
        "request": request,
        "user": request.user,
        "csrf_token": context.get("csrf_token"),
        "resource": resource,
        "is_saved": actions.is_saved,
        "save_count": actions.save_count,
        "collections": actions.collections,
        "next": request.get_full_path(),
        "share": share_for_resource(request, resource),
        "send_url": send_to_colleague_url(resource),
    }
