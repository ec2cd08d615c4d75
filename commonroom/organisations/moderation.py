"""Organisations as a moderated kind (moderation/protocol.py): a proposal is
submitted, staff verify (publish) or reject it, and may exclude (remove) it
later with the reason recorded (R24); an edit of a verified page waits for a
moderator as an ``OrganisationChange`` (Review.change). Organisations and
training offers are reportable (R21): acting on a report excludes the
organisation (staff only, as R24 says) or withdraws the offer."""

from __future__ import annotations

from functools import partial
from typing import Any

from django.db import transaction
from django.db.models import QuerySet
from django.http import Http404
from django.urls import reverse
from django.utils import timezone
from django.utils.text import Truncator
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from commonroom.accounts.models import Member
from commonroom.core import versions
from commonroom.moderation.kinds import StateFieldKind
from commonroom.moderation.lifecycle import PUBLIC_STATES, Event, State
from commonroom.moderation.models import Decision, Review
from commonroom.moderation.notifications import MODERATION_DECISION
from commonroom.moderation.permissions import authors_of
from commonroom.moderation.report_registry import Reportable
from commonroom.moderation.services import objection_hint
from commonroom.notifications.services import notify
from commonroom.organisations import changes, permissions
from commonroom.organisations.models import Organisation, OrganisationChange, TrainingOffer
from commonroom.organisations.search import index_organisation, index_resources_under

Action = Decision.Action
# Events after which the directory and search must see the organisation again.
UNINDEXED_EVENTS = (Event.CLAIM, Event.RELEASE, Event.SUBMIT, Event.OBJECT, Event.DUE)


class ModeratedOrganisations(StateFieldKind):
    model = Organisation
    label = gettext_lazy("Organisation")
    state_save_fields = ("updated_at",)

    def title(self, item: Organisation) -> str:
        return item.name

    def authors(self, item: Organisation) -> frozenset[int]:
        admins = set(item.administrators.values_list("member_id", flat=True))
        return frozenset(admins | ({item.proposed_by_id} if item.proposed_by_id else set()))

    def author(self, item: Organisation) -> Member | None:
        return item.proposed_by

    def authored_by(self, member: Member) -> QuerySet[Organisation]:
        return Organisation.objects.filter(administrators__member=member)

    def public_url(self, item: Organisation) -> str:
        return item.get_absolute_url()

    def review_text(self, item: Organisation) -> str:
        return "\n\n".join(
            [
                f"{item.get_kind_display()} · {item.province}",
                item.address,
                item.website,
                item.email,
                item.description,
            ]
        )

    def queue_summary(self, item: Organisation) -> tuple[str, str]:
        return (str(item.get_kind_display()), item.website)

    def on_state(
        self, item: Organisation, *, event: str, before: str, after: str, by: Any
    ) -> tuple[str, ...]:
        if event not in UNINDEXED_EVENTS:
            transaction.on_commit(partial(index_organisation, item.pk))
        if before in PUBLIC_STATES or after in PUBLIC_STATES:
            # Its name shows on (or leaves) its resources' pages (resource_page.py).
            versions.changed(Organisation)
        if State.REMOVED in (before, after) and before != after:
            # Its resources are withheld from search, or found again (R24).
            transaction.on_commit(partial(index_resources_under, item.pk))
        if event in (Event.PUBLISH, Event.OVERTURN, Event.RESTORE):
            item.published_at = item.published_at or timezone.now()
            item.excluded_at = None
            return ("published_at", "excluded_at")
        if after == State.REMOVED:
            item.excluded_at = timezone.now()
            return ("excluded_at",)
        return ()

    def decided(self, item: Organisation, decision: Decision, reasons: str) -> None:
        if decision.action == Action.REMOVE:
            for pending in item.changes.filter(status=OrganisationChange.Status.PENDING):
                changes.change_decline(change=pending)
        if decision.action in (
            Action.PUBLISH,
            Action.REJECT,
            Action.REMOVE,
            Action.REQUEST_CHANGES,
        ):
            _tell_administrators(item, decision, reasons)

    def decide_change(
        self, item: Organisation, change: OrganisationChange, *, accepted: bool, by: Any
    ) -> None:
        transaction.on_commit(partial(index_organisation, item.pk))
        if accepted:
            changes.change_apply(change=change)
        else:
            changes.change_decline(change=change)

    def changes_by(self, member: Member) -> QuerySet[OrganisationChange]:
        return OrganisationChange.objects.filter(created_by=member)

    def reinstate_change(self, item: Organisation, change: OrganisationChange, *, by: Any) -> None:
        if change.status == OrganisationChange.Status.DECLINED:
            changes.change_apply(change=change)

    def review_page(self, review: Review) -> dict[str, Any]:
        if review.change is None:
            return {}
        lines = [f"{label}: {value}" for label, value in changes.change_lines(review.change)]
        text = _("Proposed changes to the page:") + "\n\n" + "\n".join(lines)
        return {"item_text": text}


MODERATED = [ModeratedOrganisations()]


@authors_of.register
def _change_authors(subject: OrganisationChange) -> frozenset[int]:
    return authors_of(subject.organisation) | frozenset(
        pk for pk in (subject.created_by_id,) if pk is not None
    )


def _decision_text(organisation: Organisation, decision: Decision, reasons: str) -> tuple[str, str]:
    name = organisation.name
    if decision.action == Action.PUBLISH:
        return (
            _("“%(name)s” is verified") % {"name": name},
            _("Staff verified the organisation. Its page is now public."),
        )
    if decision.action == Action.REMOVE:
        title = _("“%(name)s” was excluded") % {"name": name}
        intro = _("Staff excluded the organisation for these reasons:")
    elif decision.action == Action.REQUEST_CHANGES:
        title = _("Changes requested for “%(name)s”") % {"name": name}
        intro = _("Staff ask you to change the organisation's details:")
    else:
        title = _("“%(name)s” was not verified") % {"name": name}
        intro = _("Staff did not verify the organisation for these reasons:")
    return title, f"{intro}\n\n{reasons}\n\n{objection_hint(decision)}"


def _tell_administrators(organisation: Organisation, decision: Decision, reasons: str) -> None:
    recipients = {
        a.member_id: a.member for a in organisation.administrators.select_related("member")
    }
    if organisation.proposed_by is not None:
        recipients.setdefault(organisation.proposed_by.pk, organisation.proposed_by)
    url = (
        organisation.get_absolute_url()
        if decision.action == Action.PUBLISH
        else reverse("organisations:mine")
    )
    for member in recipients.values():
        notify(
            recipient=member,
            kind=MODERATION_DECISION,
            text=partial(_decision_text, organisation, decision, reasons),
            url=url,
        )


@authors_of.register
def _offer_authors(subject: TrainingOffer) -> frozenset[int]:
    """Every administrator of the organisation answers for its offers: none
    decides on a report about them."""
    return authors_of(subject.organisation) | frozenset(
        pk for pk in (subject.created_by_id,) if pk is not None
    )


# --- reports (R21) ------------------------------------------------------------------------


def _exclude(organisation: Organisation, by: Member, reason: str) -> None:
    from commonroom.organisations.services import organisation_exclude_reported

    organisation_exclude_reported(organisation=organisation, by=by, reason=reason)


def _withdraw(offer: TrainingOffer, by: Member, reason: str) -> None:
    from commonroom.organisations.offer_services import offer_withdraw_reported

    offer_withdraw_reported(offer=offer, by=by, reason=reason)


def _organisations() -> QuerySet[Organisation]:
    return Organisation.objects.select_related("proposed_by", "province")


def _offers() -> QuerySet[TrainingOffer]:
    return TrainingOffer.objects.select_related(
        "created_by", "organisation", "organisation__province"
    )


def _offer_visible(offer: TrainingOffer, user: Any) -> bool:
    try:
        permissions.offer_for_view(user, offer.pk)
    except Http404:
        return False
    return True


REPORTABLE = {
    "organisation": Reportable(
        model=Organisation,
        label=gettext_lazy("Organisation"),
        author=lambda organisation: organisation.proposed_by,
        excerpt=lambda o: Truncator(f"{o.name} · {o.description}").chars(300),
        url=lambda organisation: organisation.get_absolute_url(),
        # Hiding and removing an organisation are both its exclusion (R24).
        hide=_exclude,
        remove=_exclude,
        visible_to=lambda organisation, user: permissions.can_view(user, organisation),
        queryset=_organisations,
        # The exclusion tells every administrator, with the route to object.
        hooks_tell_author=True,
    ),
    "training_offer": Reportable(
        model=TrainingOffer,
        label=gettext_lazy("Training offer"),
        author=lambda offer: offer.created_by,
        excerpt=lambda o: Truncator(f"{o.title} · {o.description}").chars(300),
        url=lambda offer: offer.get_absolute_url(),
        hide=_withdraw,
        remove=_withdraw,
        visible_to=_offer_visible,
        queryset=_offers,
    ),
}

# The organisations' audit codes in words (moderation/audit_labels.py).
AUDIT_ACTIONS = {
    "training_offer_withdraw": gettext_lazy("Training offer withdrawn after a report"),
}
AUDIT_TARGETS = {
    "training_offer": gettext_lazy("Training offer"),
}
