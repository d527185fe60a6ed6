"""Links from people's pages to pages the apps above people serve.

A person's public profile and an organisation's page list their ideas, so
`ideas` serves them (ideas/people_views.py); people sits below ideas in the
layer rule (docs/architecture.md), so its templates may not name those
routes. The app that serves a page registers how to build its address here
once, from its AppConfig.ready(); the templates ask by the slot's name
(`{% people_link "profile" user_id as href %}`). Without it (people on its
own) the slot is empty and the templates show the name without a link."""

SLOTS = ("profile", "organisation")
_builders = {}


def register(slot, build):
    """`build(*args)` returns the path of the page, for a slot of SLOTS."""
    if slot not in SLOTS:
        raise ValueError(f"No link slot {slot!r} in people: one of {SLOTS}")
    _builders[slot] = build


def url(slot, *args):
    """The address for `slot`, or "" when no app serves it."""
    build = _builders.get(slot)
    return build(*args) if build else ""
