"""Accounts made before profiles existed get one: their first and last name
where the admin set them, else "Participant <id>" (never the email)."""

from django.conf import settings
from django.db import migrations


def forwards(apps, schema_editor):
    User = apps.get_model(*settings.AUTH_USER_MODEL.split("."))
    Profile = apps.get_model("people", "Profile")
    missing = User.objects.filter(profile__isnull=True).only("pk", "first_name", "last_name")
    batch = []
    for user in missing.iterator(chunk_size=2000):
        full = " ".join(f"{user.first_name} {user.last_name}".split())
        batch.append(Profile(user_id=user.pk, display_name=full[:60] if len(full) >= 2 else f"Participant {user.pk}"))
        if len(batch) >= 2000:
            Profile.objects.bulk_create(batch, ignore_conflicts=True)
            batch = []
    Profile.objects.bulk_create(batch, ignore_conflicts=True)


class Migration(migrations.Migration):
    dependencies = [("people", "0001_initial"), migrations.swappable_dependency(settings.AUTH_USER_MODEL)]
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
