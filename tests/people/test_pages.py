"""The pages people use to manage their name and organisations, and the
names and badges shown on ideas and comments."""

import re

import pytest
from allauth.account.models import EmailAddress
from django.core import mail

from ideas.models import Idea, IdeaStatus, Visibility
from ideas.services import comments, submissions
from people.models import Invitation, Membership, Organisation, Profile

from ..factories import CallFactory, CommentFactory, IdeaFactory, OrganisationFactory, UserFactory
from ..tables import assert_wide_tables_scroll

GOOD = {"title": "Community heat networks", "summary": "Share heat between homes.", "body": "Use waste heat."}


def _name(user, name):
    Profile.objects.filter(user=user).update(display_name=name)


@pytest.mark.django_db
def test_every_account_gets_a_profile_never_named_after_its_email(db):
    person = UserFactory(first_name="", last_name="", email="alex.citizen@example.org")
    assert person.profile.display_name == f"Participant {person.pk}"
    named = UserFactory(first_name="Priya", last_name="Shah")
    assert named.profile.display_name == "Priya Shah"


@pytest.mark.django_db
def test_sign_up_asks_for_a_display_name(client, site):
    response = client.post("/accounts/signup/", {"email": "new@example.org", "password1": "a-long-pass-phrase-9",
                                                 "password2": "a-long-pass-phrase-9"})
    assert response.status_code == 200 and "Enter a display name" in response.content.decode()
    assert not Profile.objects.filter(user__email="new@example.org").exists()
    response = client.post("/accounts/signup/", {"display_name": "  Alex  Citizen ", "email": "new@example.org",
                                                 "password1": "a-long-pass-phrase-9", "password2": "a-long-pass-phrase-9"})
    assert response.status_code == 302
    assert Profile.objects.get(user__email="new@example.org").display_name == "Alex Citizen"


@pytest.mark.django_db
def test_changing_the_display_name(client, user):
    client.force_login(user)
    page = client.get("/accounts/profile/")
    assert page.status_code == 200 and "Your profile" in page.content.decode()
    bad = client.post("/accounts/profile/", {"display_name": "visit www.spam.ru"})
    assert bad.status_code == 400 and "web or email address" in bad.content.decode()
    assert client.post("/accounts/profile/", {"display_name": "Sam Smith"}).status_code == 302
    assert Profile.objects.get(user=user).display_name == "Sam Smith"


@pytest.mark.django_db
def test_names_and_the_team_badge_on_an_idea_page(client, call, team_member, user):
    _name(user, "Priya Shah")
    _name(team_member, "Jo Team")
    idea = IdeaFactory(call=call, author=user)
    CommentFactory(idea=idea, author=user, body="Mine.")
    CommentFactory(idea=idea, author=team_member, body="From the team.")
    html = client.get(idea.get_absolute_url()).content.decode()
    assert f'href="/people/{user.pk}/"><strong>Priya Shah</strong>' in html
    team_comment = html[html.index("From the team.") - 1500:html.index("From the team.")]
    assert "Jo Team" in team_comment and "Mission team</strong>" in team_comment
    mine = html[html.index("Mine.") - 1500:html.index("Mine.")]
    assert "Mission team</strong>" not in mine.split("Priya Shah", 1)[1]


@pytest.mark.django_db
def test_anonymous_posts_show_no_name_anywhere(client, mission, user):
    call = CallFactory(parent=mission, allow_anonymous=True)
    _name(user, "Priya Shah")
    idea = submissions.submit_idea(user, call, **GOOD, anonymous=True)
    comments.add_comment(user, idea, "Said quietly.", anonymous=True)
    html = client.get(idea.get_absolute_url()).content.decode()
    assert "Priya Shah" not in html and "A participant" in html
    profile = client.get(f"/people/{user.pk}/").content.decode()
    assert "Community heat networks" not in profile and "Said quietly." not in profile
    assert "0 public ideas and 0 public comments" in profile
    client.force_login(user)
    mine = client.get("/accounts/activity/").content.decode()
    assert "Community heat networks" in mine and "posted without your name" in mine


@pytest.mark.django_db
def test_comment_form_offers_anonymity_only_where_the_call_allows(client, mission, user):
    client.force_login(user)
    closed = IdeaFactory(call=CallFactory(parent=mission))
    assert 'name="anonymous"' not in client.get(closed.get_absolute_url()).content.decode()
    idea = IdeaFactory(call=CallFactory(parent=mission, allow_anonymous=True))
    assert 'name="anonymous"' in client.get(idea.get_absolute_url()).content.decode()
    client.post(f"/ideas/{idea.pk}/comments/", {"body": "Quietly.", "anonymous": "on"})
    assert idea.comments.get().anonymous is True


@pytest.mark.django_db
def test_public_profile_lists_public_contributions_only(client, call, user):
    _name(user, "Priya Shah")
    IdeaFactory(call=call, author=user, title="Public one")
    IdeaFactory(call=call, author=user, title="Pending one", visibility=Visibility.PENDING)
    IdeaFactory(call=call, author=user, title="Hidden one", visibility=Visibility.HIDDEN)
    org = OrganisationFactory(name="Kestrel Solar", members=[user])
    html = client.get(f"/people/{user.pk}/").content.decode()
    assert "Priya Shah" in html and "Public one" in html and "Kestrel Solar" in html
    assert "Pending one" not in html and "Hidden one" not in html
    assert f"/organisations/{org.slug}/" in html
    assert client.get("/people/999999/").status_code == 404


@pytest.mark.django_db
def test_profile_and_organisation_pages_cost_the_same_whatever_the_numbers(client, call, user,
                                                                              django_assert_max_num_queries):
    org = OrganisationFactory(members=[user])
    IdeaFactory(call=call, author=user, on_behalf_of=org, organisation=org.name)
    CommentFactory(author=user, idea=IdeaFactory(call=call))

    def cost(url):
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        return len(queries)

    urls = [f"/people/{user.pk}/", f"/people/{user.pk}/?show=comments", f"/organisations/{org.slug}/"]
    before = [cost(u) for u in urls]
    for _ in range(15):
        author = UserFactory()
        Membership.objects.create(organisation=org, user=author)
        IdeaFactory(call=call, author=user, on_behalf_of=org, organisation=org.name)
        IdeaFactory(call=call, author=author, on_behalf_of=org, organisation=org.name)
        CommentFactory(author=user, idea=IdeaFactory(call=call))
    assert [cost(u) for u in urls] == before


@pytest.mark.django_db
def test_my_activity_shows_state_and_the_teams_response(client, call, user):
    idea = IdeaFactory(call=call, author=user, title="Waiting", visibility=Visibility.PENDING)
    answered = IdeaFactory(call=call, author=user, title="Answered", status=IdeaStatus.SHORTLISTED,
                           response="We will pilot this in Leeds.")
    client.force_login(user)
    html = client.get("/accounts/activity/").content.decode()
    assert "Waiting" in html and "Awaiting moderation" in html
    assert "Answered" in html and "We will pilot this in Leeds." in html
    assert client.get("/accounts/activity/?show=votes").status_code == 200
    assert client.get("/accounts/activity/?show=following").status_code == 200
    assert client.get("/accounts/activity/?show=nonsense&page=abc").status_code == 200
    client.logout()
    assert client.get("/accounts/activity/").status_code == 302
    assert idea.pk and answered.pk


@pytest.mark.django_db
def test_adding_an_organisation_and_inviting_through_the_pages(client, user, django_capture_on_commit_callbacks):
    client.force_login(user)
    bad = client.post("/organisations/new/", {"name": "Kestrel Solar", "type": "", "size": "small", "region": "london"})
    assert bad.status_code == 400 and "Select the organisation&#x27;s type" in bad.content.decode()
    assert not Organisation.objects.exists()
    made = client.post("/organisations/new/", {"name": "Kestrel Solar", "type": "business", "size": "small",
                                               "region": "london", "number_kind": "company",
                                               "registered_number": "01234567"})
    org = Organisation.objects.get()
    assert made["Location"] == f"/organisations/{org.slug}/members/"
    page = client.get(f"/organisations/{org.slug}/").content.decode()
    assert "Unverified" in page and "01234567" in page
    with django_capture_on_commit_callbacks(execute=True):
        sent = client.post(f"/organisations/{org.slug}/members/", {"email": "sam@example.org"})
    assert sent.status_code == 302
    # The members and the invitations scroll in their own regions at 320 px.
    assert assert_wide_tables_scroll(client.get(f"/organisations/{org.slug}/members/").content.decode()) == 2
    token = re.search(r"/organisations/join/([^/]+)/", mail.outbox[-1].body).group(1)

    sam = UserFactory(email="sam@example.org", username="sam@example.org")
    EmailAddress.objects.create(user=sam, email="sam@example.org", verified=True, primary=True)
    client.logout()
    signed_out = client.get(f"/organisations/join/{token}/").content.decode()
    assert "Sign in" in signed_out and "Kestrel Solar" in signed_out
    client.force_login(sam)
    assert client.post(f"/organisations/join/{token}/").status_code == 302
    assert Membership.objects.filter(organisation=org, user=sam).exists()
    used = client.get(f"/organisations/join/{token}/")
    assert used.status_code == 409 and "already been used" in used.content.decode()
    # A member sees the members but cannot invite or change the organisation.
    assert client.get(f"/organisations/{org.slug}/members/").status_code == 200
    assert client.post(f"/organisations/{org.slug}/members/", {"email": "x@example.org"}).status_code == 403
    assert client.get(f"/organisations/{org.slug}/edit/").status_code == 403
    assert Invitation.objects.count() == 1


@pytest.mark.django_db
def test_strangers_do_not_see_members(client, user, other_user):
    org = OrganisationFactory(admin=user)
    client.force_login(other_user)
    assert client.get(f"/organisations/{org.slug}/members/").status_code == 403
    assert client.post(f"/organisations/{org.slug}/members/{user.pk}/remove/").status_code == 403
    assert Membership.objects.filter(organisation=org).count() == 1


@pytest.mark.django_db
def test_site_admin_confirms_a_number_and_resets_an_abusive_name(client, admin_user, user):
    org = OrganisationFactory(admin=user, number_kind="company", registered_number="01234567")
    client.force_login(user)
    assert client.post(f"/organisations/{org.slug}/verify/").status_code == 403
    assert client.post(f"/people/{user.pk}/reset-name/", {"reason": "x"}).status_code == 403
    client.force_login(admin_user)
    assert "Confirm the registered number" in client.get(f"/organisations/{org.slug}/").content.decode()
    client.post(f"/organisations/{org.slug}/verify/")
    assert "Verified" in client.get(f"/organisations/{org.slug}/").content.decode()
    _name(user, "Rude Word")
    client.post(f"/people/{user.pk}/reset-name/", {"reason": "Offensive name"})
    profile = Profile.objects.get(user=user)
    assert profile.display_name == f"Participant {user.pk}" and profile.name_reset_reason == "Offensive name"
    client.force_login(user)
    assert "A moderator reset your display name" in client.get("/accounts/profile/").content.decode()
    client.post("/accounts/profile/", {"display_name": "Polite Name"})
    assert Profile.objects.get(user=user).name_reset_at is None


@pytest.mark.django_db
def test_organisations_only_call_says_so_before_sign_in_and_requires_the_choice(client, mission, user):
    call = CallFactory(parent=mission, eligibility="organisations")
    page = client.get(call.url).content.decode()
    assert "This call is open to organisations of any kind only" in page
    client.force_login(user)
    form = client.get(call.url + "submit/").content.decode()
    assert "not a member of any organisation yet" in form and 'name="title"' not in form  # told before typing
    assert f'href="/organisations/new/?next={call.url}submit/" data-add-organisation>add your organisation</a>' in form
    refused = client.post(call.url + "submit/", {**GOOD, "confirm": "1"})
    assert refused.status_code == 400 and "not a member of any organisation yet" in refused.content.decode()
    org = OrganisationFactory(name="Kestrel Solar", members=[user])
    OrganisationFactory(name="Heron Trust", members=[user])
    form = client.get(call.url + "submit/").content.decode()
    assert "Which organisation are you submitting for?" in form and "(optional)" not in form
    assert "Kestrel Solar" in form and "Heron Trust" in form
    done = client.post(call.url + "submit/", {**GOOD, "confirm": "1", "organisation_id": str(org.pk)})
    assert done.status_code == 302
    idea = Idea.objects.get()
    assert idea.on_behalf_of == org
    html = client.get(idea.get_absolute_url()).content.decode()
    assert f'on behalf of <a class="govuk-link" href="/organisations/{org.slug}/">Kestrel Solar</a>' in html


@pytest.mark.django_db
def test_site_admins_find_unconfirmed_numbers_in_the_admin(client, admin_user, user):
    OrganisationFactory(name="Claimed Ltd", number_kind="company", registered_number="01234567")
    OrganisationFactory(name="Plain Ltd")
    client.force_login(admin_user)
    listing = client.get("/admin/snippets/people/organisation/?number=unverified")
    assert listing.status_code == 200
    html = listing.content.decode()
    assert "Claimed Ltd" in html and "Plain Ltd" not in html and "not yet confirmed" in html
    client.force_login(user)
    assert client.get("/admin/snippets/people/organisation/").status_code in (302, 403)
