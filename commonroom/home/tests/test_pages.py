import pytest


@pytest.mark.django_db
def test_home_page_says_what_the_platform_is_and_invites_to_sign_up(client):
    content = client.get("/").content.decode()
    assert "Learning resources by teachers, for teachers" in content
    assert 'href="/accounts/signup/"' in content
