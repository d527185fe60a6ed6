"""Rate limits on django-ratelimit's counters: the one mechanism every app
asks (ideas/ratelimits.py for participation, people/ratelimits.py for
organisations, invitations and the data download; each holds its defaults).

An action has a rate per scope: "user" (the person signed in), "ip" (where
the request comes from), or any other the caller names with its value, such
as the organisation an invitation is sent for or the address it is sent to.
The `RATE_LIMITS` setting overrides any of them, e.g.
{"invitation": {"recipient": "10/d"}}. A refused attempt marks the request,
and cms/middleware.py answers 429 with Retry-After."""

from django.conf import settings
from django_ratelimit.core import get_usage


def rates(action, defaults):
    return {**defaults.get(action, {}), **getattr(settings, "RATE_LIMITS", {}).get(action, {})}


def wait_text(seconds):
    seconds = max(1, int(seconds))
    if seconds < 90:
        return f"{seconds} second{'s' if seconds != 1 else ''}"
    minutes = (seconds + 59) // 60
    if minutes < 90:
        return f"{minutes} minute{'s' if minutes != 1 else ''}"
    hours = (minutes + 59) // 60
    return f"{hours} hour{'s' if hours != 1 else ''}"


def too_often(seconds):
    return f"You have done this too often. Please wait {wait_text(seconds)} and try again."


def _no_address(group, request):
    return "no-address"


def _fixed(value):
    return lambda group, request: value


def consume(request, action, defaults, keys=None):
    """Count one attempt at `action` against each of its limits. `keys`
    gives the value of each scope other than "user" and "ip" ({scope:
    value}; a scope without a value is not counted). Returns (scope,
    seconds to wait) for the first limit passed, else None."""
    if request is None or not getattr(settings, "RATELIMIT_ENABLE", True):
        return None
    keys = keys or {}
    for scope, rate in rates(action, defaults).items():
        if scope == "user":
            if not request.user.is_authenticated:
                continue
            counter = "user"
        elif scope == "ip" or scope.startswith("ip."):  # "ip.1": a second limit per address
            # No client address (ASGI over a Unix socket): one shared counter
            # rather than django-ratelimit's KeyError.
            counter = "ip" if request.META.get("REMOTE_ADDR") else _no_address
        elif keys.get(scope) not in (None, ""):
            counter = _fixed(str(keys[scope]))  # hashed into the counter's key, never stored as typed
        else:
            continue
        usage = get_usage(request, group=f"mc.{action}.{scope}", key=counter, rate=rate, increment=True)
        if usage and usage["should_limit"]:
            retry = max(1, int(usage["time_left"]))
            request.rate_limited = retry
            return scope, retry
    return None
