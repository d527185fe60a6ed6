"""The signed token of a one-click unsubscribe link.

It names a person and the kinds one email was about, signed with the
site's SECRET_KEY (django.core.signing), so the link works without signing
in and cannot be made for anyone else or for other kinds. It does not
expire: an unsubscribe link in an old email must still work (RFC 8058)."""

from django.core import signing

from .models import Kind

SALT = "notifications.unsubscribe"


class BadToken(Exception):
    pass


def make(user_id, kinds):
    return signing.dumps({"u": int(user_id), "k": sorted(set(kinds))}, salt=SALT, compress=True)


def read(token):
    """(user id, kinds) of a token this site made, else BadToken."""
    try:
        data = signing.loads(str(token), salt=SALT)
        user_id, kinds = int(data["u"]), [str(k) for k in data["k"]]
    except (signing.BadSignature, KeyError, TypeError, ValueError):
        raise BadToken("This unsubscribe link is not valid.") from None
    if not kinds or any(kind not in Kind.values for kind in kinds):
        raise BadToken("This unsubscribe link is not valid.")
    return user_id, kinds
