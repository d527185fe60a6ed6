"""The mission page's metrics (chart, commentary, table) and its learning
questions linked to the public ideas that answer them."""

import re
from datetime import date
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from consult import mission_page
from consult.models import LearningQuestion, MetricPoint, MissionPage, OutcomeMetric
from ideas import selectors
from ideas.models import Visibility
from tests.factories import CallFactory, IdeaFactory, missions_index

pytestmark = pytest.mark.django_db


def police_metric(**overrides):
    fields = dict(
        name="Police officers in neighbourhood teams", unit="officers (FTE)",
        baseline=Decimal("17050.00"), baseline_date=date(2023, 3, 31),
        target=Decimal("30050.00"), target_date=date(2029, 3, 31),
        points=[
            MetricPoint(date=date(2023, 3, 31), value=Decimal("17050.00"), source="Home Office", commentary="Where we start."),
            MetricPoint(date=date(2025, 3, 31), value=Decimal("16880.00"), source="Home Office", commentary="Behind plan."),
            MetricPoint(date=date(2026, 3, 31), value=Decimal("19340.00"), source="Home Office"),
        ],
    )
    fields.update(overrides)
    return OutcomeMetric(**fields)


@pytest.fixture
def metric_mission(site):
    page = MissionPage(title="Safer streets", slug="safer", goal="Safer streets", owner_name="Marcus Heald",
                       metrics=[police_metric(), OutcomeMetric(name="Share", unit="%", baseline=Decimal("41.00"),
                                                               target=Decimal("60.00"), target_date=date(2030, 1, 15))])
    missions_index().add_child(instance=page)
    page.save_revision().publish()
    return page


def metric_section(html, name):
    start = html.index(f">{name}</h3>")
    return html[start:html.index("</section>", start)]


def test_metric_values_and_dates_read_as_people_write_them(metric_mission, client):
    html = client.get("/missions/safer/").content.decode()
    section = metric_section(html, "Police officers in neighbourhood teams")
    assert "Latest: <strong>19,340 officers (FTE)</strong> in March 2026." in section
    assert "Baseline 17,050 officers (FTE) in March 2023. Target 30,050 officers (FTE) by March 2029." in section
    assert ".00" not in section
    share = metric_section(html, "Share")
    assert "Baseline 41%" in share and "Target 60% by 15 January 2030" in share and "41.00" not in share


def test_each_metric_has_an_accessible_chart_and_its_table_as_text_alternative(metric_mission, client):
    html = client.get("/missions/safer/").content.decode()
    section = metric_section(html, "Police officers in neighbourhood teams")
    metric = OutcomeMetric.objects.get(name="Police officers in neighbourhood teams")
    chart_id = f"metric-chart-{metric.pk}"
    assert f'role="img" aria-labelledby="{chart_id}-title {chart_id}-desc"' in section
    assert f'<desc id="{chart_id}-desc">Line chart of Police officers' in section
    assert ">Target 30,050 by March 2029</text>" in section
    assert "stroke-dasharray" in section
    caption = re.search(r"<caption[^>]*>(.*?)</caption>", section).group(1)
    assert caption == "Figures for Police officers in neighbourhood teams (officers (FTE))"
    rows = re.findall(r'<th scope="row"[^>]*>(.*?)</th><td[^>]*>(.*?)</td>', section)
    assert rows == [("March 2023", "17,050 officers (FTE)"), ("March 2025", "16,880 officers (FTE)"),
                    ("March 2026", "19,340 officers (FTE)")]


def test_the_latest_owners_commentary_sits_beside_the_chart(metric_mission, client):
    html = client.get("/missions/safer/").content.decode()
    section = metric_section(html, "Police officers in neighbourhood teams")
    # The March 2026 figure has none: the latest commentary is March 2025's.
    assert "Behind plan." in section and "Where we start." not in section
    assert "Marcus Heald, on the March 2025 figure of 16,880 officers (FTE)." in section
    assert section.index("mc-chart-frame") < section.index("Behind plan.") < section.index("<table")


def test_a_metric_without_figures_says_so_and_draws_no_chart(metric_mission, client):
    section = metric_section(client.get("/missions/safer/").content.decode(), "Share")
    assert "No figures have been published yet." in section
    assert "<svg" not in section and "<table" not in section


def test_call_deadlines_are_in_words_not_naturaltime(call, client):
    html = client.get(call.get_parent().url).content.decode()
    assert "from now" not in html
    assert re.search(r"closes in 4 weeks, on \d{1,2} [A-Z][a-z]+ \d{4} at ", html)


# Learning questions ----------------------------------------------------------


def question(mission, text="What works?"):
    return LearningQuestion.objects.create(page=mission, question=text)


def test_learning_questions_count_public_ideas_and_link_to_the_call_filtered(mission, client):
    call = CallFactory(parent=mission, title="Town centres")
    q1, _ = question(mission, "What works at night?"), question(mission, "Who is missing?")
    for visibility in (Visibility.PUBLISHED, Visibility.PUBLISHED, Visibility.PENDING, Visibility.HIDDEN):
        IdeaFactory(call=call, visibility=visibility).learning_questions.add(q1)
    html = client.get(mission.url).content.decode()
    link = f'href="{call.url}?question={q1.pk}#ideas">2 ideas in Town centres</a>'
    assert "2 public ideas answer this:" in html and link in html
    q2_item = html[html.index("Who is missing?"):]
    assert "No public ideas answer this yet." in q2_item[: q2_item.index("</li>")]


def test_ideas_in_a_call_that_is_not_live_are_not_counted(mission, client):
    call = CallFactory(parent=mission)
    q = question(mission)
    IdeaFactory(call=call).learning_questions.add(q)
    call.unpublish()
    assert selectors.question_idea_counts(mission) == []
    assert "No public ideas answer this yet." in client.get(mission.url).content.decode()


def test_counts_are_per_call_and_per_question(mission):
    a, b = CallFactory(parent=mission), CallFactory(parent=mission)
    q1, q2 = question(mission, "One?"), question(mission, "Two?")
    IdeaFactory(call=a).learning_questions.add(q1, q2)
    IdeaFactory(call=b).learning_questions.add(q1)
    IdeaFactory(call=b).learning_questions.add(q1)
    assert sorted(mission_page.question_ideas(mission)) == sorted([(q1.pk, a.pk, 1), (q2.pk, a.pk, 1), (q1.pk, b.pk, 2)])


def mission_page_queries(client, url):
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def test_mission_page_runs_a_fixed_number_of_queries_whatever_the_questions_and_ideas(
    mission, client, django_assert_max_num_queries
):
    call = CallFactory(parent=mission)
    IdeaFactory(call=call).learning_questions.add(question(mission))
    client.get(mission.url)  # warm Wagtail's per-process caches
    one = mission_page_queries(client, mission.url)

    for n in range(12):
        extra_call = CallFactory(parent=mission) if n % 4 == 0 else call
        q = question(mission, f"Question {n}?")
        for _ in range(3):
            IdeaFactory(call=extra_call).learning_questions.add(q)
    many = mission_page_queries(client, mission.url)
    assert many == one
    with django_assert_max_num_queries(one):
        assert "3 ideas in" in client.get(mission.url).content.decode()


# The call page's ?question= filter --------------------------------------------


def test_call_page_filters_ideas_by_learning_question(mission, call, client):
    q = question(mission, "What works at night?")
    tagged = IdeaFactory(call=call, title="Street pastors")
    tagged.learning_questions.add(q)
    IdeaFactory(call=call, title="Better lighting")
    html = client.get(f"{call.url}?question={q.pk}").content.decode()
    assert "Street pastors" in html and "Better lighting" not in html
    assert "Showing ideas that answer the learning question “What works at night?”" in html
    assert f'<input type="hidden" name="question" value="{q.pk}">' in html  # kept when sorting
    assert "Better lighting" in client.get(call.url).content.decode()


@pytest.mark.parametrize("raw", ["abc", "²", "99999999999999999999999", "-1", "0"])
def test_call_page_ignores_a_question_it_does_not_know(call, client, raw):
    IdeaFactory(call=call, title="Better lighting")
    response = client.get(call.url, {"question": raw})
    assert response.status_code == 200
    html = response.content.decode()
    assert "Better lighting" in html and "data-question-filter" not in html


def test_call_page_ignores_another_missions_question(call, client, site):
    other = CallFactory()
    q = question(other.get_parent().specific, "Elsewhere?")
    IdeaFactory(call=call, title="Better lighting")
    html = client.get(call.url, {"question": q.pk}).content.decode()
    assert "Better lighting" in html and "Elsewhere?" not in html


def test_a_chart_is_drawn_once_per_change_for_everyone_and_a_new_figure_draws_again(
        metric_mission, client, settings, monkeypatch, django_capture_on_commit_callbacks):
    """consult/charts.shared_metric_chart: signed-in views (no page cache)
    share the drawn charts; a published figure changes the drawing."""
    from cms import pagecache
    from consult import charts

    from ..factories import UserFactory

    settings.PAGE_CACHE_ENABLED = True
    pagecache.bump_site()
    drawn = []
    real = charts.metric_chart
    monkeypatch.setattr(charts, "metric_chart", lambda *args, **kwargs: drawn.append(args[0].name) or real(*args, **kwargs))
    for _ in range(2):
        someone = UserFactory()
        client.force_login(someone)
        first = client.get(metric_mission.url).content.decode()
    assert sorted(drawn) == ["Police officers in neighbourhood teams", "Share"]  # two views, each drawn once
    assert "19,340" in metric_section(first, "Police officers in neighbourhood teams")

    page = MissionPage.objects.get(pk=metric_mission.pk)
    metrics = list(page.metrics.all())
    police = next(m for m in metrics if m.name == "Police officers in neighbourhood teams")
    police.points = [*police.points.all(),
                     MetricPoint(date=date(2026, 9, 30), value=Decimal("21500.00"), source="Home Office")]
    page.metrics = metrics
    with django_capture_on_commit_callbacks(execute=True):
        page.save_revision().publish()
    after = client.get(metric_mission.url).content.decode()
    assert drawn.count("Police officers in neighbourhood teams") == 2
    assert "21,500" in metric_section(after, "Police officers in neighbourhood teams")
