"""The mission page's own context and its questions' sub-pages, registered
with consult/mission_page.py by consult/apps.py: they read the selectors and
the rules, which import the models, so the page model cannot import them."""

from . import mission_page
from .question_page import serve_question
from .rules import can
from .selectors import mission_context
from .visibility import passed_ids


def context(mission, request):
    return {
        **mission_context(mission, request.user, passed_ids(getattr(request, "session", None))),
        "can_moderate": can(request.user, "consult.moderate_mission", mission),
    }


def register():
    mission_page.register_page(context, serve_question)
