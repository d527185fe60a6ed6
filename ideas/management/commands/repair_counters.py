"""Check the denormalised counters against the rows they count, and repair
them. Run it after a restore or a manual database change."""

from django.core.management.base import BaseCommand
from django.db import transaction
from django.db.models import F

from consult.models import ChallengeCallPage
from ideas import counters
from ideas.models import Comment, Idea


class Command(BaseCommand):
    help = "Compare vote, comment and idea counters with their rows; fix the ones that drifted."

    def add_arguments(self, parser):
        parser.add_argument("--check", action="store_true", help="Only report; exit 1 if anything drifted.")

    def handle(self, *args, check=False, **options):
        drifted = 0
        # What each counter should say: the rule in ideas/counters.py, as queries.
        truth = Idea.objects.annotate(**counters.expected_idea_counters()).iterator(chunk_size=2000)
        for idea in truth:
            expected = {name[2:]: getattr(idea, name) for name in counters.expected_idea_counters()}
            wrong = {k: v for k, v in expected.items() if getattr(idea, k) != v}
            if wrong:
                drifted += 1
                self.stdout.write(f"idea {idea.pk}: " + ", ".join(f"{k} {getattr(idea, k)} -> {v}" for k, v in wrong.items()))
                if not check:
                    with transaction.atomic():
                        Idea.objects.filter(pk=idea.pk).update(**wrong)
        for call in ChallengeCallPage.objects.annotate(n=counters.expected_call_idea_count()):
            if call.idea_count != call.n:
                drifted += 1
                self.stdout.write(f"call {call.pk}: idea_count {call.idea_count} -> {call.n}")
                if not check:
                    ChallengeCallPage.objects.filter(pk=call.pk).update(idea_count=call.n)
        for comment in Comment.objects.annotate(n=counters.expected_comment_supports()).exclude(support_count=F("n")):
            drifted += 1
            self.stdout.write(f"comment {comment.pk}: support_count {comment.support_count} -> {comment.n}")
            if not check:
                Comment.objects.filter(pk=comment.pk).update(support_count=comment.n)
        verb = "found" if check else "repaired"
        self.stdout.write(f"{drifted} counter(s) {verb}.")
        if check and drifted:
            raise SystemExit(1)
