from django.core.management.base import BaseCommand

from demo.loader import load_demo


class Command(BaseCommand):
    help = "Load the demo missions, calls, ideas and accounts (idempotent) and print the sign-in details."

    def add_arguments(self, parser):
        parser.add_argument("--quiet", action="store_true", help="Do not print the demo accounts.")

    def handle(self, *args, quiet=False, **options):
        rows = load_demo(stdout=self.stdout)
        if quiet:
            return
        self.stdout.write("")
        self.stdout.write("Demo accounts (also in var/demo-accounts.json):")
        for row in rows:
            self.stdout.write(f"  {row['role']:<13} {row['email']:<45} {row['password']}")
        self.stdout.write("")
