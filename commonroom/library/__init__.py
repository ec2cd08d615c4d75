"""Saved resources and collections (R13, R14).

Integration points for other apps:

- resource page: ``{% include "library/_resource_actions.html" with resource=resource %}``
  (save button and count, add to a collection, share link, embed snippet,
  send to a colleague); it costs one query for visitors and two for members,
  or none when the view puts ``selectors.resource_actions(user, resource)``
  in the context as ``library_actions``.
- activity feed: ``selectors.collection_updates_for(member, since=None, limit=50)``.
- counts: ``selectors.save_state(user, resource) -> (is_saved, save_count)``.
"""
