"""A learning question's own page: the question, where it stands, the answer
once there is one, and the evidence cited for it (issue #18), each pilot with
its status and results, each call with the ideas that answer the question.

Served by MissionPage.route at /missions/<slug>/questions/<id>/."""

from django.shortcuts import render

from .selectors import question_context
from .visibility import passed_ids


def serve_question(request, mission, question_id):
    context = question_context(mission, question_id, request.user, passed_ids(request.session))
    context["page"] = mission
    return render(request, "consult/question_page.html", context)
