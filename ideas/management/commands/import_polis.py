from django.core.management.base import BaseCommand, CommandError

from consult.models import MissionPage
from ideas.polis import PolisError, import_conversation, read_conversation


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
                            help="delete a call already imported at that slug, with its ideas and votes, first")

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
            for conversation in conversations:
                done = import_conversation(page, conversation, slug=slug, replace=replace)
                self.stdout.write(
                    f"{done.call.get_url() or done.call.url_path}: {done.ideas} statements ({done.published} public, {done.hidden} "
                    f"moderated out, {done.pending} unmoderated), {done.votes} votes from {done.participants} "
                    f"participants."
                )
        except PolisError as exc:
            raise CommandError(str(exc)) from None
