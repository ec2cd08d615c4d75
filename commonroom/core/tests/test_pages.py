import pytest


@pytest.mark.django_db
def test_layout_has_a_skip_link_and_landmarks(client):
    content = client.get("/").content.decode()
    assert '<a class="skip-link" href="#main">Skip to main content</a>' in content
    assert '<main id="main"' in content
    assert "<header" in content
    assert "<footer" in content
    assert '<nav class="main-nav" aria-label="Main">' in content
    assert '<nav class="account-nav" aria-label="Account">' in content


@pytest.mark.django_db
def test_dutch_is_chosen_from_accept_language(client):
    content = client.get("/", HTTP_ACCEPT_LANGUAGE="nl-BE,nl;q=0.9").content.decode()
    assert '<html lang="nl">' in content
    assert "Naar de hoofdinhoud" in content


@pytest.mark.django_db
def test_the_language_switch_changes_the_language(client):
    response = client.post("/i18n/setlang/", {"language": "nl", "next": "/terms/"})
    assert response.status_code == 302
    assert response["Location"] == "/terms/"
    content = client.get("/terms/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert '<html lang="nl">' in content
    assert "Gebruiksvoorwaarden" in content


@pytest.mark.django_db
def test_healthz_answers_while_the_process_runs(client):
    response = client.get("/healthz")
    assert response.json() == {"status": "ok", "platform": "Commonroom"}


@pytest.mark.django_db
def test_unknown_page_is_a_friendly_404(client):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert "Page not found" in response.content.decode()
