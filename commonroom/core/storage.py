"""Files members upload are never served straight from MEDIA_URL: they live
in the "private" storage (settings.STORAGES) and go out through
permission-checked views, so that a notice or a removal takes effect at once."""

from django.core.files.storage import Storage, storages


def private_storage() -> Storage:
    return storages["private"]
