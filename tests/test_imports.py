"""Imports at the top, and no loop between our modules (issue #27 item 5).

Two checks over the source of our apps (the packages of the layers contract
in pyproject.toml; not tests, not migrations), read with `ast`:

- No import of our own code inside a function or method. A function-level
  import hides a loop between two modules (the loop is still there, only
  later), so a loop is broken by moving the shared piece to where it belongs,
  not by importing late. The one exception by rule is `AppConfig.ready()` in
  an app's `apps.py`: Django imports `apps.py` before any app's models exist,
  so its top can import nothing that reads them, and `ready()` is where an
  app imports its receivers, hooks and registrations (its own modules, and
  the registries of the apps below it; the layers contract keeps the
  direction). Beyond that, ALLOWED names each lazy import with its reason.
  A third-party import inside a function is allowed only with a
  `# lazy: <reason>` comment on its line.
- The module-level import graph of our modules has no cycle (function-level
  imports count too, so nothing can hide one). A failure names the cycle.

`test_every_module_imports` imports each module in a fresh process once
Django is set up, so an import moved to the top that needs the app registry
(or a new loop) fails here rather than in production."""

import ast
import subprocess
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
APPS = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["importlinter"]["root_packages"]

# (importing module, imported module): why it cannot be at the top.
ALLOWED = {
    ("search.lazy", "search.elastic"): "Elasticsearch's client and DSL cost ~0.4 s to import; only with ELASTICSEARCH_URL",
}


def app_sources(root=ROOT):
    """{dotted module name: source} for every module of our apps."""
    found = {}
    for app in APPS:
        for path in sorted((root / app).rglob("*.py")):
            if "migrations" in path.parts:
                continue
            parts = list(path.relative_to(root).with_suffix("").parts)
            if parts[-1] == "__init__":
                parts.pop()
            found[".".join(parts)] = (path.read_text(), path.name == "__init__.py")
    return found


def _ours(name):
    return name.split(".")[0] in APPS


def _targets(module, is_package, node, modules):
    """The modules an import statement names (a `from x import y` names x.y
    when y is a module of ours, else x)."""
    if isinstance(node, ast.Import):
        return [alias.name for alias in node.names]
    base = node.module or ""
    if node.level:
        package = module.split(".") if is_package else module.split(".")[:-1]
        package = package[: len(package) - (node.level - 1)]
        base = ".".join(package + ([base] if base else []))
    return [f"{base}.{alias.name}" if f"{base}.{alias.name}" in modules else base for alias in node.names]


def _imports(module, source, is_package, modules):
    """[(target, function or None, class or None, line, line text)] of every import in a module."""
    lines = source.splitlines()
    found = []

    def walk(node, function, cls):
        for child in ast.iter_child_nodes(node):
            if isinstance(child, (ast.Import, ast.ImportFrom)):
                for target in _targets(module, is_package, child, modules):
                    found.append((target, function, cls, child.lineno, lines[child.lineno - 1]))
            elif isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef)):
                walk(child, child.name, cls if function is None else None)
            elif isinstance(child, ast.ClassDef):
                walk(child, function, child.name if function is None else None)
            else:
                walk(child, function, cls)

    walk(ast.parse(source), None, None)
    return found


def _in_ready(module, function, cls):
    return module.split(".")[-1] == "apps" and function == "ready" and cls is not None


def late_imports(sources):
    """Function-level imports that break the rule, as readable lines."""
    problems = []
    for module, (source, is_package) in sources.items():
        for target, function, cls, line, text in _imports(module, source, is_package, sources):
            if function is None or _in_ready(module, function, cls):
                continue
            where = f"{module}:{line} in {function}(): {text.strip()}"
            if _ours(target):
                if (module, target) not in ALLOWED:
                    problems.append(f"{where}  (our own code: import it at the top, or move the shared piece)")
            elif "# lazy:" not in text:
                problems.append(f"{where}  (at the top, or say why with '# lazy: <reason>')")
    return problems


def import_graph(sources):
    graph = {module: set() for module in sources}
    for module, (source, is_package) in sources.items():
        for target, *_ in _imports(module, source, is_package, sources):
            if target in sources and target != module:
                graph[module].add(target)
    return graph


def cycles(graph):
    """Each strongly connected group of two or more modules, as one cycle
    through it: ["a", "b", "a"] (Tarjan, then a path back to the start)."""
    index, low, stack, on_stack, groups = {}, {}, [], set(), []

    def connect(node):
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for nxt in sorted(graph[node]):
            if nxt not in index:
                connect(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in on_stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            group = set()
            while True:
                member = stack.pop()
                on_stack.discard(member)
                group.add(member)
                if member == node:
                    break
            if len(group) > 1:
                groups.append(group)

    sys.setrecursionlimit(max(sys.getrecursionlimit(), 10 * len(graph)))
    for node in sorted(graph):
        if node not in index:
            connect(node)
    found = []
    for group in groups:
        # The shortest way from the group's first module back to itself.
        start = min(group)
        parents, queue = {}, [start]
        while start not in parents:
            node = queue.pop(0)
            for nxt in sorted(graph[node] & group):
                if nxt not in parents:
                    parents[nxt] = node
                    queue.append(nxt)
        path, node = [start], parents[start]
        while node != start:
            path.append(node)
            node = parents[node]
        found.append([start] + path[:0:-1] + [start])
    return found


# --- the code keeps both rules ---------------------------------------------------


def test_no_function_level_imports_of_our_code():
    problems = late_imports(app_sources())
    assert not problems, "Function-level imports:\n" + "\n".join(problems)


def test_our_modules_import_each_other_in_no_loop():
    found = cycles(import_graph(app_sources()))
    assert not found, "Import cycles:\n" + "\n".join(" -> ".join(c) for c in found)


def test_every_module_imports_once_django_is_set_up():
    modules = sorted(m for m in app_sources() if not m.startswith("cms.settings") and m != "cms.wsgi")
    script = ("import importlib, sys, django\ndjango.setup()\n"
              "for name in sys.argv[1:]:\n    importlib.import_module(name)\n")
    env = {"PATH": "/usr/bin:/bin", "HOME": str(ROOT), "PYTHONPATH": str(ROOT),
           "DJANGO_SETTINGS_MODULE": "cms.settings.test"}
    result = subprocess.run([sys.executable, "-c", script, *modules], cwd=ROOT, env=env,
                            capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr[-3000:]


# --- the checks catch what they are for ------------------------------------------


def _sources(**modules):
    return {name.replace("__", "."): (source, False) for name, source in modules.items()}


def test_a_late_import_of_our_code_is_reported_with_its_place():
    sources = _sources(
        pilots__models="def get_context(self):\n    from .selectors import pilot_context\n    return pilot_context(self)\n",
        pilots__selectors="from .models import PilotPage\n",
    )
    problems = late_imports(sources)
    assert len(problems) == 1
    assert problems[0].startswith("pilots.models:2 in get_context(): from .selectors import pilot_context")


def test_ready_may_import_late_and_nothing_else_may():
    ready = "from django.apps import AppConfig\n\nclass C(AppConfig):\n    def ready(self):\n        from . import receivers\n"
    assert late_imports(_sources(people__apps=ready, people__receivers="")) == []
    # The same import in a method of another name, or in a ready() outside apps.py, is reported.
    assert len(late_imports(_sources(people__apps=ready.replace("ready", "setup"), people__receivers=""))) == 1
    assert len(late_imports(_sources(people__signals=ready, people__receivers=""))) == 1


def test_a_late_third_party_import_needs_its_reason():
    plain = "def f():\n    import numpy\n"
    reasoned = "def f():\n    import numpy  # lazy: only the worker needs it\n"
    assert len(late_imports(_sources(opinions__groups=plain))) == 1
    assert late_imports(_sources(opinions__groups=reasoned)) == []
    # A reason does not excuse importing our own code late.
    assert len(late_imports(_sources(opinions__groups="def f():\n    from ideas import models  # lazy: no\n"))) == 1


def test_a_cycle_is_reported_through_its_modules():
    sources = _sources(
        live__events="from . import relay\n",
        live__relay="def poll():\n    from .events import deliver\n",  # hidden in a function: still a loop
        live__hub="from .events import group_name\nfrom . import relay\n",
    )
    assert cycles(import_graph(sources)) == [["live.events", "live.relay", "live.events"]]
    assert cycles(import_graph(_sources(live__events="from . import relay\n", live__relay=""))) == []


def test_a_longer_cycle_is_named_whole():
    sources = _sources(
        consult__models="from . import rules\n",
        consult__rules="from .selectors import x\n",
        consult__selectors="from .models import MissionPage\n",
    )
    assert cycles(import_graph(sources)) == [["consult.models", "consult.rules", "consult.selectors", "consult.models"]]


def test_from_a_package_import_a_module_is_an_edge_to_that_module():
    sources = _sources(opendata__routes="from . import api, pilots_api\n", opendata__api="",
                       opendata__pilots_api="from .api import PageIn\n")
    sources["opendata"] = ("", True)
    assert import_graph(sources)["opendata.routes"] == {"opendata.api", "opendata.pilots_api"}
    assert cycles(import_graph(sources)) == []
