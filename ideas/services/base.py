"""What the services share: limits, validation, locks, after-commit side effects."""

from collections.abc import Iterable

from django.contrib.auth import get_user_model

from consult.models import ChallengeCallPage
from live import events as live_events
from live.events import (
    QUEUE_ADDED,
)
from inputs.refusals import Refused
from live.topics import moderation_topic

from .. import kinds
from ..models import (
    Idea,
    Visibility,
    Comment,
)
from ..rules import mission_of
from ..signals import held_automatically
from ..search_documents import idea_changed_on_commit
from ..validation import refuse_nul

TITLE_MAX, SUMMARY_MAX, BODY_MAX, COMMENT_MAX, TAG_MAX, TAGS_MAX, ORG_MAX = 150, 500, 20000, 5000, 40, 10, 160


def after_commit(event_topic_pairs: Iterable[tuple] = (), index: Iterable[int] = (), unindex: Iterable[int] = ()) -> None:
    for topic, event, data in event_topic_pairs:
        live_events.publish_on_commit(topic, event, data)
    # The index also follows every save of an idea (ideas/search_documents.py);
    # naming the ideas here costs nothing more: each is synced once per commit,
    # as the visibility module then says (so `unindex` is the same sync).
    for idea_id in (*index, *unindex):
        idea_changed_on_commit(idea_id)


def premoderated(call: ChallengeCallPage) -> bool:
    """The call says every idea and comment is checked by a moderator before
    it is published: new posts, and their authors' edits, wait in the queue."""
    return call.moderation_mode == ChallengeCallPage.MODERATION_PRE


def initial_visibility(call: ChallengeCallPage) -> str:
    return Visibility.PENDING if premoderated(call) else Visibility.PUBLISHED


def queue_on_commit(item: Idea | Comment) -> None:
    """The mission's moderators see the item arrive in their queue (screening's
    holds announce it in _log_automatic_hold)."""
    kind = kinds.of(item)
    after_commit([(moderation_topic(mission_of(kind.call_of(item)).pk), QUEUE_ADDED, {"kind": kind.name, "id": item.pk})])


def clean_text(value: str | None, field: str, label: str, max_length: int, required: bool = True) -> str:
    value = refuse_nul((value or "").strip(), field)
    if required and not value:
        raise Refused(f"Enter {label}.", field=field, code="required")
    if len(value) > max_length:
        raise Refused(
            f"{label[0].upper()}{label[1:]} must be {max_length} characters or fewer (it is {len(value)}).",
            field=field,
            code="too_long",
        )
    return value


def _tags(tags):
    if isinstance(tags, str):
        tags = tags.split(",")
    cleaned = []
    for tag in tags or []:
        tag = str(tag).strip().lower()
        if not tag:
            continue
        if len(tag) > TAG_MAX:
            raise Refused(f"Each tag must be {TAG_MAX} characters or fewer.", field="tags", code="too_long")
        if tag not in cleaned:
            cleaned.append(tag)
    if len(cleaned) > TAGS_MAX:
        raise Refused(f"Use {TAGS_MAX} tags or fewer.", field="tags", code="too_many")
    return cleaned


def _lock_user(user):
    get_user_model().objects.select_for_update().filter(pk=user.pk).first()


def _lock_idea(idea):
    return Idea.objects.select_for_update().get(pk=idea.pk)


def _log_automatic_hold(item, why):
    """Automatic screening sends the item to the queue, on the record: the
    record is moderation's (its audit log), so ideas announces the hold with
    a signal, inside this transaction, and moderation writes the entry
    (moderation/receivers.py). ideas sits below moderation and cannot call it."""
    mission = mission_of(kinds.of(item).call_of(item))
    held_automatically.send(sender=type(item), item=item, mission=mission, why=why)
    after_commit([(moderation_topic(mission.pk), QUEUE_ADDED, {"kind": kinds.of(item).name, "id": item.pk})])
