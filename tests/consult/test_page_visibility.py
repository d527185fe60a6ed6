"""The one rule for pages (consult/visibility.py): its query and its test of
one loaded page agree for every kind of restriction and person, and a call
under a password, a mission open to one group and a pilot for signed-in
people only leave every listing (the home page, the missions index, the
mission page, search, open data, CSV, Atom, the opinion map, participation,
"you said, we did", the sitemap), with the page cache off and on. A source check fails
when a module outside the rule spells a page listing its own way."""

import ast
import csv
import io
import itertools
from datetime import date
from pathlib import Path
from types import SimpleNamespace

import pytest
from django.contrib.auth.models import AnonymousUser, Group
from django.test import Client
from wagtail.models import Page, PageViewRestriction

from cms import pagecache
from consult import visibility
from consult.models import ChallengeCallPage
from pilots.models import PilotPage

from ..factories import CallFactory, MissionFactory, PilotFactory, UserFactory, missions_index

ROOT = Path(__file__).resolve().parents[2]
SECRET = ("walrus", "ocelot", "okapi", "oryx", "narwhal")
OPEN = ("harbour", "quokka", "puffin")
TITLES = {"walrus": "walrus call", "ocelot": "ocelot mission", "okapi": "okapi call", "oryx": "oryx pilot",
          "narwhal": "narwhal pilot"}
RESULT = [(date(2026, 3, 1), 20, "First month")]  # so the pilots' Atom feed names them


@pytest.fixture(autouse=True)
def _database_search(settings):
    settings.ELASTICSEARCH_URL = ""


@pytest.fixture
def world(site, commit):
    """An open mission with an open call and pilot, a call under a password
    and a pilot for signed-in people only; a mission for one group, with its
    call and pilot. Every secret page's title holds one word of SECRET."""
    with commit():
        harbour = MissionFactory(title="Harbour mission", slug="harbour")
        ocelot = MissionFactory(title="Ocelot mission", slug="ocelot")
        pages = {
            "harbour": harbour,
            "quokka": CallFactory(parent=harbour, title="Quokka call", slug="quokka"),
            "walrus": CallFactory(parent=harbour, title="Walrus call", slug="walrus"),
            "puffin": PilotFactory(results=RESULT, parent=harbour, title="Puffin pilot", slug="puffin"),
            "narwhal": PilotFactory(results=RESULT, parent=harbour, title="Narwhal pilot", slug="narwhal"),
            "ocelot": ocelot,
            "okapi": CallFactory(parent=ocelot, title="Okapi call", slug="okapi"),
            "oryx": PilotFactory(results=RESULT, parent=ocelot, title="Oryx pilot", slug="oryx"),
        }
    return pages


def restrict(world, commit):
    group = Group.objects.create(name="Ocelot friends")
    with commit():
        password = PageViewRestriction.objects.create(page=world["walrus"], restriction_type="password",
                                                      password="sesame")
        PageViewRestriction.objects.create(page=world["narwhal"], restriction_type="login")
        groups = PageViewRestriction.objects.create(page=world["ocelot"], restriction_type="groups")
        groups.groups.add(group)
    return password, group


def _text(response):
    if response.status_code != 200:
        return ""
    if getattr(response, "streaming", False):
        return b"".join(response.streaming_content).decode().lower()
    return response.content.decode().lower()


def _csv(response):
    return " ".join(" ".join(row) for row in csv.reader(io.StringIO(_text(response))))


def _listings(world):
    """{surface: its text, lower case}, as a signed-out visitor reads it."""
    c = Client()
    harbour, ocelot, walrus, okapi = world["harbour"], world["ocelot"], world["walrus"], world["okapi"]
    text = {
        "home page": _text(c.get("/")),
        "missions index": _text(c.get(missions_index().url)),
        "mission page": _text(c.get(harbour.url)),
        "restricted mission's page": _text(c.get(ocelot.url)),
        "pilots list": _text(c.get(harbour.url + "pilots/")),
        "restricted mission's pilots list": _text(c.get(ocelot.url + "pilots/")),
        "you said, we did": _text(c.get(harbour.url + "you-said-we-did/")),
        "participation": _text(c.get(harbour.url + "participation/")),
        "restricted mission's participation": _text(c.get(ocelot.url + "participation/")),
        "open data missions": _text(c.get("/api/v1/missions")),
        "open data pilots": _text(c.get("/api/v1/pilots")),
        "open data ledger": _text(c.get("/api/v1/ledger")),
        "pilots CSV": _csv(c.get(harbour.url + "data/pilots.csv")),
        "restricted mission's pilots CSV": _csv(c.get(ocelot.url + "data/pilots.csv")),
        "pilots feed": _text(c.get(harbour.url + "pilots/feed/")),
        "restricted mission's pilots feed": _text(c.get(ocelot.url + "pilots/feed/")),
    }
    words = " OR ".join((*SECRET, *OPEN))
    # The sitemap names pages by address: a secret page's title stands for its address there.
    index = _text(c.get("/sitemap.xml"))
    sections = "".join(_text(c.get(f"/sitemap-{name}.xml")) for name in ("pages", "ideas") if f"sitemap-{name}.xml" in index)
    text["sitemap"] = " ".join(f"{TITLES.get(slug, slug)}" for slug in (*SECRET, *OPEN) if f"/{slug}/</loc>" in sections)
    text["search page"] = _text(c.get("/search/", {"q": words}))
    text["search API"] = _text(c.get("/api/v1/search", {"q": words}))
    # Addresses of one restricted call's data: present (its name as the marker) or not.
    for name, call in (("walrus", walrus), ("okapi", okapi)):
        ideas = c.get(f"/api/v1/calls/{call.pk}/ideas")
        marker = TITLES[name]
        text[f"open data ideas of {name}"] = marker if ideas.status_code == 200 else ""
        csv_ideas = c.get(call.url + "data/ideas.csv")
        text[f"ideas CSV of {name}"] = marker if csv_ideas.status_code == 200 else ""
        feed = c.get(call.url + "feed/")
        text[f"Atom feed of {name}"] = marker if "atom" in feed.get("Content-Type", "") else ""
        opinions = c.get(f"/api/v1/calls/{call.pk}/opinion-map")
        # An open call without votes has no map yet, and says so; a hidden one is not found.
        text[f"opinion map of {name}"] = marker if opinions.json()["error"]["code"] == "no_opinion_map" else ""
    return text


# Which secret pages each listing shows while nothing is restricted: the
# checks are not empty (each would fail on a listing that bypassed the rule).
SHOWN_BEFORE = {
    "home page": {"walrus", "ocelot", "okapi"},
    "missions index": {"ocelot"},
    "mission page": {"walrus", "narwhal"},
    "restricted mission's page": {"okapi", "oryx"},
    "pilots list": {"narwhal"},
    "restricted mission's pilots list": {"oryx"},
    "restricted mission's participation": {"ocelot"},
    "open data missions": {"walrus", "ocelot", "okapi"},
    "open data pilots": {"narwhal", "oryx"},
    "pilots CSV": {"narwhal"},
    "restricted mission's pilots CSV": {"oryx"},
    "pilots feed": {"narwhal"},
    "restricted mission's pilots feed": {"oryx"},
    "search page": set(SECRET),
    "search API": set(SECRET),
    "sitemap": set(SECRET),
    **{f"{what} of {w}": {w} for w in ("walrus", "okapi")
       for what in ("open data ideas", "ideas CSV", "Atom feed", "opinion map")},
}


def _secrets_seen(text):
    """By each page's whole title: the search page and API repeat the words searched for."""
    return {surface: {w for w in SECRET if TITLES[w] in body} for surface, body in text.items()}


@pytest.mark.django_db
def test_restricted_pages_leave_every_listing(world, commit, page_cache_on_and_off):
    before = _secrets_seen(_listings(world))
    missing = {s: sorted(w - before.get(s, set())) for s, w in SHOWN_BEFORE.items() if w - before.get(s, set())}
    assert not missing, missing

    restrict(world, commit)
    after = _listings(world)
    leaked = {surface: sorted(words) for surface, words in _secrets_seen(after).items() if words}
    assert not leaked, leaked
    # The open pages are still listed: the listings did not just go blank.
    assert all(w in after["home page"] for w in ("harbour mission", "quokka call"))
    assert all(w in after["mission page"] for w in ("quokka call", "puffin pilot"))
    assert "puffin pilot" in after["open data pilots"] and "puffin pilot" in after["search page"]
    assert {"harbour", "quokka", "puffin"} <= set(after["sitemap"].split())


@pytest.mark.django_db
def test_the_restricted_call_is_on_no_home_page_even_while_open(world, commit, page_cache_on_and_off):
    """The home page's "open now" list once listed a call under a password."""
    client = Client()
    assert "Walrus call" in client.get("/").content.decode()
    restrict(world, commit)
    home = client.get("/").content.decode()
    assert "Walrus call" not in home and "Quokka call" in home


@pytest.mark.django_db
def test_people_who_pass_a_restriction_see_what_it_covers(world, commit):
    password, group = restrict(world, commit)
    member = UserFactory()
    member.groups.add(group)
    signed_in = Client()
    signed_in.force_login(member)
    assert "Ocelot mission" in signed_in.get(missions_index().url).content.decode()
    assert "Ocelot mission" not in Client().get(missions_index().url).content.decode()

    # A password given in this browser: its session holds the restriction's id.
    browser = Client()
    session = browser.session
    session[visibility.SESSION_KEY] = [password.pk]
    session.save()
    assert "Walrus call" in browser.get(world["harbour"].url).content.decode()
    assert "Walrus call" not in Client().get(world["harbour"].url).content.decode()


@pytest.mark.django_db
def test_the_query_and_the_one_page_test_agree(world, commit):
    password, group = restrict(world, commit)
    draft = CallFactory(parent=world["harbour"], title="Draft call")
    ChallengeCallPage.objects.filter(pk=draft.pk).update(live=False)
    member, stranger, admin = UserFactory(), UserFactory(), UserFactory(is_superuser=True)
    member.groups.add(group)
    pages = [Page.objects.get(pk=p.pk).specific for p in [*world.values(), draft]]
    people = [(None, ()), (AnonymousUser(), ()), (AnonymousUser(), (password.pk,)), (stranger, ()),
              (member, ()), (member, (str(password.pk),)), (admin, ())]
    expected_public = {"harbour", "quokka", "puffin"}
    for page, (person, passed) in itertools.product(pages, people):
        in_query = visibility.pages_visible_to(Page.objects.filter(pk=page.pk), person, passed).exists()
        assert visibility.is_visible_to(page, person, passed) == in_query, (page.title, person, passed)
    for page in pages:
        public = page.slug in expected_public
        assert visibility.is_public_page(page) == public == visibility.public_pages().filter(pk=page.pk).exists()
    # Each kind of restriction opens to its own people only.
    seen = {(p.slug, i) for p, (i, (person, passed)) in itertools.product(pages, enumerate(people))
            if visibility.is_visible_to(p, person, passed)}
    assert ("walrus", 2) in seen and ("walrus", 3) not in seen and ("walrus", 5) in seen
    assert ("narwhal", 3) in seen and ("narwhal", 1) not in seen
    assert ("okapi", 4) in seen and ("okapi", 3) not in seen and ("okapi", 6) in seen
    assert not any(slug == draft.slug for slug, _ in seen)
    # Generic over page types: a queryset of one type keeps its type.
    assert list(visibility.public_pages(PilotPage).values_list("slug", flat=True).order_by("slug")) == ["puffin"]


@pytest.mark.django_db
def test_a_page_type_never_listed_is_left_out(world, monkeypatch):
    monkeypatch.setattr(PilotPage, "listed", False, raising=False)
    assert not visibility.public_pages(PilotPage).exists()
    assert not visibility.is_public_page(world["puffin"])
    assert visibility.public_pages(ChallengeCallPage).filter(slug="quokka").exists()


# --- the source check -------------------------------------------------------------

APPS = ("cms", "consult", "demo", "ideas", "inputs", "live", "moderation", "notifications", "opendata",
        "opinions", "participation", "people", "pilots", "prizes", "search")
RULE = "consult/visibility.py"
# (module, the enclosing function): why it is not a public listing.
NOT_LISTINGS = {
    ("pilots/wagtail_hooks.py", "_keep_pilots_published"): "the admin: whether a page holding live pilots may be unpublished",
    ("pilots/idea_fate.py", "take_forward_tool"): "the mission team's own form: every live pilot of its mission",
    ("participation/selectors.py", "team_extras"): "what only the mission's team sees: every live call of its mission",
    ("pilots/page_views.py", "mission_pilot_list"): "one mission by its address, then Wagtail's own check (response_for)",
    ("pilots/ledger_views.py", "mission_ledger"): "one mission by its address, then Wagtail's own check (response_for)",
    ("participation/views.py", "_mission"): "one mission by its address; its views run Wagtail's own check",
    ("ideas/follow_views.py", "mission_follow"): "one mission to follow or unfollow (a form's post, not a list)",
}
SPELLINGS = ("live", "public", "not_public", "private")


def _page_listing_calls(root=ROOT, apps=APPS):
    """(module, function, line, spelling) of every `.live()` / `.public()`
    call in our apps, outside migrations and the rule's own module."""
    found = []
    for app in apps:
        for path in sorted((root / app).rglob("*.py")):
            relative = path.relative_to(root).as_posix()
            if "/migrations/" in relative or relative == RULE:
                continue
            tree = ast.parse(path.read_text(), filename=relative)
            for function in [n for n in ast.walk(tree) if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef))]:
                for node in ast.walk(function):
                    if (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
                            and node.func.attr in SPELLINGS and not node.args and not node.keywords):
                        found.append((relative, function.name, node.lineno, node.func.attr))
    return found


def test_no_module_but_the_rule_spells_which_pages_are_public():
    """Public listings of pages ask consult/visibility.py; a `.live()` or
    `.public()` elsewhere is either on the reasoned list above or a bypass."""
    calls = _page_listing_calls()
    bypasses = [f"{m}:{line} {fn}() .{attr}()" for m, fn, line, attr in calls if (m, fn) not in NOT_LISTINGS]
    assert not bypasses, "list pages through consult/visibility.py: " + ", ".join(bypasses)
    stale = set(NOT_LISTINGS) - {(m, fn) for m, fn, _line, _attr in calls}
    assert not stale, f"allow-listed but no longer there: {sorted(stale)}"


def test_the_source_check_catches_a_listing_of_its_own(tmp_path):
    """The check is not empty: a `.live().public()` in an app module is found."""
    app = tmp_path / "consult"
    app.mkdir()
    (app / "listing.py").write_text("def calls():\n    return ChallengeCallPage.objects.live().public()\n")
    assert {(m, fn, attr) for m, fn, _l, attr in _page_listing_calls(tmp_path, ("consult",))} == {
        ("consult/listing.py", "calls", "live"), ("consult/listing.py", "calls", "public")}


@pytest.mark.django_db
def test_the_page_cache_never_keeps_a_restricted_page(world, commit, settings):
    """Wagtail's password form for a restricted call is rendered afresh for
    each visitor, and a restricted page is never stored (cms/pagecache.py)."""
    settings.PAGE_CACHE_ENABLED = True
    pagecache.bump_site()
    restrict(world, commit)
    client = Client()
    for _ in range(2):
        response = client.get(world["walrus"].url)
        assert response["X-Page-Cache"] == "miss" and "Password required" in response.content.decode()
    assert not pagecache.public_page(SimpleNamespace(context_data={"page": world["walrus"]}))
    assert not pagecache.public_page(SimpleNamespace(context_data={"self": world["oryx"]}))
    assert pagecache.public_page(SimpleNamespace(context_data={"page": world["quokka"]}))
    assert pagecache.public_page(SimpleNamespace(context_data={}))
