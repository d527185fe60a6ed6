"""`{% follow_button mission=page %}` or `{% follow_button tag_slug=slug %}`:
the follow / stop following form for a mission or a tag, for a signed-in
person (one query to know whether they follow it)."""

from django import template
from django.urls import reverse
from taggit.models import Tag

from ..services.follows import is_following

register = template.Library()


@register.inclusion_tag("ideas/_follow_button.html", takes_context=True)
def follow_button(context, mission=None, tag_slug=None):
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"show": False}
    if mission is not None:
        target, what, action = {"mission": mission}, "this mission", reverse("mission_follow", args=[mission.pk])
    else:
        tag = Tag.objects.filter(slug=tag_slug or "").first()
        if tag is None:
            return {"show": False}
        target, what, action = {"tag": tag}, f"the tag “{tag.name}”", reverse("tag_follow", args=[tag.slug])
    return {
        "show": True,
        "following": is_following(user, **target),
        "what": what,
        "action": action,
        "next": request.get_full_path(),
        "csrf_token": context.get("csrf_token"),
    }
