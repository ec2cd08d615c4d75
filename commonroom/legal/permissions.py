from django.contrib.auth.models import AnonymousUser

from commonroom.accounts.models import Member


def can_manage_platform(user: Member | AnonymousUser) -> bool:
    """Staff (the operator's team) switch maintenance and publish terms."""
    return bool(user.is_authenticated and user.is_staff and user.is_active)
