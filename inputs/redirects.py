"""Where to go after a form: the page it was posted from, when that is a
page of this site.

Forms post a `next` value so that, without JavaScript, the person lands
back where they were. It is typed by whoever sends the request, so it is
used only when it is a path on this site ("/…", not "//host/…", and on
https when the request came over https). Anything else, such as "evil.com",
"javascript:…" or a word like "home" (which django.shortcuts.redirect
would try to reverse as a view name, and fail with a 500), gives the
default."""

from django.utils.http import url_has_allowed_host_and_scheme


def safe_next(request, default, *, also_get=False):
    """The posted `next` (or the query's, with `also_get`) if it is a path on
    this site, else `default`."""
    target = request.POST.get("next") or (request.GET.get("next") if also_get else "") or ""
    if (target.startswith("/") and not target.startswith("//") and "\x00" not in target
            and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()},
                                                require_https=request.is_secure())):
        return target
    return default
