"""A consultation's questions as plain values, and the rules of answering
them: a pure function of plain values (no database, no request), tested
directly.

Question types follow what UK consultations ask (Citizen Space, GOV.UK's
question pages): free text with a word limit, single and multiple choice,
a five-point agree–disagree scale, ranking, a number, and yes/no with a
"why". Questions sit in sections; a question may be asked only when an
earlier answer was a given one (routing), so the questions asked depend on
the answers so far (`asked`). Each answer is read from what was typed into
a plain value (`read_answer`), or refused with a message naming the
problem. A fingerprint of what answers depend on (ids, types, options)
tells a resumed draft that the questions changed under it."""

import hashlib
import json
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

FREE_TEXT = "free_text"
SINGLE = "single"
MULTIPLE = "multiple"
AGREE = "agree"
RANKING = "ranking"
NUMBER = "number"
YES_NO = "yes_no"

KIND_CHOICES = [
    (FREE_TEXT, "Free text"), (SINGLE, "Single choice"), (MULTIPLE, "Multiple choice"),
    (AGREE, "Agree–disagree scale (five points)"), (RANKING, "Ranking"), (NUMBER, "Number"),
    (YES_NO, "Yes or no, and why"),
]
KINDS_WITH_OPTIONS = (SINGLE, MULTIPLE, RANKING)
AGREE_SCALE = ("Strongly agree", "Agree", "Neither agree nor disagree", "Disagree", "Strongly disagree")
YES, NO = "Yes", "No"
MAX_NUMBER_DIGITS = 15
WORD = re.compile(r"\S+")


@dataclass(frozen=True)
class Question:
    id: str
    number: int                   # 1-based, in the order respondents meet them
    text: str
    kind: str
    required: bool = True
    hint: str = ""
    options: tuple[str, ...] = ()
    word_limit: int = 300
    minimum: int | None = None
    maximum: int | None = None
    section: str = ""
    learning_question: int | None = None
    only_if: tuple[str, str] | None = None   # (question id, answer)

    @property
    def choices(self) -> tuple[str, ...]:
        """What may be chosen: the options, the scale, or yes/no."""
        if self.kind == AGREE:
            return AGREE_SCALE
        if self.kind == YES_NO:
            return (YES, NO)
        return self.options


@dataclass(frozen=True)
class Section:
    title: str
    intro: str = ""
    questions: tuple[Question, ...] = field(default_factory=tuple)


def from_blocks(blocks: Iterable[tuple[str, str, Mapping]]) -> list[Question]:
    """Questions from (block type, block id, value) as the page's StreamField
    holds them, numbered in order, each in the section above it; routing by
    question number becomes routing by id."""
    questions, section, by_number = [], "", {}
    for kind, block_id, value in blocks:
        if kind == "section":
            section = value.get("title") or ""
            continue
        number = len(questions) + 1
        only_if = None
        if value.get("only_if_question") and (value.get("only_if_answer") or "").strip():
            target = by_number.get(int(value["only_if_question"]))
            only_if = (target.id if target else f"#{value['only_if_question']}", value["only_if_answer"].strip())
        learning = value.get("learning_question")
        question = Question(
            id=str(block_id), number=number, text=value["text"], kind=value["kind"],
            required=bool(value.get("required")), hint=value.get("hint") or "",
            options=tuple(o.strip() for o in value.get("options") or () if o and o.strip()),
            word_limit=value.get("word_limit") or 300, minimum=value.get("minimum"), maximum=value.get("maximum"),
            section=section, learning_question=int(learning) if learning else None, only_if=only_if)
        questions.append(question)
        by_number[number] = question
    return questions


def problems(questions: list[Question], learning_questions: Iterable[int] = ()) -> list[str]:
    """What is wrong with a consultation's questions, in the team's words
    (the admin shows these and saves nothing)."""
    found = []
    known = {q.id: q for q in questions}
    allowed = set(learning_questions)
    for q in questions:
        if q.kind in KINDS_WITH_OPTIONS and len(q.options) < 2:
            found.append(f"Question {q.number} needs at least two choices.")
        if q.learning_question is not None and q.learning_question not in allowed:
            found.append(f"Question {q.number} is tied to a learning question of another mission.")
        if q.only_if is not None:
            target = known.get(q.only_if[0])
            if target is None or target.number >= q.number:
                found.append(f"Question {q.number} can only be routed from an earlier question.")
            elif target.kind in (FREE_TEXT, NUMBER):
                found.append(f"Question {q.number} is routed from question {target.number}, whose answers are "
                             "not choices: route from a choice, scale or yes/no question.")
            elif q.only_if[1] not in target.choices:
                found.append(f"Question {q.number} is routed from an answer question {target.number} does not offer "
                             f"(“{q.only_if[1]}”).")
    return found


def words(text: str) -> int:
    return len(WORD.findall(text or ""))


def _is_answered(value) -> bool:
    if value is None:
        return False
    if isinstance(value, dict):
        return bool(value.get("answer"))
    if isinstance(value, (list, tuple, str)):
        return len(value) > 0
    return True


def asked(questions: list[Question], answers: Mapping[str, object]) -> list[Question]:
    """The questions this respondent is asked, given their answers so far:
    a routed question only when the earlier answer was the one named (and
    that earlier question was itself asked)."""
    shown, result = set(), []
    for q in questions:
        if q.only_if is not None:
            source, wanted = q.only_if
            given = answers.get(source)
            chosen = given.get("answer") if isinstance(given, dict) else given
            chosen = chosen if isinstance(chosen, (list, tuple)) else [chosen]
            if source not in shown or wanted not in chosen:
                continue
        shown.add(q.id)
        result.append(q)
    return result


def read_answer(question: Question, raw: Mapping[str, object]) -> tuple[object, str | None]:
    """(the answer as stored, None) or (None, what is wrong). `raw` holds
    what was typed: "answer" (a string, or a list for multiple choice and
    ranking) and, for yes/no, "why". An empty answer to an optional question
    is None."""
    value = raw.get("answer")
    if question.kind in (MULTIPLE, RANKING):
        values = [v.strip() for v in (value if isinstance(value, (list, tuple)) else [value] if value else [])
                  if isinstance(v, str) and v.strip()]
    else:
        values = None
        value = value.strip() if isinstance(value, str) else ""
    empty = not values if values is not None else not value
    if empty:
        if question.required:
            return None, _required_message(question)
        return None, None
    if question.kind == FREE_TEXT:
        if words(value) > question.word_limit:
            return None, f"Your answer must be {question.word_limit:,} words or fewer: it has {words(value):,}."
        return value, None
    if question.kind in (SINGLE, AGREE):
        if value not in question.choices:
            return None, "Choose one of the answers given."
        return value, None
    if question.kind == MULTIPLE:
        if any(v not in question.choices for v in values):
            return None, "Choose from the answers given."
        return [c for c in question.choices if c in values], None
    if question.kind == RANKING:
        if sorted(values) != sorted(question.choices) or len(set(values)) != len(values):
            return None, "Put every choice in an order, each once."
        return values, None
    if question.kind == NUMBER:
        text = value.replace(",", "")
        if not re.fullmatch(r"-?\d{1,%d}" % MAX_NUMBER_DIGITS, text):
            return None, "Enter a whole number, like 12."
        number = int(text)
        if question.minimum is not None and number < question.minimum:
            return None, f"Enter a number of {question.minimum:,} or more."
        if question.maximum is not None and number > question.maximum:
            return None, f"Enter a number of {question.maximum:,} or less."
        return number, None
    if question.kind == YES_NO:
        if value not in (YES, NO):
            return None, "Choose yes or no."
        why = (raw.get("why") or "").strip() if isinstance(raw.get("why"), str) else ""
        if words(why) > question.word_limit:
            return None, f"Say why in {question.word_limit:,} words or fewer: you used {words(why):,}."
        return {"answer": value, "why": why}, None
    return None, "This question cannot be answered."


def _required_message(question):
    if question.kind in (SINGLE, AGREE, YES_NO):
        return "Choose an answer."
    if question.kind == MULTIPLE:
        return "Choose at least one answer."
    if question.kind == RANKING:
        return "Put the choices in order."
    if question.kind == NUMBER:
        return "Enter a number."
    return "Enter your answer."


def missing(questions: list[Question], answers: Mapping[str, object]) -> list[Question]:
    """Required questions asked but not answered (a response cannot be sent until there are none)."""
    return [q for q in asked(questions, answers) if q.required and not _is_answered(answers.get(q.id))]


def fingerprint(questions: Iterable[Question]) -> str:
    """What stored answers depend on: each question's id, type and choices.
    Rewording a question keeps it; removing one, changing its type or its
    choices changes it (a resumed draft is then checked again)."""
    data = [(q.id, q.kind, list(q.choices), q.minimum, q.maximum) for q in questions]
    return hashlib.sha256(json.dumps(data, sort_keys=True).encode()).hexdigest()[:32]


def orphaning_changes(old: list[Question], new: list[Question], answered: Iterable[str]) -> list[str]:
    """Why a change to questions with answers cannot be saved: a question
    answered is removed, or its type or its choices change (rewording one,
    adding questions or choices at the end of a list is allowed)."""
    answered = set(answered)
    now = {q.id: q for q in new}
    found = []
    for q in old:
        if q.id not in answered:
            continue
        after = now.get(q.id)
        if after is None:
            found.append(f"Question {q.number} (“{q.text}”) has answers: it cannot be removed.")
        elif after.kind != q.kind:
            found.append(f"Question {q.number} has answers: its type cannot change.")
        elif list(after.choices[:len(q.choices)]) != list(q.choices):
            found.append(f"Question {q.number} has answers: its choices can be added to, not changed or removed.")
    return found


def ordinal(n: int) -> str:
    """"1st", "2nd", "3rd", "4th" … "11th", "12th", "13th", "21st"."""
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def shown(question: Question, value) -> str:
    """A stored answer as words, one line per item (check answers, the receipt)."""
    if value is None or value == "" or value == []:
        return ""
    if question.kind == YES_NO and isinstance(value, dict):
        return value.get("answer", "") + (f": {value['why']}" if value.get("why") else "")
    if question.kind == RANKING and isinstance(value, list):
        return "\n".join(f"{ordinal(n)}: {v}" for n, v in enumerate(value, start=1))
    if isinstance(value, list):
        return "\n".join(str(v) for v in value)
    if isinstance(value, int) and not isinstance(value, bool):
        return f"{value:,}"
    return str(value)
