"""A consultation open now with one question of each type, in two sections,
a routed question, and a learning question tie."""

from datetime import timedelta

import factory
from django.utils import timezone

from consultations.models import ConsultationPage

from ..factories import PageFactory


def question_blocks():
    """The builder's blocks, each with the id Wagtail's editor gives it."""
    return [{**block, "id": f"b{n}"} for n, block in enumerate(_blocks())]


def _blocks():
    q = {"hint": "", "required": True, "options": [], "word_limit": 50, "minimum": None, "maximum": None,
         "learning_question": "", "only_if_question": None, "only_if_answer": ""}
    return [
        {"type": "section", "value": {"title": "About the target", "intro": "The proposed target for 2030."}},
        {"type": "question", "value": {**q, "text": "Do you agree with the proposed target?", "kind": "agree"}},
        {"type": "question", "value": {**q, "text": "Why?", "kind": "free_text", "required": False}},
        {"type": "question", "value": {**q, "text": "Should small firms be exempt?", "kind": "yes_no"}},
        {"type": "question", "value": {**q, "text": "Which firms should be exempt?", "kind": "multiple",
                                       "options": ["Micro", "Small", "Medium"], "only_if_question": 3,
                                       "only_if_answer": "Yes"}},
        {"type": "section", "value": {"title": "About you", "intro": ""}},
        {"type": "question", "value": {**q, "text": "Which sector are you in?", "kind": "single",
                                       "options": ["Energy", "Transport", "Other"]}},
        {"type": "question", "value": {**q, "text": "Rank these priorities", "kind": "ranking",
                                       "options": ["Cost", "Speed", "Fairness"], "required": False}},
        {"type": "question", "value": {**q, "text": "How many people do you employ?", "kind": "number",
                                       "minimum": 0, "maximum": 1000000, "required": False}},
    ]


class ConsultationFactory(PageFactory):
    class Meta:
        model = ConsultationPage

    title = factory.Sequence(lambda n: f"Consultation {n}")
    slug = factory.Sequence(lambda n: f"consultation-{n}")
    summary = "We propose a target for 2030 and ask what you think."
    opens = factory.LazyFunction(lambda: timezone.now() - timedelta(days=1))
    closes = factory.LazyFunction(lambda: timezone.now() + timedelta(days=30))
    questions = factory.LazyFunction(question_blocks)
