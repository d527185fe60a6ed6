"""The participation dashboard of a mission and of a call: counts through
the one visibility query, suppression, gaps in words, the team's view and
references, and a fixed number of queries whatever the size."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from consult.models import LearningQuestion
from ideas.models import Comment, Idea, Visibility, Vote
from participation.models import Reference, Snapshot
from participation.selectors import counts
from participation.services import refresh

from ..factories import CallFactory, CommentFactory, IdeaFactory, OrganisationFactory, UserFactory
from ..opendata.test_downloads import csv_rows
from ..tables import assert_wide_tables_scroll


def _vote(idea, user=None, value="support"):
    Vote.objects.create(idea=idea, user=user or UserFactory(), call=idea.call, value=value)


def _org(region="london", size="large", type="business"):
    return OrganisationFactory(region=region, size=size, type=type)


@pytest.fixture
def busy(mission, call):
    """Six London ideas from large businesses, one from a micro charity in
    Wales, two from individuals, and what must never count."""
    london = _org()
    for _ in range(6):
        IdeaFactory(call=call, on_behalf_of=london, organisation=london.name)
    IdeaFactory(call=call, on_behalf_of=_org("wales", "micro", "charity"))
    first = IdeaFactory(call=call)
    IdeaFactory(call=call, author=first.author)
    CommentFactory(idea=first, author=first.author)
    _vote(first)
    _vote(first, value="support")
    # Never counted: pending, hidden, a comment on a hidden idea, a vote on a pending idea, a draft call.
    IdeaFactory(call=call, visibility=Visibility.PENDING, on_behalf_of=_org("scotland"))
    hidden = IdeaFactory(call=call, visibility=Visibility.HIDDEN)
    CommentFactory(idea=hidden)
    _vote(Idea.objects.get(visibility=Visibility.PENDING))
    draft = CallFactory(parent=mission)
    type(draft).objects.filter(pk=draft.pk).update(live=False)
    IdeaFactory(call=draft, on_behalf_of=_org("scotland"))
    LearningQuestion.objects.create(page=mission, question="Who installs heat pumps?", sort_order=0)
    LearningQuestion.objects.create(page=mission, question="What does it cost?", sort_order=1)
    first.learning_questions.add(LearningQuestion.objects.get(sort_order=0))
    return call


@pytest.mark.django_db
def test_the_call_dashboard_counts_only_what_is_public(client, busy):
    response = client.get(busy.url + "participation/")
    assert response.status_code == 200
    html = response.content.decode()
    totals = html[html.index("data-totals"):html.index("</dl>", html.index("data-totals"))]
    assert "<dt>Ideas</dt><dd>9</dd>" in totals
    # One comment and two votes, all in one week: the week's count would give the total back.
    assert "<dt>Comments</dt><dd>fewer than 5</dd>" in totals
    assert "<dt>Votes</dt><dd>fewer than 5</dd>" in totals
    # Authors of the 9 ideas: 6 London (one factory user each) + 1 Wales + 1 individual (two ideas, one person);
    # the 2 voters; the commenter is the individual.
    assert "<dt>People taking part</dt><dd>10</dd>" in totals
    # The pending idea and the draft call's idea were both from Scotland: Scotland still has none.
    gaps = html[html.index("data-gaps"):html.index("</ul>", html.index("data-gaps"))]
    assert "Scotland" in gaps


@pytest.mark.django_db
def test_gaps_in_words_and_suppression(client, busy):
    html = client.get(busy.url + "participation/").content.decode()
    gaps = html[html.index("data-gaps"):html.index("</ul>", html.index("data-gaps"))]
    assert "No ideas yet from organisations in North East" in gaps  # the list of missing regions
    assert "Wales" not in gaps.split("No ideas yet from organisations in")[1].split(".")[0]
    assert "No ideas yet answer the learning question “What does it cost?”" in gaps
    assert "Who installs heat pumps?" not in gaps
    assert assert_wide_tables_scroll(html) == 4  # by type, size, region; over time
    region = html[html.index('data-dimension="region"'):html.index("</table>", html.index('data-dimension="region"'))]
    wales = region[region.index("Wales"):region.index("</tr>", region.index("Wales"))]
    assert "fewer than 5" in wales and "%</td>" not in wales.split("fewer than 5")[1].split("</td>")[1]
    london = region[region.index("London"):region.index("</tr>", region.index("London"))]
    # The 7 from organisations are withheld (9 ideas less 2 by individuals), so
    # no share of them is shown either: 6 of a known total would give it back.
    assert ">6<" in london and "%<" not in london.replace(">13.1%<", "") and ">13.1%<" in london
    who = html[html.index("data-who"):html.index("</table>", html.index("data-who"))]
    assert "fewer than 5" in who and ">withheld<" in who and ">7<" not in who


@pytest.mark.django_db
def test_the_mission_dashboard_covers_its_calls(client, busy, mission):
    other_call = CallFactory(parent=mission)
    IdeaFactory(call=other_call, on_behalf_of=_org("wales", "small", "community"))
    html = client.get(f"/missions/{mission.slug}/participation/").content.decode()
    assert "<dt>Ideas</dt><dd>10</dd>" in html
    assert "data-team-view" not in html and "data-per-call" not in html
    assert client.get("/missions/no-such-mission/participation/").status_code == 404


@pytest.mark.django_db
def test_the_team_sees_pending_ideas_each_call_and_sets_references(client, busy, mission, team_member, user):
    client.force_login(team_member)
    html = client.get(f"/missions/{mission.slug}/participation/").content.decode()
    assert "data-team-view" in html and "1 idea awaiting moderation" in html
    assert busy.title in html[html.index("data-per-call"):]
    url = f"/missions/{mission.slug}/participation/reference/region/"
    shares = {f"share_{k}": "0" for k in ("north_east", "north_west", "yorkshire", "east_midlands",
                                          "west_midlands", "east", "south_east", "south_west",
                                          "scotland", "wales", "northern_ireland")}
    bad = client.post(url, {**shares, "share_london": "90", "against": "Our target"})
    assert bad.status_code == 400 and "must add up to 100% (they add up to 90%)" in bad.content.decode()
    assert not Reference.objects.exists()
    assert client.post(url, {**shares, "share_london": "abc", "against": "x"}).status_code == 400
    ok = client.post(url, {**shares, "share_london": "50", "share_wales": "50", "against": "our two pilot areas"})
    assert ok.status_code == 302 and Reference.objects.count() == 12
    html = client.get(f"/missions/{mission.slug}/participation/").content.decode()
    assert "Share of our two pilot areas" in html and "set by the mission team" in html
    client.post(url, {"action": "reset"})
    assert not Reference.objects.exists()
    assert client.post(f"/missions/{mission.slug}/participation/reference/planets/", {}).status_code == 404
    client.force_login(user)
    assert client.post(url, {**shares, "share_london": "100", "against": "x"}).status_code == 403
    assert not Reference.objects.exists()


def _queries(client, url):
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def _grow(call, mission, n=1000):
    """n more public ideas (a third each from Wales, London and Scotland,
    spread over five weeks), each with a comment and a vote, made in bulk."""
    week_ago = timezone.now() - timedelta(days=7)
    orgs = [_org(region=r) for r in ("wales", "london", "scotland")]
    author, voter = UserFactory(), UserFactory()
    ideas = Idea.objects.bulk_create([
        Idea(call=call, author=author, title=f"Bulk {k}", summary="s", body="b", body_html="<p>b</p>",
             on_behalf_of=orgs[k % 3], organisation=orgs[k % 3].name, visibility=Visibility.PUBLISHED)
        for k in range(n)
    ])
    Idea.objects.filter(pk__in=[i.pk for i in ideas]).update(created_at=week_ago)
    Comment.objects.bulk_create([Comment(idea=i, author=voter, body="c", body_html="<p>c</p>") for i in ideas])
    Vote.objects.bulk_create([Vote(idea=i, user=voter, call=call, value="support") for i in ideas])
    LearningQuestion.objects.create(page=mission, question="A new question?", sort_order=5)


@pytest.mark.django_db
def test_counting_takes_a_fixed_number_of_queries_at_one_and_at_many_ideas(mission, call):
    first = IdeaFactory(call=call, on_behalf_of=_org())
    CommentFactory(idea=first)
    _vote(first)

    def cost(**scope):
        with CaptureQueriesContext(connection) as captured:
            counts(mission, **scope)
        return len(captured)

    before = [cost(call=call), cost()]
    _grow(call, mission)
    assert [cost(call=call), cost()] == before
    assert counts(mission, call=call)["totals"]["ideas"] == 1001


@pytest.mark.django_db
def test_pages_read_the_stored_counts_in_a_fixed_number_of_queries(client, mission, call, team_member):
    IdeaFactory(call=call, on_behalf_of=_org())
    urls = [call.url + "participation/", f"/missions/{mission.slug}/participation/"]
    client.force_login(team_member)
    for u in urls:
        client.get(u)  # the first view computes and stores the counts
    before = [_queries(client, u) for u in urls]
    _grow(call, mission)
    for scope, scope_id in ((Snapshot.CALL, call.pk), (Snapshot.MISSION, mission.pk)):
        refresh(scope, scope_id)
    assert [_queries(client, u) for u in urls] == before
    assert "<dt>Ideas</dt><dd>1,001</dd>" in client.get(urls[0]).content.decode()


@pytest.mark.django_db
def test_stale_counts_are_shown_while_the_worker_recounts_once(client, call, django_capture_on_commit_callbacks):
    IdeaFactory.create_batch(5, call=call)
    url = call.url + "participation/"
    client.get(url)
    IdeaFactory(call=call)
    Snapshot.objects.update(computed_at=timezone.now() - timedelta(minutes=5))
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        stale = client.get(url).content.decode()
        client.get(url)  # a second look in the same minute asks for nothing more
    assert "<dt>Ideas</dt><dd>5</dd>" in stale
    assert len(callbacks) == 1
    callbacks[0]()  # the worker's run (tests run Huey tasks at once)
    assert "<dt>Ideas</dt><dd>6</dd>" in client.get(url).content.decode()


# --- nothing hidden comes back by subtraction (page and API) ----------------------


def _cells(html, marker):
    import re

    start = html.index(marker)
    table = html[start:html.index("</table>", start)]
    return re.findall(r'<td class="govuk-table__cell govuk-table__cell--numeric">([^<]*)</td>', table)


def _number(text):
    return int(text.replace(",", "")) if text.replace(",", "").isdigit() else None


@pytest.fixture
def few(mission, call):
    """Twelve ideas: three from individuals, six from a large London
    business, three from a Welsh charity; four people vote."""
    london, wales = _org(), _org("wales", "micro", "charity")
    for _ in range(6):
        IdeaFactory(call=call, on_behalf_of=london)
    for _ in range(3):
        IdeaFactory(call=call, on_behalf_of=wales)
    ideas = [IdeaFactory(call=call) for _ in range(3)]
    for idea in ideas[:2]:
        _vote(idea)
    return call


@pytest.mark.django_db
def test_the_page_shows_no_count_a_total_gives_back(client, few):
    html = client.get(few.url + "participation/").content.decode()
    totals = html[html.index("data-totals"):html.index("</dl>", html.index("data-totals"))]
    assert "<dt>Ideas</dt><dd>12</dd>" in totals
    # 14 people took part (12 authors, 2 voters); two votes, all in one week, are not shown.
    assert "<dt>People taking part</dt><dd>14</dd>" in totals
    assert "<dt>Votes</dt><dd>fewer than 5</dd>" in totals
    who = _cells(html, "data-who")
    assert who == ["fewer than 5", "withheld"]  # 12 less 9 from organisations would give the 3 back
    for dimension, columns in (("type", 2), ("region", 3), ("size", 3)):
        cells = _cells(html, f'data-dimension="{dimension}"')
        counted = cells[::columns]
        # The organisations' 9 is not shown, so no share of it is (6 of 67% would give it back),
        # and no column adds up to it.
        assert set(cells[1::columns]) == {""}, dimension
        assert sum(filter(None, map(_number, counted))) == 6, dimension
        # Sizes are of businesses alone: the charity's 3 is in no row of that table.
        assert ("fewer than 5" in counted) == (dimension != "size"), dimension
    assert _cells(html, "data-timeline") == ["12", "0", "fewer than 5", "14"]


@pytest.mark.django_db
def test_the_api_shows_no_count_a_total_gives_back(client, few):
    body = client.get("/api/v1/participation", {"call": few.pk}).json()
    assert body["totals"]["ideas"] == 12 and body["totals"]["votes"] is None
    assert body["individuals"] is None
    by_type = {c["category"]: c["ideas"] for c in body["by_type"]}
    by_region = {c["category"]: c["ideas"] for c in body["by_region"]}
    # 12 ideas less London's 6 leaves the individuals' 3 and Wales' 3, both hidden: 2 to 4 each.
    assert by_region == {"london": 6, "wales": None}
    assert by_type == {"business": 6, "charity": None}
    assert {c["category"]: c["ideas"] for c in body["by_business_size"]} == {"large": 6}
    [week] = body["weeks"]
    assert week["votes"] is None and week["ideas"] == 12 and week["participants"] == 14
    rows = csv_rows(client, few.url + "data/participation.csv")
    sections = {(r["section"], r["category"]): r for r in rows}
    assert sections[("individuals", "")]["ideas"] == "suppressed"
    assert sections[("by_region", "wales")]["ideas"] == "suppressed"
    assert sections[("totals", "")]["votes"] == "suppressed" and sections[("totals", "")]["ideas"] == "12"


@pytest.mark.django_db
def test_sizes_are_compared_with_businesses_only(client, mission, call):
    """The published shares of UK businesses by size describe businesses: a
    charity, council or university is not counted against them."""
    for _ in range(6):
        IdeaFactory(call=call, on_behalf_of=_org("london", "large", "business"))
    for _ in range(20):
        IdeaFactory(call=call, on_behalf_of=_org("london", "micro", "local_government"))
    html = client.get(call.url + "participation/").content.decode()
    size = html[html.index('data-dimension="size"'):html.index("</table>", html.index('data-dimension="size"'))]
    assert "Ideas from businesses, by size" in size
    micro = size[size.index("Micro"):size.index("</tr>", size.index("Micro"))]
    large = size[size.index("Large"):size.index("</tr>", size.index("Large"))]
    assert "None yet" in micro and ">0<" in micro  # the 20 councils are not micro businesses
    assert ">6<" in large and ">100%<" in large
    assert "data-size-note" in html and "for ideas from businesses only" in html
    gaps = html[html.index("data-gaps"):html.index("</ul>", html.index("data-gaps"))]
    assert "No ideas yet from micro or small businesses." in gaps
    counted = counts(mission, call=call)
    assert counted["by_business_size"] == {"large": 6} and counted["by_size"] == {"large": 6, "micro": 20}


@pytest.mark.django_db
def test_a_snapshot_stored_before_business_sizes_is_recounted(client, call):
    for _ in range(5):
        IdeaFactory(call=call, on_behalf_of=_org("london", "small", "business"))
    Snapshot.objects.create(scope=Snapshot.CALL, scope_id=call.pk, computed_at=timezone.now(), counts={
        "totals": {"ideas": 0, "comments": 0, "votes": 0, "participants": 0}, "individuals": 0,
        "by_type": {}, "by_size": {}, "by_region": {}, "questions": [], "weeks": []})
    html = client.get(call.url + "participation/").content.decode()
    assert "<dt>Ideas</dt><dd>5</dd>" in html
