"""What the vocabularies tell the apps that copy them (search): sent inside
the transaction that changed a vocabulary, so a receiver can queue work
with it. ``moved`` is true when a term changed place in a tree (a parent,
or the key competence a curriculum goal serves), which changes what the
ancestors of a term stand for."""

from django.dispatch import Signal

taxonomy_changed = Signal()


def taxonomy_changed_send(*, sender: type, moved: bool) -> None:
    from commonroom.taxonomy.selectors import terms_forget

    terms_forget()  # this process's copies (selectors.terms_by_id)
    taxonomy_changed.send(sender=sender, moved=moved)
