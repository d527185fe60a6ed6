"""The call's results page, <call url>results/: the opinion map as SVG with
tables and bars that say the same as GET /api/v1/calls/<id>/opinion-map,
the viewer's own point, empty states, and bounded queries."""

import re

import pytest
from bs4 import BeautifulSoup
from django.db import connection
from django.test.utils import CaptureQueriesContext, override_settings
from django.utils import timezone

from consult.models import ChallengeCallPage
from ideas.models import Idea, Visibility
from opinions import services
from opinions.models import OpinionSnapshot

from ..factories import CallFactory, IdeaFactory, UserFactory
from ..tables import assert_wide_tables_scroll
from .conftest import add_votes, planted_rows

API = "/api/v1/calls/{}/opinion-map"


def results_url(call):
    return call.url + "results/"


def soup_of(response):
    assert response.status_code == 200, response.status_code
    return BeautifulSoup(response.content.decode(), "html.parser")


def text(node):
    return " ".join(node.get_text(" ").split())


@pytest.mark.django_db
def test_map_tables_and_bars_say_what_the_api_says(planted_call, client):
    call, ideas = planted_call["call"], planted_call["ideas"]
    services.recompute(call.pk)
    body = client.get(API.format(call.pk)).json()
    page = soup_of(client.get(results_url(call)))

    svg = page.find("svg", attrs={"data-opinion-map": True})
    assert svg["role"] == "img"
    title, desc = svg.find("title"), svg.find("desc")
    assert call.title in title.text
    assert "16 people" in desc.text and f"{body['n_votes']} votes" in desc.text
    assert "Group A (8 people), Group B (8 people)" in desc.text
    labelled = svg["aria-labelledby"].split()
    assert labelled == [title["id"], desc["id"]]
    # Every participant drawn, each group outlined, a legend.
    assert sum(int(p["data-count"]) for p in svg.find_all("path")) == len(body["points"]) == 16
    assert {o["data-group-outline"] for o in svg.find_all("polygon")} == {"0", "1"}
    legend = text(page.find(attrs={"data-opinion-legend": True}))
    assert "Group A: 8 people" in legend and "Group B: 8 people" in legend
    assert not page.find(attrs={"data-opinion-you": True})  # nobody signed in

    # The numbers used.
    assert page.find(attrs={"data-opinion-votes": True}).text == str(body["n_votes"]) == "160"
    # Group sizes.
    sizes = {row["data-group-row"]: int(row.find(attrs={"data-group-size": True}).text)
             for row in page.find_all(attrs={"data-group-row": True})}
    assert sizes == {str(g["id"]): g["n_participants"] for g in body["groups"]}
    # What sets each group apart: the API's ideas, in its order, with its counts.
    for group in body["groups"]:
        table = page.find(attrs={"data-representative": str(group["id"])})
        rows = table.find_all(attrs={"data-rep-idea": True})
        assert [int(r["data-rep-idea"]) for r in rows] == [r["idea"] for r in group["representative"]]
        for row, rep in zip(rows, group["representative"]):
            inside, outside = text(row.find(attrs={"data-inside": True})), text(row.find(attrs={"data-outside": True}))
            for cell, tally in ((inside, rep["inside"]), (outside, rep["outside"])):
                assert f"{round(tally['shares']['agree'] * 100)}% agree ({tally['agree']})" in cell
                assert f"{round(tally['shares']['disagree'] * 100)}% disagree ({tally['disagree']})" in cell
                assert cell.endswith(f"of {tally['n']}")
    assert assert_wide_tables_scroll(str(page)) == 5  # groups, what sets A and B apart, agreed, votes per idea
    # Agreed across groups: the API's order and consensus.
    agreed = page.find(attrs={"data-agreed": True}).find_all(attrs={"data-agreed-idea": True})
    assert [int(r["data-agreed-idea"]) for r in agreed] == body["agreed_across_groups"][:len(agreed)]
    by_id = {row["idea"]: row for row in body["ideas"]}
    for row in agreed:
        score = by_id[int(row["data-agreed-idea"])]["consensus"]
        assert row.find(attrs={"data-consensus": True}).text == f"{score:.2f}"
    # Bars: every idea, overall and per group, with its shares and count as text.
    bars = page.find(attrs={"data-idea-bars": True})
    assert [int(r["data-bars-idea"]) for r in bars.find_all(attrs={"data-bars-idea": True})] == \
        [row["idea"] for row in body["ideas"]] and len(body["ideas"]) == len(ideas)
    split = ideas[0].pk
    cells = [c for c in bars.find_all(attrs={"data-bar": True})
             if c.find_parent("tbody") and c.find_previous(attrs={"data-bars-idea": True})["data-bars-idea"] == str(split)]
    assert len(cells) == 3  # everyone, group A, group B
    overall = by_id[split]["overall"]
    assert f"{round(overall['agree'] * 100)}% agree" in text(cells[0]) and f"of {overall['n']} votes" in text(cells[0])
    for cell in cells[1:]:
        shares = by_id[split]["groups"][cell["data-bar"]]
        assert f"{round(shares['agree'] * 100)}% agree, {round(shares['disagree'] * 100)}% disagree" in text(cell)
        assert cell.find("rect") is not None and cell.find("svg")["aria-hidden"] == "true"


@pytest.mark.django_db
def test_each_group_has_one_count_on_the_map_the_page_the_svg_and_the_api(planted_call, client):
    """Three late voters with too few votes to shape the groups are placed in
    them: a group's count is everyone in it, the same number everywhere."""
    call, ideas = planted_call["call"], planted_call["ideas"]
    late = [UserFactory() for _ in range(3)]
    add_votes([(u, idea, "agree") for u in late for idea in ideas[:2]])
    services.recompute(call.pk)
    body = client.get(API.format(call.pk)).json()
    assert sum(g["n_placed"] for g in body["groups"]) == 3
    page = soup_of(client.get(results_url(call)))
    desc = text(page.find("desc"))
    summaries = {li["data-group-summary"]: text(li) for li in page.find_all(attrs={"data-group-summary": True})}
    legend = text(page.find(attrs={"data-opinion-legend": True}))
    labels = {t.text for t in page.find_all("text", class_="mc-opinion-map__label")}
    for group in body["groups"]:
        gid, label = str(group["id"]), "Group " + "AB"[group["id"]]
        n = group["n_participants"]
        assert n == group["size"] + group["n_placed"] == sum(1 for p in body["points"] if p["group"] == group["id"])
        assert int(page.find("path", attrs={"data-group-points": gid})["data-count"]) == n  # the SVG's marks
        assert f"{label} ({n})" in labels  # the map's own label
        assert f"{label}: {n} people" in legend
        assert f"{label} ({n} people)" in desc and summaries[gid].startswith(f"{label} ({n} people)")
        row = page.find(attrs={"data-group-row": gid})
        assert int(row.find(attrs={"data-group-size": True}).text) == n
    assert sorted(g["n_participants"] for g in body["groups"]) != sorted(g["size"] for g in body["groups"])


@pytest.mark.django_db
def test_each_group_is_summed_up_in_plain_words_naming_only_distinctive_ideas(planted_call, client):
    call = planted_call["call"]
    services.recompute(call.pk)
    body = client.get(API.format(call.pk)).json()
    assert body["min_distinctive_votes"] == 5
    page = soup_of(client.get(results_url(call)))
    assert "at least 5 of the group's members voted on it" in text(page.find(attrs={"data-distinctive-rule": True}))
    for group in body["groups"]:
        summary = text(page.find(attrs={"data-group-summary": str(group["id"])}))
        agrees = [r["title"] for r in group["representative"] if r["distinctive"] and r["direction"] == "agree"]
        disagrees = [r["title"] for r in group["representative"] if r["distinctive"] and r["direction"] == "disagree"]
        assert agrees and disagrees  # 8 votes a side, split cleanly
        assert summary.startswith(f"Group {'AB'[group['id']]} (8 people) mostly agrees with “{agrees[0]}”")
        assert f"and mostly disagrees with “{disagrees[0]}”" in summary
        rows = page.find(attrs={"data-representative": str(group["id"])}).find_all(attrs={"data-rep-idea": True})
        for row, rep in zip(rows, group["representative"]):
            assert row.has_attr("data-distinctive") == rep["distinctive"]
            assert text(row.find(attrs={"data-rep-status": True})).startswith(
                "Sets " if rep["distinctive"] else f"Group {'AB'[group['id']]} leaned")


@pytest.mark.django_db
def test_a_small_group_is_not_said_to_be_set_apart(mission, client):
    """Two camps of three split cleanly: significant by Pol.is's tests, but on
    fewer than 5 votes a group, so nothing is called distinctive and the page
    says why."""
    call = CallFactory(parent=mission, voting_mode=ChallengeCallPage.VOTING_AGREE)
    ideas = [IdeaFactory(call=call, title=f"Idea {j}") for j in range(8)]
    camp_a, camp_b = [UserFactory() for _ in range(3)], [UserFactory() for _ in range(3)]
    add_votes(planted_rows(camp_a, camp_b, ideas))
    services.recompute(call.pk)
    body = client.get(API.format(call.pk)).json()
    reps = [r for g in body["groups"] for r in g["representative"]]
    assert reps and any(r["significant"] for r in reps) and not any(r["distinctive"] for r in reps)
    page = soup_of(client.get(results_url(call)))
    assert not page.find(attrs={"data-distinctive": True})
    for group in body["groups"]:
        summary = text(page.find(attrs={"data-group-summary": str(group["id"])}))
        assert summary == (f"Group {'AB'[group['id']]} (3 people): nothing sets this group apart yet: no idea has "
                           "votes from at least 5 of its members that clearly differ from the rest.")
    statuses = [text(s) for s in page.find_all(attrs={"data-rep-status": True})]
    assert statuses and all("not called distinctive" in s for s in statuses)
    assert any("only 3 of its members voted on it (at least 5 needed)" in s for s in statuses)
    assert "mostly agrees" not in text(page.find("desc"))


@pytest.mark.django_db
@override_settings(OPINION_DEBOUNCE_SECONDS=60)
def test_the_page_says_when_the_map_was_updated_and_that_it_refreshes(planted_call, client):
    call = planted_call["call"]
    services.recompute(call.pk)
    computed_at = timezone.now() - timezone.timedelta(minutes=3, seconds=5)
    OpinionSnapshot.objects.filter(call=call).update(computed_at=computed_at)
    page = soup_of(client.get(results_url(call)))
    said = text(page.find(attrs={"data-opinion-computed": True}))
    assert said.startswith("Updated 3 minutes ago")
    assert said.endswith("The map is recomputed a minute after new votes.")
    stamp = page.find("time", attrs={"data-opinion-updated": True})["datetime"]
    assert timezone.datetime.fromisoformat(stamp) == computed_at


@pytest.mark.django_db
def test_the_signed_in_viewer_sees_their_own_point(planted_call, client):
    call = planted_call["call"]
    me = planted_call["camp_b"][0]
    snapshot = services.recompute(call.pk).snapshot
    mine = snapshot.data["positions"][str(me.pk)]
    client.force_login(me)
    page = soup_of(client.get(results_url(call)))
    you = page.find(attrs={"data-opinion-you": True})
    assert you is not None and text(you) == "You"
    label = "Group A" if mine["group"] == 0 else "Group B"
    assert f"You are in {label}." in page.find("desc").text
    assert "(your group)" in text(page.find(attrs={"data-group-row": str(mine["group"])}))
    # Drawn at that point, on that group's marks.
    circle = you.find("circle")
    group_path = page.find("path", attrs={"data-group-points": str(mine["group"])})
    assert f"M{float(circle['cx']) - 4:g} {float(circle['cy']):g}" in group_path["d"] or \
        f"{float(circle['cx']) - 4:g} {float(circle['cy']) - 4:g}" in group_path["d"]

    # Someone who has not voted is not on the map.
    client.force_login(UserFactory())
    assert soup_of(client.get(results_url(call))).find(attrs={"data-opinion-you": True}) is None


@pytest.mark.django_db
def test_hidden_ideas_do_not_show(planted_call, client):
    call, ideas = planted_call["call"], planted_call["ideas"]
    services.recompute(call.pk)
    hidden = ideas[-1]
    Idea.objects.filter(pk=hidden.pk).update(visibility=Visibility.HIDDEN)
    html = client.get(results_url(call)).content.decode()
    assert hidden.title not in html and f"/ideas/{hidden.pk}/" not in html
    assert ideas[0].title in html


@pytest.mark.django_db
def test_statements_about_the_participant_show_as_who_took_part(planted_call, client):
    call, ideas = planted_call["call"], planted_call["ideas"]
    about = ideas[-1]
    Idea.objects.filter(pk=about.pk).update(about_participant=True)
    services.recompute(call.pk)
    body = client.get(API.format(call.pk)).json()
    page = soup_of(client.get(results_url(call)))
    table = page.find(attrs={"data-about": True})
    assert table is not None and about.title in text(table)
    assert [int(r["data-about-idea"]) for r in table.find_all(attrs={"data-about-idea": True})] == [about.pk]
    assert f"of {body['about_participant'][0]['overall']['n']} votes" in text(table)
    assert len(table.find_all(attrs={"data-bar": True})) == 3
    # Not among the opinions.
    assert about.pk not in [int(r["data-bars-idea"]) for r in page.find_all(attrs={"data-bars-idea": True})]


@pytest.mark.django_db
def test_queries_do_not_grow_with_participants(planted_call, client):
    call, ideas = planted_call["call"], planted_call["ideas"]
    client.force_login(planted_call["camp_a"][0])

    def count():
        services.recompute(call.pk)
        client.get(results_url(call))  # warm: the site root and session are cached after the first
        with CaptureQueriesContext(connection) as queries:
            assert client.get(results_url(call)).status_code == 200
        return len(queries)

    before = count()
    more_a, more_b = [UserFactory() for _ in range(10)], [UserFactory() for _ in range(10)]
    add_votes(planted_rows(more_a, more_b, ideas))
    after = count()
    # 21: the header's unread notifications count is one query on every signed-in page.
    assert after == before and before <= 21, (before, after)


@pytest.mark.django_db
def test_unpublished_call_is_not_found(planted_call, client):
    call = planted_call["call"]
    services.recompute(call.pk)
    url = results_url(call)
    assert client.get(url).status_code == 200
    call.unpublish()
    assert client.get(url).status_code == 404
    assert client.get(url + "?fragment=map").status_code == 404


@pytest.mark.django_db
def test_the_fragment_is_the_results_region_alone(planted_call, client):
    call = planted_call["call"]
    services.recompute(call.pk)
    response = client.get(results_url(call) + "?fragment=map")
    html = response.content.decode()
    assert response.status_code == 200 and "<html" not in html
    region = BeautifulSoup(html, "html.parser").find(attrs={"data-opinion-results": True})
    assert region["data-live-topic"] == f"call:{call.pk}"
    assert re.fullmatch(rf"call:{call.pk}=\d+", region["data-live-since"])
    assert region.find("svg", attrs={"data-opinion-map": True}) is not None
    # The full page loads the script that swaps it in, and names the call's
    # topic on <body> for the page's one live client (static/js/live.mjs).
    page = BeautifulSoup(client.get(results_url(call)).content.decode(), "html.parser")
    assert page.find("script", src=re.compile(r"js/opinion-map\.mjs$")) is not None
    assert page.body["data-live-topics"] == f"call:{call.pk}"
    assert re.fullmatch(rf"call:{call.pk}=\d+", page.body["data-live-since"])


@pytest.mark.django_db
def test_empty_states_say_why(mission, client):
    support = CallFactory(parent=mission, voting_mode=ChallengeCallPage.VOTING_SUPPORT)
    page = soup_of(client.get(results_url(support)))
    empty = page.find(attrs={"data-opinion-empty": "not-agree"})
    assert empty is not None and "agree / disagree / pass" in text(empty)
    assert page.find("svg", attrs={"data-opinion-map": True}) is None
    assert "opinion-map.mjs" not in str(page)

    fresh = CallFactory(parent=mission, voting_mode=ChallengeCallPage.VOTING_AGREE)
    IdeaFactory(call=fresh)
    page = soup_of(client.get(results_url(fresh)))
    assert "no opinion map yet" in text(page.find(attrs={"data-opinion-empty": "not-computed"}))

    few = CallFactory(parent=mission, voting_mode=ChallengeCallPage.VOTING_AGREE)
    idea = IdeaFactory(call=few)
    add_votes([(UserFactory(), idea, "agree"), (UserFactory(), idea, "disagree")])
    snapshot = services.recompute(few.pk).snapshot
    assert snapshot.reason
    page = soup_of(client.get(results_url(few)))
    assert text(page.find(attrs={"data-opinion-empty": "too-few"})) == " ".join(snapshot.reason.split())
    computed = text(page.find(attrs={"data-opinion-computed": True}))
    assert "from 2 votes by 2 participants" in computed
    assert page.find("svg", attrs={"data-opinion-map": True}) is None


@pytest.mark.django_db
def test_the_call_page_links_to_its_results_once_results_are_out(mission, client):
    from datetime import timedelta

    from django.utils import timezone

    done = CallFactory(parent=mission, voting_mode=ChallengeCallPage.VOTING_AGREE,
                       submission_opens=timezone.now() - timedelta(days=200))
    link = soup_of(client.get(done.url)).find(attrs={"data-results-link": True})
    assert link is not None and link["href"] == results_url(done)
    assert client.get(link["href"]).status_code == 200
    support = CallFactory(parent=mission, submission_opens=timezone.now() - timedelta(days=200))
    assert soup_of(client.get(support.url)).find(attrs={"data-results-link": True}) is None
