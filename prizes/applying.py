"""What an application must satisfy, as plain values: word counts against
each question's limit, and what is missing before it may be submitted.
Pure; the services (prizes/services/applications.py) refuse through it."""

import re
from collections.abc import Mapping

from .stages import Stage

WORD = re.compile(r"\S+")
MAX_CHARACTERS = 60_000  # whatever the word limit: a bound on what is stored


def words(text: str) -> int:
    return len(WORD.findall(text or ""))


def answer_errors(stage: Stage, answers: Mapping[str, str], complete: bool) -> dict[str, str]:
    """{question id: what is wrong}: over its word limit (always), or empty
    when the application is to be submitted (`complete`)."""
    errors = {}
    for n, question in enumerate(stage.questions, start=1):
        text = (answers.get(question.id) or "").strip()
        if len(text) > MAX_CHARACTERS or words(text) > question.word_limit:
            errors[question.id] = (f"Question {n}: use {question.word_limit:,} words or fewer "
                                   f"(you have {words(text):,}).")
        elif complete and not text:
            errors[question.id] = f"Question {n}: answer “{question.text}”."
    return errors
