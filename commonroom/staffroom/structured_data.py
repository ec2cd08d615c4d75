"""What a staffroom thread's page tells machines (commonroom.syndication):
schema.org ``DiscussionForumPosting`` and Open Graph; the category's feed."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext as _

from commonroom.staffroom.models import Thread
from commonroom.syndication.jsonld import publisher
from commonroom.syndication.protocol import FeedLink, PageMetadata


def thread_metadata(thread: Thread, request: HttpRequest) -> PageMetadata | None:
    opening = thread.opening_post
    if opening is None or not opening.is_visible:
        return None
    url = request.build_absolute_uri(thread.get_absolute_url())
    data: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "DiscussionForumPosting",
        "@id": url,
        "url": url,
        "headline": thread.title,
        "text": opening.body,
        "author": {"@type": "Person", "name": thread.author.display_name},
        "datePublished": thread.created_at.isoformat(),
        "dateModified": (opening.edited_at or thread.created_at).isoformat(),
        "publisher": publisher(name=settings.PLATFORM_NAME, url=request.build_absolute_uri("/")),
        "isPartOf": {
            "@type": "WebPage",
            "name": thread.category.name,
            "url": request.build_absolute_uri(thread.category.get_absolute_url()),
        },
        "interactionStatistic": {
            "@type": "InteractionCounter",
            "interactionType": "https://schema.org/CommentAction",
            "userInteractionCount": thread.reply_count,
        },
    }
    return PageMetadata(
        title=thread.title,
        description=opening.body,
        url=url,
        og_type="article",
        json_ld=data,
        feeds=[
            FeedLink(
                _("Staffroom: %(category)s") % {"category": thread.category.name},
                reverse("syndication:staffroom_category", args=[thread.category.slug]),
            )
        ],
    )


PAGE_METADATA = {Thread: thread_metadata}
