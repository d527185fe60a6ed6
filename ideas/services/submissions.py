"""Submitting and editing ideas, their status and the team's response."""

from collections.abc import Iterable, Sequence

from django.db import transaction
from django.utils import timezone
from django.contrib.auth.models import AnonymousUser, User

from consult.models import ChallengeCallPage, LearningQuestion
from inputs.refusals import Refused, require
from live.events import (
    IDEA_CREATED,
    IDEA_REMOVED,
    IDEA_RESPONSE,
    IDEA_STATUS,
    IDEA_UPDATED,
    QUEUE_ADDED,
)
from live.topics import call_topic, idea_topic, moderation_topic

from .. import counters, fate, notifications, organisations, screening
from ..models import (
    Follow,
    Idea,
    IdeaRevision,
    IdeaStatus,
    Visibility,
)
from ..rules import mission_of
from ..text import render_markdown
from .base import (
    BODY_MAX,
    SUMMARY_MAX,
    TITLE_MAX,
    after_commit,
    _lock_idea,
    _log_automatic_hold,
    _tags,
    clean_text,
    initial_visibility,
)


def _learning_questions(call, ids):
    ids = [int(i) for i in ids or [] if str(i).strip()]
    if not ids:
        return []
    questions = list(LearningQuestion.objects.filter(pk__in=ids, page_id=call.get_parent().pk))
    if len(questions) != len(set(ids)):
        raise Refused(
            "Choose learning questions from this call's mission.", field="learning_questions", code="invalid_choice"
        )
    return questions


def submit_idea(
    user: User | AnonymousUser,
    call: ChallengeCallPage,
    *,
    title: str,
    summary: str,
    body: str,
    tags: Iterable[str] | str = (),
    learning_questions: Iterable[int | str] = (),
    organisation_id: int | str | None = None,
    anonymous: bool = False,
) -> Idea:
    """`organisation_id` names the organisation the idea is submitted for
    (only its members may; ideas/organisations.py), None to submit as
    oneself; `anonymous` shows it as by "A participant" where the call allows."""
    require(user, "ideas.submit_idea", call)
    title = clean_text(title, "title", "a title", TITLE_MAX)
    summary = clean_text(summary, "summary", "a summary", SUMMARY_MAX)
    body = clean_text(body, "body", "a description of your idea", BODY_MAX)
    tag_list = _tags(tags)
    questions = _learning_questions(call, learning_questions)
    on_behalf_of = organisations.organisation_for(user, call, organisation_id)
    anonymous = organisations.anonymous_choice(call, anonymous, on_behalf_of)
    organisation = on_behalf_of.name if on_behalf_of else ""
    sector = organisations.sector_of(on_behalf_of)
    screening.refuse_duplicate(user, Idea, body)
    held_because = screening.hold_reason(user, title, summary, body, organisation, " ".join(tag_list))
    with transaction.atomic():
        idea = Idea.objects.create(
            call=call,
            author=user,
            title=title,
            summary=summary,
            body=body,
            body_html=render_markdown(body),
            on_behalf_of=on_behalf_of,
            organisation=organisation,
            organisation_sector=sector,
            anonymous=anonymous,
            visibility=Visibility.PENDING if held_because else initial_visibility(call),
        )
        if held_because:
            _log_automatic_hold(idea, held_because)
        if tag_list:
            idea.tags.set(tag_list)
        if questions:
            idea.learning_questions.set(questions)
        IdeaRevision.objects.create(idea=idea, editor=user, title=title, summary=summary, body=body)
        counters.idea_changed(idea, was_counted=False)
        Follow.objects.get_or_create(user=user, idea=idea)
        events = []
        if idea.visibility == Visibility.PUBLISHED:
            events.append((call_topic(call.pk), IDEA_CREATED, {"id": idea.pk}))
        else:
            events.append((moderation_topic(mission_of(call).pk), QUEUE_ADDED, {"kind": "idea", "id": idea.pk}))
        after_commit(events, index=[idea.pk])
        notifications.on_commit_notify_call_followers(idea)
    return idea


def edit_idea(user: User | AnonymousUser, idea: Idea, *, title: str, summary: str, body: str,
              tags: Iterable[str] | str | None = None, learning_questions: Iterable[int | str] | None = None) -> Idea:
    """An author's edit passes the checks a new post passes (repeated text,
    blocked terms, links from new accounts): a held edit takes the idea off
    the public pages until a moderator looks. A moderator's edit does not."""
    require(user, "ideas.change_idea", idea)
    title = clean_text(title, "title", "a title", TITLE_MAX)
    summary = clean_text(summary, "summary", "a summary", SUMMARY_MAX)
    body = clean_text(body, "body", "a description of your idea", BODY_MAX)
    tag_list = _tags(tags) if tags is not None else None
    questions = _learning_questions(idea.call, learning_questions) if learning_questions is not None else None
    by_author = idea.author_id == user.pk
    held_because = None
    if by_author:
        screening.refuse_duplicate(user, Idea, body, exclude=idea)
        tag_text = " ".join(tag_list if tag_list is not None else idea.tags.names())
        held_because = screening.hold_reason(user, title, summary, body, idea.organisation, tag_text)
    with transaction.atomic():
        idea = _lock_idea(idea)
        was_public = idea.visibility == Visibility.PUBLISHED
        was_counted = counters.idea_counts(idea)
        idea.title, idea.summary, idea.body = title, summary, body
        idea.body_html = render_markdown(body)
        back_to_queue = (
            by_author
            and was_public
            and (idea.call.moderation_mode == ChallengeCallPage.MODERATION_PRE or held_because is not None)
        )
        if back_to_queue or (held_because and idea.visibility == Visibility.PENDING):
            idea.visibility = Visibility.PENDING
        idea.save()
        counters.idea_changed(idea, was_counted)
        if held_because and idea.visibility == Visibility.PENDING:
            _log_automatic_hold(idea, f"edited: {held_because}")
        if tag_list is not None:
            idea.tags.set(tag_list)
        if questions is not None:
            idea.learning_questions.set(questions)
        IdeaRevision.objects.create(idea=idea, editor=user, title=title, summary=summary, body=body)
        events = []
        if was_public and not back_to_queue:
            events.append((idea_topic(idea.pk), IDEA_UPDATED, {"id": idea.pk}))
            events.append((call_topic(idea.call_id), IDEA_UPDATED, {"id": idea.pk}))
        elif back_to_queue:
            events.append((idea_topic(idea.pk), IDEA_REMOVED, {"id": idea.pk}))
            events.append((call_topic(idea.call_id), IDEA_REMOVED, {"id": idea.pk}))
            if not held_because:
                events.append((moderation_topic(mission_of(idea.call).pk), QUEUE_ADDED, {"kind": "idea", "id": idea.pk}))
        after_commit(events, index=[idea.pk])
    return idea


TAKE_FORWARD_NAMES_PILOT = (
    "An idea is taken forward into a pilot: use “Take forward into a pilot” and choose the pilot."
)


def in_pilot_message(titles: Sequence[str]) -> str:
    """Why the status of an idea in a pilot cannot be changed (the idea
    page's status form says it before anyone chooses, the service when
    asked anyway)."""
    names = " and ".join(f"“{t}”" for t in titles)
    return (f"This idea is in the pilot{'s' if len(titles) > 1 else ''} {names}, so its status stays "
            "“Taken forward”: what became of it follows the pilot (its start, results and decision) on the "
            "idea, its card and “you said, we did”. To say more, publish a response.")


def set_idea_status(user: User | AnonymousUser, idea: Idea, status: str, *, merged_into: Idea | None = None,
                    pilot_named: bool = False, announce: tuple[str, str | None] | None = None) -> Idea:
    """`pilot_named`: only pilots/services.take_forward, which records the
    pilot in the same transaction, may set "taken forward"; `announce`
    (what, excerpt) is what followers are told instead of the new status."""
    require(user, "ideas.set_idea_status", idea)
    if status not in IdeaStatus.values:
        raise Refused("Choose a status from the list.", field="status", code="invalid_choice")
    if status == IdeaStatus.TAKEN_FORWARD and not pilot_named:
        raise Refused(TAKE_FORWARD_NAMES_PILOT, field="status", code="pilot_required")
    if status == IdeaStatus.MERGED:
        if merged_into is None:
            raise Refused("Choose the idea this one is merged into.", field="merged_into", code="required")
        if merged_into.pk == idea.pk or merged_into.call_id != idea.call_id:
            raise Refused(
                "An idea can only be merged into another idea of the same call.", field="merged_into", code="invalid"
            )
    with transaction.atomic():
        idea = _lock_idea(idea)
        # Checked under the idea's lock, which taking it forward also takes.
        held = fate.held_by(idea) if status != IdeaStatus.TAKEN_FORWARD else []
        if held:
            raise Refused(in_pilot_message(held), field="status", code="in_pilot", status=409)
        old = idea.status
        idea.status = status
        idea.merged_into = merged_into if status == IdeaStatus.MERGED else None
        idea.save(update_fields=["status", "merged_into", "updated_at"])
        if old != status:
            data = {"id": idea.pk, "status": status, "label": idea.get_status_display()}
            after_commit([(idea_topic(idea.pk), IDEA_STATUS, data), (call_topic(idea.call_id), IDEA_STATUS, data)])
            what, excerpt = announce or (f"Status changed to {idea.get_status_display()}", None)
            notifications.on_commit_notify_followers(idea, what, user, excerpt=excerpt)
    return idea


def respond_to_idea(user: User | AnonymousUser, idea: Idea, text: str) -> Idea:
    require(user, "ideas.respond_idea", idea)
    text = clean_text(text, "response", "the response", BODY_MAX)
    with transaction.atomic():
        idea = _lock_idea(idea)
        idea.response = text
        idea.response_html = render_markdown(text)
        idea.response_at = timezone.now()
        idea.response_by = user
        idea.save(update_fields=["response", "response_html", "response_at", "response_by", "updated_at"])
        after_commit([(idea_topic(idea.pk), IDEA_RESPONSE, {"id": idea.pk})])
        notifications.on_commit_notify_followers(idea, "The mission team responded", user, excerpt=text)
    return idea
