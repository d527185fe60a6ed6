"""Moderation: flags, decisions, suspensions and the audit log.

Every decision goes through `moderate()`, which changes the item's
visibility, keeps the counters, search index and live pages in step in the
same commit, appends to the audit log, and tells the author why. The one
visibility module (ideas/visibility.py) then hides the item everywhere."""

from datetime import timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Exists, Model, OuterRef, Q, QuerySet
from django.utils import timezone

from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AnonymousUser, User
from django.contrib.contenttypes.models import ContentType

from consult.models import MissionMembership, MissionPage
from consult.phases import format_moment
from consult.rules import mission_of

from live.events import QUEUE_ADDED, QUEUE_ALERT, QUEUE_UPDATED
from live.topics import moderation_topic

from ideas import kinds, notifications
from inputs.refusals import Refused, require
from ideas.models import Comment, Idea, Visibility
from consult.models import Suspension
from .models import Flag, FlagReason, ModerationAction
from ideas.services.base import after_commit as _after_commit, clean_text as _text

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
    return kinds.of(item).name


def _your(item):
    """The start of what its author is told, naming the item: "Your idea
    “Warm lofts”", "Your comment on “Warm lofts”"."""
    kind = kinds.of(item)
    return f"Your {kind.label} {kind.named(item)}"


def _call_of(item):
    return kinds.of(item).call_of(item)


def _lock(item):
    return type(item).objects.select_for_update().get(pk=item.pk)


def about(item: Model) -> dict:
    """The generic reference to an item: what Flag and ModerationAction store."""
    return {"content_type": ContentType.objects.get_for_model(type(item)),
            "object_id": item.pk}


def _log(mission, moderator, kind, item=None, *, subject=None, reason="", reason_text="", before=None, after=None):
    return ModerationAction.objects.create(
        mission=mission,
        moderator=moderator,
        kind=kind,
        **(about(item) if item is not None else {}),
        subject=subject if subject is not None else (kinds.of(item).author(item) if item is not None else None),
        reason=reason or "",
        reason_text=reason_text or "",
        before=before or {},
        after=after or {},
    )


def log_moderated_score(chair: User, mission: MissionPage, item: Model, subject: User | None, reason: str,
                        before: float | None, after: float | None) -> ModerationAction:
    """A panel chair's moderated score (prizes/), appended to the mission's
    audit log beside every other decision: who, when, why, from what to
    what. The log is the moderators' and the team's, never public; the
    transparency report leaves these out (they are not content decisions)."""
    return _log(mission, chair, ModerationAction.Kind.SCORE, item, subject=subject, reason_text=reason[:500],
                before={"score": before}, after={"score": after})


def _apply_visibility(item, new_state, public_reason):
    """Change the state and keep counters, index and live pages in step,
    as the item's kind says (ideas/kinds.py)."""
    kind = kinds.of(item)
    before = item.visibility
    was_counted = kind.counts(item)
    item.visibility = new_state
    item.moderation_reason = public_reason if new_state == Visibility.HIDDEN else ""
    item.save(update_fields=["visibility", "moderation_reason", *kind.save_fields])
    delta = (new_state == Visibility.PUBLISHED) - (before == Visibility.PUBLISHED)
    counted = kind.count_changed(item, was_counted)
    kind.on_visibility(item, delta)
    events = kind.shown(item) if delta > 0 else kind.removed(item) if delta < 0 else []
    _after_commit([*events, *kind.after_counted(item, counted)])
    if delta > 0:
        kind.on_shown(item)  # approved after pre-moderation: followers are told now
    kind.search(item.pk)
    return before


def _author_message(item, action, what, words, mission):
    """What the author is told: the decision, the moderator's own words,
    and how to ask for a review (a reply reaches the mission's team)."""
    label = kinds.of(item).label
    lines = [f"Your {label} {what}."]
    if words and action != "approve":
        lines += ["", "The moderator wrote:", f"“{words}”"]
    if action in {"hide", "reject"}:
        lines += ["", "If you think this decision is wrong, you can ask for a review: reply to this email, or write "
                  f"to the team of “{mission.title}”, saying which {label} and why. A different moderator "
                  "will look at it again."]
    elif action == "request_edit":
        lines += ["", f"Edit your {label} and it will be reviewed again."]
    return "\n".join(lines)


def _notify_author(item, subject, body):
    notifications.on_commit_tell_author(item, subject, body)


def moderate(moderator: User | AnonymousUser, item: Idea | Comment, action: str, reason: str = "",
             reason_text: str = "") -> ModerationAction:
    """Approve, hide, restore, reject, or ask the author for an edit."""
    if action not in ACTIONS:
        raise Refused("Choose approve, hide, restore, reject or request an edit.", field="action", code="invalid_choice")
    # The mission's moderators: asked of the item's call, which every kind names.
    require(moderator, "ideas.moderate_idea", _call_of(item))
    if reason and reason not in FlagReason.values:
        raise Refused("Choose a reason from the list.", field="reason", code="invalid_choice")
    reason_text = _text(reason_text, "reason_text", "the reason", 500, required=False)
    if action in {"hide", "reject", "request_edit"} and not reason:
        # The code is what the public notice and the transparency report
        # count; words alone cannot be counted, so they come with a code.
        raise Refused("Choose a reason from the list: the author (and, for hidden items, everyone) will see it.",
                          field="reason", code="required")
    if reason == FlagReason.OTHER and not reason_text:
        raise Refused("Describe the reason.", field="reason_text", code="required")
    mission = mission_of(_call_of(item))
    with transaction.atomic():
        item = _lock(item)
        if item.visibility not in FROM_STATES[action]:
            raise Refused(
                f"This {kinds.of(item).label} is {item.get_visibility_display().lower()}; it cannot be {ACTIONS[action].label.lower()}.",
                status=409,
                code="wrong_state",
            )
        public_reason = reason_label(reason, reason_text)
        before = {"visibility": item.visibility, "reason": item.moderation_reason}
        if action in TARGET_STATE:
            _apply_visibility(item, TARGET_STATE[action], public_reason)
        if action in {"approve", "restore"}:
            Flag.objects.filter(**about(item), resolved_at__isnull=True).update(resolved_at=timezone.now())
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
        **about(item), resolved_at__isnull=True).values("user"))
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
        f"{count} accounts without standing (new, or without a verified email) flagged a {kinds.of(item).label}. "
        "Flags from such accounts do not hold content on their own, so it is still public. "
        f"Please look at it in the queue: {settings.SITE_URL}/moderation/{mission.slug}/items/{_kind(item)}/{item.pk}/",
    )


def flag(user: User | AnonymousUser, item: Idea | Comment, reason: str, text: str = "") -> Flag:
    """Flag once per item. At the call's threshold of flaggers with standing
    the item is held for review; the same number of flags from accounts
    without standing alerts the moderators instead (once per item)."""
    require(user, "ideas.flag", item)
    call = _call_of(item)
    if reason not in FlagReason.values:
        raise Refused("Choose why you are flagging this.", field="reason", code="invalid_choice")
    text = _text(text, "text", "what is wrong", 500, required=reason == FlagReason.OTHER)
    mission = mission_of(call)
    with transaction.atomic():
        item = _lock(item)
        try:
            with transaction.atomic():
                row = Flag.objects.create(user=user, reason=reason, text=text, **about(item))
        except IntegrityError:
            raise Refused("You have already flagged this.", status=409, code="already_flagged")
        flaggers, without_standing = _flag_counts(item)
        threshold = call.flag_threshold or 3
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
                           f"Your {kinds.of(item).label} was flagged by {flaggers} people and is held until a moderator reviews it.")
        _after_commit(events)
    return row




def suspend(moderator: User | AnonymousUser, mission: MissionPage, user: User, days: int, reason: str) -> Suspension:
    require(moderator, "consult.moderate_mission", mission)
    try:
        days = int(days)
    except (TypeError, ValueError):
        raise Refused("Enter the number of days.", field="days", code="invalid")
    if not 1 <= days <= 365:
        raise Refused("Suspend for 1 to 365 days.", field="days", code="out_of_range")
    reason = _text(reason, "reason", "the reason", 255)
    if user.pk == moderator.pk:
        raise Refused("You cannot suspend yourself.", status=403, code="forbidden")
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
