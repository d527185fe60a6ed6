"""The Pol.is import screen in the Wagtail admin, for mission teams. It
writes ideas and votes, so it lives with ideas, not with the missions it
imports into (consult sits below ideas: docs/architecture.md)."""

from django.urls import path, reverse
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from .polis_admin import import_view, missions_for


@hooks.register("register_admin_urls")
def polis_import_urls():
    return [path("polis-import/", import_view, name="polis_import")]


class TeamOnlyMenuItem(MenuItem):
    def is_shown(self, request):
        return bool(missions_for(request.user))


@hooks.register("register_admin_menu_item")
def polis_import_menu_item():
    return TeamOnlyMenuItem("Import from Pol.is", reverse("polis_import"), icon_name="download", order=310)
