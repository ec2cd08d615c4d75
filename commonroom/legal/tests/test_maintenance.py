import pytest

from commonroom.legal.services import maintenance_set


@pytest.fixture
def maintenance_on(staff, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        maintenance_set(
            enabled=True,
            message_en="Back at 14:00 after the upgrade.",
            message_nl="Terug om 14 uur na de upgrade.",
            by=staff,
        )


@pytest.mark.django_db
@pytest.mark.parametrize("url", ["/", "/terms/", "/contact/", "/accounts/signup/", "/nope/"])
def test_r37_visitors_get_a_503_with_the_message(client, maintenance_on, url):
    response = client.get(url)
    assert response.status_code == 503
    assert "Back at 14:00 after the upgrade." in response.content.decode()
    assert response["Retry-After"] == "600"


@pytest.mark.django_db
def test_r37_the_message_follows_the_language(client, maintenance_on):
    response = client.get("/", HTTP_ACCEPT_LANGUAGE="nl")
    assert "Terug om 14 uur na de upgrade." in response.content.decode()


@pytest.mark.django_db
def test_r37_members_get_the_503_too_also_on_posts(member_client, maintenance_on):
    assert member_client.get("/accounts/profile/").status_code == 503
    assert member_client.post("/contact/", {"name": "x"}).status_code == 503


@pytest.mark.django_db
def test_r37_staff_keep_working(staff_client, maintenance_on):
    assert staff_client.get("/").status_code == 200
    assert staff_client.get("/staff/members/").status_code == 200


@pytest.mark.django_db
def test_r37_staff_can_still_sign_in(client, maintenance_on):
    assert client.get("/accounts/login/").status_code == 200


@pytest.mark.django_db
def test_r37_staff_switch_it_on_and_off_from_the_staff_page(
    staff_client, client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = staff_client.post(
            "/staff/maintenance/", {"enabled": "on", "message_en": "Upgrading."}
        )
    assert response.status_code == 302
    assert client.get("/").status_code == 503
    with django_capture_on_commit_callbacks(execute=True):
        staff_client.post("/staff/maintenance/", {"message_en": ""})
    assert client.get("/").status_code == 200


@pytest.mark.django_db
def test_r37_switching_on_needs_a_message(staff_client, client):
    response = staff_client.post("/staff/maintenance/", {"enabled": "on"})
    assert response.status_code == 200
    assert "Write a message for visitors" in response.content.decode()
    assert client.get("/").status_code == 200


@pytest.mark.django_db
def test_r37_members_cannot_switch_it(member_client, client):
    assert (
        member_client.post("/staff/maintenance/", {"enabled": "on", "message_en": "x"}).status_code
        == 403
    )
    assert client.get("/").status_code == 200
