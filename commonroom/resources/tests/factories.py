from typing import Any, cast

import factory
from django.core.files.base import ContentFile
from django.utils import timezone
from factory.django import DjangoModelFactory

from commonroom.accounts.tests.factories import MemberFactory
from commonroom.resources.models import FileState, Resource, ResourceFile, State
from commonroom.taxonomy.models import EducationLevel, Language, Licence, ResourceKind, Subject


class ResourceFactory(DjangoModelFactory[Resource]):
    """A resource with metadata complete; ``subjects``/``levels`` take slugs."""

    class Meta:
        model = Resource
        skip_postgeneration_save = True

    author = factory.SubFactory(MemberFactory)
    state = State.DRAFT
    title = factory.Sequence(lambda n: f"Fractions with pizza {n}")
    description = "A worksheet that introduces fractions by sharing pizzas."
    kind = factory.LazyFunction(lambda: ResourceKind.objects.get(slug="worksheet"))
    language = factory.LazyFunction(lambda: Language.objects.get(slug="en"))
    licence = factory.LazyFunction(lambda: Licence.objects.get(slug="cc-by-4.0"))
    keywords = factory.LazyFunction(lambda: ["fractions", "pizza"])
    body = "Share the pizza fairly."
    rights_confirmed_at = factory.LazyFunction(timezone.now)

    @factory.post_generation
    def subjects(self, create: bool, extracted: Any, **kwargs: Any) -> None:
        if create:
            self.subjects.set(Subject.objects.filter(slug__in=extracted or ["mathematics"]))

    @factory.post_generation
    def levels(self, create: bool, extracted: Any, **kwargs: Any) -> None:
        if create:
            self.levels.set(EducationLevel.objects.filter(slug__in=extracted or ["primary"]))


class PublishedResourceFactory(ResourceFactory):
    state = State.PUBLISHED
    published_at = factory.LazyFunction(timezone.now)
    reviewed_at = factory.LazyFunction(timezone.now)


class ResourceFileFactory(DjangoModelFactory[ResourceFile]):
    """A stored file without going through the upload checks."""

    class Meta:
        model = ResourceFile

    resource = factory.SubFactory(ResourceFactory)
    name = factory.Sequence(lambda n: f"worksheet-{n}.pdf")
    mime_type = "application/pdf"
    size = 18
    sha256 = factory.Sequence(lambda n: f"{n:064x}")
    state = FileState.ACTIVE
    file = factory.LazyAttribute(lambda o: ContentFile(b"%PDF-1.4 test file", name=o.name))


def published_resource(**kwargs: Any) -> Resource:
    return cast(Resource, PublishedResourceFactory(**kwargs))
