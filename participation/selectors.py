"""The counts behind a participation dashboard, for one call or all of a
mission's calls, in a fixed number of queries whatever the size (grouped in
the database; nothing is loaded row by row). Every count starts from the
one visibility query (ideas/visibility.py), so nothing pending, hidden or in
a private call is counted."""

from datetime import date, datetime

from django.db import connection
from django.db.models import Count, F, Q
from django.db.models.functions import TruncWeek

from consult.models import ChallengeCallPage, LearningQuestion, MissionPage
from ideas.models import Idea, Visibility, Vote
from ideas.visibility import listed_ideas, public_comments, public_ideas
from people.choices import OrganisationType

from .models import Reference
from .references import DEFAULTS

# The shape of `counts`: a stored snapshot of another version is recounted
# before it is shown (2: the sizes of businesses alone, `by_business_size`).
VERSION = 2

def _scope(mission=None, call=None):
    """A filter on ideas for the call, or for every call of the mission."""
    if call is not None:
        return Q(call_id=call.pk)
    return Q(call__path__startswith=mission.path)


def _public_ideas(mission=None, call=None):
    """The public ideas counted: the call's (its dashboard is behind
    Wagtail's check of the call's view restrictions), or the mission's
    calls' that are not under a view restriction (`listed_ideas`)."""
    return (public_ideas() if call is not None else listed_ideas()).filter(_scope(mission, call))


def _week(value):
    if value is None:
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    return date.fromisoformat(str(value)[:10])


def _active_participants_by_week(ideas, comments, votes):
    """Distinct people who submitted, commented or voted, per week: one
    query over the three, grouped in the database (each branch's SQL is
    Django's own, so it runs on SQLite and PostgreSQL alike)."""
    branches = [
        ideas.order_by().annotate(uid=F("author_id"), wk=TruncWeek("created_at")).values_list("uid", "wk"),
        comments.order_by().annotate(uid=F("author_id"), wk=TruncWeek("created_at")).values_list("uid", "wk"),
        votes.order_by().annotate(uid=F("user_id"), wk=TruncWeek("created_at")).values_list("uid", "wk"),
    ]
    parts, params = [], []
    for branch in branches:
        sql, branch_params = branch.query.sql_with_params()
        parts.append(sql)
        params.extend(branch_params)
    sql = f"SELECT wk, COUNT(DISTINCT uid) FROM ({' UNION ALL '.join(parts)}) AS activity GROUP BY wk"
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return {_week(wk): n for wk, n in cursor.fetchall()}


def _per_week(queryset):
    rows = queryset.order_by().annotate(wk=TruncWeek("created_at")).values("wk").annotate(n=Count("pk"))
    return {_week(r["wk"]): r["n"] for r in rows}


def references(mission: MissionPage) -> dict:
    """The team's references per dimension, or the published defaults."""
    chosen = {}
    for ref in Reference.objects.filter(mission=mission):
        entry = chosen.setdefault(ref.dimension, {"shares": {}, "against": ref.against, "source": ref.source,
                                                  "team": True})
        entry["shares"][ref.category] = float(ref.share)
    return {dim: chosen.get(dim) or {**DEFAULTS[dim], "team": False} for dim in DEFAULTS}


def counts(mission: MissionPage, call: ChallengeCallPage | None = None) -> dict:
    """Every count the dashboard shows, as JSON-ready plain values, in a
    fixed number of grouped queries (nine). At a national call's size
    (a million votes) this takes seconds, so pages read it from the stored
    snapshot (participation/services.py) and the worker recomputes it."""
    ideas = _public_ideas(mission, call)
    comments = public_comments().filter(idea__in=ideas)
    votes = Vote.objects.filter(idea__in=ideas)

    totals = {
        "ideas": ideas.count(),
        "comments": comments.count(),
        "votes": votes.count(),
        "participants": ideas.order_by().values_list("author_id").union(
            comments.order_by().values_list("author_id"), votes.order_by().values_list("user_id")
        ).count(),
    }

    # Who submitted: one grouped query gives type, size, region, the sizes of
    # businesses alone (the reference by size describes businesses) and individuals.
    by = {"type": {}, "size": {}, "region": {}}
    business_size = {}
    individuals = 0
    for row in ideas.order_by().values("on_behalf_of__type", "on_behalf_of__size", "on_behalf_of__region").annotate(
        n=Count("pk")
    ):
        if row["on_behalf_of__type"] is None:
            individuals += row["n"]
            continue
        for dim in by:
            key = row[f"on_behalf_of__{dim}"]
            by[dim][key] = by[dim].get(key, 0) + row["n"]
        if row["on_behalf_of__type"] == OrganisationType.BUSINESS:
            key = row["on_behalf_of__size"]
            business_size[key] = business_size.get(key, 0) + row["n"]

    # Learning questions: public ideas answering each, in one query.
    questions = [
        [q, n] for q, n in LearningQuestion.objects.filter(page_id=mission.pk).order_by("sort_order").annotate(
            n=Count("ideas", filter=Q(ideas__in=ideas), distinct=True)
        ).values_list("question", "n")
    ]

    weeks = {}
    for name, series in (
        ("ideas", _per_week(ideas)), ("comments", _per_week(comments)), ("votes", _per_week(votes)),
        ("participants", _active_participants_by_week(ideas, comments, votes)),
    ):
        for wk, n in series.items():
            weeks.setdefault(wk.isoformat(), {"ideas": 0, "comments": 0, "votes": 0, "participants": 0})[name] = n
    return {
        "version": VERSION,
        "totals": totals,
        "individuals": individuals,
        "by_type": by["type"], "by_size": by["size"], "by_region": by["region"],
        "by_business_size": business_size,
        "questions": questions,
        "weeks": [{"week": wk, **c} for wk, c in sorted(weeks.items())],
    }


def team_extras(mission: MissionPage, call: ChallengeCallPage | None = None) -> dict:
    """What only the mission's team sees, read live (two small queries)."""
    scope = _scope(mission, call)
    extras = {"pending": Idea.objects.filter(scope, visibility__in=[Visibility.PENDING, Visibility.HELD]).count()}
    if call is None:
        ideas = public_ideas().filter(scope)
        extras["per_call"] = list(
            ChallengeCallPage.objects.live().descendant_of(mission).annotate(
                public=Count("ideas", filter=Q(ideas__in=ideas), distinct=True)
            ).order_by("path").values_list("title", "public")
        )
    return extras
