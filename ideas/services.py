"""Every write of the participation loop, one function per action.

Each function checks permission (ideas/permissions.py), validates, writes in
one transaction, and registers its side effects — live broadcast, search
indexing, email — with `transaction.on_commit`, so nothing is announced for
a write that rolled back. Views, the API, consumers and commands call these;
none of them writes through the ORM itself."""

from datetime import timedelta

from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from consult import phases
from consult.models import ChallengeCallPage, LearningQuestion, Sector
from live.events import (
    COMMENT_COUNT,
    COMMENT_CREATED,
    COMMENT_DELETED,
    COMMENT_REMOVED,
    COMMENT_TALLY,
    COMMENT_UPDATED,
    IDEA_CREATED,
    IDEA_REMOVED,
    IDEA_RESPONSE,
    IDEA_STATUS,
    IDEA_UPDATED,
    QUEUE_ADDED,
)
from live.topics import call_topic, idea_topic, moderation_topic

from . import notifications
from .errors import ActionError
from .models import (
    ApiToken,
    Comment,
    CommentSupport,
    Follow,
    Idea,
    IdeaRevision,
    IdeaStatus,
    Visibility,
    Vote,
)
from .search_documents import index_idea_on_commit, unindex_idea_on_commit
from .text import render_markdown

TITLE_MAX, SUMMARY_MAX, BODY_MAX, COMMENT_MAX, TAG_MAX, TAGS_MAX, ORG_MAX = 150, 500, 20000, 5000, 40, 10, 160


# --- side effects, registered after commit ---------------------------------


def _after_commit(event_topic_pairs=(), index=(), unindex=()):
    from live import events

    for topic, event, data in event_topic_pairs:
        events.publish_on_commit(topic, event, data)
    for idea_id in index:
        index_idea_on_commit(idea_id)
    for idea_id in unindex:
        unindex_idea_on_commit(idea_id)


# --- validation helpers ------------------------------------------------------


def _text(value, field, label, max_length, required=True):
    from .validation import refuse_nul

    value = refuse_nul((value or "").strip(), field)
    if required and not value:
        raise ActionError(f"Enter {label}.", field=field, code="required")
    if len(value) > max_length:
        raise ActionError(
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
            raise ActionError(f"Each tag must be {TAG_MAX} characters or fewer.", field="tags", code="too_long")
        if tag not in cleaned:
            cleaned.append(tag)
    if len(cleaned) > TAGS_MAX:
        raise ActionError(f"Use {TAGS_MAX} tags or fewer.", field="tags", code="too_many")
    return cleaned


def _require(user, perm, obj, action=None):
    """Refuse with the most specific reason: signed out, phase, then role.

    Django lets superusers pass every has_perm; the phase clock still binds
    them for participation, so a site admin cannot vote after the close."""
    if user.has_perm(perm, obj):
        if user.is_superuser and action in {"submit", "vote", "comment"}:
            from .permissions import call_of

            try:
                phases.check(call_of(obj), action)
            except phases.PhaseClosed as exc:
                raise ActionError(exc.message, status=409, code="phase_closed") from exc
        return
    if not user.is_authenticated:
        raise ActionError("Sign in to do this.", status=401, code="not_authenticated")
    if action is not None:
        from consult.permissions import mission_of

        from .models import Suspension
        from .permissions import call_of

        suspended = _suspension_error(user, obj)
        if suspended is not None:
            raise suspended

        try:
            phases.check(call_of(obj), action)
        except phases.PhaseClosed as exc:
            raise ActionError(exc.message, status=409, code="phase_closed") from exc
    raise ActionError("You are not allowed to do this.", status=403, code="forbidden")


def _suspension_error(user, obj):
    """The refusal for a person suspended from the mission of `obj`, or None."""
    from consult.permissions import mission_of

    from .models import Suspension
    from .permissions import call_of

    suspension = (
        Suspension.objects.filter(user=user, mission=mission_of(call_of(obj)), until__gt=timezone.now())
        .order_by("-until")
        .first()
    )
    if suspension is None:
        return None
    return ActionError(
        f"You are suspended from this mission's calls until {phases.format_moment(suspension.until)}.",
        status=403,
        code="suspended",
    )


def refusal(user, perm, obj, action=None):
    """The ActionError `_require` would raise, or None: for views that must
    say why before showing a form."""
    try:
        _require(user, perm, obj, action=action)
    except ActionError as error:
        return error
    return None


def _lock_user(user):
    get_user_model().objects.select_for_update().filter(pk=user.pk).first()


def _lock_idea(idea):
    return Idea.objects.select_for_update().get(pk=idea.pk)


# --- ideas -------------------------------------------------------------------


def _learning_questions(call, ids):
    ids = [int(i) for i in ids or [] if str(i).strip()]
    if not ids:
        return []
    questions = list(LearningQuestion.objects.filter(pk__in=ids, page_id=call.get_parent().pk))
    if len(questions) != len(set(ids)):
        raise ActionError(
            "Choose learning questions from this call's mission.", field="learning_questions", code="invalid_choice"
        )
    return questions


def _sector(sector_id):
    if sector_id in (None, ""):
        return None
    try:
        return Sector.objects.get(pk=int(sector_id))
    except (Sector.DoesNotExist, ValueError, TypeError):
        raise ActionError("Choose a sector from the list.", field="organisation_sector", code="invalid_choice")


def _log_automatic_hold(item, why):
    """Automatic screening sends the item to the queue, on the record."""
    from consult.permissions import mission_of

    from .models import ModerationAction

    mission = mission_of(item)
    ModerationAction.objects.create(
        mission=mission, moderator=None, kind=ModerationAction.Kind.HOLD,
        idea=item if isinstance(item, Idea) else None, comment=item if isinstance(item, Comment) else None,
        subject=item.author, reason_text=f"Automatic: {why}", after={"visibility": item.visibility},
    )
    kind = "idea" if isinstance(item, Idea) else "comment"
    _after_commit([(moderation_topic(mission.pk), QUEUE_ADDED, {"kind": kind, "id": item.pk})])


def _initial_visibility(call):
    return Visibility.PENDING if call.moderation_mode == ChallengeCallPage.MODERATION_PRE else Visibility.PUBLISHED


def submit_idea(
    user,
    call,
    *,
    title,
    summary,
    body,
    tags=(),
    learning_questions=(),
    organisation="",
    organisation_sector=None,
):
    _require(user, "ideas.submit_idea", call, action="submit")
    title = _text(title, "title", "a title", TITLE_MAX)
    summary = _text(summary, "summary", "a summary", SUMMARY_MAX)
    body = _text(body, "body", "a description of your idea", BODY_MAX)
    organisation = _text(organisation, "organisation", "the organisation's name", ORG_MAX, required=False)
    tag_list = _tags(tags)
    questions = _learning_questions(call, learning_questions)
    sector = _sector(organisation_sector)
    if call.eligibility == "organisations" and not organisation:
        raise ActionError(
            "This call is open to organisations only: enter the organisation you submit for.",
            field="organisation",
            code="required",
        )
    if sector is not None and call.eligibility != "citizens":
        allowed = {s.pk for s in call.sectors.all()}
        if allowed and sector.pk not in allowed:
            raise ActionError(
                "This call is not open to organisations of that sector.", field="organisation_sector", code="ineligible"
            )

    from . import screening

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
            organisation=organisation,
            organisation_sector=sector,
            visibility=Visibility.PENDING if held_because else _initial_visibility(call),
        )
        if held_because:
            _log_automatic_hold(idea, held_because)
        if tag_list:
            idea.tags.set(tag_list)
        if questions:
            idea.learning_questions.set(questions)
        IdeaRevision.objects.create(idea=idea, editor=user, title=title, summary=summary, body=body)
        if idea.visibility == Visibility.PUBLISHED:
            ChallengeCallPage.objects.filter(pk=call.pk).update(idea_count=F("idea_count") + 1)
        Follow.objects.get_or_create(user=user, idea=idea)
        events = []
        if idea.visibility == Visibility.PUBLISHED:
            events.append((call_topic(call.pk), IDEA_CREATED, {"id": idea.pk}))
        else:
            from consult.permissions import mission_of

            events.append((moderation_topic(mission_of(call).pk), QUEUE_ADDED, {"kind": "idea", "id": idea.pk}))
        _after_commit(events, index=[idea.pk])
        notifications.on_commit_notify_call_followers(idea)
    return idea


def edit_idea(user, idea, *, title, summary, body, tags=None, learning_questions=None):
    """An author's edit passes the checks a new post passes (repeated text,
    blocked terms, links from new accounts): a held edit takes the idea off
    the public pages until a moderator looks. A moderator's edit does not."""
    _require(user, "ideas.change_idea", idea, action="edit")
    title = _text(title, "title", "a title", TITLE_MAX)
    summary = _text(summary, "summary", "a summary", SUMMARY_MAX)
    body = _text(body, "body", "a description of your idea", BODY_MAX)
    tag_list = _tags(tags) if tags is not None else None
    questions = _learning_questions(idea.call, learning_questions) if learning_questions is not None else None
    by_author = idea.author_id == user.pk
    held_because = None
    if by_author:
        from . import screening

        screening.refuse_duplicate(user, Idea, body, exclude=idea)
        tag_text = " ".join(tag_list if tag_list is not None else idea.tags.names())
        held_because = screening.hold_reason(user, title, summary, body, idea.organisation, tag_text)
    with transaction.atomic():
        idea = _lock_idea(idea)
        was_public = idea.visibility == Visibility.PUBLISHED
        idea.title, idea.summary, idea.body = title, summary, body
        idea.body_html = render_markdown(body)
        back_to_queue = (
            by_author
            and was_public
            and (idea.call.moderation_mode == ChallengeCallPage.MODERATION_PRE or held_because is not None)
        )
        if back_to_queue or (held_because and idea.visibility == Visibility.PENDING):
            idea.visibility = Visibility.PENDING
        if back_to_queue:
            ChallengeCallPage.objects.filter(pk=idea.call_id).update(idea_count=F("idea_count") - 1)
        idea.save()
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
                from consult.permissions import mission_of

                events.append((moderation_topic(mission_of(idea.call).pk), QUEUE_ADDED, {"kind": "idea", "id": idea.pk}))
        _after_commit(events, index=[idea.pk])
    return idea


def set_idea_status(user, idea, status, *, merged_into=None):
    _require(user, "ideas.set_idea_status", idea)
    if status not in IdeaStatus.values:
        raise ActionError("Choose a status from the list.", field="status", code="invalid_choice")
    if status == IdeaStatus.MERGED:
        if merged_into is None:
            raise ActionError("Choose the idea this one is merged into.", field="merged_into", code="required")
        if merged_into.pk == idea.pk or merged_into.call_id != idea.call_id:
            raise ActionError(
                "An idea can only be merged into another idea of the same call.", field="merged_into", code="invalid"
            )
    with transaction.atomic():
        idea = _lock_idea(idea)
        old = idea.status
        idea.status = status
        idea.merged_into = merged_into if status == IdeaStatus.MERGED else None
        idea.save(update_fields=["status", "merged_into", "updated_at"])
        if old != status:
            data = {"id": idea.pk, "status": status, "label": idea.get_status_display()}
            _after_commit([(idea_topic(idea.pk), IDEA_STATUS, data), (call_topic(idea.call_id), IDEA_STATUS, data)])
            notifications.on_commit_notify_followers(idea, f"Status changed to {idea.get_status_display()}", user)
    return idea


def respond_to_idea(user, idea, text):
    _require(user, "ideas.respond_idea", idea)
    text = _text(text, "response", "the response", BODY_MAX)
    with transaction.atomic():
        idea = _lock_idea(idea)
        idea.response = text
        idea.response_html = render_markdown(text)
        idea.response_at = timezone.now()
        idea.response_by = user
        idea.save(update_fields=["response", "response_html", "response_at", "response_by", "updated_at"])
        _after_commit([(idea_topic(idea.pk), IDEA_RESPONSE, {"id": idea.pk})])
        notifications.on_commit_notify_followers(idea, "The mission team responded", user)
    return idea


# --- votes -------------------------------------------------------------------


def _allowed_values(call):
    if call.voting_mode == ChallengeCallPage.VOTING_SUPPORT:
        return {Vote.SUPPORT}
    if call.voting_mode == ChallengeCallPage.VOTING_AGREE:
        return {Vote.AGREE, Vote.DISAGREE, Vote.PASS}
    return set()


def supports_left(user, call):
    if call.support_limit is None or not user.is_authenticated:
        return None
    used = Vote.objects.filter(user=user, call=call, value=Vote.SUPPORT).count()
    return max(call.support_limit - used, 0)


def tally(idea):
    """The vote counts as sent to pages (JSON replies and live events)."""
    return {
        "id": idea.pk,
        "support": idea.support_count,
        "agree": idea.agree_count,
        "disagree": idea.disagree_count,
        "pass": idea.pass_count,
    }


def _tally_after_commit(idea):
    """Tallies are coalesced: at most one message per topic per 250 ms (live/events.py)."""
    from live import events

    events.tally_on_commit(idea.pk, [idea_topic(idea.pk), call_topic(idea.call_id)])


def cast_vote(user, idea, value=Vote.SUPPORT):
    """Vote once per idea; an agree/disagree/pass vote may be changed."""
    call = idea.call
    if value not in _allowed_values(call) and call.voting_mode != ChallengeCallPage.VOTING_OFF:
        allowed = ", ".join(sorted(_allowed_values(call)))
        raise ActionError(f"This call takes these votes: {allowed}.", field="value", code="invalid_choice")
    if user.is_authenticated and idea.author_id == user.pk and not call.authors_can_vote:
        raise ActionError("You cannot vote on your own idea in this call.", status=403, code="own_idea")
    if call.voting_mode == ChallengeCallPage.VOTING_OFF and user.is_authenticated:
        raise ActionError("Voting is switched off for this call.", status=409, code="voting_off")
    _require(user, "ideas.vote_idea", idea, action="vote")
    with transaction.atomic():
        _lock_user(user)
        idea = _lock_idea(idea)
        existing = Vote.objects.filter(idea=idea, user=user).first()
        if existing is not None and existing.value == value:
            raise ActionError("You have already voted on this idea.", status=409, code="already_voted")
        if value == Vote.SUPPORT and call.support_limit is not None:
            used = Vote.objects.filter(user=user, call_id=idea.call_id, value=Vote.SUPPORT).count()
            if used >= call.support_limit:
                raise ActionError(
                    f"You have used all {call.support_limit} of your supports in this call. "
                    "Withdraw one to support this idea.",
                    status=409,
                    code="limit_reached",
                )
        counters = {}
        if existing is not None:
            counters[Vote.COUNTER[existing.value]] = F(Vote.COUNTER[existing.value]) - 1
            existing.value = value
            existing.save(update_fields=["value"])
        else:
            try:
                with transaction.atomic():
                    Vote.objects.create(idea=idea, user=user, call_id=idea.call_id, value=value)
            except IntegrityError:
                raise ActionError("You have already voted on this idea.", status=409, code="already_voted")
        counters[Vote.COUNTER[value]] = F(Vote.COUNTER[value]) + 1
        Idea.objects.filter(pk=idea.pk).update(**counters)
        idea.refresh_from_db(fields=list(Vote.COUNTER.values()))
        _tally_after_commit(idea)
    return idea


def remove_vote(user, idea):
    if not user.is_authenticated:
        raise ActionError("Sign in to do this.", status=401, code="not_authenticated")
    try:
        phases.check(idea.call, "vote")
    except phases.PhaseClosed as exc:
        raise ActionError(exc.message, status=409, code="phase_closed") from exc
    with transaction.atomic():
        _lock_user(user)
        idea = _lock_idea(idea)
        existing = Vote.objects.filter(idea=idea, user=user).first()
        if existing is None:
            raise ActionError("You have not voted on this idea.", status=409, code="not_voted")
        counter = Vote.COUNTER[existing.value]
        existing.delete()
        Idea.objects.filter(pk=idea.pk).update(**{counter: F(counter) - 1})
        idea.refresh_from_db(fields=list(Vote.COUNTER.values()))
        _tally_after_commit(idea)
    return idea


# --- comments ----------------------------------------------------------------


def add_comment(user, idea, body, parent=None):
    _require(user, "ideas.comment_idea", idea, action="comment")
    body = _text(body, "body", "your comment", COMMENT_MAX)
    from . import screening

    screening.refuse_duplicate(user, Comment, body)
    held_because = screening.hold_reason(user, body)
    with transaction.atomic():
        if parent is not None:
            parent = Comment.objects.select_for_update().filter(pk=parent.pk, idea_id=idea.pk).first()
            if parent is None or parent.visibility != Visibility.PUBLISHED or parent.is_deleted:
                raise ActionError(
                    "The comment you replied to is no longer available.", field="parent", status=409, code="gone"
                )
            # Threads are shown two levels deep: a reply to a reply joins that reply's level.
            if parent.depth >= 2:
                parent = parent.parent
        comment = Comment.objects.create(
            idea=idea,
            parent=parent,
            thread_root=(parent.thread_root or parent) if parent else None,
            depth=(parent.depth + 1) if parent else 0,
            author=user,
            body=body,
            body_html=render_markdown(body),
            visibility=Visibility.PENDING if held_because else Visibility.PUBLISHED,
        )
        if held_because:
            _log_automatic_hold(comment, held_because)
            return comment
        Idea.objects.filter(pk=idea.pk).update(comment_count=F("comment_count") + 1)
        data = {"id": comment.pk, "idea": idea.pk, "parent": parent.pk if parent else None}
        _after_commit([(idea_topic(idea.pk), COMMENT_CREATED, data), (call_topic(idea.call_id), COMMENT_COUNT, {"id": idea.pk})])
        notifications.on_commit_notify_comment(comment)
    return comment


def comment_edit_refusal(user, comment):
    """Why this person may not edit this comment now, or None."""
    if user.has_perm("ideas.change_comment", comment):
        return None
    if comment.author_id == user.pk and not comment.is_deleted:
        suspended = _suspension_error(user, comment)
        if suspended is not None:
            return suspended
        return ActionError("Comments can only be edited for 15 minutes after posting.", status=409, code="edit_window_closed")
    return ActionError("You can only edit your own comments.", status=403, code="forbidden")


def edit_comment(user, comment, body):
    """Edits pass the checks a new comment passes: a held edit takes the
    comment off the page until a moderator looks."""
    refusal = comment_edit_refusal(user, comment)
    if refusal is not None:
        raise refusal
    body = _text(body, "body", "your comment", COMMENT_MAX)
    from . import screening

    screening.refuse_duplicate(user, Comment, body, exclude=comment)
    held_because = screening.hold_reason(user, body)
    with transaction.atomic():
        comment = Comment.objects.select_for_update().get(pk=comment.pk)
        was_public = comment.visibility == Visibility.PUBLISHED
        comment.body = body
        comment.body_html = render_markdown(body)
        comment.edited_at = timezone.now()
        fields = ["body", "body_html", "edited_at"]
        if held_because and comment.visibility in (Visibility.PUBLISHED, Visibility.PENDING):
            comment.visibility = Visibility.PENDING
            fields.append("visibility")
        comment.save(update_fields=fields)
        if held_because and comment.visibility == Visibility.PENDING:
            _log_automatic_hold(comment, f"edited: {held_because}")
        if was_public and comment.visibility != Visibility.PUBLISHED:
            Idea.objects.filter(pk=comment.idea_id).update(comment_count=F("comment_count") - 1)
            _after_commit([(idea_topic(comment.idea_id), COMMENT_REMOVED, {"id": comment.pk, "reason": ""})])
        else:
            _after_commit([(idea_topic(comment.idea_id), COMMENT_UPDATED, {"id": comment.pk})])
    return comment


def delete_comment(user, comment):
    """A comment with replies leaves "comment deleted" in its place."""
    if not user.has_perm("ideas.delete_comment", comment):
        raise ActionError("You can only delete your own comments.", status=403, code="forbidden")
    with transaction.atomic():
        comment = Comment.objects.select_for_update().get(pk=comment.pk)
        if comment.is_deleted:
            return comment
        comment.is_deleted = True
        comment.body = ""
        comment.body_html = ""
        comment.save(update_fields=["is_deleted", "body", "body_html"])
        if comment.visibility == Visibility.PUBLISHED:
            Idea.objects.filter(pk=comment.idea_id).update(comment_count=F("comment_count") - 1)
        _after_commit([(idea_topic(comment.idea_id), COMMENT_DELETED, {"id": comment.pk})])
    return comment


def support_comment(user, comment):
    _require(user, "ideas.support_comment", comment, action="comment")
    with transaction.atomic():
        try:
            with transaction.atomic():
                CommentSupport.objects.create(comment=comment, user=user)
        except IntegrityError:
            raise ActionError("You already support this comment.", status=409, code="already_supported")
        Comment.objects.filter(pk=comment.pk).update(support_count=F("support_count") + 1)
        comment.refresh_from_db(fields=["support_count"])
        _after_commit(
            [(idea_topic(comment.idea_id), COMMENT_TALLY, {"id": comment.pk, "support": comment.support_count})]
        )
    return comment


def unsupport_comment(user, comment):
    if not user.is_authenticated:
        raise ActionError("Sign in to do this.", status=401, code="not_authenticated")
    with transaction.atomic():
        deleted, _ = CommentSupport.objects.filter(comment=comment, user=user).delete()
        if not deleted:
            raise ActionError("You do not support this comment.", status=409, code="not_supported")
        Comment.objects.filter(pk=comment.pk).update(support_count=F("support_count") - 1)
        comment.refresh_from_db(fields=["support_count"])
        _after_commit(
            [(idea_topic(comment.idea_id), COMMENT_TALLY, {"id": comment.pk, "support": comment.support_count})]
        )
    return comment


# --- following -----------------------------------------------------------------


def follow(user, *, idea=None, call=None):
    target = idea if idea is not None else call
    _require(user, "ideas.follow_idea" if idea is not None else "ideas.follow_call", target)
    with transaction.atomic():
        follow_row, created = Follow.objects.get_or_create(user=user, idea=idea, call=call)
    return follow_row


def unfollow(user, *, idea=None, call=None):
    if not user.is_authenticated:
        raise ActionError("Sign in to do this.", status=401, code="not_authenticated")
    with transaction.atomic():
        Follow.objects.filter(user=user, idea=idea, call=call).delete()


# --- personal access tokens ----------------------------------------------------


def create_api_token(user, name):
    name = _text(name, "name", "a name for the token", 80)
    key = ApiToken.new_key()
    with transaction.atomic():
        token = ApiToken.objects.create(user=user, name=name, key_hash=ApiToken.hash_key(key), key_hint=key[-4:])
    return token, key


def revoke_api_token(user, token):
    if token.user_id != user.pk:
        raise ActionError("That token is not yours.", status=404, code="not_found")
    with transaction.atomic():
        ApiToken.objects.filter(pk=token.pk, revoked_at__isnull=True).update(revoked_at=timezone.now())


TOKEN_USE_RESOLUTION = timedelta(minutes=10)


def note_token_use(token):
    """Record when a token was last used, to the nearest ten minutes.

    The account page shows the day; writing on every API call would make
    each read a write, and on SQLite every vote would queue twice for the
    database's one write lock."""
    now = timezone.now()
    if token.last_used_at is not None and now - token.last_used_at < TOKEN_USE_RESOLUTION:
        return
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    token.last_used_at = now
