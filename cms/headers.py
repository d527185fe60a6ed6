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

from dataclasses import asdict

from csp.constants import HEADER, SELF
from csp.middleware import CSPMiddleware
from csp.utils import build_policy
from django.conf import settings

from .dualmode import DualModeMiddleware

ADMIN_PREFIX = "/admin/"  # cms/urls.py
# django-csp sends no header on these answers when DEBUG is on (Django's
# technical pages carry inline styles); the site's policy still applies.
DEBUG_PAGES = (404, 500)
DEBUG_PAGE_POLICY = {"style-src": [SELF, "'unsafe-inline'"]}


class SiteCSPMiddleware(CSPMiddleware):
    """django-csp's middleware, with the admin's allowances for /admin/ paths.

    A view that sets its own policy with csp's decorators keeps it; the admin
    allowances replace only the directives they name. With DEBUG on, Django's
    technical 404 and 500 pages get the policy too (django-csp skips them),
    with inline styles allowed so they stay readable."""

    def process_response(self, request, response):
        response = super().process_response(request, response)
        if (settings.DEBUG and response.status_code in DEBUG_PAGES and HEADER not in response
                and not getattr(response, "_csp_exempt", False)):
            policy = build_policy(**asdict(self.get_policy_parts(request, response)))
            if policy:
                response[HEADER] = policy
        return response

    def get_policy_parts(self, request, response, report_only=False):
        parts = super().get_policy_parts(request, response, report_only=report_only)
        if not report_only and parts.replace is None and request.path_info.startswith(ADMIN_PREFIX):
            parts.replace = settings.ADMIN_CONTENT_SECURITY_POLICY
            # 'unsafe-inline' is ignored by browsers when a nonce is present,
            # so the admin's policy is sent without one.
            parts.nonce = None
        elif not report_only and parts.replace is None and settings.DEBUG and response.status_code in DEBUG_PAGES:
            parts.replace = DEBUG_PAGE_POLICY
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
