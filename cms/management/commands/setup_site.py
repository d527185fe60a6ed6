from django.core.management.base import BaseCommand

from cms.site_setup import ensure_site


class Command(BaseCommand):
    help = "Create the home page, the missions index and the sectors if they are missing (idempotent)."

    def handle(self, *args, **options):
        home, index = ensure_site()
        self.stdout.write(f"Site ready: home page {home.pk}, missions index {index.url_path}")
