""""Ideas awaiting a response" in the Wagtail admin menu and first on its
dashboard, for site admins and mission teams (pilots/admin_views.py). Imported by pilots/wagtail_hooks.py,
which Wagtail loads."""

from django.urls import path, reverse
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from .admin_views import AwaitingPanel, awaiting_view, missions_for


@hooks.register("register_admin_urls")
def awaiting_urls():
    return [path("ideas-awaiting-response/", awaiting_view, name="ideas_awaiting_response")]


class TeamMenuItem(MenuItem):
    def is_shown(self, request):
        return bool(missions_for(request.user))


@hooks.register("register_admin_menu_item")
def awaiting_menu_item():
    return TeamMenuItem("Ideas awaiting a response", reverse("ideas_awaiting_response"), icon_name="help",
                        order=300)


@hooks.register("construct_homepage_panels")
def awaiting_panel(request, panels):
    missions = missions_for(request.user)
    if missions:
        panels.append(AwaitingPanel(request.user, missions))
