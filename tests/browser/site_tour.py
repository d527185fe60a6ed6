"""Every kind of page the site serves, on the demo's data, as the person who
would see it. tests/browser/test_site_tour.py walks it once, checking the
CSP, axe and reflow on each page, so a page type added here is checked by all.

The demo is the data people actually see (`make run`): five missions with
metrics, open calls with many ideas (so pagination shows), comments, team
responses, and the imported Pol.is conversation as a closed agree/disagree
call in its results phase."""

from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth import get_user_model
from django.test import Client
from django.test.utils import override_settings

from consult import phases
from consult.models import ChallengeCallPage, MissionPage
from ideas.models import Idea, Visibility


@dataclass
class Stop:
    name: str
    path: str
    who: str  # "anonymous", "participant", "moderator" or "admin"


def load_demo_site(tmp_path):
    """The demo, with its accounts file kept out of the developer's var/."""
    from demo.loader import load_demo

    from unittest import mock

    from live import events

    # No page is open while the demo loads, so no live tallies are due; and
    # the tally thread's reads, on its own connection to SQLite's shared
    # in-memory test database, would make the demo's writes fail with
    # "database table is locked".
    with override_settings(DEMO_ACCOUNTS_FILE=tmp_path / "demo-accounts.json"), mock.patch.object(events.tallies, "submit"):
        load_demo()


def demo_user(who):
    if who == "admin_of_organisation":
        from people.models import Membership

        return Membership.objects.filter(is_admin=True).order_by("organisation_id").first().user
    emails = {
        "participant": "participant1@demo.missioncommons.localhost",
        "moderator": "moderator@demo.missioncommons.localhost",
        "admin": "admin@demo.missioncommons.localhost",
        "team": "team@demo.missioncommons.localhost",
    }
    return get_user_model().objects.get(email=emails[who])


def tour():
    """The stops, built from whatever the demo holds."""
    calls = list(ChallengeCallPage.objects.live().specific())
    open_call = next(c for c in calls if phases.is_allowed(c, "submit") and c.voting_mode == "support")
    results_call = next(c for c in calls if c.voting_mode == "agree" and phases.current_phase(c, _now()) == phases.RESULTS)
    mission = open_call.get_parent().specific
    moderated = MissionPage.objects.live().first()
    public = Idea.objects.filter(visibility=Visibility.PUBLISHED)
    idea = public.filter(call=open_call).order_by("-comment_count", "pk").first()
    answered = public.exclude(response="").order_by("pk").first()
    taken_forward = public.filter(status="taken_forward").order_by("pk").first()
    from pilots.models import PilotPage

    pilot = PilotPage.objects.live().filter(status="stopped").first() or PilotPage.objects.live().first()
    pilot_mission = pilot.get_parent().specific
    question = next(q for q in pilot_mission.learning_questions.all() if q.status != "open")
    agree_idea = public.filter(call=results_call).order_by("-agree_count", "pk").first()
    young = public.filter(title__icontains="young").order_by("pk").first()
    from notifications import tokens
    from people.models import Organisation

    organisation = Organisation.objects.order_by("pk").first()
    from prizes.models import PrizeCallPage

    prize = PrizeCallPage.objects.live().first()

    unsubscribe_token = tokens.make(demo_user("participant").pk, ["reply"])
    stops = [
        Stop("home", "/", "anonymous"),
        Stop("missions", "/missions/", "anonymous"),
        Stop("mission", mission.url, "anonymous"),
        Stop("open call", open_call.url, "anonymous"),
        Stop("open call, page 2", open_call.url + "?page=2", "anonymous"),
        Stop("open call, signed in", open_call.url, "participant"),
        Stop("closed agree/disagree call (results)", results_call.url, "anonymous"),
        Stop("results and opinion map", results_call.url + "results/", "anonymous"),
        Stop("idea", idea.get_absolute_url(), "anonymous"),
        Stop("idea, signed in", idea.get_absolute_url(), "participant"),
        Stop("idea with the team's response", answered.get_absolute_url(), "anonymous"),
        Stop("agree/disagree idea", agree_idea.get_absolute_url(), "participant"),
        Stop("submit an idea", open_call.url + "submit/", "participant"),
        Stop("search", "/search/?q=young", "anonymous"),
        Stop("search, filtered", f"/search/?q=young&type=idea&call={young.call_id}&sort=supported", "anonymous"),
        Stop("search, bad parameters", "/search/?q=young&type=bogus&page=0", "anonymous"),
        Stop("search, no query", "/search/", "anonymous"),
        Stop("api docs", "/api/docs", "anonymous"),
        Stop("transparency", f"/transparency/{moderated.slug}/", "anonymous"),
        Stop("moderation queue", f"/moderation/{moderated.slug}/", "moderator"),
        Stop("moderation log", f"/moderation/{moderated.slug}/log/", "moderator"),
        Stop("sign in", "/accounts/login/", "anonymous"),
        Stop("create an account", "/accounts/signup/", "anonymous"),
        Stop("reset password", "/accounts/password/reset/", "anonymous"),
        Stop("email addresses", "/accounts/email/", "participant"),
        Stop("change password", "/accounts/password/change/", "participant"),
        Stop("api tokens", "/accounts/tokens/", "participant"),
        Stop("mission, signed in (follow button)", mission.url, "participant"),
        Stop("your profile", "/accounts/profile/", "participant"),
        Stop("my activity", "/accounts/activity/", "participant"),
        Stop("your data", "/accounts/data/", "participant"),
        Stop("add an organisation", "/organisations/new/", "participant"),
        Stop("a public profile", f"/people/{idea.author_id}/", "anonymous"),
        Stop("an organisation", f"/organisations/{organisation.slug}/", "anonymous"),
        Stop("an organisation's members", f"/organisations/{organisation.slug}/members/", "admin_of_organisation"),
        Stop("who takes part in a mission", f"/missions/{mission.slug}/participation/", "anonymous"),
        Stop("who takes part in a call", open_call.url + "participation/", "anonymous"),
        Stop("a pilot", pilot.url, "anonymous"),
        Stop("a mission's pilots", f"/missions/{pilot_mission.slug}/pilots/", "anonymous"),
        Stop("a learning question and its evidence", question.get_absolute_url(), "anonymous"),
        Stop("you said, we did (mission)", f"/missions/{pilot_mission.slug}/you-said-we-did/", "anonymous"),
        Stop("you said, we did (call)", open_call.url + "you-said-we-did/", "anonymous"),
        Stop("an idea taken forward, as the team", taken_forward.get_absolute_url(), "team"),
        Stop("a challenge prize", prize.url, "anonymous"),
        Stop("apply to a challenge prize", prize.url + "apply/", "participant"),
        Stop("notifications", "/notifications/", "participant"),
        Stop("notification settings", "/notifications/settings/", "participant"),
        Stop("unsubscribe", f"/notifications/unsubscribe/{unsubscribe_token}/", "anonymous"),
        # The pages a public service must publish (cms/service_pages.py), made by setup_site.
        Stop("privacy notice", "/privacy/", "anonymous"),
        Stop("cookies", "/cookies/", "anonymous"),
        Stop("accessibility statement", "/accessibility/", "anonymous"),
        Stop("contact", "/contact/", "anonymous"),
        Stop("terms of use", "/terms/", "anonymous"),
    ]
    return stops


def admin_tour():
    """The Wagtail admin screens an admin and a mission team use."""
    mission = MissionPage.objects.live().first()
    call = ChallengeCallPage.objects.live().first()
    from pilots.models import PilotPage

    pilot = PilotPage.objects.live().first()
    return [
        Stop("admin dashboard", "/admin/", "admin"),
        Stop("admin page explorer", f"/admin/pages/{mission.get_parent().pk}/", "admin"),
        Stop("admin: edit mission", f"/admin/pages/{mission.pk}/edit/", "admin"),
        Stop("admin: edit call", f"/admin/pages/{call.pk}/edit/", "admin"),
        Stop("admin: mission roles", "/admin/snippets/consult/missionmembership/", "admin"),
        Stop("admin: Pol.is import", "/admin/polis-import/", "admin"),
        Stop("admin: edit pilot", f"/admin/pages/{pilot.pk}/edit/", "admin"),
        Stop("admin: ideas awaiting a response", "/admin/ideas-awaiting-response/", "admin"),
    ]


def _now():
    from django.utils import timezone

    return timezone.now()


def browser_context(browser, base_url, who, **options):
    """A fresh browser context signed in as `who` (a real session cookie)."""
    context = browser.new_context(**options)
    if who != "anonymous":
        client = Client()
        client.force_login(demo_user(who))
        cookie = client.cookies[settings.SESSION_COOKIE_NAME]
        context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "value": cookie.value, "url": base_url}])
    return context
