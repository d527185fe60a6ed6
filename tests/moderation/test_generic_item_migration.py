"""moderation/migrations/0002: flags and audit entries written with the old
idea and comment foreign keys keep pointing at the same items through the
generic reference (content type + object id) that replaced them."""

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from ideas.models import Comment, Idea
from moderation.models import Flag, ModerationAction

from ..factories import CommentFactory, IdeaFactory, UserFactory

BEFORE = [("moderation", "0001_initial")]
AFTER = [("moderation", "0002_generic_item")]


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


@pytest.mark.django_db(transaction=True)
def test_existing_flags_and_audit_entries_move_to_the_generic_reference(site):
    idea = IdeaFactory()
    comment = CommentFactory(idea=idea)
    flagger = UserFactory()
    old = migrate(BEFORE)
    try:
        OldFlag, OldAction = old.get_model("moderation", "Flag"), old.get_model("moderation", "ModerationAction")
        mission_id = idea.call.get_parent().pk
        OldFlag.objects.create(user_id=flagger.pk, idea_id=idea.pk, reason="spam")
        OldFlag.objects.create(user_id=flagger.pk, comment_id=comment.pk, reason="abuse")
        OldAction.objects.create(mission_id=mission_id, kind="hide", idea_id=idea.pk, reason="spam")
        OldAction.objects.create(mission_id=mission_id, kind="hold", comment_id=comment.pk)
        OldAction.objects.create(mission_id=mission_id, kind="suspend", subject_id=flagger.pk)
    finally:
        migrate(AFTER)
    idea_type, comment_type = ContentType.objects.get_for_model(Idea), ContentType.objects.get_for_model(Comment)
    assert sorted((f.reason, f.content_type_id, f.object_id) for f in Flag.objects.all()) == [
        ("abuse", comment_type.pk, comment.pk), ("spam", idea_type.pk, idea.pk)]
    assert sorted((a.kind, a.content_type_id, a.object_id) for a in ModerationAction.objects.all()) == sorted([
        ("hide", idea_type.pk, idea.pk), ("hold", comment_type.pk, comment.pk), ("suspend", None, None)])
    assert Flag.objects.get(reason="spam").item == idea
