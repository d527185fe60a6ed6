"""pilots/history.py: what each published revision of a pilot changed, in
words, from the contents Wagtail stores (pure: no database)."""

from pilots.history import NO_VISIBLE_CHANGE, changes, sentence

LABELS = {"planned": "Planned", "running": "Running", "concluded": "Concluded", "stopped": "Stopped"}


def content(**fields):
    base = {
        "title": "Evening buses", "summary": "", "change": "youth workers on buses", "outcome": "fewer incidents",
        "people": "young people", "metric": None, "measure_name": "Incidents", "measure_unit": "incidents a month",
        "measure_baseline": "14.00", "measure_target": "9.00", "location": "Ormsby", "starts_on": "2026-03-15",
        "ends_on": "2026-08-12", "learning_questions": [3, 1], "calls": [7], "status": "running", "lesson": "",
        "decision": "", "decision_reason": "", "slug": "evening-buses", "range_low": None, "results": [],
    }
    base.update(fields)
    return base


def result(day, value, commentary="", source=""):
    return {"pk": None, "date": day, "value": value, "commentary": commentary, "source": source}


def test_first_publication_says_its_status_and_results():
    assert changes(None, content(status="planned"), status_labels=LABELS) == ["first published as planned"]
    first = changes(None, content(results=[result("2026-04-29", "15")]), status_labels=LABELS)
    assert first == ["first published as running, with 1 result"]


def test_status_and_sections_added_revised_and_removed():
    before = content(summary="Old words")
    after = content(summary="", status="stopped", lesson="It did not work.", decision="stop",
                    decision_reason="No fall.", change="youth workers on three buses")
    assert changes(before, after, status_labels=LABELS) == [
        "status changed from running to stopped",
        "the lesson and the decision added",
        "the hypothesis revised",
        "the summary removed",
    ]


def test_results_added_corrected_reworded_and_withdrawn():
    before = content(results=[result("2026-04-29", "15.00", "Early"), result("2026-06-28", "13.00"),
                              result("2026-07-01", "12.00")])
    after = content(results=[result("2026-04-29", "15", "Early signs"), result("2026-06-28", "12.5"),
                             result("2026-08-12", "14")])
    assert changes(before, after, unit="incidents a month") == [
        "the commentary on the result for 29 April 2026 revised",
        "the result for 28 June 2026 corrected from 13 incidents a month to 12.5 incidents a month",
        "the result for 1 July 2026 withdrawn (it was 12 incidents a month)",
        "a result for 12 August 2026 added: 14 incidents a month",
    ]


def test_a_second_result_on_the_same_day_is_added_not_a_correction():
    before = content(results=[result("2026-04-29", "15")])
    after = content(results=[result("2026-04-29", "15"), result("2026-04-29", "16")])
    assert changes(before, after, unit="%") == ["a result for 29 April 2026 added: 16%"]


def test_the_same_values_loaded_differently_are_no_change():
    before = content(measure_baseline="14.00", learning_questions=[3, 1], results=[result("2026-04-29", "15.00")])
    after = content(measure_baseline="14", learning_questions=[1, 3], results=[result("2026-04-29", "15")],
                    slug="renamed", range_low="2")  # not shown on the page
    assert changes(before, after) == [NO_VISIBLE_CHANGE]


def test_a_headline_metric_chosen_instead_of_an_own_measure_revises_the_measure():
    after = content(metric=4, measure_name="", measure_unit="", measure_baseline=None, measure_target=None)
    assert changes(content(), after) == ["the measure revised"]
    assert changes(content(learning_questions=[]), content(learning_questions=[2])) == [
        "the learning questions added"]


def test_sentence():
    assert sentence(["status changed from running to stopped", "the lesson added"]) == (
        "Status changed from running to stopped; the lesson added.")
    assert sentence([]) == ""
