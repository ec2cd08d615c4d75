import pytest
from django.core import mail

from commonroom.legal.models import ContactMessage

MESSAGE = {
    "name": "Jan Smet",
    "email": "jan.smet@school.example",
    "subject": "A broken link",
    "message": "The link on the privacy page does not work.",
}


@pytest.mark.django_db
def test_item5_contact_form_says_what_the_terms_say_and_what_happens(client, member_client):
    content = client.get("/contact/").content.decode()
    # §4 of the terms: anything submitted is public; the form no longer says the opposite.
    assert "not published" not in content
    assert (
        'Under §4 of the <a href="/terms/">terms of use</a>, anything you submit to the '
        "platform is considered public." in content
    )
    assert (
        "it is stored on the platform and emailed to the team of Commonroom Foundation, who "
        "answer you at the email address you give. It is not shown on the platform." in content
    )
    assert "linked to your account" not in content
    signed_in = member_client.get("/contact/").content.decode()
    assert (
        "Because you are signed in, it is linked to your account and erased with it." in signed_in
    )


@pytest.mark.django_db
def test_item5_sent_page_does_not_promise_the_message_stays_private(client):
    content = client.get("/contact/sent/").content.decode()
    assert "Your message is not published" not in content
    assert "under §4 of the terms of use, what you submit is considered public." in content


@pytest.mark.django_db
def test_r38_a_message_is_stored_and_mailed_to_the_operator(
    client, settings, django_capture_on_commit_callbacks
):
    settings.OPERATOR_EMAIL = "team@operator.example"
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/contact/", MESSAGE)
    assert response.status_code == 302
    assert response["Location"] == "/contact/sent/"
    stored = ContactMessage.objects.get()
    assert (stored.name, stored.email, stored.subject, stored.message) == tuple(MESSAGE.values())
    assert len(mail.outbox) == 1
    sent = mail.outbox[0]
    assert sent.to == ["team@operator.example"]
    assert sent.reply_to == ["jan.smet@school.example"]
    assert sent.subject == "[Commonroom contact] A broken link"
    assert "The link on the privacy page does not work." in sent.body


@pytest.mark.django_db
def test_r38_bad_input_is_refused_with_messages_and_kept(client):
    response = client.post("/contact/", {**MESSAGE, "email": "not-an-address", "subject": ""})
    assert response.status_code == 400
    form = response.context["form"]
    assert form.errors == {
        "email": ["Enter a valid email address."],
        "subject": ["This field is required."],
    }
    assert "The link on the privacy page does not work." in response.content.decode()
    assert not ContactMessage.objects.exists()


@pytest.mark.django_db
def test_r38_the_form_is_rate_limited_per_ip(client, settings):
    settings.CONTACT_RATE_LIMIT = "3/h"
    for _ in range(3):
        assert client.post("/contact/", MESSAGE, REMOTE_ADDR="10.1.2.3").status_code == 302
    response = client.post("/contact/", MESSAGE, REMOTE_ADDR="10.1.2.3")
    assert response.status_code == 429
    assert "Please wait an hour before sending another one." in response.content.decode()
    assert "The link on the privacy page does not work." in response.content.decode()
    assert ContactMessage.objects.count() == 3
    # another address is not affected
    assert client.post("/contact/", MESSAGE, REMOTE_ADDR="10.9.9.9").status_code == 302
