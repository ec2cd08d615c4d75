"""The member's own profile through the API (read; the profile is edited on
the site, where the photo and visibility rules are applied)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Router, Schema

from commonroom.accounts.permissions import acting_member
from commonroom.accounts.selectors import profile_for
from commonroom.api import auth

router = Router(tags=["me"])


class ProfileOut(Schema):
    id: int
    name: str
    email: str
    bio: str
    expertise: str
    school: str
    province: str | None
    subjects: list[str]
    levels: list[str]
    visibility: str
    token_scope: str | None


@router.get(
    "/me", response=ProfileOut, auth=auth.READ, summary="One's own profile", operation_id="me"
)
def me(request: HttpRequest) -> dict[str, Any]:
    member = acting_member(request)
    profile = profile_for(member)
    token = auth.token_of(request)
    return {
        "id": member.pk,
        "name": member.display_name,
        "email": member.email,
        "bio": profile.bio,
        "expertise": profile.expertise,
        "school": profile.school,
        "province": profile.province.slug if profile.province_id and profile.province else None,
        "subjects": [s.slug for s in profile.subjects.all()],
        "levels": [level.slug for level in profile.levels.all()],
        "visibility": profile.visibility,
        "token_scope": token.scope if token else None,
    }


ROUTERS = [("", router)]
