""""Ideas awaiting a response" in the Wagtail admin (issue #18 item 3: "a
team sees its unanswered ideas first"). Public ideas nobody on the team has
answered yet (no written response, not decided, merged or taken into a
pilot), oldest first, for site admins and the teams of the missions they
are on (`consult.manage_mission`), each linking to the idea's page, where
the team responds."""

from django.core.exceptions import PermissionDenied
from django.template.response import TemplateResponse
from django.utils import timezone

from consult.models import MissionPage
from consult.rules import can, prime_mission_roles
from ideas.selectors import paginate

from .selectors import unanswered_ideas

PER_PAGE = 50


def missions_for(user):
    """The missions whose ideas this person answers: every mission for a
    site admin, else those whose team they are on (roles in one query)."""
    if not user.is_authenticated:
        return []
    missions = prime_mission_roles(user, MissionPage.objects.order_by("title", "pk"))
    return [m for m in missions if can(user, "consult.manage_mission", m)]


def awaiting_view(request):
    missions = missions_for(request.user)
    if not missions:
        raise PermissionDenied("Only a mission's team can see the ideas awaiting its response.")
    chosen = request.GET.get("mission") or ""
    shown = [m for m in missions if str(m.pk) == chosen] or missions
    selected = shown[0] if len(shown) == 1 and chosen else None
    every_mission = request.user.is_superuser and selected is None
    ideas = unanswered_ideas(None if every_mission else shown)
    page = request.GET.get("page") or "1"
    page_obj = paginate(ideas, PER_PAGE, page if page.isascii() and page.isdigit() and len(page) < 7 else "1")
    by_path = {m.path: m for m in missions}
    now = timezone.now()
    rows = [{"idea": idea, "call": idea.call, "mission": by_path.get(idea.call.path[: -idea.call.steplen]),
             "waiting": (now - idea.created_at).days} for idea in page_obj.object_list]
    return TemplateResponse(request, "pilots/admin/awaiting.html", {
        "page_title": "Ideas awaiting a response", "header_icon": "help",
        "missions": missions, "selected": selected, "rows": rows, "page_obj": page_obj,
        "total": page_obj.paginator.count,
    })
