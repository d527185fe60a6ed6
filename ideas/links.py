"""Links from ideas' pages to pages the apps above ideas serve.

Reporting an idea or a comment and the moderation page of one belong to
`moderation` (cms/urls.py mounts the flag forms under /ideas/), above ideas
in the layer rule (docs/architecture.md), so ideas' templates may not name
those routes. Moderation registers how to build each address here once,
from its AppConfig.ready(); the templates ask by the slot's name
(`{% idea_link "flag_idea" idea.pk as href %}`) and show nothing when the
slot is empty (ideas on its own)."""

SLOTS = ("flag_idea", "flag_comment", "moderate_idea")
_builders = {}


def register(slot, build):
    """`build(*args)` returns the path of the page, for a slot of SLOTS."""
    if slot not in SLOTS:
        raise ValueError(f"No link slot {slot!r} in ideas: one of {SLOTS}")
    _builders[slot] = build


def url(slot, *args):
    """The address for `slot`, or "" when no app serves it."""
    build = _builders.get(slot)
    return build(*args) if build else ""
