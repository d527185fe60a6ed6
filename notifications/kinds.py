"""Which kinds of notification a person is offered in their settings.

A kind with an audience (the mission teams' alerts, say) is offered only to
the people in it: a citizen with no role anywhere is not asked how to hear
about alerts they will never get. Notifications sit beside consult and
people, so the app that knows who is in an audience registers it here, once,
in its AppConfig.ready() (the team's alerts: ideas/apps.py, from the
mission roles). A kind no one registered is offered to everyone."""

from collections.abc import Callable

from .models import Kind

_audiences = {}  # kind -> function(user_id) -> bool


def register_audience(kind: str, is_in: Callable[[int], bool]) -> None:
    """Offer `kind` only to the people for whom `is_in(user_id)` is true."""
    _audiences[Kind(kind)] = is_in


def offered(user_id):
    """The kinds this person is offered, in the settings' order."""
    return [kind for kind in Kind if kind not in _audiences or _audiences[kind](user_id)]
