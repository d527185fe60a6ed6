"""Pilots are never deleted: a stopped or failed pilot stays published with
its lesson (issue #18). The mission team's group has no delete right
(consult/roles.py); this refuses site admins too, before Wagtail's own
confirmation page."""

from django.contrib import messages
from django.shortcuts import redirect
from wagtail import hooks

from .models import PilotPage
from . import wagtail_hooks_ledger  # noqa: F401  ("Ideas awaiting a response")

NEVER_DELETED = ("Pilots are never deleted, so what was tried and learned stays on the record. "
                 "To end one, set its status to stopped and publish its lesson.")


@hooks.register("before_delete_page")
def _keep_pilots(request, page):
    if isinstance(page.specific, PilotPage) or page.get_descendants().type(PilotPage).exists():
        messages.error(request, NEVER_DELETED)
        return redirect("wagtailadmin_pages:edit", page.pk)


NEVER_UNPUBLISHED = ("A published pilot stays published, so what was tried and learned stays on the record. "
                     "To end it, set its status to stopped and publish its lesson.")


@hooks.register("before_unpublish_page")
def _keep_pilots_published(request, page):
    if isinstance(page.specific, PilotPage) or page.get_descendants().type(PilotPage).live().exists():
        messages.error(request, NEVER_UNPUBLISHED)
        return redirect("wagtailadmin_pages:edit", page.pk)
