"""Check the denormalised counters against the rows they count, and repair
them. Run it after a restore or a manual database change."""

from django.core.management.base import BaseCommand
from django.db import transaction
from django.db.models import Count, Q

from consult.models import ChallengeCallPage
from ideas.models import Comment, Idea, Visibility


class Command(BaseCommand):
    help = "Compare vote, comment and idea counters with their rows; fix the ones that drifted."

    def add_arguments(self, parser):
        parser.add_argument("--check", action="store_true", help="Only report; exit 1 if anything drifted.")

    def handle(self, *args, check=False, **options):
        drifted = 0
        truth = Idea.objects.annotate(
            n_support=Count("votes", filter=Q(votes__value="support"), distinct=True),
            n_agree=Count("votes", filter=Q(votes__value="agree"), distinct=True),
            n_disagree=Count("votes", filter=Q(votes__value="disagree"), distinct=True),
            n_pass=Count("votes", filter=Q(votes__value="pass"), distinct=True),
            n_comments=Count(
                "comments",
                filter=Q(comments__visibility=Visibility.PUBLISHED, comments__is_deleted=False),
                distinct=True,
            ),
        ).iterator(chunk_size=2000)
        for idea in truth:
            expected = {
                "support_count": idea.n_support,
                "agree_count": idea.n_agree,
                "disagree_count": idea.n_disagree,
                "pass_count": idea.n_pass,
                "comment_count": idea.n_comments,
            }
            wrong = {k: v for k, v in expected.items() if getattr(idea, k) != v}
            if wrong:
                drifted += 1
                self.stdout.write(f"idea {idea.pk}: " + ", ".join(f"{k} {getattr(idea, k)} -> {v}" for k, v in wrong.items()))
                if not check:
                    with transaction.atomic():
                        Idea.objects.filter(pk=idea.pk).update(**wrong)
        for call in ChallengeCallPage.objects.annotate(
            n=Count("ideas", filter=Q(ideas__visibility=Visibility.PUBLISHED))
        ):
            if call.idea_count != call.n:
                drifted += 1
                self.stdout.write(f"call {call.pk}: idea_count {call.idea_count} -> {call.n}")
                if not check:
                    ChallengeCallPage.objects.filter(pk=call.pk).update(idea_count=call.n)
        for comment in Comment.objects.annotate(n=Count("supports")).exclude(support_count=Count("supports")):
            drifted += 1
            self.stdout.write(f"comment {comment.pk}: support_count {comment.support_count} -> {comment.n}")
            if not check:
                Comment.objects.filter(pk=comment.pk).update(support_count=comment.n)
        verb = "found" if check else "repaired"
        self.stdout.write(f"{drifted} counter(s) {verb}.")
        if check and drifted:
            raise SystemExit(1)
