"""Write use cases of the social app, one module per area."""

from commonroom.social.services.follows import follow, unfollow
from commonroom.social.services.reactions import (
    classroom_use_record,
    rating_set,
    reaction_delete,
    reaction_edit,
    reaction_edit_by_moderator,
    reaction_hide,
    reaction_post,
    reaction_reject,
    reaction_release,
)

__all__ = [
    "classroom_use_record",
    "follow",
    "rating_set",
    "reaction_delete",
    "reaction_edit",
    "reaction_edit_by_moderator",
    "reaction_hide",
    "reaction_post",
    "reaction_reject",
    "reaction_release",
    "unfollow",
]
