"""`{% idea_link "flag_idea" idea.pk as href %}`: the address an app above
ideas registered for a slot (ideas/links.py), or ""."""

from django import template

from ideas import links

register = template.Library()


@register.simple_tag
def idea_link(slot, *args):
    return links.url(slot, *args)
