"""The pages a public service must publish (cms/service_pages.py): a fresh
site has them at fixed addresses, the team edits them in the admin, every
page's footer links them, the privacy notice is linked before an account is
made, and the cookies page names every cookie the site sets."""

import io
import re
import uuid

import pytest
from django.conf import settings as django_settings
from django.core import mail
from django.core.management import call_command
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from cms import pagecache, service_pages
from cms.models import InformationPage
from cms.site_setup import ensure_site

from ..factories import IdeaFactory, UserFactory

ADDRESSES = [f"/{slug}/" for slug, _title, _label in service_pages.PAGES]
PASSWORD = "a-long-pass-phrase-9"


def visitor():
    """A client from an address of its own (allauth's sign-in counters live in the shared cache)."""
    n = uuid.uuid4().int
    return Client(REMOTE_ADDR=f"10.{n % 250 + 1}.{(n >> 8) % 250 + 1}.{(n >> 16) % 250 + 1}")


def footer(html):
    return html.split('<footer class="govuk-footer">', 1)[1]


def assert_footer_links(response):
    assert response.status_code in (200, 404), response.status_code
    html = footer(response.content.decode())
    for address, label in service_pages.footer_links():
        assert f'href="{address}">{label}</a>' in html, (response.request["PATH_INFO"], address)


@pytest.mark.django_db
def test_a_fresh_site_has_each_page_at_its_address(client):
    call_command("setup_site", stdout=io.StringIO())  # as a deploy and the demo do
    for slug, title, _label in service_pages.PAGES:
        response = client.get(f"/{slug}/")
        html = response.content.decode()
        assert response.status_code == 200, slug
        assert f'<h1 class="govuk-heading-xl">{title}</h1>' in html
        assert "Last updated" in html


@pytest.mark.django_db
def test_setting_up_again_keeps_the_teams_edits_and_brings_back_a_deleted_page(information_pages):
    privacy = InformationPage.objects.get(slug="privacy")
    privacy.body = "<p>Our own words.</p>"
    privacy.save_revision().publish()
    InformationPage.objects.get(slug="terms").delete()

    ensure_site()
    ensure_site()

    assert sorted(InformationPage.objects.values_list("slug", flat=True)) == sorted(service_pages.FOOTER_SLUGS)
    assert InformationPage.objects.get(slug="privacy").body == "<p>Our own words.</p>"
    assert InformationPage.objects.get(slug="terms").live


@pytest.mark.django_db
def test_the_privacy_notice_says_who_what_why_how_long_and_the_rights(information_pages, client, settings):
    html = client.get("/privacy/").content.decode()
    assert settings.SERVICE_OWNER in html and f'href="mailto:{settings.CONTACT_EMAIL}"' in html  # the controller
    for words in ("What we collect", "Why we collect it", "Our lawful basis", "Article 6(1)(e)",
                  "How long we keep it", "Your rights", "https://ico.org.uk/make-a-complaint/"):
        assert words in html, words
    # The rights people use on the site itself (people/data_rights.py).
    assert f'href="{reverse("people:your_data")}"' in html  # the download
    assert f'href="{reverse("people:your_data")}#delete"' in html  # account deletion
    assert f'href="{reverse("people:profile_edit")}"' in html
    # How long imported Pol.is data and citizens' assembly data are kept.
    assert "Conversations imported from Pol.is" in html and "kept as long as the call that holds them" in html
    assert "assembly members" in html and "deleted once the assembly has finished" in html


@pytest.mark.django_db
def test_the_accessibility_statement_follows_the_govuk_model_and_lists_the_known_gaps(information_pages, client):
    html = client.get("/accessibility/").content.decode()
    for heading in ("How accessible this website is", "Feedback and contact information",
                    "Reporting accessibility problems with this website", "Enforcement procedure",
                    "Technical information about this website", "Compliance status", "Non-accessible content",
                    "Non-compliance with the accessibility regulations",
                    "Content that is not within the scope of the accessibility regulations",
                    "What we are doing to improve accessibility", "Preparation of this accessibility statement"):
        assert heading in html, heading
    assert "partially compliant" in html and "WCAG 2.2" in html
    gaps = html.split("How accessible this website is", 1)[1].split("</ul>", 1)[0]
    assert gaps.count("<li>") >= 2


@pytest.mark.django_db
def test_every_cookie_set_in_a_sign_up_sign_in_and_vote_journey_is_named_on_the_cookies_page(
        information_pages, call, settings):
    """A cookie added later (an analytics script, a language switch) fails
    here until the cookies page names it."""
    settings.ACCOUNT_RATE_LIMITS = {**settings.ACCOUNT_RATE_LIMITS, "confirm_email": None}
    idea = IdeaFactory(call=call)
    client = visitor()
    set_names = set()

    def go(method, path, data=None):
        response = getattr(client, method)(path, data or {})
        set_names.update(response.cookies.keys())
        assert response.status_code < 400, (path, response.status_code)
        return response

    email = f"journey-{uuid.uuid4().hex[:8]}@example.org"
    go("get", "/")
    go("get", call.url)
    go("get", "/accounts/signup/")
    go("post", "/accounts/signup/",
       {"display_name": "Journey Person", "email": email, "password1": PASSWORD, "password2": PASSWORD})
    link = re.search(r"https?://\S+/accounts/confirm-email/\S+/", mail.outbox[-1].body).group(0)
    confirm = "/" + link.split("://", 1)[1].split("/", 1)[1]
    go("get", confirm)
    go("post", confirm)
    go("get", idea.get_absolute_url())
    go("post", reverse("idea_vote", args=[idea.pk]), {"value": "support"})
    go("post", reverse("idea_comment", args=[idea.pk]), {"body": "A comment on the journey."})
    go("get", idea.get_absolute_url())
    go("post", "/accounts/logout/")
    go("get", "/accounts/login/")
    go("post", "/accounts/login/", {"login": email, "password": PASSWORD})
    go("get", "/")
    assert idea.votes.count() == 1  # the journey really voted

    # The journey set the cookies a visitor gets, so the check below means something.
    assert {django_settings.SESSION_COOKIE_NAME, django_settings.CSRF_COOKIE_NAME} <= set_names
    page = Client().get("/cookies/").content.decode()
    listed = set(re.findall(r"<b>([^<]+)</b>", page))
    assert set_names <= listed, f"not named on the cookies page: {sorted(set_names - listed)}"


@pytest.mark.django_db
def test_the_cookies_page_says_none_is_set_for_tracking(information_pages, client):
    html = client.get("/cookies/").content.decode()
    assert "We do not use cookies to track you" in html
    for name, _purpose, _lasts in service_pages.cookies():
        assert f"<b>{name}</b>" in html


@pytest.mark.django_db
def test_every_kind_of_page_links_the_pages_in_its_footer(information_pages, call, client):
    idea = IdeaFactory(call=call)
    for path in ["/", "/missions/", call.get_parent().url, call.url, idea.get_absolute_url(), "/search/?q=homes",
                 "/api/docs", "/accounts/login/", "/accounts/signup/", "/accounts/password/reset/",
                 "/privacy/", "/no-such-page/"]:
        assert_footer_links(client.get(path))
    client.force_login(UserFactory())
    for path in ["/accounts/profile/", reverse("people:your_data"), "/accounts/email/", "/notifications/"]:
        assert_footer_links(client.get(path))


@pytest.mark.django_db
def test_a_page_under_a_password_asks_for_it_in_the_sites_own_layout(information_pages, call):
    from wagtail.models import PageViewRestriction

    restriction = PageViewRestriction.objects.create(page=call, restriction_type="password", password="letmein")
    client = Client()
    asked = client.get(call.url)
    assert "Password required" in asked.content.decode()
    assert_footer_links(asked)
    action = f"/_util/authenticate_with_password/{restriction.pk}/{call.pk}/"
    wrong = client.post(action, {"password": "guess", "return_url": call.url})
    assert wrong.status_code == 200 and "There is a problem" in wrong.content.decode()
    assert_footer_links(wrong)
    assert client.post(action, {"password": "letmein", "return_url": call.url}).status_code == 302
    assert call.title in client.get(call.url).content.decode()


@pytest.mark.django_db
def test_pages_served_from_the_page_cache_carry_the_footer_links(information_pages, call, settings):
    settings.PAGE_CACHE_ENABLED = True
    pagecache.bump_site()
    client = Client()
    for path in ("/", call.url):
        assert client.get(path)["X-Page-Cache"] == "miss"
        cached = client.get(path)
        assert cached["X-Page-Cache"] == "hit"
        assert_footer_links(cached)


@pytest.mark.django_db
def test_sign_up_links_the_privacy_notice_before_the_account_is_made(information_pages):
    html = visitor().get("/accounts/signup/").content.decode()
    main = html.split('id="main-content"', 1)[1].split("<footer", 1)[0]
    assert 'href="/privacy/"' in main
    assert main.index('href="/privacy/"') < main.index('type="submit"')


@pytest.mark.django_db
def test_a_page_the_footer_links_keeps_its_address(information_pages):
    privacy = InformationPage.objects.get(slug="privacy")
    privacy.slug = "privacy-notice"
    with pytest.raises(ValidationError) as refused:
        privacy.full_clean()
    assert "/privacy/" in str(refused.value.message_dict["slug"])

    other = InformationPage(title="Our research", slug="research", body="<p>How we use research.</p>")
    privacy.refresh_from_db()
    privacy.get_parent().add_child(instance=other)
    other.slug = "research-notes"
    other.full_clean()  # pages the footer does not link may move


@pytest.mark.django_db
def test_the_team_edits_a_page_in_the_admin(information_pages, client, admin_user):
    client.force_login(admin_user)
    privacy = InformationPage.objects.get(slug="privacy")
    assert client.get(f"/admin/pages/{privacy.pk}/edit/").status_code == 200
    home = privacy.get_parent()
    assert client.get(f"/admin/pages/add/cms/informationpage/{home.pk}/").status_code == 200


def test_durations_read_as_words():
    assert service_pages.duration(1209600) == "2 weeks"
    assert service_pages.duration(31449600) == "52 weeks"
    assert service_pages.duration(3 * 86400) == "3 days"
    assert service_pages.duration(3600) == "1 hour"
    assert service_pages.duration(90) == "90 seconds"
