"""The search index lifecycle, on every configuration.

- `--create` is safe to run on every deploy (`make run`, the compose
  `migrate` service and the container entrypoint do): it creates each
  missing Elasticsearch index with its mapping behind its alias and leaves
  existing ones alone. The database index is made by migrations, so on the
  database-only configuration there is nothing to create.
- `--rebuild` rebuilds every registered kind from its source (the apps
  register them: search.backend.register_source), in the database index
  and, when configured, in a new Elasticsearch index swapped in atomically,
  so search is never empty while it runs. Run it after a mapping change, a
  restore, or when `--check` finds a drift. A progress bar shows on stdout
  (quiet with -v0).
- `--check` compares, per kind, the source's count with each index's and
  fails (non-zero exit) when they differ or Elasticsearch does not answer.
- `--create --fill-empty` (what deploys run) also fills each kind whose
  index is empty while its source has items: a first start on existing
  data, or an upgrade from before this index.
- `--drain` indexes what a process died before indexing and sends the
  changes Elasticsearch missed while it was down (the outbox,
  search/outbox.py); the background worker also drains it every minute
  (search/tasks.py). `--check` reports the outbox's backlog, the count
  /health reports.

This command knows no app of ours: the documents come from the sources."""

from django.core.management.base import BaseCommand, CommandError

from search import backend, lazy, outbox


class ProgressBar:
    """A one-line text bar, redrawn after each chunk: `idea → elasticsearch
    [######------] 1500/3000`. Backends report the count done so far; when
    it drops, the next backend has started and the bar starts a new line."""

    WIDTH = 30

    def __init__(self, stream, kind, total, backends):
        self.stream, self.kind, self.total = stream, kind, max(total, 0)
        self.backends = list(backends)
        self.phase, self.last, self.drawn = 0, -1, False

    def __call__(self, done):
        if done <= self.last:  # counts only grow within one backend's rebuild
            self.end()
            self.phase += 1
        self.last = done
        backend_name = self.backends[min(self.phase, len(self.backends) - 1)]
        total = max(self.total, done)
        filled = self.WIDTH if not total else round(self.WIDTH * done / total)
        bar = "#" * filled + "-" * (self.WIDTH - filled)
        self.stream.write(f"\r{self.kind} → {backend_name} [{bar}] {done}/{total}", ending="")
        self.stream.flush()
        self.drawn = True

    def end(self):
        if self.drawn:
            self.stream.write("")
            self.drawn = False


def _plural(count, word="document"):
    return f"{count} {word}{'' if count == 1 else 's'}"


class Command(BaseCommand):
    help = (
        "Create missing search indices (--create), rebuild them from the database and swap them in (--rebuild), "
        "compare their counts with the database (--check) or send missed changes to Elasticsearch (--drain)."
    )

    def add_arguments(self, parser):
        action = parser.add_mutually_exclusive_group(required=True)
        action.add_argument("--create", action="store_true", help="Create each missing index with its mapping.")
        action.add_argument("--rebuild", action="store_true", help="Rebuild every kind and swap the new indices in atomically.")
        action.add_argument("--check", action="store_true", help="Compare the indices' counts with the database; fail if they differ.")
        action.add_argument("--drain", action="store_true", help="Send the changes Elasticsearch missed (the outbox).")
        parser.add_argument(
            "--fill-empty", action="store_true",
            help="With --create: fill each kind whose index is empty but whose source has items (a first start, an upgrade).",
        )

    def handle(self, *args, create=False, rebuild=False, check=False, drain=False, fill_empty=False, verbosity=1, **options):
        self.verbosity = verbosity
        if fill_empty and not create:
            raise CommandError("--fill-empty goes with --create.")
        if create:
            self._create()
            if fill_empty:
                self._fill_empty()
        elif rebuild:
            self._rebuild()
        elif check:
            self._check()
        else:
            self._drain()

    def say(self, text):
        if self.verbosity > 0:
            self.stdout.write(text)

    def _create(self):
        if not backend.uses_elasticsearch():
            self.say(
                "Search runs on the database (ELASTICSEARCH_URL is not set): "
                "there is no index to create (migrations made the database index)."
            )
        else:
            created = self._elastic(backend.create)
            if created:
                self.say(self.style.SUCCESS(f"Created {', '.join(created)}."))
            else:
                self.say("The search indices exist already.")

    def _fill_empty(self):
        """A site upgraded to this index (or restored without it) has items
        but an empty index: fill each empty kind once, so search works from
        the first start without anyone knowing to run --rebuild."""
        for kind, (_documents, count_fn) in backend.sources().items():
            if backend.indexed_count(kind) or not count_fn():
                continue
            report = self._elastic(lambda: backend.rebuild(kind), after=f"The database index of {kind} was filled")  # noqa: B023 - called at once
            self.say(self.style.SUCCESS(f"Filled the empty {kind} search index: {_plural(report['database'][1])}."))

    def _rebuild(self):
        sources = backend.sources()
        if not sources:
            raise CommandError("No document source is registered: nothing to rebuild the index from.")
        backends = ["database"] + (["elasticsearch"] if backend.uses_elasticsearch() else [])
        for kind, (_documents, count_fn) in sources.items():
            bar = ProgressBar(self.stdout, kind, count_fn(), backends) if self.verbosity > 0 else None
            try:
                report = self._elastic(
                    lambda: backend.rebuild(kind, progress=bar),  # noqa: B023 - called at once
                    after=f"The database index of {kind} was rebuilt; its Elasticsearch alias still points at the old index",
                )
            finally:
                if bar is not None:
                    bar.end()
            parts = [f"{_plural(count)} in {name} ({where})" for where, (name, count) in report.items()]
            self.say(self.style.SUCCESS(f"Rebuilt {kind} search: {', '.join(parts)}, now live."))

    def _check(self):
        report = backend.check()
        if not report:
            raise CommandError("No document source is registered: nothing to check the index against.")
        columns = ["kind", "source", "database"] + (["elasticsearch"] if backend.uses_elasticsearch() else [])
        rows = [[kind] + ["no answer" if row.get(c) is None else str(row[c]) for c in columns[1:]] for kind, row in report.items()]
        widths = [max(len(c), *(len(r[i]) for r in rows)) for i, c in enumerate(columns)]
        for line in [columns, ["-" * w for w in widths], *rows]:
            self.say("  ".join(cell.ljust(width) if i == 0 else cell.rjust(width) for i, (cell, width) in enumerate(zip(line, widths))))
        drifted = [kind for kind, row in report.items() if len({row.get(c) for c in columns[1:]}) > 1]
        backlog = backend.backlog()  # the same count /health reports
        if backlog:
            self.say(f"{_plural(backlog, 'change')} wait in the search outbox (`search_index --drain`; "
                     "the background worker drains it every minute).")
        if drifted:
            raise CommandError(
                f"The search index differs from the database for {', '.join(drifted)}: "
                "run `manage.py search_index --rebuild` (Elasticsearch may also be unreachable)."
            )
        self.say(self.style.SUCCESS("The search index matches the database."))

    def _drain(self):
        sent, left = outbox.drain()
        if not sent and not left:
            if self.verbosity > 1:  # an empty outbox says nothing unless asked
                self.stdout.write("The search outbox is empty.")
            return
        where = "to Elasticsearch" if backend.uses_elasticsearch() else "to the index"
        message = f"Sent {_plural(sent, 'change')} {where}; {left} left in the outbox."
        if left:
            message += " Elasticsearch did not take them all: they stay queued for the next drain."
        self.say(message)

    def _elastic(self, fn, after="Nothing was changed"):
        elastic = lazy.elastic()
        try:
            return fn()
        except elastic.Unavailable as exc:
            raise CommandError(f"Elasticsearch did not answer ({exc}). {after}; run it again when it answers.") from exc
