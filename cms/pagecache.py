"""A shared cache of signed-out pages, kept exact by the live events' numbers.

What is cached: the whole HTML of the home, mission, call (each supported sort
and filter), call results, pilot and idea pages, for GET and HEAD requests of
signed-out visitors (no session cookie, no messages waiting), in the
default cache (Redis when REDIS_URL is set, local memory otherwise). Anything
else passes through untouched, marked `X-Page-Cache: bypass`.

Why a middleware: the pages come from Wagtail's serve, routable sub-pages and
a plain view; one middleware placed after the session, auth and message
middleware sees all of them, reads the rendered response (and, for
TemplateResponses, its context) and needs no change in any view.

How it stays exact. Every write that changes one of these pages already
publishes a live event after commit (votes, new ideas, moderation, edits,
status, responses, comments; live/events.py), and each event moves its
topic's sequence number (`live:seq:<topic>` in the default cache). An entry
records the numbers of the topics it depends on as it was rendered: the
topics named in the page's own `data-live-since` attributes (the call, idea
and results pages), the calls listed on the home and mission pages (their
idea counts), and a site generation (`SITE_KEY`) for the writes that publish
no live event: Wagtail's page_published, page_unpublished, post_page_move
and a page's deletion, a change to an organisation or a profile (a rename,
an account's erasure) and an idea linked to a pilot move it after commit
(`connect_signals`, from cms/apps.py). A lookup reads those numbers in one
`get_many` and serves the entry only if none has moved; otherwise the page
is rendered afresh and stored. So a cached page is never older than its
topics say, and since the served `data-live-since` is the number the page
was rendered at, the live client's catch-up replay brings an open page up
to date at once. Things that change with time alone (a call's phase) are
bounded by `PAGE_CACHE_TIMEOUT`.

A race: a page's data could be read before a write commits and its number
after the event. So the numbers stored are those read *before* the render
whenever the topics are known then (from the stale entry, or from the path's
dependency record kept beside the entries), taking the lower of that and the
rendered one: a write in between then shows as a moved number and the next
view renders again. Only the very first render of a path lacks this.

Bounded. Each page kind has an allow-list of query parameters; anything
else, a repeated parameter, a value longer than 100 characters or
`sort=random` (per visitor) bypasses the cache; so do an idea's later pages
of comments (`?page=`: only its first page is cached). On the call page an
entry is stored only when every value is one the page itself used (its
sort, a status, one of its popular tags, a sector, a learning question, an
existing page number) and written in that one spelling, so hostile query
strings can neither fill the cache nor make two entries of one page.

Nothing per visitor is shared, and nothing restricted:
- A page the page rule (consult/visibility.py) does not call public, or a
  response about one (Wagtail's password form), is never stored.
- Visitors with a session (signed in, or holding a Wagtail page password),
  visitors with messages pending, requests asking for
  JSON, and responses that set a cookie or change the session are never
  stored or served from here. Every answer carries `Vary: Cookie`, so a
  shared proxy cache downstream keeps signed-out and signed-in pages apart.
- CSRF: no signed-out page renders a token today (forms that post are shown
  to signed-in people), but one may, and a masked CSRF token reveals the
  visitor's secret, the same in every token. Before storing, every
  token in the page that unmasks to this visitor's secret is replaced by a
  placeholder, and on a hit the placeholder becomes a token of the new
  visitor's own (django's get_token, which also sets their cookie), so the
  cached form still posts.
- CSP nonce: the one inline script (templates/base.html) carries the
  request's nonce. It is stored as a placeholder and a hit puts in a fresh
  nonce from `request.csp_nonce`, which django-csp then writes in the
  header: never one nonce for two visitors.

The key holds the scheme, host, active language (Welsh stays possible), path
and sorted query. `PAGE_CACHE_ENABLED` turns it on or off; unset, it is on
unless DEBUG (so a template being edited shows at once). The test settings
turn it off, so tests that count queries see every render;
tests/cms/test_page_cache.py turns it on."""

import hashlib
import logging
import re
from urllib.parse import urlencode

from asgiref.sync import sync_to_async
from django.conf import settings
from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.http import HttpResponse
from django.middleware.csrf import CSRF_ALLOWED_CHARS, CSRF_SECRET_LENGTH, get_token
from django.utils import translation
from django.utils.cache import patch_vary_headers
from wagtail.models import Page, PageViewRestriction
from wagtail.signals import page_published, page_unpublished, post_page_move

from consult.visibility import is_public_page
from live import fragments
from people.models import Organisation, Profile
from pilots.models import PilotIdea

from .dualmode import ServerMode
from live.topics import TOPIC_RE, call_topic

logger = logging.getLogger("missioncommons.pagecache")

HEADER = "X-Page-Cache"
SITE_KEY = fragments.SITE_KEY  # the site generation, moved by writes that publish no live event
NONCE_MARK = "__pagecache_nonce__"
CSRF_MARK = "__pagecache_csrf__"
MAX_VALUE = 100
SAFE_METHODS = ("GET", "HEAD")
SKIP_HEADERS = {"content-length", "vary", "content-security-policy", "content-security-policy-report-only"}

SLUG = r"[-\w]+"
CALL_PARAMS = frozenset({"sort", "status", "tag", "sector", "question", "page"})
# (kind, path pattern, allowed query parameters)
PAGE_KINDS = [
    ("home", re.compile(r"^/\Z"), frozenset()),
    ("mission", re.compile(rf"^/missions/{SLUG}/\Z"), frozenset()),
    ("call", re.compile(rf"^/missions/{SLUG}/calls/{SLUG}/\Z"), CALL_PARAMS),
    ("results", re.compile(rf"^/missions/{SLUG}/calls/{SLUG}/results/\Z"), frozenset({"fragment"})),
    ("pilot", re.compile(rf"^/missions/{SLUG}/pilots/(?!feed/){SLUG}/\Z"), frozenset()),
    ("idea", re.compile(r"^/ideas/[0-9]{1,12}/\Z"), frozenset()),
]
SINCE_RE = re.compile(r'data-live-since="([^"]*)"')
TOKEN_RE = re.compile(r"(?<![A-Za-z0-9])[A-Za-z0-9]{64}(?![A-Za-z0-9])")


# One switch, timeout, site generation and sequence keys for whole pages
# here and for the shared fragments of signed-in pages (live/fragments.py).
cache, enabled, timeout, seq_key, bump_site = (
    fragments.cache, fragments.enabled, fragments.timeout, fragments.seq_key, fragments.bump_site)
_current = fragments.current


def bump_site_on_commit(**kwargs):
    transaction.on_commit(bump_site)


def _changed(sender, instance, created=False, **kwargs):
    """A rename or an account's erasure changes names on many pages; a new
    profile or organisation has nothing public yet (sign-ups would otherwise
    empty the cache)."""
    if not created:
        bump_site_on_commit()


def _page_deleted(sender, instance, **kwargs):
    bump_site_on_commit()


def connect_signals():
    """Called from cms/apps.py: the writes that change pages without a live event."""
    page_published.connect(bump_site_on_commit, dispatch_uid="pagecache_published")
    page_unpublished.connect(bump_site_on_commit, dispatch_uid="pagecache_unpublished")
    post_page_move.connect(bump_site_on_commit, dispatch_uid="pagecache_moved")
    # Deleting any kind of page deletes its wagtailcore_page row too, which
    # sends post_delete with Page as the sender: no receiver on every delete.
    post_delete.connect(_page_deleted, sender=Page, dispatch_uid="pagecache_page_deleted")
    # A view restriction added to a call (or a mission above it) hides its
    # ideas' pages at once (ideas/restrictions.py); one removed shows them.
    post_save.connect(bump_site_on_commit, sender=PageViewRestriction, dispatch_uid="pagecache_restriction")
    post_delete.connect(bump_site_on_commit, sender=PageViewRestriction, dispatch_uid="pagecache_unrestriction")
    post_save.connect(_changed, sender=Organisation, dispatch_uid="pagecache_organisation")
    post_save.connect(_changed, sender=Profile, dispatch_uid="pagecache_profile")
    # An idea taken forward joins its pilot's page (and a second pilot may
    # be named for an idea already taken forward: no status change, no event).
    post_save.connect(bump_site_on_commit, sender=PilotIdea, dispatch_uid="pagecache_pilot_idea")
    post_delete.connect(bump_site_on_commit, sender=PilotIdea, dispatch_uid="pagecache_pilot_idea_gone")


# --- which requests ---------------------------------------------------------------


def page_kind(request):
    """(kind, allowed parameters) of a cacheable address, else None."""
    for kind, pattern, allowed in PAGE_KINDS:
        if pattern.match(request.path_info):
            return kind, allowed
    return None


def signed_out(request):
    """No session at all and no message waiting, at no query. A visitor
    with a session, signed in or not, passes through: a session can hold
    what is theirs alone (a Wagtail page password they gave, the seed of
    their random order), which must neither be served from nor stored in a
    shared entry."""
    if settings.SESSION_COOKIE_NAME in request.COOKIES:
        return False
    storage = getattr(request, "_messages", None)
    return not (storage is not None and len(storage))


def request_key(request):
    """(cache key, dependency-record key, kind, params) or None to bypass."""
    if request.method not in SAFE_METHODS or not enabled():
        return None
    found = page_kind(request)
    if found is None:
        return None
    kind, allowed = found
    params = []
    for name in request.GET:
        values = request.GET.getlist(name)
        if name not in allowed or len(values) != 1 or len(values[0]) > MAX_VALUE:
            return None
        params.append((name, values[0]))
    if dict(params).get("sort") == "random":
        return None
    if "application/json" in request.headers.get("Accept", "") or not signed_out(request):
        return None
    base = f"{request.scheme}://{request.get_host()}{request.path_info}"
    query = urlencode(sorted(params))
    lang = translation.get_language() or ""
    digest = hashlib.sha256(f"{lang}|{base}?{query}".encode()).hexdigest()[:40]
    deps = hashlib.sha256(base.encode()).hexdigest()[:40]
    return f"pc:page:{digest}", f"pc:deps:{deps}", kind, dict(params)


# --- what a page depends on ----------------------------------------------------------


def rendered_seqs(text):
    """{seq key: number} from the page's data-live-since attributes (only
    well-formed topics: what no template wrote cannot add a key)."""
    seqs = {}
    for value in SINCE_RE.findall(text):
        for pair in value.split():
            topic, _, number = pair.rpartition("=")
            if TOPIC_RE.match(topic) and number.isascii() and number.isdigit():
                key = seq_key(topic)
                seqs[key] = min(seqs.get(key, int(number)), int(number))
    return seqs


def context_keys(response):
    """The calls a home or mission page lists (their idea counts)."""
    context = getattr(response, "context_data", None) or {}
    keys = set()
    for name in ("open_calls", "calls"):
        for item in context.get(name) or ():
            page = item.get("page") if isinstance(item, dict) else getattr(item, "page", None)
            if getattr(page, "pk", None) is not None:
                keys.add(seq_key(call_topic(page.pk)))
    return keys


def canonical(kind, params, response):
    """True when every query value is one the page used, in its one spelling."""
    if not params:
        return True
    context = getattr(response, "context_data", None) or {}
    if kind == "results":
        return params == {"fragment": "map"}
    # The call page's list says itself whether its values are canonical
    # (ideas/call_ideas.py: the rule is written once, there).
    return kind == "call" and bool(context.get("ideas_canonical"))


# --- storing and serving -------------------------------------------------------------


def _strip_secrets(request, text):
    """The page with its nonce and this visitor's CSRF tokens as placeholders,
    or None when it must not be shared."""
    nonce = getattr(request, "_csp_nonce", None)
    if isinstance(nonce, str) and nonce:
        text = text.replace(nonce, NONCE_MARK)
    secret = request.META.get("CSRF_COOKIE")
    if request.META.get("CSRF_COOKIE_NEEDS_UPDATE") and secret:

        def mark(match):  # 64 letters and digits: always a well-formed masked token
            token = match.group(0)
            return CSRF_MARK if unmasked(token) == secret else token

        text = TOKEN_RE.sub(mark, text)
        if secret in text:
            return None
    return text


def unmasked(token):
    """The secret behind a masked CSRF token as Django writes one into a form
    (a mask and the secret shifted by it, 32 letters or digits each): Django's
    own unmasking is private (tests/cms/test_page_cache.py checks that the
    two agree on the tokens get_token gives)."""
    mask, cipher = token[:CSRF_SECRET_LENGTH], token[CSRF_SECRET_LENGTH:]
    chars = CSRF_ALLOWED_CHARS
    return "".join(chars[(chars.index(c) - chars.index(m)) % len(chars)] for c, m in zip(cipher, mask))


def storable(request, response):
    if response.status_code != 200 or response.streaming or response.cookies:
        return False
    if not response.get("Content-Type", "").startswith("text/html"):
        return False
    session = getattr(request, "session", None)
    if session is not None and session.modified:
        return False
    return signed_out(request)


def public_page(response):
    """Whether the Wagtail page the response renders, if any, is public by
    the page rule (consult/visibility.py). A signed-out visitor cannot pass
    a restriction, so its page is Wagtail's password form or sign-in; this
    keeps even that (and anything a view might render for a restricted page
    by mistake) out of the shared cache."""
    context = getattr(response, "context_data", None) or {}
    page = context.get("page") or context.get("self")
    return not isinstance(page, Page) or is_public_page(page)


def store(request, response, keys, kind, params, before):
    """Keep the rendered page with the numbers of its topics; `before` holds
    the numbers read before the render, for the topics known then."""
    if not storable(request, response) or not canonical(kind, params, response):
        return
    if not public_page(response):
        return
    charset = response.charset or "utf-8"
    try:
        text = response.content.decode(charset)
    except UnicodeDecodeError:
        return
    text = _strip_secrets(request, text)
    if text is None:
        return
    seqs = rendered_seqs(text)
    wanted = {SITE_KEY} | set(seqs) | context_keys(response)
    missing = [k for k in wanted if k not in before and k not in seqs]
    after = cache().get_many(missing) if missing else {}
    deps = {}
    for key in wanted:
        values = [v for v in (before.get(key), seqs.get(key)) if v is not None]
        deps[key] = min(values) if values else int(after.get(key) or 0)
    entry = {
        "deps": deps,
        "status": response.status_code,
        "charset": charset,
        "content": text,
        "headers": [(k, v) for k, v in response.headers.items() if k.lower() not in SKIP_HEADERS],
    }
    cache().set_many({keys[0]: entry, keys[1]: sorted(deps)}, timeout=timeout())


def serve(request, entry):
    text = entry["content"]
    if NONCE_MARK in text:
        text = text.replace(NONCE_MARK, str(request.csp_nonce))
    if CSRF_MARK in text:
        text = text.replace(CSRF_MARK, get_token(request))
    response = HttpResponse(text.encode(entry["charset"]), status=entry["status"])
    for name, value in entry["headers"]:
        response[name] = value
    return response


class PageCacheMiddleware(ServerMode):
    """Serves signed-out pages from the shared cache (see the module's docstring).
    Sits after the session, authentication and message middleware.

    Runs in the server's mode (as cms/dualmode.py explains): async under
    ASGI, where the cache's network round trips go to a worker thread
    rather than block the event loop, sync under WSGI and the test client.
    Deciding whether a request may use the cache reads no database: a
    request with a session cookie passes through without loading it."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.adopt_mode(get_response)

    def sync_call(self, request):
        found = request_key(request)  # the Host was checked by CommonMiddleware, before
        if found is None:
            return self._mark(self.get_response(request), "bypass")
        entry, before = lookup(found)
        if entry is not None:
            return self._mark(serve(request, entry), "hit")
        response = self.get_response(request)
        keep(request, response, found, before)
        return self._mark(response, "miss")

    async def __acall__(self, request):
        found = request_key(request)
        if found is None:
            return self._mark(await self.get_response(request), "bypass")
        entry, before = await sync_to_async(lookup, thread_sensitive=False)(found)
        if entry is not None:
            return self._mark(serve(request, entry), "hit")
        response = await self.get_response(request)
        await sync_to_async(keep, thread_sensitive=False)(request, response, found, before)
        return self._mark(response, "miss")

    @staticmethod
    def _mark(response, state):
        response[HEADER] = state
        if state != "bypass":
            patch_vary_headers(response, ("Cookie",))
        return response


def lookup(found):
    """(the entry if it is still current, else None; the numbers of its
    known topics as read now, before any render)."""
    page_key, deps_key = found[0], found[1]
    try:
        held = cache().get_many([page_key, deps_key])
        entry = held.get(page_key)
        known = entry["deps"] if entry else dict.fromkeys(held.get(deps_key) or ())
        before = _current(known) if known else {}
        return (entry if entry and before == entry["deps"] else None), before
    except Exception:
        logger.warning("page cache lookup failed", exc_info=True)
        return None, {}


def keep(request, response, found, before):
    page_key, deps_key, kind, params = found
    try:
        store(request, response, (page_key, deps_key), kind, params, before)
    except Exception:
        logger.warning("page cache store failed", exc_info=True)
