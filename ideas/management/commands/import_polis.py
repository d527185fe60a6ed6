from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from consult.models import MissionPage
from ideas.polis import PolisError, call_slug, import_conversation, read_conversation


class Command(BaseCommand):
    help = (
        "Import a Pol.is conversation export (summary.csv, comments.csv, votes.csv) as a closed challenge call "
        "under a mission: statements become ideas, votes agree/disagree/pass. The call shows the data's "
        "CC BY 4.0 attribution."
    )

    def add_arguments(self, parser):
        parser.add_argument("folder", nargs="+", help="Pol.is export folder(s)")
        parser.add_argument("--mission", required=True, help="slug of the mission the call goes under")
        parser.add_argument("--slug", help="slug of the new call (default: from the folder name; one folder only)")
        parser.add_argument("--replace", action="store_true",
                            help="delete a call this command (or the admin's Pol.is import) made at that slug, with "
                                 "its ideas and votes, first; a call made any other way is never replaced")

    def handle(self, *args, folder, mission, slug=None, replace=False, **options):
        if slug and len(folder) > 1:
            raise CommandError("--slug names one call: give one folder with it.")
        page = MissionPage.objects.filter(slug=mission).first()
        if page is None:
            known = ", ".join(MissionPage.objects.order_by("slug").values_list("slug", flat=True)) or "none yet"
            raise CommandError(f"No mission with the slug {mission!r} (missions: {known}).")
        try:
            # Read and check every folder before writing any of them.
            conversations = [read_conversation(path) for path in folder]
            slugs = [slug or call_slug(c.folder) for c in conversations]
            twice = sorted({s for s in slugs if slugs.count(s) > 1})
            if twice:
                raise PolisError(f"Two folders would import at the same slug ({', '.join(twice)}): import them "
                                 "one at a time with --slug")
            # All or none: a later folder refused (its slug taken by a call
            # made by hand, say) leaves the earlier ones unwritten too.
            with transaction.atomic():
                done_all = [import_conversation(page, c, slug=slug, replace=replace) for c in conversations]
        except PolisError as exc:
            raise CommandError(str(exc)) from None
        for done in done_all:
            self.stdout.write(
                f"{done.call.get_url() or done.call.url_path}: {done.ideas} statements ({done.published} public, "
                f"{done.hidden} moderated out, {done.pending} unmoderated), {done.votes} votes from "
                f"{done.participants} participants."
            )
