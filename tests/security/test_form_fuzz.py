"""Every form a person can post, with hostile values in every field it might
read, answers below 500 (a message, a 4xx, or a redirect back): as a site
admin, who may use every form, and as the mission's team. The values are
those that have given 500s before: "²" (a digit to str.isdigit(), not to
int()), numbers beyond 64 bits, NUL characters, very long text, negative and
non-ASCII numbers, and lists where one value is expected."""

import pytest
from django.contrib.auth.models import Permission

from ideas.models import Comment, Idea
from notifications.models import Notification
from people.models import Organisation
from pilots.models import PilotIdea

from ..factories import CommentFactory, IdeaFactory, OrganisationFactory, PilotFactory

HOSTILE = ["²", "9" * 30, "a\x00b", "x" * 20_000, "-1", "١٢", "0", " ", "💩", "<script>alert(1)</script>"]
# Every field name a form of the site reads (its forms' fields and the
# values views read themselves).
FIELDS = [
    "action", "admin", "against", "anonymous", "body", "comment_notifications", "confirm", "confirm_results",
    "contributions", "days", "display_name", "email", "items", "kind", "learning_questions", "merged_into", "name",
    "next", "note", "number_kind", "organisation", "organisation_id", "parent", "pilot", "reason", "reason_text",
    "region", "registered_number", "response", "share", "size", "source", "status", "summary", "tags", "text",
    "title", "type", "until", "user", "value",
]


def payload(value):
    data = {name: value for name in FIELDS}
    data["items"] = [value, f"idea:{value}", f"comment:{value}"]
    data["tags"] = [value, value]
    return data


@pytest.fixture(autouse=True)
def _no_rate_limits(settings):
    """Every value reaches the form, not the rate limiter's 429."""
    settings.RATELIMIT_ENABLE = False


@pytest.fixture
def world(mission, call, team_member, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        idea = IdeaFactory(call=call, title="An idea")
        comment = CommentFactory(idea=idea)
        pilot = PilotFactory(parent=mission)
        organisation = OrganisationFactory(admin=team_member)
    notification = Notification.objects.create(recipient=team_member, kind="status", title="Hello", link="/")
    return {"idea": idea, "comment": comment, "pilot": pilot, "organisation": organisation,
            "notification": notification}


def addresses(mission, call, world):
    idea, comment, org = world["idea"], world["comment"], world["organisation"]
    return [
        f"/ideas/{idea.pk}/edit/", f"/ideas/{idea.pk}/vote/", f"/ideas/{idea.pk}/comments/",
        f"/ideas/{idea.pk}/follow/", f"/ideas/{idea.pk}/status/", f"/ideas/{idea.pk}/respond/",
        f"/ideas/{idea.pk}/about-participant/", f"/ideas/{idea.pk}/take-forward/", f"/ideas/{idea.pk}/flag/",
        f"/ideas/comments/{comment.pk}/edit/", f"/ideas/comments/{comment.pk}/delete/",
        f"/ideas/comments/{comment.pk}/support/", f"/ideas/comments/{comment.pk}/flag/",
        f"/ideas/follow/mission/{mission.pk}/", "/ideas/follow/tag/energy/",
        f"/moderation/{mission.slug}/act/", f"/moderation/{mission.slug}/suspend/",
        f"/missions/{mission.slug}/participation/reference/region/",
        f"/missions/{mission.slug}/participation/reference/size/",
        f"{call.url}submit/", f"{call.url}follow/",
        "/organisations/new/", f"/organisations/{org.slug}/edit/", f"/organisations/{org.slug}/members/",
        f"/organisations/{org.slug}/verify/", "/accounts/profile/",
        "/notifications/settings/", "/notifications/read-all/", f"/notifications/{world['notification'].pk}/read/",
    ]


def assert_survives(client, urls):
    failures = []
    for url in urls:
        for value in HOSTILE:
            for accept in ("text/html", "application/json"):
                response = client.post(url, payload(value), HTTP_ACCEPT=accept)
                if response.status_code >= 500:
                    failures.append((url, value[:12], accept, response.status_code))
    assert failures == []


@pytest.mark.django_db
def test_a_site_admin_posting_hostile_values_to_every_form_gets_no_500(client, admin_user, mission, call, world):
    client.force_login(admin_user)
    assert_survives(client, addresses(mission, call, world))


@pytest.mark.django_db
def test_the_team_posting_hostile_values_to_every_form_gets_no_500_and_stores_nothing_hostile(
        client, team_member, mission, call, world):
    team_member.user_permissions.add(Permission.objects.get(codename="access_admin"))
    client.force_login(team_member)
    before = set(Comment.objects.values_list("pk", flat=True))
    assert_survives(client, addresses(mission, call, world))
    # Text with NUL or 20,000 characters was refused; an ordinary reply such
    # as "0" (or markup, which pages escape) may stand. No idea was taken
    # into a pilot ("²" and thirty digits name none).
    new = Comment.objects.exclude(pk__in=before)
    assert set(new.values_list("body", flat=True)) <= {"0", "💩", "-1", "١٢", "²", "9" * 30, "<script>alert(1)</script>"}
    # (in Python: SQLite's LIKE stops at a NUL, so "contains NUL" matches every row there)
    texts = [*Idea.objects.values_list("title", "summary", "body", "response"),
             *Organisation.objects.values_list("name", "registered_number")]
    assert not any("\x00" in (text or "") for row in texts for text in row)
    assert not PilotIdea.objects.exists()
