"""A call under a Wagtail view restriction (a password, signed-in people
only, or some groups) keeps its ideas and comments as private as its page:
`/ideas/<id>/`, the actions on an idea or comment, the API's idea and the
live topics answer as if the idea were not there until the restriction is
passed (on the idea page, Wagtail's own password form or sign-in, as for the
call). Before this, an idea of a password-protected call could be read, and
voted and commented on, at its own address.

Wagtail decides: `response_for` runs its `check_view_restrictions` hook on
the call, and `passes` asks each restriction's own `accept_request`. A live
socket has no request to carry a password through, so a password-protected
call gives no live updates; login and group restrictions are checked for
the person."""

from types import SimpleNamespace

from django.db.models import Q
from django.http import HttpResponse
from wagtail.models import PageViewRestriction
from wagtail.wagtail_hooks import check_view_restrictions

# Whether a page is under a restriction is the page rule's (consult/visibility.py);
# named here too for the lists of ideas that ask it (ideas/visibility.py).
from consult.visibility import under_restriction  # noqa: F401


ANY_RESTRICTION = "_any_view_restriction"
# The session a request's person carries to the rules (see response_for).
SESSION = "_view_restriction_session"


def any_restriction(call):
    """Whether any restriction could apply: one on the call or a page above
    it, or on the page an alias among them stands for (Wagtail resolves
    aliases so). One query; Wagtail's exact check (two more) runs only then,
    so an ordinary call's idea page and its votes pay one query for this."""
    # Read once per loaded call: the idea page asks it for the page and again
    # through the flag rule (`passes`), on the same call.
    if ANY_RESTRICTION not in call.__dict__:
        paths = [call.path[:end] for end in range(call.steplen, len(call.path) + 1, call.steplen)]
        call.__dict__[ANY_RESTRICTION] = PageViewRestriction.objects.filter(
            Q(page__path__in=paths) | Q(page__aliases__path__in=paths)
        ).exists()
    return call.__dict__[ANY_RESTRICTION]


def response_for(request, call):
    """Wagtail's answer when this request has not passed a restriction on
    the call or above it (its password form, or sign in), else None.

    The rules asked later in the request (`passes` in the `ideas.flag`
    rule) see only the person, not the request: the person carries this
    request's session to them, so a password given in this browser counts
    there as it does here."""
    if not any_restriction(call):
        return None
    setattr(request.user, SESSION, request.session)
    passed = HttpResponse()
    answer = check_view_restrictions(lambda *args: passed)(call, request, (), {})
    return None if answer is passed else answer


def passes(user, call, session=None):
    """Whether this person (with this session, if any, else the one their
    request carried through `response_for`) passes every restriction on the
    call or above it."""
    if not any_restriction(call):
        return True
    if session is None:
        session = getattr(user, SESSION, None) or {}
    request = SimpleNamespace(user=user, session=session)
    return all(restriction.accept_request(request) for restriction in call.get_view_restrictions())
