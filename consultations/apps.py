from django.apps import AppConfig


class ConsultationsConfig(AppConfig):
    """Consultations that ask questions (issue #29): a consultation page
    under a mission with its paper, dates and questions built in the admin
    (free text, choices, an agree–disagree scale, ranking, number, yes/no
    with why; sections; routing), answered one question per page as GOV.UK
    services ask. An instrument above ideas (docs/architecture.md), beside
    prizes; the question rules are a pure core (consultations/questions.py)."""

    name = "consultations"
    verbose_name = "Consultations"
