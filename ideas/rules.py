"""May this person do this to this idea, comment, call or token, and if
not, why? One module of small predicates composed into permissions, so the
phase, the person's role and any suspension decide together; every refusal
anywhere comes from here.

The module is called `rules.py` so `rules`' autodiscovery imports it at
start-up. Ask with `can(user, perm, obj)` (consult/rules.py), never
`user.has_perm`: Django passes superusers for every permission before any
backend is asked, and the phase clock and suspensions must bind site admins
too, so a site admin cannot vote after the close. Site admins get what the
predicates give them (`is_site_admin` in `is_moderator`, `is_team`, ...).

`require(user, perm, obj)` (inputs/refusals.py, the one refusal path of
every app) is the one way a write refuses: it raises a Refused with the first
failing reason of the permission's refusal table (`refuse(...)` under each
permission), and `refusal(...)` returns that error for pages that say why
before showing a form. The reason is found by testing the same predicates again; only the
suspension's end date is read for the message."""

from datetime import timedelta

import rules
from allauth.account.models import EmailAddress
from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html

from consult import phases
from consult.models import ChallengeCallPage
from consult.rules import is_mission_moderator, is_mission_team, is_site_admin, mission_of
from inputs.refusals import SIGNED_IN, SIGNED_OUT_CODE, Refusal, can, only, refuse

from . import kinds, restrictions, visibility
from .models import Comment
from consult.models import Suspension

COMMENT_EDIT_WINDOW = timedelta(minutes=15)

is_staff_of_mission = is_site_admin | is_mission_team | is_mission_moderator
is_moderator = is_site_admin | is_mission_moderator
is_team = is_site_admin | is_mission_team


def call_of(obj):
    if isinstance(obj, ChallengeCallPage):
        return obj
    call = getattr(obj, "call", None)
    if call is not None:
        return call
    if isinstance(obj, Comment):
        return call_of(obj.idea)
    return kinds.of(obj).call_of(obj)  # any other kind of contribution says (ideas/kinds.py)


def phase_allows(action):
    @rules.predicate(name=f"phase_allows_{action}")
    def predicate(user, obj):
        return phases.is_allowed(call_of(obj), action)

    return predicate


@rules.predicate
def is_author(user, obj):
    return user.is_authenticated and obj.author_id == user.pk


# Visibility is decided in ideas/visibility.py; these predicates only ask it.
@rules.predicate
def is_public(user, obj):
    """The item's own state is public."""
    return visibility.is_published(obj)


@rules.predicate
def idea_is_public(user, obj):
    """The idea (or the comment's idea) is public: published, call live."""
    return visibility.is_public_idea(obj if not hasattr(obj, "idea") else obj.idea)


@rules.predicate
def comment_is_public(user, comment):
    return visibility.is_public_comment(comment)


@rules.predicate
def call_is_live(user, obj):
    return call_of(obj).live


@rules.predicate
def mission_is_live(user, mission):
    return mission.live


@rules.predicate
def voting_enabled(user, obj):
    return call_of(obj).voting_mode != ChallengeCallPage.VOTING_OFF


@rules.predicate
def comments_open(user, obj):
    return call_of(obj).comments_open


@rules.predicate
def authors_may_vote(user, obj):
    return call_of(obj).authors_can_vote


@rules.predicate
def within_comment_edit_window(user, comment):
    return timezone.now() - comment.created_at <= COMMENT_EDIT_WINDOW


@rules.predicate
def is_deleted(user, comment):
    return comment.is_deleted


def suspended_from(user, mission):
    """Whether a moderator has suspended this person from the mission's calls
    (read once per request and mission). Moderation writes suspensions; the
    participation rules here read them."""
    if not user.is_authenticated or mission is None:
        return False
    cache = user.__dict__.setdefault("_suspended", {})
    if mission.pk not in cache:
        cache[mission.pk] = Suspension.objects.filter(user=user, mission_id=mission.pk, until__gt=timezone.now()).exists()
    return cache[mission.pk]


@rules.predicate
def is_suspended(user, obj):
    return suspended_from(user, mission_of(call_of(obj)))


@rules.predicate
def has_verified_email(user):
    """Signed-up people confirm their email before they take part, when
    CONTRIBUTE_REQUIRES_VERIFIED_EMAIL is on. Accounts without any allauth
    email record were made by a site admin or a script (createsuperuser, the
    admin, the demo loader), not by sign-up, and are let through."""
    if not settings.CONTRIBUTE_REQUIRES_VERIFIED_EMAIL or not user.is_authenticated:
        return True
    if getattr(user, "_email_verified", None) is None:  # read with the user by cms.accounts.EmailBackend

        emails = list(EmailAddress.objects.filter(user=user).values_list("verified", flat=True))
        user._email_verified = not emails or any(emails)
    return user._email_verified


class _ConfirmEmailMessage(str):
    """Plain text for the API and flash messages; on a page, with a link."""

    def __html__(self):
        return format_html('{} <a class="govuk-link" href="{}">Send the confirmation email again</a>.',
                           CONFIRM_EMAIL_FIRST, reverse("account_email"))


CONFIRM_EMAIL_FIRST = "Confirm your email address before you take part: follow the link in the email we sent you."
EMAIL_VERIFIED = Refusal(has_verified_email, 403, "email_unverified", lambda user, obj: _ConfirmEmailMessage(
    f"{CONFIRM_EMAIL_FIRST} To get a new link, go to {reverse('account_email')} (Your account, Email addresses)."))

is_signed_in = rules.is_authenticated
may_take_part = is_signed_in & has_verified_email & ~is_suspended


@rules.predicate
def may_see_its_idea(user, obj):
    """The idea (or the comment's idea) is one this person may see: the
    view_idea permission itself, so flagging follows whatever it says."""
    kind = kinds.find(type(obj))
    if kind is not None and kind.name not in ("idea", "comment"):  # another kind: its own public rule
        return kind.is_public(obj) or can(user, "consult.view_mission_staff_area", call_of(obj))
    return can(user, "ideas.view_idea", obj.idea if isinstance(obj, Comment) else obj)


@rules.predicate
def passes_view_restrictions(user, obj):
    """The call's view restrictions (a password, signed-in people only, some
    groups) let this person in, as its idea page checks
    (ideas/restrictions.py): a password counts once given in the browser
    whose request asked the page's check."""
    return restrictions.passes(user, call_of(obj))


@rules.predicate
def owns_token(user, token):
    return user.is_authenticated and token.user_id == user.pk


# --- what each refusal says ----------------------------------------------------


def _suspension_message(user, obj):
    """The decision is `is_suspended`'s; this only reads the end date to say."""
    until = (
        Suspension.objects.filter(user=user, mission=mission_of(call_of(obj)), until__gt=timezone.now())
        .order_by("-until")
        .values_list("until", flat=True)
        .first()
    )
    if until is None:
        return "You are suspended from this mission's calls."
    return f"You are suspended from this mission's calls until {phases.format_moment(until)}."


def _phase_message(action):
    def message(user, obj):
        try:
            phases.check(call_of(obj), action)
        except phases.PhaseClosed as exc:
            return exc.message
        return f"{phases.ACTION_NOUNS[action]} for this call are not open now."

    return message


NOT_SUSPENDED = Refusal(~is_suspended, 403, "suspended", _suspension_message)


def phase_open(action):
    return Refusal(phase_allows(action), 409, "phase_closed", _phase_message(action))


# --- the permissions, each with its reasons -----------------------------------

rules.add_perm("ideas.view_call", call_is_live | is_staff_of_mission)
refuse("ideas.view_call", only(call_is_live | is_staff_of_mission, "No such call.", 404, "not_found"))

rules.add_perm("ideas.submit_idea", may_take_part & call_is_live & phase_allows("submit"))
refuse("ideas.submit_idea", SIGNED_IN, EMAIL_VERIFIED, NOT_SUSPENDED, phase_open("submit"),
       only(call_is_live, "You cannot submit to this call."))

may_view_idea = idea_is_public | is_author | is_staff_of_mission
rules.add_perm("ideas.view_idea", may_view_idea)
refuse("ideas.view_idea", only(may_view_idea, "No such idea.", 404, "not_found"))

# A suspended author may not rewrite public text: edits are posts too.
rules.add_perm("ideas.change_idea", is_moderator | (is_author & ~is_suspended & phase_allows("edit")))
refuse("ideas.change_idea", SIGNED_IN, only(is_author | is_moderator, "You can only edit your own ideas."),
       NOT_SUSPENDED, phase_open("edit"))

rules.add_perm("ideas.view_idea_history", is_staff_of_mission)
refuse("ideas.view_idea_history", SIGNED_IN,
       only(is_staff_of_mission, "Only the mission's team and moderators can see an idea's revisions."))

rules.add_perm(
    "ideas.vote_idea",
    may_take_part & is_public & voting_enabled & phase_allows("vote") & (~is_author | authors_may_vote),
)
refuse("ideas.vote_idea", SIGNED_IN, EMAIL_VERIFIED,
       only(~is_author | authors_may_vote, "You cannot vote on your own idea in this call.", code="own_idea"),
       only(voting_enabled, "Voting is switched off for this call.", 409, "voting_off"),
       NOT_SUSPENDED, phase_open("vote"), only(is_public, "You cannot vote on this idea."))

# Withdrawing a vote is allowed while voting is open; a suspension does not
# keep a person's earlier vote counted against their will.
rules.add_perm("ideas.withdraw_vote", is_signed_in & phase_allows("vote"))
refuse("ideas.withdraw_vote", SIGNED_IN, phase_open("vote"))

rules.add_perm("ideas.comment_idea", may_take_part & is_public & comments_open & phase_allows("comment"))
refuse("ideas.comment_idea", SIGNED_IN, EMAIL_VERIFIED, NOT_SUSPENDED, phase_open("comment"),
       only(comments_open, "Comments are closed for this call."), only(is_public, "You cannot comment on this idea."))

rules.add_perm("ideas.follow_idea", is_signed_in & may_view_idea)
refuse("ideas.follow_idea", SIGNED_IN)  # then the idea is not one they may see: NOT_ALLOWED

rules.add_perm("ideas.follow_call", is_signed_in & (call_is_live | is_staff_of_mission))
refuse("ideas.follow_call", SIGNED_IN)

# A mission is followed while it is published (its team may follow it anyway);
# a tag names no one's content in particular, so anyone signed in may follow it.
rules.add_perm("ideas.follow_mission", is_signed_in & (mission_is_live | is_staff_of_mission))
refuse("ideas.follow_mission", SIGNED_IN)
rules.add_perm("ideas.follow_tag", is_signed_in)
refuse("ideas.follow_tag", SIGNED_IN)

# Taking back what one gave needs only to be signed in: stopping following,
# or withdrawing support from a comment, harms nobody, whatever the phase.
rules.add_perm("ideas.unfollow", is_signed_in)
refuse("ideas.unfollow", SIGNED_IN)
rules.add_perm("ideas.unsupport_comment", is_signed_in)
refuse("ideas.unsupport_comment", SIGNED_IN)

rules.add_perm("ideas.set_idea_status", is_team)
refuse("ideas.set_idea_status", SIGNED_IN, only(is_team, "Only the mission's team can change an idea's status."))

rules.add_perm("ideas.respond_idea", is_team)
refuse("ideas.respond_idea", SIGNED_IN, only(is_team, "Only the mission's team can respond to an idea."))

rules.add_perm("ideas.moderate_idea", is_moderator)
refuse("ideas.moderate_idea", SIGNED_IN, only(is_moderator, "Only the mission's moderators can do this."))

may_view_comment = comment_is_public | is_author | is_staff_of_mission
rules.add_perm("ideas.view_comment", may_view_comment)
refuse("ideas.view_comment", only(may_view_comment, "No such comment.", 404, "not_found"))

rules.add_perm("ideas.change_comment", is_author & ~is_suspended & ~is_deleted & within_comment_edit_window)
refuse("ideas.change_comment", SIGNED_IN, only(is_author, "You can only edit your own comments."),
       only(~is_deleted, "This comment was deleted.", 409, "gone"), NOT_SUSPENDED,
       only(within_comment_edit_window, "Comments can only be edited for 15 minutes after posting.", 409,
            "edit_window_closed"))

rules.add_perm("ideas.delete_comment", (is_author & ~is_deleted) | is_moderator)
refuse("ideas.delete_comment", SIGNED_IN, only(is_author | is_moderator, "You can only delete your own comments."),
       only(~is_deleted, "This comment was deleted.", 409, "gone"))

rules.add_perm(
    "ideas.support_comment",
    may_take_part & comment_is_public & phase_allows("comment") & ~is_author,
)
refuse("ideas.support_comment", SIGNED_IN, EMAIL_VERIFIED, NOT_SUSPENDED, phase_open("comment"),
       only(~is_author, "You cannot support your own comment."),
       only(comment_is_public, "This comment is not available.", 409, "gone"))

# Flagging: a person flags what they can see (past the call's view
# restrictions too), once it is public, never their own, and not while suspended.
may_see_to_flag = may_see_its_idea & is_public & passes_view_restrictions
rules.add_perm("ideas.flag", is_signed_in & may_see_to_flag & ~is_author & ~is_suspended)
refuse("ideas.flag", only(is_signed_in, "Sign in to flag content.", 401, SIGNED_OUT_CODE),
       only(may_see_to_flag, "This item is not available.", 404, "not_found"),
       only(~is_author, "You cannot flag your own content.", code="own_content"), NOT_SUSPENDED)

# A token is revoked by its owner only; to anyone else it does not exist.
rules.add_perm("ideas.revoke_token", owns_token)
refuse("ideas.revoke_token", SIGNED_IN, only(owns_token, "That token is not yours.", 404, "not_found"))

# A statement about the participant ("I am under 25") is left out of the
# opinion groups and the consensus (ideas/services/statements.py): whoever
# runs or moderates the mission's calls says which statements are such.
rules.add_perm("ideas.mark_about_participant", is_staff_of_mission)
refuse("ideas.mark_about_participant", SIGNED_IN,
       only(is_staff_of_mission, "Only the mission's team and moderators can mark a statement as one about the "
                                 "participant."))

# Importing a Pol.is conversation creates a call under the mission: its team's
# (or a site admin's) to do. The object is the mission.
rules.add_perm("ideas.import_polis", is_team)
refuse("ideas.import_polis", SIGNED_IN, only(is_team, "Only a mission's team can import into it."))

