"""Issue 13 item 16: the first step of the upload form."""

import pytest

from commonroom.resources.models import Resource, ResourceFile
from commonroom.resources.tests.helpers import pdf_bytes, upload
from commonroom.resources.tests.test_upload_flow import form_data

NO_CONTENT = "Add a file, a link, a video or a text."


@pytest.mark.django_db
def test_item16a_an_upload_without_file_link_video_or_text_is_refused_on_the_first_step(
    member_client,
):
    response = member_client.post(
        "/resources/new/", form_data(body="  \r\n ", external_url="", video_url="")
    )
    assert response.status_code == 400
    assert response.context["form"].non_field_errors() == [NO_CONTENT]
    assert NO_CONTENT in response.content.decode()
    assert not Resource.objects.exists()
    assert not ResourceFile.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize(
    "content",
    [
        {"external_url": "https://www.example.org/leaves"},
        {"video_url": "https://www.youtube.com/watch?v=dQw4w9WgXcQ"},
        {"body": "Label the leaf."},
    ],
)
def test_item16a_a_link_a_video_or_a_text_alone_is_enough(member_client, content):
    response = member_client.post("/resources/new/", form_data(**content))
    assert response.status_code == 302
    assert Resource.objects.count() == 1


@pytest.mark.django_db
def test_item16a_an_invalid_video_link_gets_its_own_error_only(member_client):
    response = member_client.post("/resources/new/", form_data(video_url="https://video.example/1"))
    assert response.status_code == 400
    assert response.context["form"].errors == {
        "video_url": ["Only YouTube and Vimeo links can be embedded."]
    }


@pytest.mark.django_db
def test_item16c_the_progress_bar_gets_the_next_address_as_json(member_client):
    response = member_client.post(
        "/resources/new/",
        form_data(files=upload("leaf.pdf", pdf_bytes())),
        HTTP_ACCEPT="application/json",
    )
    resource = Resource.objects.get()
    assert response.status_code == 200
    assert response.json() == {"redirect": f"/resources/{resource.pk}/licence/"}
    page = member_client.get(f"/resources/{resource.pk}/licence/")
    assert [str(m) for m in page.context["messages"]] == [
        "Your draft is saved. Now choose a licence."
    ]


@pytest.mark.django_db
def test_item16c_a_browser_without_javascript_still_gets_a_redirect(member_client):
    response = member_client.post(
        "/resources/new/",
        form_data(files=upload("leaf.pdf", pdf_bytes())),
        HTTP_ACCEPT="text/html,application/xhtml+xml,*/*;q=0.8",
    )
    assert response.status_code == 302
    assert response["Location"] == f"/resources/{Resource.objects.get().pk}/licence/"
