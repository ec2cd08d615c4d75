"""The Creative Commons question wizard (R32) and the rules for licensing
an adaptation of another resource (R33)."""

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

CC0 = "cc0-1.0"
BY = "cc-by-4.0"
BY_SA = "cc-by-sa-4.0"
BY_ND = "cc-by-nd-4.0"
BY_NC = "cc-by-nc-4.0"
BY_NC_SA = "cc-by-nc-sa-4.0"
BY_NC_ND = "cc-by-nc-nd-4.0"
ALL_LICENCES = (BY, BY_SA, BY_ND, BY_NC, BY_NC_SA, BY_NC_ND, CC0)


@dataclass(frozen=True)
class Answers:
    waive_all_rights: bool
    allow_commercial: bool = True
    allow_adaptations: bool = True
    share_alike: bool = False


def licence_for(answers: Answers) -> str:
    """The licence that fits the wizard's answers."""
    if answers.waive_all_rights:
        return CC0
    if not answers.allow_adaptations:
        return BY_ND if answers.allow_commercial else BY_NC_ND
    if answers.allow_commercial:
        return BY_SA if answers.share_alike else BY
    return BY_NC_SA if answers.share_alike else BY_NC


EXPLANATIONS: dict[str, Promise] = {
    BY: _("Others may copy, share, adapt and even sell your work, as long as they name you."),
    BY_SA: _(
        "Others may copy, share, adapt and sell your work, as long as they name you and "
        "share their adaptations under this same licence."
    ),
    BY_ND: _(
        "Others may copy and share your work, also commercially, as long as they name you; "
        "they may not share adapted versions."
    ),
    BY_NC: _(
        "Others may copy, share and adapt your work for non-commercial purposes only, "
        "as long as they name you."
    ),
    BY_NC_SA: _(
        "Others may copy, share and adapt your work for non-commercial purposes only, as long "
        "as they name you and share their adaptations under this same licence."
    ),
    BY_NC_ND: _(
        "Others may copy and share your work unchanged, for non-commercial purposes only, "
        "as long as they name you."
    ),
    CC0: _(
        "You give up all your rights: anyone may do anything with your work, without "
        "having to name you."
    ),
}


def allowed_for_adaptation(source: str) -> tuple[str, ...]:
    """Licences an adaptation of a work under ``source`` may carry.

    ND works may not be adapted at all; ShareAlike forces the same licence;
    NonCommercial must stay non-commercial; attribution to the source is
    always owed, so only a CC0 source lets the adaptation be CC0.
    """
    if source in (BY_ND, BY_NC_ND):
        return ()
    if source == BY_SA:
        return (BY_SA,)
    if source == BY_NC_SA:
        return (BY_NC_SA,)
    if source == BY_NC:
        return (BY_NC, BY_NC_SA, BY_NC_ND)
    if source == BY:
        return (BY, BY_SA, BY_ND, BY_NC, BY_NC_SA, BY_NC_ND)
    return ALL_LICENCES


def adaptation_problem(*, source: str, chosen: str) -> str | None:
    """Why ``chosen`` cannot license an adaptation of a ``source`` work, or None."""
    allowed = allowed_for_adaptation(source)
    if not allowed:
        return str(
            _("The source does not allow adaptations (NoDerivatives), so it cannot be adapted.")
        )
    if chosen not in allowed:
        names = ", ".join(LICENCE_NAMES[slug] for slug in allowed)
        return str(
            _("An adaptation of a work under %(source)s must be licensed under: %(allowed)s.")
            % {"source": LICENCE_NAMES[source], "allowed": names}
        )
    return None


LICENCE_NAMES = {
    BY: "CC BY 4.0",
    BY_SA: "CC BY-SA 4.0",
    BY_ND: "CC BY-ND 4.0",
    BY_NC: "CC BY-NC 4.0",
    BY_NC_SA: "CC BY-NC-SA 4.0",
    BY_NC_ND: "CC BY-NC-ND 4.0",
    CC0: "CC0 1.0",
}
