"""Issue 13 item 3 (R20): the upload rate limit is checked on every path that
creates a resource or adds files, lower for new accounts, refused with a
message in the form and nothing stored."""

from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from django.core.files.storage import FileSystemStorage
from django.test import Client
from django.utils import timezone
from pytest_django.fixtures import Settings

from commonroom.accounts.models import Member
from commonroom.accounts.tests.factories import MemberFactory
from commonroom.resources.models import Resource, ResourceFile
from commonroom.resources.tests.factories import ResourceFactory
from commonroom.resources.tests.helpers import pdf_bytes, upload
from commonroom.resources.tests.test_upload_flow import form_data

MESSAGE = (
    "You have added a lot of material in a short time. Please wait a while "
    "before you add another resource or file."
)


@pytest.fixture
def limits(
    settings: Settings, start_of_a_minute: None, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """2 uploads an hour for members, 1 for new accounts; files in a folder of
    this test's own (the private storage is resolved once, at import)."""
    storage = FileSystemStorage(location=tmp_path)
    for name in ("file", "thumbnail", "thumbnail_small"):
        monkeypatch.setattr(ResourceFile._meta.get_field(name), "storage", storage)
    settings.POST_RATE_LIMITS = {**settings.POST_RATE_LIMITS, "upload": "2/h"}
    settings.NEW_ACCOUNT_RATE_LIMITS = {**settings.NEW_ACCOUNT_RATE_LIMITS, "upload": "1/h"}


def client_for(member: Member) -> Client:
    client = Client()
    client.force_login(member)
    return client


def stored_files() -> set[str]:
    root = Path(ResourceFile._meta.get_field("file").storage.path(""))
    return {str(p) for p in root.rglob("*") if p.is_file()}


def new_upload(client: Client, n: int) -> Any:
    return client.post(
        "/resources/new/",
        form_data(title=f"Leaf worksheet {n}", files=upload(f"leaf-{n}.pdf", pdf_bytes())),
    )


@pytest.mark.django_db
def test_item3_r20_third_upload_in_an_hour_is_refused_with_the_message_and_nothing_stored(
    limits: None,
) -> None:
    member = MemberFactory(date_joined=timezone.now() - timedelta(days=30))
    client = client_for(member)
    files_at_start = stored_files()
    assert [new_upload(client, n).status_code for n in (1, 2)] == [302, 302]
    files_before = stored_files()

    response = new_upload(client, 3)

    assert response.status_code == 400
    assert response.context["form"].non_field_errors() == [MESSAGE]
    assert MESSAGE in response.content.decode()
    assert "Leaf worksheet 3" in response.content.decode()  # what was typed stays
    assert sorted(Resource.objects.values_list("title", flat=True)) == [
        "Leaf worksheet 1",
        "Leaf worksheet 2",
    ]
    assert ResourceFile.objects.count() == 2
    assert stored_files() == files_before
    assert len(files_before - files_at_start) == 6  # two PDFs, each with 2 thumbnail widths


@pytest.mark.django_db
def test_item3_r20_a_new_account_gets_its_lower_limit(limits: None) -> None:
    newcomer = MemberFactory(date_joined=timezone.now() - timedelta(days=1))
    client = client_for(newcomer)
    assert [new_upload(client, n).status_code for n in (1, 2)] == [302, 400]
    assert list(Resource.objects.values_list("title", flat=True)) == ["Leaf worksheet 1"]
    assert ResourceFile.objects.count() == 1


@pytest.mark.django_db
def test_item3_r20_adding_files_in_an_edit_counts_and_is_refused_over_the_limit(
    limits: None,
) -> None:
    member = MemberFactory(date_joined=timezone.now() - timedelta(days=30))
    resource = ResourceFactory(author=member)
    client = client_for(member)
    edit = f"/resources/{resource.pk}/edit/"

    for n in (1, 2):
        response = client.post(edit, form_data(files=upload(f"extra-{n}.pdf", pdf_bytes())))
        assert response.status_code == 302
    files_before = stored_files()
    response = client.post(edit, form_data(files=upload("extra-3.pdf", pdf_bytes())))

    assert response.status_code == 400
    assert response.context["form"].non_field_errors() == [MESSAGE]
    assert sorted(resource.files.values_list("name", flat=True)) == ["extra-1.pdf", "extra-2.pdf"]
    assert stored_files() == files_before
    # An edit that adds no file is not an upload and still goes through.
    response = client.post(edit, form_data(title="Leaf worksheet, corrected"))
    assert response.status_code == 302
    resource.refresh_from_db()
    assert resource.title == "Leaf worksheet, corrected"
