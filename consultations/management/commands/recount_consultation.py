"""Rebuild a consultation's tallies from its answers, for repair:
`manage.py recount_consultation <page id> [--check]` (consultations/tallies.py)."""

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from consultations.models import ConsultationPage
from consultations.tallies import recount, stored


class _Undo(Exception):
    pass


class Command(BaseCommand):
    help = "Recount a consultation's tallies (and its campaigns) from the sent answers."

    def add_arguments(self, parser):
        parser.add_argument("consultation", type=int, help="The consultation page's id.")
        parser.add_argument("--check", action="store_true", help="Only say whether the stored tallies are right.")

    def handle(self, *args, consultation, check, **options):
        page = ConsultationPage.objects.filter(pk=consultation).first()
        if page is None:
            raise CommandError(f"No consultation {consultation}.")
        before = stored(page.pk)
        try:
            with transaction.atomic():
                counted = recount(page)
                after = stored(page.pk)
                if check:
                    raise _Undo
        except _Undo:
            pass
        right = before == after
        self.stdout.write(f"{counted} responses counted: the tallies "
                          f"{'are right' if right else 'were wrong' + ('' if check else ', and are repaired')}.")
        if check and not right:
            raise CommandError("The tallies differ from a recount.")
