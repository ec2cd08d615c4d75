"""The attribution line every resource carries and downloads repeat (R33):
title, author, source, licence, producer (the operator) and database."""

from dataclasses import dataclass

from django.conf import settings
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from commonroom.core.naming import database_name
from commonroom.resources.models import Resource


@dataclass(frozen=True)
class Attribution:
    text: str
    html: SafeString
    # The resource page the line points to; downloads write it into the file.
    url: str = ""


def attribution_for(resource: Resource, *, absolute_url: str) -> Attribution:
    licence = resource.licence
    author = resource.author.display_name
    # An organisation the author published it under (``resource_page.py`` of
    # the organisations app annotates it): the credit names both.
    published_for = getattr(resource, "published_for_name", None)
    if published_for:
        author = f"{author} ({published_for})"
    values = {
        "title": resource.title,
        "author": author,
        "url": absolute_url,
        "licence": licence.name if licence else _("all rights reserved"),
        "licence_url": licence.url if licence else "",
        "producer": settings.OPERATOR_NAME,
        "database": database_name(),
    }
    text = (
        _(
            '"%(title)s" by %(author)s, %(url)s, licensed under %(licence)s %(licence_url)s. '
            "Source: %(database)s, produced by %(producer)s."
        )
        % values
    )
    html = format_html(
        _(
            '<cite>“{title}”</cite> by {author}, <a href="{url}">{url}</a>, licensed under '
            '<a href="{licence_url}" rel="license">{licence}</a>. '
            "Source: {database}, produced by {producer}."
        ),
        **values,
    )
    return Attribution(text=" ".join(text.split()), html=html, url=absolute_url)
