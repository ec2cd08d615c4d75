"""Ratings, "used in class" and reactions on the resource page (R19, R39).

``{% load social_tags %}{% resource_social resource is_author is_moderator %}``
renders them: social sits above resources, so resources' page asks social
for its panel instead of importing social's selectors and forms.
"""

from __future__ import annotations

from typing import Any

from django import template

from commonroom.resources.models import Resource
from commonroom.social import selectors
from commonroom.social.forms import ReactionForm
from commonroom.social.services.reactions import can_edit_reaction

register = template.Library()


@register.inclusion_tag("social/_resource_social.html", takes_context=True)
def resource_social(
    context: template.Context, resource: Resource, is_author: bool, is_moderator: bool
) -> dict[str, Any]:
    request = context["request"]
    user = request.user
    reactions = list(selectors.reactions_for(resource, user)) if resource.is_public else []
    member = user if user.is_authenticated else None
    for reaction in reactions:
        reaction.editable = member is not None and can_edit_reaction(reaction, member)  # type: ignore[attr-defined]
    ratings = selectors.rating_summary(resource, user)
    average = ratings["average"] or 0
    return {
        "request": request,
        "user": user,
        "csrf_token": context.get("csrf_token"),
        "resource": resource,
        "rating_average": ratings["average"],
        "rating_count": ratings["count"],
        "my_stars": ratings["mine"],
        "is_author": is_author,
        "is_moderator": is_moderator,
        "reactions": reactions,
        # Only members get the form (the template asks the same).
        "reaction_form": ReactionForm() if member is not None else None,
        "classroom_uses": selectors.classroom_uses_for_author(resource) if is_author else [],
        "can_hide_reactions": is_author or is_moderator,
        "star_range": range(1, 6),
        "stars_display": "★" * round(average) + "☆" * (5 - round(average)),
    }
