from typing import Any

from allauth.account.auth_backends import AuthenticationBackend
from django.db.models import Exists, OuterRef

from commonroom.accounts.models import Member, Suspension
from commonroom.accounts.roles import MODERATORS


class MemberBackend(AuthenticationBackend):
    """allauth's e-mail sign-in, loading the member once per request together
    with the two facts every request asks: suspended? moderator?"""

    def get_user(self, user_id: Any) -> Member | None:
        memberships = Member.groups.through.objects.filter(
            member_id=OuterRef("pk"), group__name=MODERATORS
        )
        user = (
            Member.objects.annotate(
                has_active_suspension=Exists(
                    Suspension.objects.active().filter(member=OuterRef("pk"))
                ),
                in_moderators=Exists(memberships),
            )
            .filter(pk=user_id)
            .first()
        )
        return user if user is not None and self.user_can_authenticate(user) else None
