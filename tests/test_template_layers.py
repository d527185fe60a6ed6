"""Templates follow the layers (docs/architecture.md, "Templates follow the
layers"): a lower app's templates never name an upper app's route, nor a
route of an app beside it. The links they show come from the registries the
upper apps fill (consult/mission_page.py `register_part`, ideas/links.py,
people/links.py).

The layer order is read from pyproject.toml's import-linter contract, so the
templates are held to the same order as the code. A template belongs to the
app named by its directory (`templates/<app>/…`); the few that another app's
view renders are listed in RENDERED_BY (and checked to be named in that
app's code); the site's layout and third-party pages (`base.html`,
`404.html`, `account/`, `allauth/`, …) are cms's, the top, and may name
anything; `templates/includes/` are partials every app includes, so they
name no app's route. A route belongs to the app whose view answers it;
third-party routes (allauth's, Wagtail's) are libraries any layer may use.

The same holds for what a template pulls in: a template it includes or
extends, and a tag library it loads, belong to its own app or one below
(the layout, `base.html`, is the one any page extends)."""

import re
import tomllib
from pathlib import Path

from django.template import engines
from django.urls import URLPattern, URLResolver, get_resolver

ROOT = Path(__file__).resolve().parent.parent
TEMPLATES = ROOT / "templates"
CONTRACT = "Apps import only the layers below them (docs/architecture.md)"

# Templates in one app's directory rendered by another app's views.
RENDERED_BY = {
    "people/profile.html": "ideas",       # ideas/people_views.py: a person's ideas and comments
    "people/organisation.html": "ideas",  # ideas/people_views.py: an organisation's ideas
    "people/activity.html": "ideas",      # ideas/people_views.py: your activity
    "search/search.html": "ideas",        # ideas/search_views.py: search reads ideas' visibility
}
SHARED_PARTIALS = "includes"  # included by every app: bound by the lowest layer

URL_TAG = re.compile(r"""\{%\s*url\s+(['"])([^'"]+)\1""")
PULL_TAG = re.compile(r"""\{%\s*(?:include|extends)\s+(['"])([^'"]+)\1""")
LOAD_TAG = re.compile(r"""\{%\s*load\s+([^%]+?)\s*%\}""")
LAYOUT = {"base.html", "allauth/layouts/base.html"}  # the layouts pages extend
LIBRARY_TEMPLATES = ("wagtailadmin/",)  # a library's own templates, which any layer may extend


def layer_order(pyproject=ROOT / "pyproject.toml"):
    """{app: layer index}, 0 the top, from the import-linter layers contract."""
    config = tomllib.loads(pyproject.read_text())["tool"]["importlinter"]
    contract = next(c for c in config["contracts"] if c["name"] == CONTRACT)
    return {app.strip(): i for i, line in enumerate(contract["layers"]) for app in line.split("|")}


def url_names_in(text):
    return {m.group(2) for m in URL_TAG.finditer(text)}


def route_owners(patterns=None, namespace=""):
    """{URL name (with its namespace): the top-level package of its view}."""
    owners = {}
    for p in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(p, URLResolver):
            inner = f"{namespace}{p.namespace}:" if p.namespace else namespace
            for name, owner in route_owners(p.url_patterns, inner).items():
                owners.setdefault(name, owner)
        elif isinstance(p, URLPattern) and p.name:
            owners.setdefault(namespace + p.name, (p.callback.__module__ or "").split(".")[0])
    return owners


def template_owner(relative, layers):
    """The app whose layer bounds a template at `relative` (a/b.html)."""
    if relative in RENDERED_BY:
        return RENDERED_BY[relative]
    top = relative.split("/")[0]
    if top == SHARED_PARTIALS:
        return max(layers, key=layers.get)
    return top if top in layers else min(layers, key=layers.get)


def upward_references(templates, owners, layers):
    """[(template, URL name, its owner)] where `templates` ({relative path:
    text}) name a route of an app above their own or beside it."""
    found = []
    for relative, text in sorted(templates.items()):
        app = template_owner(relative, layers)
        for name in sorted(url_names_in(text)):
            owner = owners.get(name)
            if owner in layers and owner != app and layers[owner] <= layers[app]:
                found.append((relative, name, owner))
    return found


def _below_or_own(owner, app, layers):
    return owner not in layers or owner == app or layers[owner] > layers[app]


def upward_pulls(templates, layers, libraries):
    """[(template, what it pulls in, its owner)] where a template includes or
    extends another app's template above or beside its own, or loads such
    an app's tag library (`libraries`: {name: module})."""
    found = []
    for relative, text in sorted(templates.items()):
        app = template_owner(relative, layers)
        for pulled in sorted({m.group(2) for m in PULL_TAG.finditer(text)} - LAYOUT):
            if pulled.startswith(LIBRARY_TEMPLATES):
                continue
            owner = template_owner(pulled, layers)
            if not _below_or_own(owner, app, layers):
                found.append((relative, pulled, owner))
        loaded = {name for m in LOAD_TAG.finditer(text) for name in m.group(1).split() if " from " not in m.group(1)}
        for name in sorted(loaded):
            owner = libraries.get(name, "").split(".")[0]
            if not _below_or_own(owner, app, layers):
                found.append((relative, f"{{% load {name} %}}", owner))
    return found


def tag_libraries():
    return dict(engines["django"].engine.libraries)


def site_templates():
    return {str(p.relative_to(TEMPLATES)): p.read_text() for p in TEMPLATES.rglob("*.html")}


def test_no_template_names_a_route_above_or_beside_its_app():
    assert upward_references(site_templates(), route_owners(), layer_order()) == []


def test_no_template_pulls_in_a_template_or_tag_library_above_or_beside_its_app():
    assert upward_pulls(site_templates(), layer_order(), tag_libraries()) == []


def test_an_upward_include_or_load_is_caught():
    layers, libraries = layer_order(), tag_libraries()
    planted = {
        "ideas/_idea_card.html": '{% include "opinions/_bar.html" %}',       # ideas -> opinions
        "consult/mission_page.html": "{% load static idea_links %}",         # consult -> ideas' tags
        "people/_byline.html": "{% extends 'ideas/_comment.html' %}",        # people -> ideas
        "includes/pagination.html": "{% load live %}",                       # shared partial -> live
        "ideas/idea_detail.html": '{% extends "base.html" %}{% include "includes/field.html" %}'
                                  '{% include "people/_byline.html" %}{% load people humanize %}',  # all fine
        "pilots/admin/awaiting.html": '{% extends "wagtailadmin/generic/base.html" %}',              # a library
    }
    assert upward_pulls(planted, layers, libraries) == [
        ("consult/mission_page.html", "{% load idea_links %}", "ideas"),
        ("ideas/_idea_card.html", "opinions/_bar.html", "opinions"),
        ("includes/pagination.html", "{% load live %}", "live"),
        ("people/_byline.html", "ideas/_comment.html", "ideas"),
    ]


def test_the_layers_are_the_import_contracts():
    layers = layer_order()
    assert layers["cms"] == 0 and layers["inputs"] == max(layers.values())
    assert layers["consult"] == layers["people"] > layers["ideas"] > layers["moderation"] == layers["pilots"]


def test_every_name_a_template_uses_is_a_route():
    owners = route_owners()
    unknown = {(t, n) for t, text in site_templates().items() for n in url_names_in(text) if n not in owners}
    assert unknown == set()


def test_templates_rendered_by_another_app_are_named_in_its_code():
    for template, app in RENDERED_BY.items():
        assert any(template in p.read_text() for p in (ROOT / app).rglob("*.py")), (template, app)


def test_an_upward_or_sideways_route_is_caught():
    owners, layers = route_owners(), layer_order()
    planted = {
        "consult/mission_page.html": "{% url 'moderation_queue' page.slug %}",  # consult -> moderation
        "ideas/_comment.html": "{% url \"comment_flag\" comment.pk %}",         # ideas -> moderation
        "people/_byline.html": "{% url 'profile' 1 %}",                          # people -> ideas
        "consult/challenge_call_page.html": "{% url 'people:profile_edit' %}",  # consult beside people
        "includes/field.html": "{% url 'notifications' %}",                     # shared partial
    }
    assert [(t, n) for t, n, _ in upward_references(planted, owners, layers)] == [
        ("consult/challenge_call_page.html", "people:profile_edit"),
        ("consult/mission_page.html", "moderation_queue"),
        ("ideas/_comment.html", "comment_flag"),
        ("includes/field.html", "notifications"),
        ("people/_byline.html", "profile"),
    ]


def test_downward_own_and_library_routes_pass():
    owners, layers = route_owners(), layer_order()
    allowed = {
        "base.html": "{% url 'moderation_index' %}{% url 'search' %}",    # the layout is cms's
        "moderation/queue.html": "{% url 'moderation_item' 'm' 'idea' 1 %}{% url 'profile' 1 %}",
        "ideas/idea_detail.html": "{% url 'people:profile_edit' %}{% url 'account_login' %}",
        "people/profile.html": "{% url 'profile' 1 %}",                   # rendered by ideas
    }
    assert upward_references(allowed, owners, layers) == []
