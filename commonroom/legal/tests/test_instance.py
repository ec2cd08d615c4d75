import pytest

from commonroom.legal.models import LegalDocument
from commonroom.legal.seed import seed_documents


@pytest.mark.django_db
def test_r40_names_come_from_settings(client, settings):
    settings.PLATFORM_NAME = "KlasWijs"
    settings.OPERATOR_NAME = "Onderwijs Vlaanderen"
    settings.OPERATOR_ADDRESS = "Koning Albert II-laan 15, 1210 Brussel"
    content = client.get("/").content.decode()
    assert "KlasWijs" in content
    assert "Onderwijs Vlaanderen" in content
    assert "Koning Albert II-laan 15, 1210 Brussel" in content
    assert "Commonroom" not in content


@pytest.mark.django_db
def test_r40_first_terms_are_filled_in_with_the_instance(settings):
    LegalDocument.objects.all().delete()
    settings.PLATFORM_NAME = "KlasWijs"
    settings.OPERATOR_NAME = "Onderwijs Vlaanderen"
    settings.LIABILITY_CAP = "€ 5,000"
    settings.COURTS_CITY = "Gent"
    seed_documents(LegalDocument)
    terms = LegalDocument.objects.get(kind="terms", version="1.1")
    assert "“(the) Operator”: Onderwijs Vlaanderen" in terms.body_en
    assert "the KlasWijs team" in terms.body_en
    assert "€ 5,000" in terms.body_en
    assert "the courts and tribunals of Gent" in terms.body_en
    assert "de hoven en rechtbanken van Gent" in terms.body_nl
    assert "KlasCement" not in terms.body_en + terms.body_nl
    assert LegalDocument.objects.get(kind="privacy").version == "1.0"
