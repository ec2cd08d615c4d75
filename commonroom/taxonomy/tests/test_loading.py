import pytest

from commonroom.taxonomy.loading import licence_flags
from commonroom.taxonomy.models import (
    CurriculumGoal,
    EducationLevel,
    Licence,
    Province,
    ResourceKind,
    Subject,
)


@pytest.mark.django_db
def test_vocabularies_are_loaded_by_the_data_migration():
    assert ResourceKind.objects.count() == 12
    assert Province.objects.count() == 6
    assert Licence.objects.count() == 7
    primary = EducationLevel.objects.get(slug="primary")
    assert list(primary.children.values_list("slug", flat=True)) == [
        "primary-1", "primary-2", "primary-3",
    ]  # fmt: skip
    assert (primary.min_age, primary.max_age) == (6, 12)
    assert Subject.objects.get(slug="physics").parent.slug == "science-technology"  # type: ignore[union-attr]
    assert CurriculumGoal.objects.get(code="SC01").framework.slug == "key-competences-secondary"


@pytest.mark.django_db
def test_labels_follow_the_language():
    from django.utils import translation

    province = Province.objects.get(slug="east-flanders")
    with translation.override("nl"):
        assert province.label == "Oost-Vlaanderen"
    with translation.override("en"):
        assert province.label == "East Flanders"


@pytest.mark.parametrize(
    ("slug", "commercial", "adaptation", "share_alike", "attribution"),
    [
        ("cc-by-4.0", True, True, False, True),
        ("cc-by-sa-4.0", True, True, True, True),
        ("cc-by-nd-4.0", True, False, False, True),
        ("cc-by-nc-4.0", False, True, False, True),
        ("cc-by-nc-sa-4.0", False, True, True, True),
        ("cc-by-nc-nd-4.0", False, False, False, True),
        ("cc0-1.0", True, True, False, False),
    ],
)
def test_licence_flags_are_read_from_the_code(
    slug, commercial, adaptation, share_alike, attribution
):
    assert licence_flags(slug) == {
        "allows_commercial": commercial,
        "allows_adaptation": adaptation,
        "share_alike": share_alike,
        "requires_attribution": attribution,
    }
