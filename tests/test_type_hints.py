"""The functions other apps call carry type hints on every parameter and
their return: the public functions of each app's services and selectors
(`<app>/services.py`, `<app>/services/*.py`, `<app>/selectors.py`) and the
registries' `register_*` (docs/architecture.md, "How a lower app gets what an
upper app knows").

A test rather than ruff's ANN rules: those apply to every function of a file
(private helpers, nested closures, methods) and cannot be limited to a
module's public functions, which are the contract between the apps."""

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
APPS = sorted(p.parent.name for p in ROOT.glob("*/apps.py"))
REGISTRIES = [
    "consult/call_page.py", "consult/mission_page.py", "ideas/fate.py", "people/data_rights.py",
    "search/backend.py", "notifications/kinds.py", "live/topics.py",
]


def contract_modules():
    """Every services and selectors module of our apps, then the registries."""
    found = []
    for app in APPS:
        found += [ROOT / app / "services.py", ROOT / app / "selectors.py", *sorted((ROOT / app / "services").glob("*.py"))]
    return [p for p in found if p.is_file()], [ROOT / name for name in REGISTRIES]


def unannotated(source, registries_only=False):
    """(function, what is missing) for each public module-level function of
    `source` (its name not starting with `_`; with `registries_only`, only
    `register` and `register_*`) lacking an annotation on a parameter or its
    return."""
    for node in ast.parse(source).body:
        if not isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef) or node.name.startswith("_"):
            continue
        if registries_only and not (node.name == "register" or node.name.startswith("register_")):
            continue
        args = node.args
        missing = [a.arg for a in args.posonlyargs + args.args + args.kwonlyargs if a.annotation is None]
        missing += [f"*{a.arg}" for a in (args.vararg, args.kwarg) if a is not None and a.annotation is None]
        if node.returns is None:
            missing.append("return")
        if missing:
            yield node.name, missing


def test_the_public_functions_other_apps_call_are_annotated():
    plain, registries = contract_modules()
    assert {"ideas/services/votes.py", "moderation/services.py", "pilots/selectors.py"} <= {
        p.relative_to(ROOT).as_posix() for p in plain}
    problems = []
    for path in plain:
        problems += [f"{path.relative_to(ROOT)}: {name} ({', '.join(m)})" for name, m in unannotated(path.read_text())]
    for path in registries:
        problems += [f"{path.relative_to(ROOT)}: {name} ({', '.join(m)})"
                     for name, m in unannotated(path.read_text(), registries_only=True)]
    assert not problems, "type hints missing:\n" + "\n".join(problems)


def test_a_missing_hint_is_found():
    source = '''
def complete(call_id: int, *, user: object = None) -> list[int]: ...
def no_return(call_id: int): ...
async def no_param(call_id, *rest: int, **extra) -> None: ...
def _private(x): ...
def register_kind(name, fn) -> None: ...
def registered_kinds(): ...
'''
    assert dict(unannotated(source)) == {
        "no_return": ["return"], "no_param": ["call_id", "*extra"], "register_kind": ["name", "fn"],
        "registered_kinds": ["return"]}
    assert dict(unannotated(source, registries_only=True)) == {"register_kind": ["name", "fn"]}
