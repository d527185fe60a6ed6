"""`consult.moderate_mission` is one rule written twice: the predicate asked
of one mission and the query listing the missions a person moderates
(consult/rules.py `moderated_missions`, which the moderation pages and the
header's "Moderation" link read). For every kind of person, on every
mission, the two agree."""

from datetime import timedelta

import pytest
from django.contrib.auth.models import AnonymousUser
from django.utils import timezone

from consult.models import MissionMembership, Suspension
from consult.rules import can, moderated_missions
from moderation.selectors import moderated_missions as listed_for_the_queue

from ..factories import MembershipFactory, MissionFactory, UserFactory

# who -> the missions (of "a", "b") they moderate
EXPECTED = {
    "site_admin": {"a", "b"},
    "moderator_a": {"a"},
    "moderator_of_both": {"a", "b"},
    "team_a": set(),
    "team_and_moderator_b": {"b"},
    "participant": set(),
    "suspended_moderator_a": {"a"},  # a suspension bars taking part, not the role
    "signed_out": set(),
}


@pytest.fixture
def world(site):
    missions = {"a": MissionFactory(), "b": MissionFactory()}

    def member(*roles):
        user = UserFactory()
        for mission, role in roles:
            MembershipFactory(user=user, mission=missions[mission], role=role)
        return user

    moderator, team = MissionMembership.ROLE_MODERATOR, MissionMembership.ROLE_TEAM
    people_admin = UserFactory(is_superuser=True)
    suspended = member(("a", moderator))
    Suspension.objects.create(mission=missions["a"], user=suspended, until=timezone.now() + timedelta(days=3),
                              reason="test", created_by=people_admin)
    people = {
        "site_admin": people_admin,
        "moderator_a": member(("a", moderator)),
        "moderator_of_both": member(("a", moderator), ("b", moderator)),
        "team_a": member(("a", team)),
        "team_and_moderator_b": member(("b", team), ("b", moderator)),
        "participant": UserFactory(),
        "suspended_moderator_a": suspended,
        "signed_out": AnonymousUser(),
    }
    return missions, people


@pytest.mark.django_db
@pytest.mark.parametrize("who", sorted(EXPECTED))
def test_the_predicate_and_the_query_agree(world, who):
    missions, people = world
    user = people[who]
    by_predicate = {name for name, mission in missions.items() if can(user, "consult.moderate_mission", mission)}
    listed = set(moderated_missions(user).values_list("pk", flat=True))
    by_query = {name for name, mission in missions.items() if mission.pk in listed}
    assert by_predicate == by_query == EXPECTED[who], who
    queue_pks = [m.pk for m in listed_for_the_queue(user)]
    assert set(queue_pks) == listed and len(queue_pks) == len(listed)
