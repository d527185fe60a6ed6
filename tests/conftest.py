import pytest

from consult.site_setup import ensure_site

from .factories import CallFactory, MembershipFactory, MissionFactory, UserFactory



@pytest.fixture
def site(db):
    return ensure_site()


@pytest.fixture
def user(db):
    return UserFactory()


@pytest.fixture
def other_user(db):
    return UserFactory()


@pytest.fixture
def mission(site):
    return MissionFactory()


@pytest.fixture
def call(mission):
    return CallFactory(parent=mission)


@pytest.fixture
def team_member(mission):
    return MembershipFactory(mission=mission, role="team").user


@pytest.fixture
def moderator(mission):
    return MembershipFactory(mission=mission, role="moderator").user


@pytest.fixture
def admin_user(db):
    return UserFactory(is_superuser=True, is_staff=True)


def pytest_collection_modifyitems(config, items):
    """Browser tests last: they are the slowest, and Playwright's event loop
    must not overlap the async Channels tests."""
    items.sort(key=lambda item: "/browser/" in str(item.fspath))


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    from django.core.cache import caches

    caches["ratelimit"].clear()
