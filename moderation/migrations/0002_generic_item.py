"""Flags and audit entries point at any kind of contribution (ideas/kinds.py)
through a content type and an object id instead of one foreign key per
kind. Existing rows move into the new columns; the tables keep their names."""

from django.db import migrations, models
import django.db.models.deletion


def forwards(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    Flag = apps.get_model("moderation", "Flag")
    ModerationAction = apps.get_model("moderation", "ModerationAction")
    idea_type, _ = ContentType.objects.get_or_create(app_label="ideas", model="idea")
    comment_type, _ = ContentType.objects.get_or_create(app_label="ideas", model="comment")
    for model in (Flag, ModerationAction):
        model.objects.filter(idea__isnull=False).update(content_type=idea_type.pk, object_id=models.F("idea_id"))
        model.objects.filter(comment__isnull=False).update(content_type=comment_type.pk, object_id=models.F("comment_id"))


def backwards(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    Flag = apps.get_model("moderation", "Flag")
    ModerationAction = apps.get_model("moderation", "ModerationAction")
    types = dict(ContentType.objects.filter(app_label="ideas", model__in=["idea", "comment"]).values_list("model", "pk"))
    for model in (Flag, ModerationAction):
        if "idea" in types:
            model.objects.filter(content_type=types["idea"]).update(idea=models.F("object_id"))
        if "comment" in types:
            model.objects.filter(content_type=types["comment"]).update(comment=models.F("object_id"))


class Migration(migrations.Migration):

    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("ideas", "0010_anonymous_ideas_for_no_organisation"),
        ("moderation", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="flag",
            name="content_type",
            field=models.ForeignKey(null=True, on_delete=django.db.models.deletion.CASCADE, related_name="+", to="contenttypes.contenttype"),
        ),
        migrations.AddField(
            model_name="flag",
            name="object_id",
            field=models.PositiveBigIntegerField(null=True),
        ),
        migrations.AddField(
            model_name="moderationaction",
            name="content_type",
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name="+", to="contenttypes.contenttype"),
        ),
        migrations.AddField(
            model_name="moderationaction",
            name="object_id",
            field=models.PositiveBigIntegerField(blank=True, null=True),
        ),
        migrations.RunPython(forwards, backwards),
        migrations.RemoveConstraint(model_name="flag", name="flag_one_target"),
        migrations.RemoveConstraint(model_name="flag", name="flag_idea_once"),
        migrations.RemoveConstraint(model_name="flag", name="flag_comment_once"),
        migrations.RemoveField(model_name="flag", name="idea"),
        migrations.RemoveField(model_name="flag", name="comment"),
        migrations.RemoveField(model_name="moderationaction", name="idea"),
        migrations.RemoveField(model_name="moderationaction", name="comment"),
        migrations.AlterField(
            model_name="flag",
            name="content_type",
            field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name="+", to="contenttypes.contenttype"),
        ),
        migrations.AlterField(
            model_name="flag",
            name="object_id",
            field=models.PositiveBigIntegerField(),
        ),
        migrations.AddConstraint(
            model_name="flag",
            constraint=models.UniqueConstraint(fields=("user", "content_type", "object_id"), name="flag_item_once"),
        ),
        migrations.AddIndex(
            model_name="flag",
            index=models.Index(fields=["content_type", "object_id"], name="flag_item"),
        ),
        migrations.AddIndex(
            model_name="moderationaction",
            index=models.Index(fields=["content_type", "object_id"], name="audit_item"),
        ),
    ]
