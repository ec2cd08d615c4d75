"""Roles are Django groups (DESIGN.md, Roles); this names them once."""

MODERATORS = "Moderators"
STAFF = "Staff"
ALL_ROLES = (MODERATORS, STAFF)
