"""A prize call with two stages: an open stage scored on three weighted
criteria with two questions, then a final stage with the big prize."""

from datetime import timedelta

import factory
from django.utils import timezone

from prizes.models import PrizeCallPage

from ..factories import CallFactory


def stage_blocks(now=None):
    now = now or timezone.now()
    return [
        {"type": "stage", "value": {
            "name": "Open", "opens": now - timedelta(days=1), "closes": now + timedelta(days=30),
            "awards": "Up to 10 discovery awards of £25,000", "threshold": 70, "assessors": 3,
            "criteria": [
                {"name": "Impact", "meaning": "How much it would cut emissions", "weight": 2, "low": 0, "high": 10},
                {"name": "Feasibility", "meaning": "Whether the team can deliver it", "weight": 1, "low": 0, "high": 10},
                {"name": "Team", "meaning": "The skills to do it", "weight": 1, "low": 1, "high": 5},
            ],
            "questions": [
                {"question": "What is your innovation?", "guidance": "", "word_limit": 300},
                {"question": "Who will use it?", "guidance": "Name the first customers.", "word_limit": 200},
            ]}},
        {"type": "stage", "value": {
            "name": "Final", "opens": now + timedelta(days=60), "closes": now + timedelta(days=90),
            "awards": "A final prize of £1m", "threshold": None, "assessors": 5,
            "criteria": [{"name": "Evidence", "meaning": "Results of the trial", "weight": 1, "low": 0, "high": 10}],
            "questions": []}},
    ]


class PrizeFactory(CallFactory):
    class Meta:
        model = PrizeCallPage

    title = factory.Sequence(lambda n: f"Prize {n}")
    slug = factory.Sequence(lambda n: f"prize-{n}")
    prize_stages = factory.LazyFunction(stage_blocks)
