"""An idea in a pilot keeps the status "taken forward" (#26 item 5): the
idea page and its card name its pilots only then, and "you said, we did"
counts any idea with a pilot as taken forward, so an idea whose status was
changed by hand after it was taken forward told two stories. Such ideas get
their status back; nothing else changes (their pilots, responses and
history stay)."""

from django.db import migrations


def forwards(apps, schema_editor):
    Idea = apps.get_model("ideas", "Idea")
    PilotIdea = apps.get_model("pilots", "PilotIdea")
    linked = PilotIdea.objects.values("idea_id")
    Idea.objects.filter(pk__in=linked).exclude(status="taken_forward").update(
        status="taken_forward", merged_into=None)


class Migration(migrations.Migration):
    dependencies = [
        ("pilots", "0001_initial"),
        ("ideas", "0009_call_page_order_indexes"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
