"""Create or rebuild the search index.

`--create` is safe to run on every deploy (`make run` and the compose
`migrate` service do): it creates a missing index with its mapping and leaves
an existing one alone. `--rebuild` fills a new index from the registered
document sources and swaps it in atomically, so search is never empty; run it
after a mapping change, a restore, or to repair a drifted index. The documents
come from sources apps register (search.backend.register_source), so this
command knows no app of ours. On the database backend there is no index:
both say so and succeed."""

from django.core.management.base import BaseCommand, CommandError

from search import backend


class Command(BaseCommand):
    help = "Create the search index if missing (--create), or rebuild it and swap it in atomically (--rebuild)."

    def add_arguments(self, parser):
        action = parser.add_mutually_exclusive_group(required=True)
        action.add_argument("--create", action="store_true", help="Create the index with its mapping if it is missing.")
        action.add_argument("--rebuild", action="store_true", help="Fill a new index and swap it in atomically.")

    def handle(self, *args, create=False, rebuild=False, **options):
        if not backend.keeps_index():
            self.stdout.write("Search runs on the database (ELASTICSEARCH_URL is not set): there is no index to create or rebuild.")
            return
        if create:
            created = backend.create()
            if created:
                self.stdout.write(self.style.SUCCESS(f"Created {', '.join(created)}."))
            else:
                self.stdout.write("The search index exists already.")
            return
        sources = backend.sources()
        if not sources:
            raise CommandError("No document source is registered: nothing to rebuild the index from.")
        for kind, source in sources.items():
            name, count = backend.rebuild(kind, source())
            self.stdout.write(self.style.SUCCESS(f"Rebuilt {kind} search: {count} document{'s' if count != 1 else ''} in {name}, now live."))
