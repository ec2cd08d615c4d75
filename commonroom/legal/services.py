from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.utils import timezone

from commonroom.accounts.models import Member
from commonroom.accounts.services import member_register
from commonroom.core.outbox import task_enqueue_on_commit
from commonroom.legal.models import (
    ContactMessage,
    DocumentKind,
    LegalDocument,
    MaintenanceMode,
    TermsAcceptance,
    TermsLanguage,
)
from commonroom.legal.selectors import platform_state_forget


@transaction.atomic
def document_publish(*, document: LegalDocument, by: Member | None) -> LegalDocument:
    """Publish a terms or privacy version; members see its summary at their next visit (R8)."""
    document.published_at = timezone.now()
    document.published_by = by
    document.full_clean()
    document.save()
    if document.kind == DocumentKind.TERMS:
        transaction.on_commit(platform_state_forget)
    return document


@transaction.atomic
def member_register_accepting_terms(
    *, member: Member, birth_year: int, terms: LegalDocument | None, language: str = "nl"
) -> Member:
    """Store a new member and their acceptance of the terms, with version and
    time (R1), together: nobody is a member without having accepted."""
    member_register(member=member, birth_year=birth_year, language=language)
    if terms is not None:
        terms_accept(member=member, document=terms, language=language)
    return member


@transaction.atomic
def terms_accept(*, member: Member, document: LegalDocument, language: str) -> TermsAcceptance:
    """Record that the member accepted this version as shown in `language`
    (the request's active language: the page, the notice and the text they
    read were in it). A version is accepted once; the first record stays."""
    acceptance, _created = TermsAcceptance.objects.get_or_create(
        member=member,
        document=document,
        defaults={"language": terms_language(language)},
    )
    return acceptance


def terms_language(language: str) -> str:
    """The text's language for an active language code such as "nl" or "en-gb"."""
    code = (language or "").split("-")[0].lower()
    return code if code in TermsLanguage.values else settings.LANGUAGE_CODE[:2]


@transaction.atomic
def maintenance_set(
    *, enabled: bool, message_nl: str = "", message_en: str = "", by: Member
) -> MaintenanceMode:
    """Close (or reopen) the platform to everyone but staff (R37)."""
    mode = MaintenanceMode.objects.select_for_update().first() or MaintenanceMode()
    mode.enabled = enabled
    mode.message_nl = message_nl
    mode.message_en = message_en
    mode.changed_by = by
    mode.full_clean()
    mode.save()
    transaction.on_commit(platform_state_forget)
    return mode


@transaction.atomic
def contact_message_send(
    *, name: str, email: str, subject: str, message: str, member: Member | None
) -> ContactMessage:
    """Store a contact message and mail it to the operator (R38)."""
    contact = ContactMessage(
        name=name,
        email=email,
        subject=subject,
        message=message,
        member=member if member and member.is_authenticated else None,
    )
    contact.full_clean()
    contact.save()
    from commonroom.legal.tasks import contact_message_email_send

    task_enqueue_on_commit(
        task=contact_message_email_send,
        kwargs={"contact_id": contact.pk},
        member_id=contact.member_id,
    )
    return contact


def contact_message_email_build(*, contact_id: int) -> EmailMessage | None:
    """The operator's copy of a contact message, built when the worker sends
    it; None when the message has been erased meanwhile."""
    contact = ContactMessage.objects.filter(pk=contact_id).first()
    if contact is None:
        return None
    return EmailMessage(
        subject=f"[{settings.PLATFORM_NAME} contact] {contact.subject}",
        body=f"{contact.message}\n\n— {contact.name} <{contact.email}>\n",
        to=[settings.OPERATOR_EMAIL],
        reply_to=[contact.email],
    )
