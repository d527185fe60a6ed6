"""Moderation: flags, decisions, suspensions and the audit log.

Every decision goes through `moderate()`, which changes the item's
visibility, keeps the counters, search index and live pages in step in the
same commit, appends to the audit log, and tells the author why. The one
visibility module (ideas/visibility.py) then hides the item everywhere."""

from datetime import timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AnonymousUser, User

from consult.models import MissionMembership, MissionPage
from consult.phases import format_moment
from consult.rules import mission_of

from live.events import (
    COMMENT_COUNT,
    COMMENT_CREATED,
    COMMENT_REMOVED,
    IDEA_CREATED,
    IDEA_REMOVED,
    QUEUE_ADDED,
    QUEUE_ALERT,
    QUEUE_UPDATED,
)
from live.topics import call_topic, idea_topic, moderation_topic

from ideas import counters, notifications
from ideas.errors import ActionError
from ideas.models import Comment, Idea, Visibility
from consult.models import Suspension
from .models import Flag, FlagReason, ModerationAction
from ideas.rules import require
from ideas.signals import votes_changed_on_commit
from ideas.services.base import _after_commit, _text

ACTIONS = {
    "approve": ModerationAction.Kind.APPROVE,
    "hide": ModerationAction.Kind.HIDE,
    "restore": ModerationAction.Kind.RESTORE,
    "reject": ModerationAction.Kind.REJECT,
    "request_edit": ModerationAction.Kind.REQUEST_EDIT,
}
# Which states each action may start from.
FROM_STATES = {
    "approve": {Visibility.PENDING, Visibility.HELD},
    "hide": {Visibility.PUBLISHED, Visibility.HELD, Visibility.PENDING},
    "restore": {Visibility.HIDDEN, Visibility.HELD, Visibility.REJECTED},
    "reject": {Visibility.PENDING, Visibility.HELD},
    "request_edit": {Visibility.PENDING, Visibility.HELD, Visibility.PUBLISHED},
}
TARGET_STATE = {
    "approve": Visibility.PUBLISHED,
    "hide": Visibility.HIDDEN,
    "restore": Visibility.PUBLISHED,
    "reject": Visibility.REJECTED,
}


def reason_label(reason: str, text: str = "") -> str:
    if reason == FlagReason.OTHER or not reason:
        return text.strip() or "it breaks the rules"
    return FlagReason(reason).label.lower()


def _kind(item):
    return "idea" if isinstance(item, Idea) else "comment"


def _your(item):
    """The start of what its author is told, naming the idea: "Your idea
    “Warm lofts”", "Your comment on “Warm lofts”"."""
    if isinstance(item, Idea):
        return f"Your idea “{item.title}”"
    return f"Your comment on “{item.idea.title}”"


def _idea_of(item):
    return item if isinstance(item, Idea) else item.idea


def _lock(item):
    return type(item).objects.select_for_update().get(pk=item.pk)


def _log(mission, moderator, kind, item=None, *, subject=None, reason="", reason_text="", before=None, after=None):
    return ModerationAction.objects.create(
        mission=mission,
        moderator=moderator,
        kind=kind,
        idea=item if isinstance(item, Idea) else None,
        comment=item if isinstance(item, Comment) else None,
        subject=subject if subject is not None else getattr(item, "author", None),
        reason=reason or "",
        reason_text=reason_text or "",
        before=before or {},
        after=after or {},
    )


def _apply_visibility(item, new_state, public_reason):
    """Change the state and keep counters, index and live pages in step."""
    before = item.visibility
    was_counted = counters.idea_counts(item) if isinstance(item, Idea) else counters.comment_counts(item)
    item.visibility = new_state
    item.moderation_reason = public_reason if new_state == Visibility.HIDDEN else ""
    item.save(update_fields=["visibility", "moderation_reason"] + (["updated_at"] if isinstance(item, Idea) else []))
    delta = (new_state == Visibility.PUBLISHED) - (before == Visibility.PUBLISHED)
    if isinstance(item, Idea):
        counters.idea_changed(item, was_counted)
        if delta:  # its votes join or leave the call's opinion map: recompute it (debounced)
            votes_changed_on_commit(item.call_id, sender=Idea)
        if delta > 0:
            _after_commit([(call_topic(item.call_id), IDEA_CREATED, {"id": item.pk})], index=[item.pk])
            notifications.on_commit_notify_call_followers(item, again=True)  # approved after pre-moderation
        elif delta < 0:
            removed = {"id": item.pk, "reason": item.moderation_reason}
            _after_commit(
                [(call_topic(item.call_id), IDEA_REMOVED, removed), (idea_topic(item.pk), IDEA_REMOVED, removed)],
                unindex=[item.pk],
            )
    else:
        counted = counters.comment_changed(item, was_counted)
        if delta > 0:
            _after_commit([(idea_topic(item.idea_id), COMMENT_CREATED, {"id": item.pk, "idea": item.idea_id, "parent": item.parent_id})])
            notifications.on_commit_notify_comment(item, again=True)  # approved after pre-moderation
        elif delta < 0:
            _after_commit([(idea_topic(item.idea_id), COMMENT_REMOVED, {"id": item.pk, "reason": item.moderation_reason})])
        if counted:  # the idea's comment count on the call page's card
            _after_commit([(call_topic(item.idea.call_id), COMMENT_COUNT, {"id": item.idea_id})])
    return before


def _author_message(item, action, what, words, mission):
    """What the author is told: the decision, the moderator's own words,
    and how to ask for a review (a reply reaches the mission's team)."""
    lines = [f"Your {_kind(item)} {what}."]
    if words and action != "approve":
        lines += ["", "The moderator wrote:", f"“{words}”"]
    if action in {"hide", "reject"}:
        lines += ["", "If you think this decision is wrong, you can ask for a review: reply to this email, or write "
                  f"to the team of “{mission.title}”, saying which {_kind(item)} and why. A different moderator "
                  "will look at it again."]
    elif action == "request_edit":
        lines += ["", f"Edit your {_kind(item)} and it will be reviewed again."]
    return "\n".join(lines)


def _notify_author(item, subject, body):
    notifications.on_commit_tell_author(item, subject, body)


def moderate(moderator: User | AnonymousUser, item: Idea | Comment, action: str, reason: str = "",
             reason_text: str = "") -> ModerationAction:
    """Approve, hide, restore, reject, or ask the author for an edit."""
    if action not in ACTIONS:
        raise ActionError("Choose approve, hide, restore, reject or request an edit.", field="action", code="invalid_choice")
    require(moderator, "ideas.moderate_idea", item)
    if reason and reason not in FlagReason.values:
        raise ActionError("Choose a reason from the list.", field="reason", code="invalid_choice")
    reason_text = _text(reason_text, "reason_text", "the reason", 500, required=False)
    if action in {"hide", "reject", "request_edit"} and not reason:
        # The code is what the public notice and the transparency report
        # count; words alone cannot be counted, so they come with a code.
        raise ActionError("Choose a reason from the list: the author (and, for hidden items, everyone) will see it.",
                          field="reason", code="required")
    if reason == FlagReason.OTHER and not reason_text:
        raise ActionError("Describe the reason.", field="reason_text", code="required")
    mission = mission_of(item)
    with transaction.atomic():
        item = _lock(item)
        if item.visibility not in FROM_STATES[action]:
            raise ActionError(
                f"This {_kind(item)} is {item.get_visibility_display().lower()}; it cannot be {ACTIONS[action].label.lower()}.",
                status=409,
                code="wrong_state",
            )
        public_reason = reason_label(reason, reason_text)
        before = {"visibility": item.visibility, "reason": item.moderation_reason}
        if action in TARGET_STATE:
            _apply_visibility(item, TARGET_STATE[action], public_reason)
        if action in {"approve", "restore"}:
            Flag.objects.filter(**{_kind(item): item}, resolved_at__isnull=True).update(resolved_at=timezone.now())
        entry = _log(
            mission, moderator, ACTIONS[action], item, reason=reason, reason_text=reason_text,
            before=before, after={"visibility": item.visibility, "reason": item.moderation_reason},
        )
        _after_commit([(moderation_topic(mission.pk), QUEUE_UPDATED,
                        {"kind": _kind(item), "id": item.pk, "action": action, "by": moderator.pk})])
        what = {
            "approve": "was approved and is public",
            "hide": f"was removed by a moderator: {public_reason}",
            "restore": "was restored by a moderator and is public again",
            "reject": f"was not approved: {public_reason}",
            "request_edit": f"needs an edit before it can be public: {public_reason}",
        }[action]
        _notify_author(item, f"{_your(item)} {what.split(':')[0]}", _author_message(item, action, what, reason_text, mission))
    return entry


def approve_idea(user: User | AnonymousUser, idea: Idea) -> Idea:
    moderate(user, idea, "approve")
    return Idea.objects.get(pk=idea.pk)


def hide_idea(user: User | AnonymousUser, idea: Idea, reason: str) -> Idea:
    code = reason if reason in FlagReason.values and reason != FlagReason.OTHER else FlagReason.OTHER
    moderate(user, idea, "hide", reason=code, reason_text="" if code != FlagReason.OTHER else reason)
    return Idea.objects.get(pk=idea.pk)


def restore_idea(user: User | AnonymousUser, idea: Idea) -> Idea:
    moderate(user, idea, "restore")
    return Idea.objects.get(pk=idea.pk)


def with_standing(users: QuerySet) -> QuerySet:
    """The people among `users` whose flags count towards a hold: a verified
    email and an account older than FLAG_STANDING_DAYS, or a public idea or
    comment of theirs at least that old (earlier accepted participation).
    Without this, three accounts made a minute earlier could hide anything.
    The one definition of standing: flag() and the queue both use it."""
    cutoff = timezone.now() - timedelta(days=getattr(settings, "FLAG_STANDING_DAYS", 7))
    verified = EmailAddress.objects.filter(user=OuterRef("pk"), verified=True)
    public_idea = Idea.objects.filter(author=OuterRef("pk"), visibility=Visibility.PUBLISHED, created_at__lte=cutoff)
    public_comment = Comment.objects.filter(
        author=OuterRef("pk"), visibility=Visibility.PUBLISHED, is_deleted=False, created_at__lte=cutoff
    )
    return users.filter(
        (Q(date_joined__lte=cutoff) & Exists(verified)) | Exists(public_idea) | Exists(public_comment)
    )


def has_standing(user: User | AnonymousUser) -> bool:
    # The user model, not type(user): a view's request.user is a lazy
    # wrapper whose type has no manager (the form's third flag answered 500).
    return user.is_authenticated and with_standing(get_user_model().objects.filter(pk=user.pk)).exists()


def _flag_counts(item):
    """(flaggers with standing, flaggers without) among the item's open flags."""
    flaggers = get_user_model().objects.filter(pk__in=Flag.objects.filter(
        **{_kind(item): item}, resolved_at__isnull=True).values("user"))
    everyone = flaggers.count()
    standing = with_standing(flaggers).count()
    return standing, everyone - standing


def _alert_moderators(mission, item, count):
    """A burst of flags from new accounts: moderators are told, nothing is hidden."""
    moderators = [m.user for m in MissionMembership.objects.filter(
        mission=mission, role=MissionMembership.ROLE_MODERATOR).select_related("user")]
    notifications.on_commit_tell_users(
        moderators,
        f"Possible coordinated flagging in “{mission.title}”",
        f"{count} accounts without standing (new, or without a verified email) flagged a {_kind(item)}. "
        "Flags from such accounts do not hold content on their own, so it is still public. "
        f"Please look at it in the queue: {settings.SITE_URL}/moderation/{mission.slug}/items/{_kind(item)}/{item.pk}/",
    )


def flag(user: User | AnonymousUser, item: Idea | Comment, reason: str, text: str = "") -> Flag:
    """Flag once per item. At the call's threshold of flaggers with standing
    the item is held for review; the same number of flags from accounts
    without standing alerts the moderators instead (once per item)."""
    require(user, "ideas.flag", item)
    idea = _idea_of(item)
    if reason not in FlagReason.values:
        raise ActionError("Choose why you are flagging this.", field="reason", code="invalid_choice")
    text = _text(text, "text", "what is wrong", 500, required=reason == FlagReason.OTHER)
    mission = mission_of(idea)
    with transaction.atomic():
        item = _lock(item)
        try:
            with transaction.atomic():
                row = Flag.objects.create(user=user, reason=reason, text=text, **{_kind(item): item})
        except IntegrityError:
            raise ActionError("You have already flagged this.", status=409, code="already_flagged")
        flaggers, without_standing = _flag_counts(item)
        threshold = idea.call.flag_threshold or 3
        events = [(moderation_topic(mission.pk), QUEUE_ADDED,
                   {"kind": _kind(item), "id": item.pk, "flags": flaggers + without_standing})]
        if without_standing == threshold and not has_standing(user):
            events.append((moderation_topic(mission.pk), QUEUE_ALERT, {"kind": _kind(item), "id": item.pk}))
            _alert_moderators(mission, item, without_standing)
        if flaggers >= threshold and item.visibility == Visibility.PUBLISHED:
            before = {"visibility": item.visibility}
            _apply_visibility(item, Visibility.HELD, "")
            _log(mission, None, ModerationAction.Kind.HOLD, item, reason=reason,
                 reason_text=f"{flaggers} people flagged it", before=before, after={"visibility": item.visibility})
            _notify_author(item, f"{_your(item)} is held for review",
                           f"Your {_kind(item)} was flagged by {flaggers} people and is held until a moderator reviews it.")
        _after_commit(events)
    return row




def suspend(moderator: User | AnonymousUser, mission: MissionPage, user: User, days: int, reason: str) -> Suspension:
    require(moderator, "consult.moderate_mission", mission)
    try:
        days = int(days)
    except (TypeError, ValueError):
        raise ActionError("Enter the number of days.", field="days", code="invalid")
    if not 1 <= days <= 365:
        raise ActionError("Suspend for 1 to 365 days.", field="days", code="out_of_range")
    reason = _text(reason, "reason", "the reason", 255)
    if user.pk == moderator.pk:
        raise ActionError("You cannot suspend yourself.", status=403, code="forbidden")
    until = timezone.now() + timedelta(days=days)
    with transaction.atomic():
        row = Suspension.objects.create(mission=mission, user=user, until=until, reason=reason, created_by=moderator)
        _log(mission, moderator, ModerationAction.Kind.SUSPEND, subject=user, reason_text=reason,
             after={"until": until.isoformat()})
        notifications.on_commit_tell_user(
            user, "You are suspended from a mission's calls",
            f"You cannot submit, comment, vote or flag in “{mission.title}” until {format_moment(until)}. Reason: {reason}",
        )
    user.__dict__.pop("_suspended", None)
    return row
