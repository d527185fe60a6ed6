"""A learning question's own page: the question, where it stands, the answer
once there is one, and the evidence cited for it (issue #18), each pilot with
its status and results, each call with the ideas that answer the question.

Served by MissionPage.route at /missions/<slug>/questions/<id>/."""

from django.shortcuts import render

from .selectors import question_context


def serve_question(request, mission, question_id):
    context = question_context(mission, question_id)
    context["page"] = mission
    return render(request, "consult/question_page.html", context)
