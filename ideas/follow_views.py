"""Follow and stop following a mission or a tag (ideas and calls have theirs
in ideas/views.py). A POST with a CSRF token that redirects back to the page
it came from, so it works without JavaScript."""

from urllib.parse import quote

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect
from django.views.decorators.http import require_POST
from taggit.models import Tag

from consult.models import MissionPage
from inputs.redirects import safe_next
from inputs.refusals import Refused

from .services import follows


def _toggle(request, fallback, what, **target):
    back = safe_next(request, fallback)
    if not request.user.is_authenticated:
        return redirect(f"/accounts/login/?next={quote(back)}")
    try:
        if request.POST.get("action") == "remove":
            follows.unfollow(request.user, **target)
            messages.success(request, f"You no longer follow {what}.")
        else:
            follows.follow(request.user, **target)
            messages.success(request, f"You follow {what}: new ideas in it will appear in your notifications.")
    except Refused as error:
        messages.error(request, error.message)
    return redirect(back)


@require_POST
def mission_follow(request, mission_id):
    mission = MissionPage.objects.live().filter(pk=mission_id).first() or MissionPage.objects.filter(pk=mission_id).first()
    if mission is None:
        raise Http404("No such mission.")
    return _toggle(request, mission.url or "/missions/", f"the mission “{mission.title}”", mission=mission)


@require_POST
def tag_follow(request, slug):
    tag = Tag.objects.filter(slug=slug).first()
    if tag is None:
        raise Http404("No such tag.")
    return _toggle(request, "/missions/", f"the tag “{tag.name}”", tag=tag)
