import factory
from django.utils import timezone
from django.utils.text import slugify
from factory.django import DjangoModelFactory

from commonroom.accounts.tests.factories import MemberFactory
from commonroom.library.models import Collection, CollectionItem, SavedItem
from commonroom.resources.tests.factories import PublishedResourceFactory


class CollectionFactory(DjangoModelFactory[Collection]):
    class Meta:
        model = Collection

    owner = factory.SubFactory(MemberFactory)
    title = factory.Sequence(lambda n: f"Maths corner {n}")
    description = "Resources for **fractions** week."
    is_public = True
    slug = factory.LazyAttribute(lambda o: slugify(o.title)[:60] or "collection")


class CollectionItemFactory(DjangoModelFactory[CollectionItem]):
    class Meta:
        model = CollectionItem

    collection = factory.SubFactory(CollectionFactory)
    resource = factory.SubFactory(PublishedResourceFactory)
    position = factory.Sequence(lambda n: n + 1)
    note = ""
    added_at = factory.LazyFunction(timezone.now)


class SavedItemFactory(DjangoModelFactory[SavedItem]):
    class Meta:
        model = SavedItem

    member = factory.SubFactory(MemberFactory)
    resource = factory.SubFactory(PublishedResourceFactory)
