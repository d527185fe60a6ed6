from django import template

from people import links, names

register = template.Library()


@register.filter
def display_name(user):
    return names.display_name(user)


@register.filter
def byline(item):
    return names.byline(item)


@register.filter
def has_profile(user):
    """Whether the person has a public profile page to link to."""
    profile = names._profile(user) if user is not None else None
    return profile is not None and profile.deleted_at is None


@register.simple_tag
def people_link(slot, *args):
    """`{% people_link "profile" user_id as href %}`: the address the app
    serving that page registered (people/links.py), or ""."""
    return links.url(slot, *args)
