"""The one refusal path: every app says no the same way.

`Refused` is the one error a write raises, for bad input and refused
permissions alike: a sentence fit to show the person, the form field at fault
(`field`, None for the whole form), the HTTP status the API answers with and
a stable `code`. Forms show it on the field; the JSON API and the live
consumer answer `as_json()`.

Permissions are `rules` predicates declared in each app's rules.py; beside
each, the app registers its refusal table with `refuse(perm, ...)`: the
reasons in the order a person should hear them, each a predicate that must
hold and what to say when it does not (401 signed out, 403 not allowed, 404
not to be seen, 409 not now). `why_not` walks the table, testing the same
predicates the permission is made of, so the decision and the reason cannot
drift apart; `require(user, perm, obj)` is the only check a service makes.

Ask with `can(user, perm, obj)`, never `user.has_perm(...)`: Django answers
True for an active superuser before any backend is asked, so a site admin
would pass the phase clock and suspensions; where site admins may do
something, the predicate says so.

It lives in the bottom layer so that every app raises and catches the same
type, and a signed-out caller gets the same code (`SIGNED_OUT_CODE`) from
every app and every surface."""

from dataclasses import dataclass

import rules

SIGNED_OUT_CODE = "not_authenticated"


class Refused(Exception):
    """An action refused, with a message fit to show the person."""

    def __init__(self, message, *, field=None, status=400, code="invalid"):
        super().__init__(message)
        self.message = message
        self.field = field
        self.status = status
        self.code = code

    def as_json(self):
        return {"error": {"code": self.code, "message": self.message, "field": self.field}}


@dataclass(frozen=True)
class Refusal:
    """One reason a permission can fail: `holds` must be true, or the person
    is told `message` (text, or a function of user and object for one that
    names a date) with this HTTP status and stable code."""

    holds: rules.Predicate
    status: int
    code: str
    message: object

    def text(self, user, obj):
        return self.message(user, obj) if callable(self.message) else self.message


REFUSALS = {}

SIGNED_IN = Refusal(rules.is_authenticated, 401, SIGNED_OUT_CODE, "Sign in to do this.")
NOT_ALLOWED = Refusal(rules.always_false, 403, "forbidden", "You are not allowed to do this.")


def only(predicate, message, status=403, code="forbidden"):
    """A reason in a table: `predicate` must hold, or `message` is said."""
    return Refusal(predicate, status, code, message)


def refuse(perm, *refusals):
    """Register why `perm` can fail, in the order people should hear it."""
    REFUSALS[perm] = refusals


def can(user, perm, obj=None):
    """Whether the permission's predicate holds for this person and object.
    Unlike `user.has_perm`, superusers get no pass."""
    return rules.has_perm(perm, user, obj)


def why_not(user, perm, obj=None):
    """None if the person may; otherwise the first reason of the permission's
    table that fails for them (NOT_ALLOWED if the table has none left)."""
    if can(user, perm, obj):
        return None
    for reason in REFUSALS.get(perm, (SIGNED_IN,)):
        if not reason.holds.test(user, obj):
            return reason
    return NOT_ALLOWED


def refusal(user, perm, obj=None, *, field=None):
    """The Refused this person gets for `perm` on `obj`, or None if they may
    (for pages that say why before showing a form)."""
    reason = why_not(user, perm, obj)
    if reason is None:
        return None
    return Refused(reason.text(user, obj), field=field, status=reason.status, code=reason.code)


def require(user, perm, obj=None, *, field=None):
    """Raise the refusal for `perm` on `obj`, if any: the only check a service makes."""
    error = refusal(user, perm, obj, field=field)
    if error is not None:
        raise error

