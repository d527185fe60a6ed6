"""The site skeleton every installation needs: the home page, the missions
index, the sector list and the pages a public service must publish (privacy,
cookies, accessibility, contact, terms: cms/service_pages.py). Idempotent, so deploys and `make run` can call it
every time.

Here in cms, not in consult: it builds the home page (cms.models.HomePage)
above consult's missions index, and only the top layer may import both."""

from django.conf import settings
from django.db import transaction
from wagtail.coreutils import get_supported_content_language_variant
from wagtail.models import Locale, Page, Site

from consult.models import MissionIndexPage, Sector

from . import service_pages
from .models import HomePage, InformationPage

# The kinds of organisation a call may be open to, named with the types people
# give their organisation (people/choices.py OrganisationType, mapped in
# ideas/organisations.py SECTOR_OF_TYPE): one vocabulary on both sides.
SECTORS = [
    ("business", "Business"),
    ("charity", "Charity or social enterprise"),
    ("public-body", "Central government, local government, NHS or other public body"),
    ("academia", "Academic or research"),
    ("community-group", "Community group"),
]

HOME_INTRO = (
    "<p>Government missions are learning problems. Mission teams say openly what they know and what they "
    "must learn, and ask businesses, public bodies, charities and citizens for ideas. Read a mission, answer "
    "a challenge call, comment and vote.</p>"
)


def _make_root():
    """Wagtail's migrations make the root page; a flushed database lacks it."""
    Locale.objects.get_or_create(language_code=get_supported_content_language_variant(settings.LANGUAGE_CODE))
    return Page.add_root(instance=Page(title="Root", slug="root"))


@transaction.atomic
def ensure_site(hostname="localhost", port=80, *, information_pages=True):
    """The site skeleton, made where missing. `information_pages=False`
    leaves out the privacy, cookies... pages: the test suite's `site`
    fixture and factories, where making five published pages (about a
    hundred queries each: revisions, search index, references) would be
    paid by every test that needs only a mission; the tests that need
    them ask for the `information_pages` fixture."""
    for slug, name in SECTORS:
        Sector.objects.get_or_create(slug=slug, defaults={"name": name})

    home = HomePage.objects.first()
    if home is None:
        root = Page.get_first_root_node() or _make_root()
        # Replace Wagtail's placeholder "Welcome" page.
        for placeholder in root.get_children().filter(content_type__model="page"):
            Site.objects.filter(root_page=placeholder).delete()
            placeholder.delete()
        root.refresh_from_db()
        home = root.add_child(instance=HomePage(title="Mission Commons", slug="home", intro=HOME_INTRO))
        home.save_revision().publish()
    site = Site.objects.filter(is_default_site=True).first()
    if site is None:
        Site.objects.create(hostname=hostname, port=port, root_page=home, is_default_site=True, site_name="Mission Commons")
    elif site.root_page_id != home.pk:
        site.root_page = home
        site.save()

    index = MissionIndexPage.objects.first()
    if index is None:
        home.refresh_from_db()
        index = home.add_child(
            instance=MissionIndexPage(
                title="Missions",
                slug="missions",
                intro="<p>Each mission is a long-term goal framed as a learning problem.</p>",
            )
        )
        index.save_revision().publish()
    if information_pages:
        ensure_information_pages(home)
    return home, index


def ensure_information_pages(home):
    """Make each page the footer links that is missing under the home page
    (one query when none is): a fresh site has them all, and one deleted by
    mistake comes back at the next deploy. Those present are left as the
    team edited them."""
    present = set(Page.objects.child_of(home).filter(slug__in=service_pages.FOOTER_SLUGS)
                  .values_list("slug", flat=True))
    for slug, title, body in service_pages.defaults():
        if slug in present:
            continue
        home.refresh_from_db()
        page = home.add_child(instance=InformationPage(title=title, slug=slug, body=body))
        page.save_revision().publish()
