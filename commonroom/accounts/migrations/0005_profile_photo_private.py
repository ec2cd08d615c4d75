"""Profile photos move from public MEDIA_ROOT ("profiles/<member id>/<time>.jpg",
served to anyone) to private storage under random names (issue 12, item 6);
from now on they go out only through accounts.views.profile_photo."""

import secrets

from django.core.files.storage import storages
from django.db import migrations, models, transaction

import commonroom.accounts.models
import commonroom.core.storage

NEW_DIR = "profile-photos/"


def _move(apps, *, source, target, to_name, moving_back: bool):
    Profile = apps.get_model("accounts", "Profile")
    profiles = Profile.objects.exclude(photo="")
    profiles = (
        profiles.filter(photo__startswith=NEW_DIR)
        if moving_back
        else profiles.exclude(photo__startswith=NEW_DIR)
    )
    moved = []
    for profile in profiles.only("pk", "member_id", "photo").iterator():
        old = profile.photo.name
        if not source.exists(old):
            # Nothing to serve: the row would only point at a missing file.
            Profile.objects.filter(pk=profile.pk).update(photo="")
            continue
        with source.open(old, "rb") as content:
            new = target.save(to_name(profile), content)
        Profile.objects.filter(pk=profile.pk).update(photo=new)
        moved.append(old)
    # The old files go only once the new names are committed: a failed
    # migration leaves every photo where its row says it is.
    transaction.on_commit(lambda: [source.delete(name) for name in moved])


def photos_to_private(apps, schema_editor):
    _move(
        apps,
        source=storages["default"],
        target=storages["private"],
        to_name=lambda profile: f"{NEW_DIR}{secrets.token_urlsafe(24)}.jpg",
        moving_back=False,
    )


def photos_to_public(apps, schema_editor):
    _move(
        apps,
        source=storages["private"],
        target=storages["default"],
        to_name=lambda profile: f"profiles/{profile.member_id}/{secrets.token_hex(8)}.jpg",
        moving_back=True,
    )


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0004_profile_hidden_by_moderator"),
    ]

    operations = [
        migrations.AlterField(
            model_name="profile",
            name="photo",
            field=models.ImageField(
                blank=True,
                storage=commonroom.core.storage.private_storage,
                upload_to=commonroom.accounts.models.profile_photo_path,
                verbose_name="photo",
            ),
        ),
        migrations.RunPython(photos_to_private, photos_to_public),
    ]
