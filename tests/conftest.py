import os

import pytest

from cms import pagecache
from cms.site_setup import ensure_site

from .factories import CallFactory, MembershipFactory, MissionFactory, UserFactory



@pytest.fixture
def site(db):
    return ensure_site(information_pages=False)


@pytest.fixture
def information_pages(site):
    """The site as `setup_site` makes it, with the privacy notice, cookies,
    accessibility, contact and terms pages (cms/service_pages.py)."""
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
    items.sort(key=lambda item: item.get_closest_marker("browser") is not None)


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    from django.core.cache import caches

    caches["ratelimit"].clear()


@pytest.fixture(autouse=True)
def _tallies_settled():
    """A vote inside `commit()` leaves the live tally thread a read up to
    250 ms later (live/events.py, the trailing edge). On SQLite's shared
    in-memory test database that read, running into the next test, made its
    writes fail with "database table is locked". Each test ends with the
    thread idle (at once when nothing is pending)."""
    yield
    from live import events

    events.tallies.drain(timeout=5)


# --- browsers (Debian's Chromium through Playwright) ---------------------------

CHROMIUM = "/usr/bin/chromium"
FLAGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]


@pytest.fixture(scope="module")
def browser():
    """One browser per module: Playwright's sync API holds an event loop while it
    runs, which must be gone before any async (Channels) test starts."""
    if not os.path.exists(CHROMIUM):
        pytest.fail("Debian's chromium is missing: apt-get install -y chromium (see DEVELOPERS.md)")
    from playwright.sync_api import sync_playwright

    # Playwright's sync API runs an event loop in the test thread; the ORM
    # calls the browser tests make between page actions are plain sync calls.
    # Put back after the module: under xdist a worker may run async tests
    # after a browser module, which must still see Django's async guard.
    before = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=FLAGS, headless=True)
            yield browser
            browser.close()
    finally:
        if before is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = before


@pytest.fixture
def page(browser):
    context = browser.new_context()
    page = context.new_page()
    page.set_default_timeout(10000)
    yield page
    context.close()


@pytest.fixture
def login(live_server):
    """Sign a user in by giving the browser a real session cookie."""
    from django.conf import settings
    from django.test import Client

    def do_login(context, user):
        client = Client()
        client.force_login(user)
        cookie = client.cookies[settings.SESSION_COOKIE_NAME]
        context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "value": cookie.value, "url": live_server.url}])

    return do_login


@pytest.fixture
def asgi_server(transactional_db):
    """The real ASGI app (HTTP and WebSocket) under uvicorn, in a thread."""
    import socket
    import threading
    import time

    import uvicorn

    from cms.asgi import application

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(application, host="127.0.0.1", port=port, lifespan="off", log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    for _ in range(100):
        if server.started:
            break
        time.sleep(0.05)

    class Live:
        url = f"http://127.0.0.1:{port}"

    yield Live
    server.should_exit = True
    thread.join(10)


@pytest.fixture
def huey_queue():
    """Huey's in-memory queue and schedule (immediate mode, cms/settings/test.py),
    empty around each test, so a task scheduled by one test never runs in
    another; tasks enqueued without a delay run at once."""
    from huey.contrib.djhuey import HUEY

    assert HUEY.immediate, "tests run Huey in immediate mode (cms/settings/test.py)"
    HUEY.flush()
    yield HUEY
    HUEY.flush()


@pytest.fixture
def commit(django_capture_on_commit_callbacks):
    """`with commit():` runs what is written inside as one transaction whose
    on-commit callbacks (search indexing, live events) run when it ends."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


@pytest.fixture(params=["page cache off", "page cache on"])
def page_cache_on_and_off(request, settings):
    """Runs a test twice: as the test settings have it (the page cache off),
    and with the signed-out page cache on (cms/pagecache.py), so a surface
    that serves a stale or restricted page from the cache fails it."""
    settings.PAGE_CACHE_ENABLED = request.param == "page cache on"
    if settings.PAGE_CACHE_ENABLED:
        pagecache.bump_site()  # entries of earlier tests (same keys, other rows) are out of date
    return settings.PAGE_CACHE_ENABLED
