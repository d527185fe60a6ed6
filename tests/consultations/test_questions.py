"""The question core (consultations/questions.py): reading the builder's
blocks, routing, reading each type of answer, what a draft is missing,
and which changes would orphan answers."""

import pytest

from consultations import questions as q
from consultations.questions import Question

from .factories import question_blocks


def built():
    return q.from_blocks(("section" if b["type"] == "section" else "question", f"id{n}", b["value"])
                         for n, b in enumerate(question_blocks()))


def test_blocks_become_numbered_questions_in_sections_with_routing_by_id():
    found = built()
    assert [x.number for x in found] == list(range(1, 8))
    assert found[0].section == "About the target" and found[4].section == "About you"
    exempt, which = found[2], found[3]
    assert which.only_if == (exempt.id, "Yes")
    assert found[0].choices == q.AGREE_SCALE and exempt.choices == ("Yes", "No")
    assert q.problems(found) == []


def test_routing_asks_a_question_only_after_the_answer_named():
    found = built()
    exempt, which = found[2], found[3]
    assert which not in q.asked(found, {})
    assert which not in q.asked(found, {exempt.id: {"answer": "No", "why": ""}})
    assert which in q.asked(found, {exempt.id: {"answer": "Yes", "why": "They cannot afford it."}})
    assert q.missing(found, {exempt.id: {"answer": "No", "why": ""}}) == [found[0], found[4]]


@pytest.mark.parametrize("kind,raw,stored,error", [
    (q.FREE_TEXT, {"answer": " one two three "}, "one two three", None),
    (q.FREE_TEXT, {"answer": "word " * 51}, None, "Your answer must be 50 words or fewer: it has 51."),
    (q.SINGLE, {"answer": "Energy"}, "Energy", None),
    (q.SINGLE, {"answer": "Mining"}, None, "Choose one of the answers given."),
    (q.MULTIPLE, {"answer": ["Other", "Energy"]}, ["Energy", "Other"], None),
    (q.MULTIPLE, {"answer": ["Energy", "Mining"]}, None, "Choose from the answers given."),
    (q.RANKING, {"answer": ["Other", "Energy", "Transport"]}, ["Other", "Energy", "Transport"], None),
    (q.RANKING, {"answer": ["Other", "Other", "Transport"]}, None, "Put every choice in an order, each once."),
    (q.NUMBER, {"answer": "1,200"}, 1200, None),
    (q.NUMBER, {"answer": "12.5"}, None, "Enter a whole number, like 12."),
    (q.NUMBER, {"answer": "9" * 16}, None, "Enter a whole number, like 12."),
    (q.NUMBER, {"answer": "-1"}, None, "Enter a number of 0 or more."),
    (q.AGREE, {"answer": "Agree"}, "Agree", None),
    (q.YES_NO, {"answer": "Yes", "why": "Costs."}, {"answer": "Yes", "why": "Costs."}, None),
    (q.YES_NO, {"answer": "Maybe"}, None, "Choose yes or no."),
    (q.SINGLE, {"answer": ""}, None, "Choose an answer."),
])
def test_each_type_of_answer_is_read_or_refused_with_a_message(kind, raw, stored, error):
    question = Question(id="x", number=1, text="?", kind=kind, options=("Energy", "Transport", "Other"),
                        word_limit=50, minimum=0)
    assert q.read_answer(question, raw) == (stored, error)


def test_an_optional_question_left_empty_is_no_answer():
    question = Question(id="x", number=1, text="?", kind=q.FREE_TEXT, required=False)
    assert q.read_answer(question, {"answer": "  "}) == (None, None)


def test_the_builder_refuses_routing_from_later_or_free_text_questions_and_unknown_answers():
    first = Question(id="a", number=1, text="?", kind=q.FREE_TEXT)
    second = Question(id="b", number=2, text="?", kind=q.YES_NO, only_if=("a", "x"))
    third = Question(id="c", number=3, text="?", kind=q.SINGLE, options=("One",), only_if=("b", "Perhaps"))
    found = q.problems([first, second, third], learning_questions=[1])
    assert "Question 2 is routed from question 1, whose answers are not choices" in found[0]
    assert found[1] == "Question 3 needs at least two choices."
    assert found[2] == "Question 3 is routed from an answer question 2 does not offer (“Perhaps”)."
    tied = Question(id="d", number=1, text="?", kind=q.FREE_TEXT, learning_question=9)
    assert q.problems([tied], learning_questions=[1]) == [
        "Question 1 is tied to a learning question of another mission."]


def test_changes_that_would_orphan_answers_are_named_and_rewording_is_not_one():
    before = built()
    answered = [before[0].id, before[4].id]
    reworded = [before[0].__class__(**{**before[0].__dict__, "text": "Do you support the target?"}), *before[1:]]
    assert q.orphaning_changes(before, reworded, answered) == []
    assert q.fingerprint(before) == q.fingerprint(reworded)
    removed = before[1:]
    assert q.orphaning_changes(before, removed, answered) == [
        "Question 1 (“Do you agree with the proposed target?”) has answers: it cannot be removed."]
    sector = before[4]
    fewer = [*before[:4], sector.__class__(**{**sector.__dict__, "options": ("Energy", "Other")}), *before[5:]]
    assert "its choices can be added to" in q.orphaning_changes(before, fewer, answered)[0]
    more = [*before[:4], sector.__class__(**{**sector.__dict__, "options": (*sector.options, "Farming")}),
            *before[5:]]
    assert q.orphaning_changes(before, more, answered) == []
    assert q.fingerprint(before) != q.fingerprint(more)
