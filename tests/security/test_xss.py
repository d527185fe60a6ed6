"""Every XSS payload of the corpus through every user-text field, checked in
the served HTML (no script, no event handler, no script URL from users) and
in a real browser (no dialog opens)."""

from datetime import timedelta
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.utils import timezone

from consult.models import MissionMembership
from ideas.services import comments, submissions
from ideas.models import Idea, Visibility

from people.models import Profile

from ..factories import CallFactory, MembershipFactory, MissionFactory, OrganisationFactory, UserFactory

PAYLOADS = [
    line for line in (Path(__file__).parent / "xss_payloads.txt").read_text().splitlines()
    if line.strip() and not line.startswith("# ")
]
OUR_SCRIPTS = {"/static/js/app.mjs"}
DANGEROUS_TAGS = {"script", "iframe", "frame", "frameset", "object", "embed", "base", "img", "style", "link", "meta",
                  "svg", "math", "video", "audio", "input", "select", "keygen", "isindex", "marquee", "details", "form",
                  "button", "textarea", "bgsound", "body", "table"}


def test_the_corpus_is_big_enough():
    assert len(PAYLOADS) >= 50


class Auditor(HTMLParser):
    """Collects anything executable. Our own markup is allowed by name."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.problems = []
        self.in_user_content = 0

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        for name, value in attrs:
            if name.startswith("on"):
                self.problems.append(f"<{tag} {name}=…>")
            if name in {"href", "src", "action", "formaction", "data", "background"} and value:
                scheme = value.strip().lower().replace("\t", "").replace("\n", "")
                if scheme.startswith(("javascript:", "vbscript:", "data:")):
                    self.problems.append(f"<{tag} {name}={value[:40]}>")
        if tag == "script":
            src = attributes.get("src")
            if src and src not in OUR_SCRIPTS:
                self.problems.append(f"<script src={src}>")
        if tag == "meta" and (attributes.get("http-equiv") or "").lower() == "refresh":
            self.problems.append("<meta refresh>")
        if tag in {"iframe", "frame", "object", "embed", "base", "bgsound", "isindex", "keygen", "marquee"}:
            self.problems.append(f"<{tag}>")

    def handle_data(self, data):
        pass


def inline_scripts(html):
    """Our base template has exactly one inline script; count them."""
    return html.count("<script>") + html.lower().count("<script ") - html.count('<script type="module" src=')


def audit(html):
    auditor = Auditor()
    auditor.feed(html)
    problems = list(auditor.problems)
    if inline_scripts(html) != 1:
        problems.append(f"{inline_scripts(html)} inline scripts")
    return problems


@pytest.fixture
def poisoned(site):
    """One idea per payload, with the payload in every field people type."""
    mission = MissionFactory()
    call = CallFactory(parent=mission)
    moderator = MembershipFactory(mission=mission, role=MissionMembership.ROLE_MODERATOR).user
    ideas = []
    established = timezone.now() - timedelta(days=2)  # so links are not held for review
    for n, payload in enumerate(PAYLOADS):
        author = UserFactory(first_name=payload[:150], last_name=payload[:150], date_joined=established)
        Profile.objects.filter(user=author).update(display_name=payload[:60])
        organisation = OrganisationFactory(name=payload[:160], members=[author], type="business")
        idea = submissions.submit_idea(
            author, call, title=f"{n} {payload}"[:150], summary=payload[:500], body=payload,
            tags=[payload[:40]], organisation_id=organisation.pk,
        )
        commenter = UserFactory(first_name=payload[:150], date_joined=established)
        Profile.objects.filter(user=commenter).update(display_name=payload[:60])
        comments.add_comment(commenter, idea, f"Comment {n}: {payload}")
        assert idea.visibility == Visibility.PUBLISHED
        ideas.append(idea)
    return {"call": call, "ideas": ideas, "moderator": moderator, "mission": mission}


@pytest.mark.django_db
def test_no_payload_survives_on_any_page(poisoned, client):
    call = poisoned["call"]
    pages = [f"{call.url}?page={n}" for n in range(1, len(PAYLOADS) // 20 + 2)]
    pages += [idea.get_absolute_url() for idea in poisoned["ideas"]]
    pages += ["/search/?q=alert", "/search/?q=script+img", f"/search/?q={PAYLOADS[0]}"]
    # Names people choose and organisations they register carry the payloads too.
    pages += [f"/people/{idea.author_id}/" for idea in poisoned["ideas"]]
    pages += [f"/organisations/{idea.on_behalf_of.slug}/" for idea in poisoned["ideas"]]
    problems = {}
    for url in pages:
        response = client.get(url)
        assert response.status_code == 200, url
        found = audit(response.content.decode())
        if found:
            problems[url] = found
    client.force_login(poisoned["moderator"])
    for url in [f"/moderation/{poisoned['mission'].slug}/?state=hidden",
                f"/moderation/{poisoned['mission'].slug}/items/idea/{poisoned['ideas'][0].pk}/"]:
        found = audit(client.get(url).content.decode())
        if found:
            problems[url] = found
    assert problems == {}


@pytest.mark.django_db
def test_stored_html_is_sanitised_for_the_api_and_exports(poisoned, client):
    for idea in Idea.objects.filter(call=poisoned["call"]):
        assert audit("<script>x</script>" + idea.body_html) == []  # the one "inline script" is the prefix
        assert audit("<script>x</script>" + client.get(f"/api/v1/ideas/{idea.pk}").json()["body_html"]) == []
    csv_text = b"".join(client.get(poisoned["call"].url + "export/").streaming_content).decode()
    assert len(csv_text.splitlines()) > len(PAYLOADS)  # the payloads are data there, served as text/csv


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_no_script_runs_in_a_real_browser(poisoned, live_server, browser):
    context = browser.new_context()
    page = context.new_page()
    dialogs = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    requests_out = []
    page.on("request", lambda request: requests_out.append(request.url) if "xss.example" in request.url else None)
    call = poisoned["call"]
    urls = [f"{call.url}?page={n}" for n in range(1, len(PAYLOADS) // 20 + 2)]
    urls += [idea.get_absolute_url() for idea in poisoned["ideas"]]
    for url in urls:
        page.goto(live_server.url + url)
        # focus and hover everything a payload might hook
        page.keyboard.press("Tab")
        page.mouse.move(200, 300)
    page.wait_for_timeout(300)
    assert dialogs == []
    assert requests_out == []
    context.close()
