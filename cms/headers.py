"""Security headers on every response: Content-Security-Policy and
Permissions-Policy.

The public site's policy (settings.CONTENT_SECURITY_POLICY) allows our own
origin only, and inline script only with the request's nonce, so markup that
slips past bleach cannot run script or load anything from elsewhere. The
Wagtail admin is a separate application we do not write: its panels and
widgets carry inline <script> blocks and style attributes, so /admin/ gets the
few allowances in settings.ADMIN_CONTENT_SECURITY_POLICY on top of the site's
policy, and the rest of the site is not weakened for it.
"""

from csp.middleware import CSPMiddleware
from django.conf import settings

from .dualmode import DualModeMiddleware

ADMIN_PREFIX = "/admin/"  # cms/urls.py


class SiteCSPMiddleware(CSPMiddleware):
    """django-csp's middleware, with the admin's allowances for /admin/ paths.

    A view that sets its own policy with csp's decorators keeps it; the admin
    allowances replace only the directives they name."""

    def get_policy_parts(self, request, response, report_only=False):
        parts = super().get_policy_parts(request, response, report_only=report_only)
        if not report_only and parts.replace is None and request.path_info.startswith(ADMIN_PREFIX):
            parts.replace = settings.ADMIN_CONTENT_SECURITY_POLICY
            # 'unsafe-inline' is ignored by browsers when a nonce is present,
            # so the admin's policy is sent without one.
            parts.nonce = None
        return parts


class PermissionsPolicyMiddleware(DualModeMiddleware):
    """Sends Permissions-Policy (Django's SecurityMiddleware does not): the site
    uses no camera, microphone, location or other powerful feature, so a page,
    or anything embedded in it, is refused them all."""

    def __init__(self, get_response):
        super().__init__(get_response)
        self.header = ", ".join(f"{feature}=()" for feature in settings.PERMISSIONS_POLICY_DENY)

    def after(self, request, response):
        if self.header:
            response.headers.setdefault("Permissions-Policy", self.header)
        return response
