"""Every repository path the docs name in backticks exists (README.md,
DEVELOPERS.md, docs/*.md), and so does every `manage.py` command and `make`
target they name, so a renamed or deleted file cannot leave a page pointing
at nothing (as `cms/sso`'s `client.py` once did)."""

import re
from pathlib import Path

import pytest
from django.core.management import get_commands

ROOT = Path(__file__).resolve().parent.parent
DOCS = [ROOT / "README.md", ROOT / "DEVELOPERS.md", *sorted((ROOT / "docs").glob("*.md"))]
TOP = {p.name for p in ROOT.iterdir() if p.is_dir() and p.name not in {".git", ".venv", "node_modules"}}
EXTENSIONS = {"py", "md", "html", "json", "toml", "yml", "yaml", "sh", "mjs", "js", "scss", "css", "txt", "cfg", "conf"}
CODE = re.compile(r"`([^`\n]+)`")
PLACEHOLDER = re.compile(r"<[^<>/]+>")
MADE_AT_RUN_TIME = ("var/",)  # the data folder: the embedded database, the queue, the secret key


def named_paths(text):
    """The words in backticks that name a file or folder of this repository:
    a path under one of its top-level folders, or any relative path with a
    file extension. URLs, absolute paths and `../` are not ours; a `<name>`
    placeholder or a `*` stands for any name; `path::name` is a test."""
    for code in CODE.findall(text):
        for word in PLACEHOLDER.sub("*", code).split():
            word = word.rstrip(":,.;)")
            if "/" not in word or word.startswith(("/", "../", "~", *MADE_AT_RUN_TIME)) or "://" in word \
                    or "(" in word or "{" in word:
                continue
            first = word.partition("/")[0]
            path = word.partition("::")[0]
            extension = path.rsplit(".", 1)[-1] if "." in path.rsplit("/", 1)[-1] else ""
            if first in TOP or extension in EXTENSIONS:
                yield word


def exists(word):
    pattern, _, test = word.partition("::")
    if test:
        path = ROOT / pattern
        return path.is_file() and re.search(rf"def {re.escape(test)}\b", path.read_text()) is not None
    pattern = pattern.rstrip("/")
    if "*" in pattern:
        return any(ROOT.glob(pattern))
    path = ROOT / pattern
    # a migration named by its number (`ideas/migrations/0004`)
    return path.exists() or any(path.parent.glob(path.name + "*"))


CASES = [(doc.relative_to(ROOT).as_posix(), word) for doc in DOCS for word in sorted(set(named_paths(doc.read_text())))]


def test_the_docs_name_repository_paths():
    """The scan finds what it is meant to (so an empty scan cannot pass)."""
    words = {word for _doc, word in CASES}
    assert {"cms/serve.py", "ideas/visibility.py", "docs/architecture.md", "bench/asgi_servers.py"} <= words
    assert len(CASES) > 100


def named_commands(text):
    """(`manage.py`, command) and (`make`, target) pairs named in backticks."""
    for code in CODE.findall(text):
        yield from re.findall(r"\b(manage\.py|make) ([a-z][\w-]*)", code)


def test_each_named_command_exists():
    targets = set(re.findall(r"^([\w-]+(?: [\w-]+)*):(?!=)", (ROOT / "Makefile").read_text(), re.M))
    targets = {name for line in targets for name in line.split()}
    known = {"manage.py": set(get_commands()), "make": targets}
    named = {(doc.name, tool, name) for doc in DOCS for tool, name in named_commands(doc.read_text())}
    assert {("README.md", "make", "test"), ("README.md", "manage.py", "run_huey")} <= named
    missing = sorted(f"{doc}: {tool} {name}" for doc, tool, name in named if name not in known[tool])
    assert not missing, f"the docs name commands that do not exist: {missing}"
    assert "serve" in targets and "nonesuch" not in known["make"] | known["manage.py"]


@pytest.mark.parametrize(("doc", "word"), CASES, ids=[f"{doc}:{word}" for doc, word in CASES])
def test_each_named_path_exists(doc, word):
    assert exists(word), f"{doc} names `{word}`, which is not in the repository"


def test_a_missing_path_is_caught():
    """The check itself: a made-up path is found and reported missing; a
    placeholder, a URL and a migration number are read as they are meant."""
    found = list(named_paths("See `cms/sso/client.py`, `<app>/selectors.py`, `/missions/<slug>/`, "
                             "`https://example.org/a.py`, `ideas/migrations/0004`, `var/huey.sqlite3`, "
                             "`tests/test_docs_references.py::test_gone` and `python manage.py run_huey`."))
    assert found == ["cms/sso/client.py", "*/selectors.py", "ideas/migrations/0004",
                     "tests/test_docs_references.py::test_gone"]
    assert not exists("cms/sso/client.py") and not exists("tests/test_docs_references.py::test_gone")
    assert exists("*/selectors.py") and exists("ideas/migrations/0004")
    assert exists("tests/test_docs_references.py::test_a_missing_path_is_caught")
