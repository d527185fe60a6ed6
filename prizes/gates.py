"""Who gets past the door of a prize's pages, in one place for every view:
not a prize is 404; signed out, sign in; the call's view restriction
(ideas/restrictions.py); then, if the page needs one, the permission's own
refusal on a page saying why (a 404 refusal is a plain 404)."""

from django.http import Http404
from django.shortcuts import redirect, render

from ideas.restrictions import response_for
from inputs.refusals import refusal

from .models import PrizeCallPage


def gate(request, call, perm=None, template="prizes/refused.html"):
    """(prize, None) when the person may see the page, else (None, the answer)."""
    if not isinstance(call, PrizeCallPage):
        raise Http404("No such page.")
    if not request.user.is_authenticated:
        return None, redirect(f"/accounts/login/?next={request.path}")
    restricted = response_for(request, call)
    if restricted is not None:
        return None, restricted
    if perm is not None:
        refused = refusal(request.user, perm, call)
        if refused is not None:
            if refused.status == 404:
                raise Http404(refused.message)
            return None, render(request, template, {"page": call, "reason": refused.message,
                                                    "refused": refused.message}, status=refused.status)
    return call, None
