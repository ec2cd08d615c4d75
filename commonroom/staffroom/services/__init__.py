"""Every write of the staffroom: members' posts (posting), what the
moderators do (moderating) and whom a post is brought to (telling)."""

from commonroom.staffroom.services.moderating import (
    post_edit_by_moderator,
    post_hide,
    post_take_down,
    thread_lock,
    thread_merge,
    thread_move,
    thread_pin,
    thread_split,
)
from commonroom.staffroom.services.posting import (
    answer_mark,
    follow_set,
    post_edit,
    post_reply,
    post_shown,
    read_up_to,
    thread_start,
)

__all__ = [
    "answer_mark",
    "follow_set",
    "post_edit",
    "post_edit_by_moderator",
    "post_hide",
    "post_reply",
    "post_shown",
    "post_take_down",
    "read_up_to",
    "thread_lock",
    "thread_merge",
    "thread_move",
    "thread_pin",
    "thread_split",
    "thread_start",
]
