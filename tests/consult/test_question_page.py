"""A learning question's own page, /missions/<slug>/questions/<id>/ (issue
#18): the question, where it stands, the answer, the evidence cited (each
pilot with its status and latest results, each call) and the public ideas
answering it per call. And the mission page: each question links to its
page, and each pathway version lists the evidence that changed it."""

import re
from datetime import date
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from consult.models import LearningQuestion, PathwayCitation, PathwayVersion, QuestionEvidence
from ideas.models import Visibility
from pilots.models import PilotStatus
from tests.factories import CallFactory, IdeaFactory, MissionFactory, PilotFactory

pytestmark = pytest.mark.django_db

RESULTS = [(date(2026, 1, d), Decimal(40 - d), f"Week {d}") for d in (1, 8, 15, 22)]


def question(mission, text="Does a named caseworker help?", **fields):
    return LearningQuestion.objects.create(page=mission, question=text, **fields)


def cite(q, page, note):
    return QuestionEvidence.objects.create(question=q, page=page, note=note)


def url(q):
    return q.get_absolute_url()


def test_the_page_shows_the_question_status_and_answer(mission, client):
    q = question(mission, status="answered", answer="Yes, for families with a named contact.")
    cite(q, PilotFactory(parent=mission), "It halved missed appointments.")
    assert url(q) == f"{mission.url}questions/{q.pk}/"
    response = client.get(url(q))
    assert response.status_code == 200
    html = response.content.decode()
    assert '<h1 class="govuk-heading-xl">Does a named caseworker help?</h1>' in html
    assert 'govuk-tag--green" data-question-status="answered">Answered</strong>' in html
    assert "Yes, for families with a named contact." in html[html.index('id="answer"'):html.index('id="evidence"')]


def test_the_evidence_lists_each_pilot_with_status_and_latest_results_and_each_call(mission, client):
    q = question(mission, status="exploring")
    pilot = PilotFactory(parent=mission, title="Caseworkers in Leeds", status=PilotStatus.STOPPED, results=RESULTS)
    call = CallFactory(parent=mission, title="Family services")
    cite(q, pilot, "No change after six months.")
    cite(q, call, "Forty ideas asked for evening hours.")
    html = client.get(url(q)).content.decode()
    evidence = html[html.index('id="evidence"'):html.index('id="ideas"')]
    items = re.findall(r'<li class="mc-card" data-evidence="(\d+)">(.*?)</li>', evidence, re.S)
    assert [int(pk) for pk, _ in items] == [pilot.pk, call.pk]
    pilot_item, call_item = items[0][1], items[1][1]
    assert f'href="{pilot.url}">Caseworkers in Leeds</a>' in pilot_item
    assert 'govuk-tag--red mc-pilot-status" data-pilot-status="stopped">Stopped</strong>' in pilot_item
    assert "No change after six months." in pilot_item
    # The latest three results, newest first; the oldest is left out.
    assert re.findall(r'<th scope="row" class="govuk-table__header">([^<]+)</th>', pilot_item) == [
        "22 January 2026", "15 January 2026", "8 January 2026"]
    assert "18%" in pilot_item and "Week 1<" not in pilot_item
    assert f'href="{call.url}">Family services</a>' in call_item and "Forty ideas asked for evening hours." in call_item
    assert "data-pilot-status" not in call_item


def test_an_unpublished_cited_page_is_left_out(mission, client):
    q = question(mission, status="exploring")
    kept, gone = PilotFactory(parent=mission, title="Still public"), PilotFactory(parent=mission, title="Withdrawn")
    cite(q, kept, "Shown.")
    cite(q, gone, "Hidden.")
    gone.unpublish()
    html = client.get(url(q)).content.decode()
    assert "Still public" in html and "Withdrawn" not in html and "Hidden." not in html


def test_no_evidence_says_so(mission, client):
    assert "No evidence has been cited yet." in client.get(url(question(mission))).content.decode()


def test_public_ideas_answering_it_are_counted_per_call(mission, client):
    q = question(mission)
    call = CallFactory(parent=mission, title="Town centres")
    for visibility in (Visibility.PUBLISHED, Visibility.PUBLISHED, Visibility.HIDDEN):
        IdeaFactory(call=call, visibility=visibility).learning_questions.add(q)
    html = client.get(url(q)).content.decode()
    assert f'href="{call.url}?question={q.pk}#ideas">2 public ideas in Town centres</a>' in html


@pytest.mark.parametrize("tail", ["abc", "1x", "-1", "999999", "%C2%B2", "9" * 30])
def test_not_a_question_of_this_mission_is_404(mission, client, tail):
    assert client.get(f"{mission.url}questions/{tail}/").status_code == 404


def test_another_missions_question_is_404_here(mission, client):
    other = question(MissionFactory(), "Someone else's question?")
    assert client.get(url(other)).status_code == 200
    assert client.get(f"{mission.url}questions/{other.pk}/").status_code == 404


def test_team_written_text_is_escaped(mission, client):
    q = question(mission, text="<script>alert('q')</script>", status="answered", answer="<script>alert('a')</script>")
    cite(q, PilotFactory(parent=mission, title="<script>alert('t')</script>"), "<img src=x onerror=alert(1)>")
    html = client.get(url(q)).content.decode()
    assert "<script>alert(" not in html and "<img src=x" not in html
    assert "&lt;script&gt;alert(&#x27;a&#x27;)&lt;/script&gt;" in html


def queries(client, url):
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def test_fixed_number_of_queries_whatever_the_evidence(mission, client, django_assert_max_num_queries):
    q = question(mission, status="exploring")
    cite(q, PilotFactory(parent=mission, results=RESULTS), "One.")
    cite(q, CallFactory(parent=mission), "A call.")
    client.get(url(q))
    one = queries(client, url(q))
    for n in range(8):
        cite(q, PilotFactory(parent=mission, results=RESULTS), f"More {n}.")
    with django_assert_max_num_queries(one):
        assert client.get(url(q)).content.decode().count("data-evidence=") == 10


# The mission page --------------------------------------------------------------


def test_each_learning_question_links_to_its_page(mission, client):
    q = question(mission, "What works at night?")
    html = client.get(mission.url).content.decode()
    item = html[html.index("What works at night?"):]
    assert f'href="{url(q)}">The evidence for this question' in item[:item.index("</li>")]


def pathway(mission, version="v2", **fields):
    return PathwayVersion.objects.create(page=mission, version=version, date=date(2026, 4, 1),
                                         summary="<p>Evening clinics first.</p>", **fields)


def test_pathway_versions_show_the_evidence_that_changed_them(mission, client):
    v = pathway(mission, changes="Moved to evenings.")
    pilot = PilotFactory(parent=mission, title="Caseworkers", status=PilotStatus.STOPPED, results=RESULTS)
    call = CallFactory(parent=mission, title="Family services")
    PathwayCitation.objects.create(version=v, page=pilot, note="<b>No change</b> after six months.")
    PathwayCitation.objects.create(version=v, page=call, note="Evening hours were asked for.")
    gone = PilotFactory(parent=mission, title="Withdrawn pilot")
    PathwayCitation.objects.create(version=v, page=gone, note="Gone.")
    gone.unpublish()
    html = client.get(mission.url).content.decode()
    pathway_html = html[html.index('id="pathway"'):]
    cites = re.findall(r'<li data-citation="(\d+)">(.*?)</li>', pathway_html, re.S)
    assert [int(pk) for pk, _ in cites] == [pilot.pk, call.pk]
    assert f'href="{pilot.url}">Caseworkers</a> (pilot, stopped), latest result 18% on 22 January 2026' in cites[0][1]
    assert "&lt;b&gt;No change&lt;/b&gt; after six months." in cites[0][1]
    assert f'href="{call.url}">Family services</a>' in cites[1][1] and "Evening hours were asked for." in cites[1][1]
    assert "Withdrawn pilot" not in html


def test_pathway_citations_keep_the_mission_page_at_fixed_queries(mission, client, django_assert_max_num_queries):
    v1 = pathway(mission, "v1")
    PathwayCitation.objects.create(version=v1, page=PilotFactory(parent=mission, results=RESULTS), note="One.")
    PathwayCitation.objects.create(version=v1, page=CallFactory(parent=mission), note="A call.")
    client.get(mission.url)
    one = queries(client, mission.url)
    for n in range(4):
        v = pathway(mission, f"v{n + 2}")
        for _ in range(3):
            PathwayCitation.objects.create(version=v, page=PilotFactory(parent=mission, results=RESULTS), note="More.")
    with django_assert_max_num_queries(one):
        assert client.get(mission.url).content.decode().count("data-citation=") == 14
