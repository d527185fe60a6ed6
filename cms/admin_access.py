"""Who may open the Wagtail admin, answered once, before Wagtail answers.

Wagtail sends a signed-in person without `wagtailadmin.access_admin` to the
login page with `next=/admin/`; allauth sends a signed-in person on the login
page back to `next`, and the browser bounces between the two until it gives
up. Here such a person gets a 403 page that says who can use the admin. The
header's "Admin" link asks the same permission (cms/rules.py)."""

from django.shortcuts import render

from inputs.refusals import can

from .dualmode import DualModeMiddleware

ADMIN_PREFIX = "/admin/"


def may_use_admin(user):
    return can(user, "cms.use_admin")


class AdminAccessMiddleware(DualModeMiddleware):
    def needs_sync(self, request):
        return request.path.startswith(ADMIN_PREFIX)  # reads the user: only for the admin

    def before(self, request):
        if request.path.startswith(ADMIN_PREFIX):
            user = getattr(request, "user", None)
            if user is not None and user.is_authenticated and not may_use_admin(user):
                return render(request, "admin_forbidden.html", status=403)
        return None
