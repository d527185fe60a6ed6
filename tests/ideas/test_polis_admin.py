"""Mission teams import a Pol.is export from the Wagtail admin: only into
their own missions, with the importer's checks shown on the form."""

from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from consult.models import ChallengeCallPage
from ideas.models import Idea, Vote

from ..factories import CallFactory, IdeaFactory, MembershipFactory, MissionFactory, UserFactory

LONDON = Path(__file__).resolve().parents[2] / "data" / "polis" / "london.youth.policing"
URL = "/admin/polis-import/"


@pytest.fixture
def team_member(mission, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):  # roles reach Wagtail's groups on commit
        return MembershipFactory(mission=mission, role="team").user


def files(**replace):
    out = {}
    for name in ("summary", "comments", "votes"):
        content = (LONDON / f"{name}.csv").read_bytes()
        for old, new in replace.get(name, []):
            content = content.replace(old, new, 1)
        out[name] = SimpleUploadedFile(f"{name}.csv", content, content_type="text/csv")
    return out


@pytest.mark.django_db
def test_a_team_member_imports_into_their_mission(client, mission, team_member):
    client.force_login(team_member)
    page = client.get(URL)
    assert page.status_code == 200 and "Import a Pol.is conversation" in page.content.decode()
    assert "Import from Pol.is" in client.get("/admin/").content.decode()
    response = client.post(URL, {"mission": mission.pk, **files()})
    assert response.status_code == 302
    call = ChallengeCallPage.objects.child_of(mission).get()
    assert call.slug == "what-is-the-best-way-to-engage-more-young-people"
    assert Idea.objects.filter(call=call).count() == 39 and "CC BY 4.0" in call.data_attribution
    followed = client.get(response["Location"]).content.decode()
    assert "39 statements (36 public, 3 moderated out, 0 unmoderated) and 638 votes" in followed


@pytest.mark.django_db
def test_not_into_another_team_s_mission(client, mission, team_member):
    other = MissionFactory(title="Someone else's mission")
    client.force_login(team_member)
    assert "Someone else&#x27;s mission" not in client.get(URL).content.decode()
    response = client.post(URL, {"mission": other.pk, **files()})
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    assert not ChallengeCallPage.objects.exists()


@pytest.mark.django_db
def test_people_without_a_team_cannot_import(client, mission, django_capture_on_commit_callbacks):
    assert client.get(URL).status_code == 302  # to the admin's sign-in
    with django_capture_on_commit_callbacks(execute=True):
        moderator = MembershipFactory(mission=mission, role="moderator").user
    client.force_login(moderator)
    assert client.post(URL, {"mission": mission.pk, **files()}).status_code in (302, 403)
    client.force_login(UserFactory())
    assert client.get(URL).status_code in (302, 403)
    assert not ChallengeCallPage.objects.exists()


@pytest.mark.django_db
def test_a_broken_file_is_shown_on_the_form_and_nothing_is_saved(client, mission, team_member):
    client.force_login(team_member)
    broken = files(votes=[(b"2022,1,1,-1\n", b"2022,1,1,7\n")])
    response = client.post(URL, {"mission": mission.pk, **broken})
    assert response.status_code == 200
    assert "votes.csv line 2: vote must be 1, -1 or 0, not &#x27;7&#x27;" in response.content.decode()
    assert not ChallengeCallPage.objects.exists() and not Idea.objects.exists()


@pytest.mark.django_db
def test_a_missing_file_is_named(client, mission, team_member):
    client.force_login(team_member)
    upload = files()
    del upload["votes"]
    response = client.post(URL, {"mission": mission.pk, **upload})
    assert response.status_code == 200 and "This field is required" in response.content.decode()
    assert not ChallengeCallPage.objects.exists()


@pytest.mark.django_db
def test_importing_again_asks_for_replace_then_replaces(client, mission, team_member):
    client.force_login(team_member)
    client.post(URL, {"mission": mission.pk, "slug": "london", **files()})
    again = client.post(URL, {"mission": mission.pk, "slug": "london", **files()})
    assert again.status_code == 200 and "replace it to import again" in again.content.decode()
    replaced = client.post(URL, {"mission": mission.pk, "slug": "london", "replace": "on", **files()})
    assert replaced.status_code == 302
    assert ChallengeCallPage.objects.child_of(mission).count() == 1 and Idea.objects.count() == 39


# Issue #12: the importer's refusals reach the form (no 500) and store nothing.
DAMAGED = {
    "negative statement id": (dict(comments=[(b",35,23,", b",-35,23,")], votes=[(b",35,", b",-35,")]),
                              "comments.csv line 2: comment-id &#x27;-35&#x27; is not a Pol.is id"),
    "negative participant id": (dict(comments=[(b",35,23,", b",35,-23,")]),
                                "comments.csv line 2: author-id &#x27;-23&#x27; is not a Pol.is id"),
    "NUL in a statement": (dict(comments=[(b"Eliminate bias", b"Elim\x00inate bias")]),
                           "comments.csv line 2: comment-body holds a control character (U+0000)"),
    "stray quote": (dict(comments=[(b",13,1,I am between 15", b",13,1,\"I am between 15")]),
                    "comments.csv line 39: a quote opens a field there and is not closed"),
}


@pytest.mark.django_db
@pytest.mark.parametrize("changes, message", DAMAGED.values(), ids=DAMAGED.keys())
def test_a_damaged_export_is_refused_on_the_form(client, mission, team_member, changes, message):
    client.force_login(team_member)
    response = client.post(URL, {"mission": mission.pk, **files(**changes)})
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not ChallengeCallPage.objects.exists() and not Idea.objects.exists() and not Vote.objects.exists()


@pytest.mark.django_db
def test_replace_never_deletes_a_call_that_was_not_imported(client, mission, team_member):
    own = CallFactory(parent=mission, slug="london", title="Our own call")
    idea = IdeaFactory(call=own)
    client.force_login(team_member)
    for replace in ({}, {"replace": "on"}):
        response = client.post(URL, {"mission": mission.pk, "slug": "london", **replace, **files()})
        assert response.status_code == 200
        assert "that was not imported from Pol.is, so it cannot be replaced; choose another slug" in \
            response.content.decode()
    assert ChallengeCallPage.objects.get(pk=own.pk).title == "Our own call"
    assert list(Idea.objects.all()) == [idea] and not Vote.objects.exists()
