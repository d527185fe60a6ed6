""""Ideas awaiting a response" in the Wagtail admin (issue #18 item 3: "a
team sees its unanswered ideas first"). Public ideas nobody on the team has
answered yet (no written response, not decided, merged or taken into a
pilot), oldest first, for site admins and the teams of the missions they
are on (`consult.manage_mission`), each linking to the idea's page, where
the team responds."""

from django.core.exceptions import PermissionDenied
from django.template.response import TemplateResponse
from django.utils import timezone
from wagtail.admin.ui.components import Component

from consult.models import MissionPage
from consult.rules import can, is_site_admin, prime_mission_roles
from ideas.selectors import paginate
from inputs.pages import parse_page

from .selectors import unanswered_ideas

PER_PAGE = 50


def missions_for(user):
    """The missions whose ideas this person answers: every mission for a
    site admin, else those whose team they are on (roles in one query)."""
    if not user.is_authenticated:
        return []
    missions = prime_mission_roles(user, MissionPage.objects.order_by("title", "pk"))
    return [m for m in missions if can(user, "consult.manage_mission", m)]


def _awaiting(user, missions, selected=None):
    """The unanswered ideas of the chosen mission, or of all this person's
    missions (of every mission, for a site admin)."""
    if selected is not None:
        return unanswered_ideas([selected])
    return unanswered_ideas(None if is_site_admin.test(user) else missions)


def _rows(ideas, missions):
    by_path = {m.path: m for m in missions}
    now = timezone.now()
    return [{"idea": idea, "call": idea.call, "mission": by_path.get(idea.call.path[: -idea.call.steplen]),
             "waiting": (now - idea.created_at).days} for idea in ideas]


def awaiting_view(request):
    missions = missions_for(request.user)
    if not missions:
        raise PermissionDenied("Only a mission's team can see the ideas awaiting its response.")
    chosen = request.GET.get("mission") or ""
    selected = next((m for m in missions if str(m.pk) == chosen), None)
    ideas = _awaiting(request.user, missions, selected)
    page_obj = paginate(ideas, PER_PAGE, parse_page(request.GET.get("page")) or 1)
    title = "Ideas awaiting a response"
    return TemplateResponse(request, "pilots/admin/awaiting.html", {
        "page_title": title, "header_title": title, "header_icon": "help",
        "missions": missions, "selected": selected, "rows": _rows(page_obj.object_list, missions),
        "page_obj": page_obj, "total": page_obj.paginator.count,
    })


class AwaitingPanel(Component):
    """First on the admin dashboard of a mission's team (issue #18: "a team
    sees its unanswered ideas first"): how many public ideas await its
    response, and the oldest few, linking to the whole list."""

    name = "ideas_awaiting_response"
    template_name = "pilots/admin/awaiting_panel.html"
    order = 10  # before Wagtail's own panels (workflow 210, recent edits 250, locked pages 300)
    SHOWN = 5

    def __init__(self, user, missions):
        self.user, self.missions = user, missions

    def get_context_data(self, parent_context=None):
        ideas = _awaiting(self.user, self.missions)
        rows = _rows(ideas[: self.SHOWN], self.missions)
        total = len(rows) if len(rows) < self.SHOWN else ideas.count()
        return {"rows": rows, "total": total}
