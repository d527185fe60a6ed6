"""Admin screens for what is data rather than content: who holds which role."""

from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from .models import MissionMembership, Sector


class MembershipViewSet(SnippetViewSet):
    model = MissionMembership
    icon = "group"
    menu_label = "Mission roles"
    menu_order = 300
    add_to_admin_menu = True
    list_display = ["user", "mission", "role", "created_at"]
    list_filter = ["role", "mission"]


class SectorViewSet(SnippetViewSet):
    model = Sector
    icon = "tag"
    menu_label = "Sectors"
    list_display = ["name", "slug"]


register_snippet(MembershipViewSet)
register_snippet(SectorViewSet)


from wagtail import hooks  # noqa: E402

from .models import MissionPage  # noqa: E402
from .roles import make_creator_the_team  # noqa: E402


@hooks.register("after_create_page")
def mission_creator_joins_the_team(request, page):
    if isinstance(page.specific, MissionPage):
        make_creator_the_team(request.user, page.specific)
