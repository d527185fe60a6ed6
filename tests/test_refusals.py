"""Source checks for the one refusal path (issue #27, item 4): no view
writes through the ORM (services own the writes), nobody asks `is_superuser`,
`is_staff` or `has_perm` outside the rules, and no module imports another
app's `_private` names or a library's `internal` package. Each check reads the
code with `ast`, and each is shown to fail on a small bad example."""

import ast
from pathlib import Path

import pytest
from django.contrib.auth.models import AnonymousUser

from inputs.refusals import SIGNED_OUT_CODE, Refused, require
from people import services as people_services

ROOT = Path(__file__).resolve().parent.parent
APPS = ["cms", "demo", "opendata", "moderation", "opinions", "participation", "pilots", "prizes", "consultations", "ideas", "consult", "people",
        "notifications", "live", "search", "inputs"]

# Methods that write rows. `update` and `delete` also name dict and session
# methods, so they count only on a query (`.objects…` or a queryset method).
WRITES = {"save", "create", "bulk_create", "bulk_update", "get_or_create", "update_or_create"}
QUERY_WRITES = {"update", "delete"}
QUERYSET = {"objects", "filter", "exclude", "all", "select_related", "prefetch_related", "only", "defer",
            "order_by", "select_for_update", "using", "annotate"}


def _modules(match):
    for app in APPS:
        for path in sorted((ROOT / app).rglob("*.py")):
            if "migrations" not in path.parts and match(path):
                yield path


def _is_view_module(path):
    return path.name in ("views.py", "api.py", "admin_views.py") or path.name.endswith("_views.py")


def _chain(node):
    """The attribute names a call's receiver is built from, innermost last."""
    names = []
    while True:
        if isinstance(node, ast.Call):
            node = node.func
        elif isinstance(node, ast.Attribute):
            names.append(node.attr)
            node = node.value
        else:
            return names


def orm_writes(source):
    """(line, method) of each write through the ORM in this source."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)):
            continue
        method = node.func.attr
        receiver = _chain(node.func.value)
        if method in WRITES or (method in QUERY_WRITES and QUERYSET & set(receiver)):
            found.append((node.lineno, method))
    return found


def permission_shortcuts(source):
    """(line, name) of each `.is_superuser`, `.is_staff` or `.has_perm(` read."""
    return [(node.lineno, node.attr) for node in ast.walk(ast.parse(source))
            if isinstance(node, ast.Attribute) and node.attr in ("is_superuser", "is_staff", "has_perm")
            and isinstance(node.ctx, ast.Load)]


def _private(name):
    return name.startswith("_") and not name.startswith("__")


def private_imports(source, package):
    """(line, what) of each import of another app's `_private` name (or
    module) and of any library's `internal` package."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            parts = node.module.split(".")
            ours = parts[0] in APPS and parts[0] != package
            if "internal" in parts or (ours and any(_private(part) for part in parts)):
                found.append((node.lineno, node.module))
            elif ours:
                found += [(node.lineno, f"{node.module}.{alias.name}") for alias in node.names
                          if _private(alias.name)]
        elif isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names if "internal" in alias.name.split(".")]
    return found


def _offences(check, match, allowed=()):
    offences = []
    for path in _modules(match):
        name = str(path.relative_to(ROOT))
        if name in allowed:
            continue
        offences += [f"{name}:{line} {what}" for line, what in check(path.read_text())]
    return offences


# --- the code keeps the rules --------------------------------------------------


def test_no_view_writes_through_the_orm():
    assert _offences(orm_writes, _is_view_module) == []


# The rules modules define the predicates (skipped by name); `can` itself
# asks the `rules` permission set.
# consult/visibility.py is the page rule: it reads a view restriction as
# Wagtail's own accept_request does (a superuser passes a group restriction),
# so listings agree with what Wagtail serves; it is not a permission of ours.
PERMISSION_HOMES = {"inputs/refusals.py", "consult/visibility.py"}

# cms/accounts.py once read allauth's internal rate-limit module and cache
# keys; its limits now count on inputs/ratelimits.py. Nothing is left here.
INTERNAL_IMPORTS_LEFT = set()


def test_permissions_are_asked_only_through_the_rules():
    offences = _offences(permission_shortcuts, lambda path: path.name != "rules.py", PERMISSION_HOMES)
    assert offences == []


def test_no_private_imports_across_apps_or_from_library_internals():
    offences = []
    for path in _modules(lambda path: True):
        package = path.relative_to(ROOT).parts[0]
        name = str(path.relative_to(ROOT))
        offences += [f"{name}:{line} {what}" for line, what in private_imports(path.read_text(), package)
                     if (name, what) not in INTERNAL_IMPORTS_LEFT]
    assert offences == []


@pytest.mark.parametrize("perm", ["people.manage_organisation", "people.reset_display_name", "ideas.vote_idea",
                                  "ideas.flag", "consult.moderate_mission", "pilots.take_forward", "cms.use_admin"])
def test_every_app_refuses_a_signed_out_person_alike(perm):
    with pytest.raises(Refused) as refused:
        require(AnonymousUser(), perm, None)
    assert (refused.value.status, refused.value.code) == (401, SIGNED_OUT_CODE) == (401, "not_authenticated")


@pytest.mark.django_db
def test_people_services_refuse_a_signed_out_person_with_the_same_code():
    with pytest.raises(Refused) as refused:
        people_services.reset_display_name(AnonymousUser(), AnonymousUser(), "abusive")
    assert (refused.value.status, refused.value.code) == (401, "not_authenticated")


# --- and each check catches what it is for ------------------------------------


@pytest.mark.parametrize("source", [
    "Reference.objects.filter(mission=m).delete()",
    "Reference.objects.create(mission=m)",
    "Reference.objects.bulk_create(rows)",
    "idea.save()",
    "form.save()",
    "Idea.objects.filter(pk=1).update(title='x')",
    "Follow.objects.get_or_create(user=u)",
])
def test_a_write_in_a_view_is_caught(source):
    assert orm_writes(source)


@pytest.mark.parametrize("source", ["context.update({'a': 1})", "data.update(extras)", "cache.delete(key)",
                                    "selectors.counts(mission)"])
def test_reads_and_dict_updates_are_not_writes(source):
    assert orm_writes(source) == []


@pytest.mark.parametrize("source", ["if request.user.is_superuser: pass", "user.has_perm('x')",
                                    "ok = user.is_staff"])
def test_a_permission_shortcut_is_caught(source):
    assert permission_shortcuts(source)


@pytest.mark.parametrize("source, package", [
    ("from allauth.core.internal.ratelimit import consume", "cms"),
    ("from allauth.core.internal import ratelimit", "cms"),
    ("import allauth.core.internal.ratelimit", "cms"),
    ("from ideas.ratelimits import _wait", "cms"),
    ("from ideas._hidden import thing", "cms"),
])
def test_a_private_import_is_caught(source, package):
    assert private_imports(source, package)


@pytest.mark.parametrize("source, package", [
    ("from .base import _lock_user", "ideas"),
    ("from ideas.services.base import _lock_user", "ideas"),
    ("from __future__ import annotations", "cms"),
    ("from inputs.refusals import Refused", "ideas"),
    ("from django.middleware.csrf import _unmask_cipher_token", "cms"),  # a library's own business
])
def test_an_app_may_import_its_own_private_names(source, package):
    assert private_imports(source, package) == []
