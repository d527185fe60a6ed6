"""Reads shared by pages, search, the API and live updates.

What the public may see is decided in ideas/visibility.py, the one
visibility module; every read here starts from it."""

from collections.abc import Mapping, Sequence

from django.core.paginator import EmptyPage, PageNotAnInteger, Paginator, Page
from django.db.models import Count, ExpressionWrapper, F, FloatField, Max, Prefetch, QuerySet
from django.db.models.functions import Least
from django.utils import timezone
from django.utils.functional import cached_property
from django.contrib.auth.models import AnonymousUser, User

from consult import phases
from consult.models import ChallengeCallPage, LearningQuestion, MissionMembership, Sector, MissionPage

from . import fate
from .models import Comment, CommentSupport, Follow, Idea, IdeaStatus, TaggedIdea, Visibility, Vote
from .rules import can
from .validation import parse_id
from .visibility import comment_shown_to, count_visible_to, ideas_visible_to, is_staff_for, listed_ideas, public_ideas

IDEAS_PER_PAGE = 20
COMMENTS_PER_PAGE = 50
AGREE_CHOICES = [(Vote.AGREE, "Agree"), (Vote.DISAGREE, "Disagree"), (Vote.PASS, "Pass")]
SORTS = {
    "newest": "Newest",
    "supported": "Most supported",
    "discussed": "Most discussed",
    "random": "Random",
}
# Agree/disagree/pass calls only: the opinion map's group-informed consensus.
CONSENSUS_SORT = "consensus"
CONSENSUS_LABEL = "Agreed across groups"


# The database order behind each sort that has one ("random" is seeded per visitor).
ORDERINGS = {
    "newest": ("-created_at", "-pk"),
    "supported": ("-support_count", "-agree_count", "-pk"),
    "discussed": ("-comment_count", "-pk"),
    # Idea.consensus is written by the opinions app with each map; ideas not
    # yet scored (and statements about the participant, never scored) go last
    # on both databases (PostgreSQL would put NULLs first in a DESC order).
    CONSENSUS_SORT: (F("consensus").desc(nulls_last=True), "-support_count", "-agree_count", "-pk"),
}


def sorts_for(call: ChallengeCallPage) -> dict[str, str]:
    """The vote sort says what the call's votes are (it orders by support,
    then agreement, either way); without votes there is nothing to sort by.
    Agree/disagree/pass calls also sort by agreement across opinion groups,
    beside the plain count, so a bloc's favourite does not pass for common
    ground."""
    if call.voting_mode == ChallengeCallPage.VOTING_AGREE:
        sorts = {}
        for key, label in SORTS.items():
            sorts[key] = "Most agreed" if key == "supported" else label
            if key == "supported":
                sorts[CONSENSUS_SORT] = CONSENSUS_LABEL
        return sorts
    if call.voting_mode == ChallengeCallPage.VOTING_OFF:
        return {k: v for k, v in SORTS.items() if k != "supported"}
    return SORTS


class KnownCountPaginator(Paginator):
    """A paginator that takes the count from a counter instead of COUNT(*)."""

    def __init__(self, object_list, per_page, known_count=None, **kwargs):
        super().__init__(object_list, per_page, **kwargs)
        self._known_count = known_count

    @cached_property
    def count(self):
        if self._known_count is not None:
            return self._known_count
        return super().count


def paginate(queryset: QuerySet | Sequence, per_page: int, number: str | int | None,
             known_count: int | None = None) -> Page:
    """The page `number` (as typed in the address: any string, or None);
    nonsense gives the first page, past the end the last."""
    paginator = KnownCountPaginator(queryset, per_page, known_count=known_count)
    number = number or 1
    try:
        return paginator.page(number)
    except PageNotAnInteger:
        return paginator.page(1)
    except EmptyPage:
        return paginator.page(paginator.num_pages)


def call_ideas_context(call: ChallengeCallPage, user: User | AnonymousUser, params: Mapping[str, str],
                       seed: int | None = None) -> dict:
    """The list of a call page as this person sees it, with its sort,
    filters and pages, and nothing of their own state on it (their votes:
    ideas/call_ideas.card_footers). For everyone who sees only public ideas it is the same,
    which is what lets ideas/call_ideas.py render it once for all of them."""
    sort = params.get("sort")
    if not (sort in SORTS or (sort == CONSENSUS_SORT and sort in sorts_for(call))):
        sort = "newest"
    status = params.get("status") if params.get("status") in IdeaStatus.values else ""
    tag = (params.get("tag") or "").replace("\x00", "").strip()[:100]  # PostgreSQL refuses NUL (a 500)
    sector = params.get("sector") or ""
    # "²" and a 20-digit number were 500s (int() refused one, SQLite the other).
    sector = sector if parse_id(sector) is not None else ""
    # A learning question of this call's mission (the mission page links
    # here); any other number is ignored, as an unknown tag would be.
    question = parse_id(params.get("question") or "")
    question = (
        LearningQuestion.objects.filter(pk=question, page__path=call.path[: -call.steplen]).first()
        if question is not None
        else None
    )

    staff = is_staff_for(user, call)
    qs = ideas_visible_to(user, call)
    filtered = bool(status or tag or sector or question)
    if question:
        qs = qs.filter(learning_questions=question)
    if status:
        qs = qs.filter(status=status)
    if tag:
        qs = qs.filter(tagged_items__tag__slug=tag)
    if sector:
        qs = qs.filter(organisation_sector_id=int(sector))

    if sort == "random":
        seed = seed or 1
        qs = qs.annotate(shuffle=(F("id") * seed) % 1_000_003).order_by("shuffle", "pk")
    else:
        qs = qs.order_by(*ORDERINGS[sort])

    qs = qs.select_related("organisation_sector", "author").prefetch_related(
        Prefetch("tagged_items", queryset=TaggedIdea.objects.select_related("tag"))
    )
    # The idea counter is exact for what the public sees; filters and staff
    # need a real count.
    known = None if (filtered or staff) else count_visible_to(user, call)
    page = paginate(qs, IDEAS_PER_PAGE, params.get("page"), known_count=known)
    ideas = list(page.object_list)

    # Pilots named only for ideas taken forward: no query on most pages.
    taken = [i.pk for i in ideas if i.status == IdeaStatus.TAKEN_FORWARD]
    pilots = fate.pilots_of(taken) if taken else {}
    for idea in ideas:
        idea.call = call  # the same call for all: the rule reads it without a query per idea
        idea.pilots = pilots.get(idea.pk, [])
        idea.fate = fate.outcome(idea, idea.pilots) if idea.pilots else None

    popular_tags = list(
        TaggedIdea.objects.filter(content_object__in=public_ideas().filter(call=call))
        .values("tag__name", "tag__slug")
        .annotate(n=Count("id"))
        .order_by("-n", "tag__name")[:20]
    )
    return {
        "call": call,
        "ideas": ideas,
        "page_obj": page,
        "sort": sort,
        "sorts": sorts_for(call),
        "status_filter": status,
        "tag_filter": tag,
        "sector_filter": sector,
        "question_filter": question,
        "statuses": IdeaStatus.choices,
        "sectors": list(Sector.objects.all()),
        "popular_tags": popular_tags,
        "agree_choices": AGREE_CHOICES,
    }


def call_actions_context(call: ChallengeCallPage, user: User | AnonymousUser) -> dict:
    """The call's phase and what this person may do in it now."""
    now_window = phases.current_window(call, timezone.now())
    return {
        "phase": now_window.phase,
        "phase_label": phases.LABELS[now_window.phase],
        "phase_ends": now_window.ends,
        "can_submit": can(user, "ideas.submit_idea", call),
        "submit_closed_reason": _reason(call, "submit"),
        "agree_choices": AGREE_CHOICES,
        "supports_left": supports_left(user, call),
        "selected_ideas": list(public_ideas().filter(call=call, status=IdeaStatus.SELECTED).order_by("-support_count")[:20])
        if now_window.phase == phases.RESULTS
        else [],
        "following_call": user.is_authenticated and Follow.objects.filter(user=user, call=call).exists(),
        **(agreement_summary(call) if now_window.phase == phases.RESULTS else {}),
    }


def question_idea_counts(mission: MissionPage) -> list[tuple[int, int, int]]:
    """How many public ideas answer each of the mission's learning questions,
    per call: [(question id, call id, count)], in one query (registered with
    consult/mission_page.py for the mission page)."""
    through = Idea.learning_questions.through
    return list(
        through.objects.filter(learningquestion__page=mission, idea__in=listed_ideas())
        .values_list("learningquestion_id", "idea__call_id")
        .annotate(n=Count("idea_id"))
        .order_by()
    )


def agreement_summary(call: ChallengeCallPage, limit: int = 5) -> dict:
    """For agree/disagree/pass calls: the statements most people agreed with,
    those that split opinion, and those agreed across opinion groups, among
    public opinions with enough votes to say so (a tenth of the most-voted
    opinion's votes, and at least 5).

    Statements about the participant ("I identify as female") are not
    opinions and stay out. Shares are ranked smoothed, (count + 1) / (votes
    + 2) as Pol.is does, so 6 votes at 100% never outrank 21 at 95%; each
    share is shown with its vote count. "Agreed across groups" is the
    group-informed consensus the opinions app writes on each idea with a
    map (Idea.consensus: empty until one is computed, so the list is too).
    Read from the counters, in four queries."""
    if call.voting_mode != ChallengeCallPage.VOTING_AGREE:
        return {}
    total = F("agree_count") + F("disagree_count") + F("pass_count")
    ideas = (public_ideas().filter(call=call, about_participant=False)
             .only("pk", "title", "agree_count", "disagree_count", "pass_count", "consensus")
             .annotate(vote_total=total))
    most = ideas.aggregate(m=Max("vote_total"))["m"] or 0
    floor = max(5, most // 10)
    smoothed_total = ExpressionWrapper(F("vote_total") + 2.0, output_field=FloatField())
    rated = ideas.filter(vote_total__gte=floor).annotate(
        agree_share=ExpressionWrapper((F("agree_count") + 1.0) / smoothed_total, output_field=FloatField()),
        split=ExpressionWrapper((Least("agree_count", "disagree_count") + 1.0) / smoothed_total,
                                output_field=FloatField()),
    )
    agreed = list(rated.order_by("-agree_share", "-vote_total", "pk")[:limit])
    divided = list(rated.filter(split__gt=0.2).order_by("-split", "-vote_total", "pk")[:limit])
    across = list(
        ideas.filter(consensus__isnull=False, vote_total__gt=0)
        .order_by("-consensus", "-vote_total", "pk")[:limit]
    )
    for idea in agreed + divided + across:
        idea.agree_percent = round(100 * idea.agree_count / idea.vote_total)
        idea.disagree_percent = round(100 * idea.disagree_count / idea.vote_total)
    return {"most_agreed": agreed, "most_divided": divided, "agreed_across_groups": across,
            "agreement_floor": floor}


def _reason(call, action):
    try:
        phases.check(call, action)
    except phases.PhaseClosed as exc:
        return exc.message
    return ""


def supports_left(user: User | AnonymousUser, call: ChallengeCallPage) -> int | None:
    """Supports this person has left in a call with a limit, else None."""
    if call.support_limit is None or not user.is_authenticated:
        return None
    used = Vote.objects.filter(user=user, call=call, value=Vote.SUPPORT).count()
    return max(call.support_limit - used, 0)


def tally(idea: Idea) -> dict[str, int]:
    """The vote counts as sent to pages (JSON replies and live events)."""
    return {
        "id": idea.pk,
        "support": idea.support_count,
        "agree": idea.agree_count,
        "disagree": idea.disagree_count,
        "pass": idea.pass_count,
    }


IDEA_PAGE_RELATED = ("call", "author__profile", "organisation_sector", "on_behalf_of", "response_by__profile",
                     "merged_into")


def get_idea_for(user: User | AnonymousUser, idea_id: int | str, related: Sequence[str] = IDEA_PAGE_RELATED) -> Idea | None:
    """The idea if this person may see it, else None (the view answers 404).
    `related`: what is read with it; an action that shows no page (a vote)
    needs only its call (six joins and their objects were a fifth of a vote)."""
    idea = Idea.objects.select_related(*related).filter(pk=idea_id).first()
    if idea is None or not can(user, "ideas.view_idea", idea):
        return None
    return idea


def team_member_ids(call: ChallengeCallPage) -> set[int]:
    """Who speaks for the mission (its team), so their comments carry the
    team badge: one query per page, whatever the number of comments."""
    return set(
        MissionMembership.objects.filter(mission__path=call.path[: -call.steplen], role=MissionMembership.ROLE_TEAM)
        .values_list("user_id", flat=True)
    )


def comment_threads(user: User | AnonymousUser, idea: Idea, page_number: str | int | None = None) -> tuple[Page, list[Comment]]:
    """A page of top-level comments with their replies, in three queries."""
    staff = is_staff_for(user, idea)
    top = Comment.objects.filter(idea=idea, parent__isnull=True).select_related("author__profile").order_by("created_at", "pk")
    page = paginate(top, COMMENTS_PER_PAGE, page_number)
    roots = list(page.object_list)
    replies = list(
        Comment.objects.filter(thread_root__in=[c.pk for c in roots]).select_related("author__profile").order_by("created_at", "pk")
    )
    supported = set()
    if user.is_authenticated:
        ids = [c.pk for c in roots] + [c.pk for c in replies]
        supported = set(CommentSupport.objects.filter(user=user, comment_id__in=ids).values_list("comment_id", flat=True))

    children = {}
    for reply in replies:
        children.setdefault(reply.parent_id, []).append(reply)
    team = team_member_ids(idea.call) if roots else set()

    def shown(comment):
        comment.children = [c for c in children.get(comment.pk, []) if shown(c)]
        comment.i_support = comment.pk in supported
        comment.mine = user.is_authenticated and comment.author_id == user.pk
        comment.by_team = comment.author_id in team and not comment.anonymous
        comment.placeholder = ""
        if comment.is_deleted:
            comment.placeholder = "Comment deleted"
            return bool(comment.children)
        if comment_shown_to(comment, staff=staff, mine=comment.mine):
            return True
        if comment.visibility == Visibility.HIDDEN:
            comment.placeholder = f"Removed by a moderator: {comment.moderation_reason or 'it broke the rules'}"
            return True
        comment.placeholder = "Comment unavailable"
        return bool(comment.children)

    threads = [c for c in roots if shown(c)]
    return page, threads
