from typing import Any, Protocol

from django.db.models import Q

from commonroom.core.models import OutboxEntry, PostFingerprint


class Member(Protocol):
    """What core needs of a member (settings.AUTH_USER_MODEL): core imports
    no app above it, accounts included."""

    @property
    def pk(self) -> Any: ...

    @property
    def email(self) -> str: ...


def export(member: Member) -> dict[str, Any]:
    return {
        "recent_post_fingerprints": [
            {"kind": f.kind, "normalised_text": f.text, "created_at": f.created_at.isoformat()}
            for f in PostFingerprint.objects.filter(member_id=member.pk)
        ]
    }


def erase(member: Member) -> None:
    PostFingerprint.objects.filter(member_id=member.pk).delete()
    # Background work for the member (mails to them: an erased member gets
    # none) and anything queued with their address, e.g. a rendered mail.
    mentions = Q(member_id=member.pk)
    if member.email:
        mentions |= Q(kwargs__icontains=member.email)
    OutboxEntry.objects.filter(mentions).delete()
    if member.email:
        # A mail to them that failed keeps the server's answer, which may
        # quote the address; the rest of the error stays for staff.
        OutboxEntry.objects.filter(last_error__icontains=member.email).update(
            last_error="(erased: mentioned a member who left)"
        )
        _task_results_erase(member.email)


def _task_results_erase(email: str) -> None:
    """Task results stored before mails were queued by id (and any a task
    returned or raised) may hold the address; those that finished go now
    instead of after TASK_RESULT_RETENTION_DAYS."""
    from django_tasks.base import TaskResultStatus
    from django_tasks_db.models import DBTaskResult

    DBTaskResult.objects.exclude(status=TaskResultStatus.RUNNING).filter(
        Q(args_kwargs__icontains=email)
        | Q(return_value__icontains=email)
        | Q(traceback__icontains=email)
    ).delete()
