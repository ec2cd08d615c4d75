"""Following members, subjects, public collections and organisations (R12, R18)."""

from __future__ import annotations

from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from commonroom.accounts.models import Member
from commonroom.core import antispam
from commonroom.notifications.services import notify
from commonroom.social.models import Follow
from commonroom.social.notifications import NEW_FOLLOWER


@transaction.atomic
def follow(*, follower: Member, target: Any) -> Follow:
    if isinstance(target, Member) and target.pk == follower.pk:
        raise ValidationError(_("You cannot follow yourself."), code="self")
    content_type = ContentType.objects.get_for_model(target)
    existing = Follow.objects.filter(
        follower=follower, content_type=content_type, object_id=target.pk
    ).first()
    if existing is not None:
        return existing
    if antispam.rate_limit_hit(member=follower, kind="follow"):
        raise ValidationError(
            _("You are following very many things in a short time. Please wait a while."),
            code="rate_limited",
        )
    created = Follow.objects.create(
        follower=follower, content_type=content_type, object_id=target.pk
    )
    if isinstance(target, Member):
        notify(
            recipient=target,
            kind=NEW_FOLLOWER,
            context={"name": follower.display_name},
            url=f"/people/{follower.pk}/",
        )
    return created


@transaction.atomic
def unfollow(*, follower: Member, target: Any) -> None:
    content_type = ContentType.objects.get_for_model(target)
    Follow.objects.filter(
        follower=follower, content_type=content_type, object_id=target.pk
    ).delete()
