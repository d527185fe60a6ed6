"""The signed-out page cache (cms/pagecache.py): a repeated view is served
from the cache, and every write that changes a page reaches the next view."""

import re

import pytest
from django.middleware.csrf import _unmask_cipher_token, get_token
from django.test import Client, RequestFactory
from django.utils import translation

from cms import pagecache
from ideas.models import Idea
from ideas.services import submissions, votes
from live import events
from moderation import services as moderation

from ..factories import IdeaFactory, PilotFactory, UserFactory


@pytest.fixture(autouse=True)
def page_cache(settings):
    settings.PAGE_CACHE_ENABLED = True
    pagecache.bump_site()  # entries of earlier tests (same keys, other rows) are out of date


def state(response):
    return response["X-Page-Cache"]


def since_of(html, topic):
    return int(re.search(rf'data-live-since="{re.escape(topic)}=(\d+)"', html).group(1))


def warm(client, url):
    first = client.get(url)
    assert first.status_code == 200 and state(first) == "miss"
    second = client.get(url)
    assert state(second) == "hit"
    return second


@pytest.mark.django_db
def test_a_second_signed_out_view_is_a_hit_and_costs_almost_no_queries(call, client, django_assert_max_num_queries):
    IdeaFactory(call=call, title="Warm homes first")
    first = client.get(call.url)
    assert state(first) == "miss" and "Warm homes first" in first.content.decode()
    assert "Cookie" in first["Vary"]
    with django_assert_max_num_queries(1):
        second = client.get(call.url)
    assert state(second) == "hit"
    assert second.context is None  # nothing was rendered
    assert "Warm homes first" in second.content.decode()
    assert "Cookie" in second["Vary"]


@pytest.mark.django_db
def test_every_cached_kind_of_page_is_served_from_the_cache(call, mission, client):
    idea = IdeaFactory(call=call)
    pilot = PilotFactory(parent=mission)
    urls = ("/", mission.url, call.url, f"{call.url}results/", f"{call.url}results/?fragment=map",
            f"/ideas/{idea.pk}/", pilot.url, f"{call.url}?sort=supported", f"{call.url}?page=1")
    for url in urls:
        hit = warm(client, url)
        # No signed-out page holds a CSRF token today; one that did would get the visitor's own.
        for token in re.findall(r'name="csrfmiddlewaretoken" value="([^"]+)"', hit.content.decode()):
            assert _unmask_cipher_token(token) == client.cookies["csrftoken"].value
        assert state(client.head(url)) == "hit"


@pytest.mark.django_db
def test_data_live_since_equals_the_current_seq_on_a_hit(call, client):
    topic = f"call:{call.pk}"
    events.next_seq(topic)
    warm(client, call.url)
    hit = client.get(call.url)
    assert state(hit) == "hit"
    assert since_of(hit.content.decode(), topic) == events.current_seq(topic)


@pytest.mark.django_db(transaction=True)
def test_a_vote_reaches_the_next_signed_out_view(site):
    from ..factories import CallFactory, MissionFactory

    call = CallFactory(parent=MissionFactory())
    idea = IdeaFactory(call=call)
    client = Client()
    for url in (call.url, f"/ideas/{idea.pk}/"):
        warm(client, url)
    votes.cast_vote(UserFactory(), idea, "support")
    assert events.tallies.drain()
    for url in (call.url, f"/ideas/{idea.pk}/"):
        after = client.get(url)
        assert state(after) == "miss"
        assert '<strong data-tally="support">1</strong>' in after.content.decode()
        assert state(client.get(url)) == "hit"


@pytest.mark.django_db
def test_a_new_idea_reaches_the_call_mission_and_home_pages(call, mission, user, client, django_capture_on_commit_callbacks):
    for url in (call.url, mission.url, "/"):
        warm(client, url)
    with django_capture_on_commit_callbacks(execute=True):
        submissions.submit_idea(user, call, title="Community energy hubs", summary="s", body="b")
    page = client.get(call.url)
    assert state(page) == "miss" and "Community energy hubs" in page.content.decode()
    for url in (mission.url, "/"):  # the call's idea count
        again = client.get(url)
        assert state(again) == "miss" and "1 idea<" in again.content.decode().replace("</", "<")
    assert state(client.get(call.url)) == "hit"


@pytest.mark.django_db
def test_a_moderation_hide_reaches_the_next_signed_out_view(call, moderator, client, django_capture_on_commit_callbacks):
    idea = IdeaFactory(call=call, title="Buy my miracle boiler")
    assert "Buy my miracle boiler" in warm(client, call.url).content.decode()
    warm(client, f"/ideas/{idea.pk}/")
    with django_capture_on_commit_callbacks(execute=True):
        moderation.hide_idea(moderator, idea, "spam")
    page = client.get(call.url)
    assert state(page) == "miss" and "Buy my miracle boiler" not in page.content.decode()
    gone = client.get(f"/ideas/{idea.pk}/")
    assert gone.status_code == 410 and "Buy my miracle boiler" not in gone.content.decode()


@pytest.mark.django_db
def test_an_edit_reaches_the_next_signed_out_view(call, client, django_capture_on_commit_callbacks):
    idea = IdeaFactory(call=call, title="Heat pumps for flats")
    for url in (call.url, f"/ideas/{idea.pk}/"):
        warm(client, url)
    with django_capture_on_commit_callbacks(execute=True):
        submissions.edit_idea(idea.author, Idea.objects.get(pk=idea.pk), title="Heat pumps for every flat",
                              summary=idea.summary, body=idea.body)
    for url in (call.url, f"/ideas/{idea.pk}/"):
        page = client.get(url)
        assert state(page) == "miss" and "Heat pumps for every flat" in page.content.decode()


@pytest.mark.django_db
def test_a_wagtail_edit_and_publish_of_the_call_shows_at_once(call, mission, client, django_capture_on_commit_callbacks):
    for url in (call.url, mission.url):
        warm(client, url)
    call.title = "Retrofit challenge, renamed"
    with django_capture_on_commit_callbacks(execute=True):
        call.save_revision().publish()
    for url in (call.url, mission.url):
        page = client.get(url)
        assert state(page) == "miss" and "Retrofit challenge, renamed" in page.content.decode()


@pytest.mark.django_db
def test_signed_in_requests_bypass(call, user, client):
    client.force_login(user)
    for _ in range(2):
        page = client.get(call.url)
        assert state(page) == "bypass" and page.context is not None
    # and a signed-in view stored nothing a signed-out visitor would get
    assert state(Client().get(call.url)) == "miss"


@pytest.mark.django_db
def test_unknown_or_unused_query_values_store_nothing(call, client):
    for url in (f"{call.url}?utm_source=news", f"{call.url}?sort=newest&sort=supported", f"{call.url}?sort=random",
                f"{call.url}?x={'a' * 200}"):
        assert state(client.get(url)) == "bypass"
        assert state(client.get(url)) == "bypass"
    assert state(client.get(call.url)) == "bypass"  # sort=random keeps its seed in a session
    client = Client()
    # allowed names, but values the page did not use (or spelt another way): rendered, never stored
    for url in (f"{call.url}?sort=bogus", f"{call.url}?tag=nosuchtag", f"{call.url}?page=07", f"{call.url}?status="):
        assert state(client.get(url)) == "miss"
        assert state(client.get(url)) == "miss"
    assert pagecache.request_key(RequestFactory().get(f"{call.url}?utm_source=news")) is None
    assert pagecache.request_key(RequestFactory().get(f"{call.url}?sort=bogus")) is not None


@pytest.mark.django_db
def test_each_sort_and_filter_has_its_own_entry(call, client):
    idea = IdeaFactory(call=call)
    idea.tags.add("energy")
    warm(client, f"{call.url}?sort=supported")
    warm(client, f"{call.url}?tag=energy")
    newest = client.get(f"{call.url}?sort=newest")
    assert state(newest) == "miss"  # not the "supported" entry
    assert newest.context["sort"] == "newest"


@pytest.mark.django_db
def test_a_hit_has_a_fresh_nonce_that_matches_its_header(call, client):
    first = client.get(call.url)
    hit = client.get(call.url)
    assert state(hit) == "hit"
    nonces = []
    for response in (first, hit):
        nonce = re.search(r'<script nonce="([^"]+)"', response.content.decode()).group(1)
        assert f"'nonce-{nonce}'" in response["Content-Security-Policy"]
        nonces.append(nonce)
    assert nonces[0] != nonces[1]
    assert pagecache.NONCE_MARK not in hit.content.decode()


@pytest.mark.django_db
def test_a_csrf_token_is_never_shared(call):
    """A page holding a form is stored with a placeholder; each hit gets the
    visitor's own token (and cookie)."""
    request = RequestFactory().get(call.url)
    request.META["CSRF_COOKIE"] = "s" * 32
    token = get_token(request)
    text = pagecache._strip_secrets(request, f'<input name="csrfmiddlewaretoken" value="{token}">')
    assert token not in text and pagecache.CSRF_MARK in text
    other = RequestFactory().get(call.url)
    other.csp_nonce = "n"
    served = pagecache.serve(other, {"content": text, "charset": "utf-8", "status": 200, "headers": []})
    fresh = re.search(r'value="([^"]+)"', served.content.decode()).group(1)
    assert fresh != token and _unmask_cipher_token(fresh) == other.META["CSRF_COOKIE"] != "s" * 32


@pytest.mark.django_db
def test_welsh_and_english_are_separate_entries(call, client):
    warm(client, call.url)
    with translation.override("cy"):
        assert state(client.get(call.url)) == "miss"
        assert state(client.get(call.url)) == "hit"
    assert state(client.get(call.url)) == "hit"


@pytest.mark.django_db
def test_a_pending_message_bypasses(call, client):
    from django.contrib.messages import constants
    from django.contrib.messages.storage.base import Message
    from django.contrib.messages.storage.cookie import CookieStorage

    warm(client, call.url)
    storage = CookieStorage(RequestFactory().get("/"))
    client.cookies["messages"] = storage._encode([Message(constants.INFO, "Thanks for your idea")])
    page = client.get(call.url)
    assert state(page) == "bypass" and "Thanks for your idea" in page.content.decode()


@pytest.mark.django_db
def test_a_new_display_name_reaches_the_idea_page(call, client, django_capture_on_commit_callbacks):
    from people.services import set_display_name

    idea = IdeaFactory(call=call)
    set_display_name(idea.author, "Ada Lovelace")
    url = f"/ideas/{idea.pk}/"
    assert "Ada Lovelace" in warm(client, url).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        set_display_name(idea.author, "Grace Hopper")
    page = client.get(url)
    assert state(page) == "miss" and "Grace Hopper" in page.content.decode()


@pytest.mark.django_db
def test_a_visitor_with_a_session_passes_through(call, client):
    """A session may hold what is one visitor's alone (a page password, the
    seed of their random order): never served from or stored in an entry."""
    warm(client, call.url)
    session = client.session
    session["idea_seed"] = 1234
    session.save()
    page = client.get(call.url)
    assert state(page) == "bypass" and page.context is not None


@pytest.mark.django_db
def test_an_idea_taken_forward_reaches_its_pilot_page(call, mission, team_member, client,
                                                      django_capture_on_commit_callbacks):
    from pilots.services import take_forward

    pilot = PilotFactory(parent=mission)
    idea = IdeaFactory(call=call, title="Family caseworkers")
    assert "Family caseworkers" not in warm(client, pilot.url).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        take_forward(team_member, idea, pilot.pk)
    page = client.get(pilot.url)
    assert state(page) == "miss" and "Family caseworkers" in page.content.decode()


@pytest.mark.django_db
def test_unset_it_is_on_except_with_debug(call, client, settings):
    settings.PAGE_CACHE_ENABLED = None
    settings.DEBUG = True
    assert state(client.get(call.url)) == "bypass"
    settings.DEBUG = False
    warm(client, call.url)
    settings.PAGE_CACHE_ENABLED = False
    assert state(client.get(call.url)) == "bypass"


@pytest.mark.django_db(transaction=True)
async def test_under_asgi_the_cache_runs_async(site, async_client, monkeypatch):
    """The ASGI handler: the middleware runs on the event loop (no sync
    layer forced on the chain) and serves a hit with its own nonce."""
    from asgiref.sync import sync_to_async
    from django.db import connections

    from cms.pagecache import PageCacheMiddleware

    from ..factories import CallFactory, MissionFactory

    calls = []
    original = PageCacheMiddleware.__acall__

    async def spy(self, request):
        calls.append(request.path)
        return await original(self, request)

    monkeypatch.setattr(PageCacheMiddleware, "__acall__", spy)

    call = await sync_to_async(lambda: CallFactory(parent=MissionFactory()))()
    first = await async_client.get(call.url)
    hit = await async_client.get(call.url)
    assert (state(first), state(hit)) == ("miss", "hit")
    nonce = re.search(r'<script nonce="([^"]+)"', hit.content.decode()).group(1)
    assert f"'nonce-{nonce}'" in hit["Content-Security-Policy"]
    assert calls == [call.url, call.url]
    await sync_to_async(connections.close_all)()  # the request thread's, before the test database goes


@pytest.mark.django_db
def test_deleting_a_page_moves_the_site_generation_and_deleting_other_rows_does_not(
        mission, client, django_capture_on_commit_callbacks):
    from django.core.cache import cache

    from ..factories import CallFactory, CommentFactory

    doomed = CallFactory(parent=mission, title="A call drafted by mistake")
    comment = CommentFactory()
    assert "A call drafted by mistake" in warm(client, mission.url).content.decode()
    generation = cache.get(pagecache.SITE_KEY)
    with django_capture_on_commit_callbacks(execute=True):
        comment.delete()
    assert cache.get(pagecache.SITE_KEY) == generation
    with django_capture_on_commit_callbacks(execute=True):
        doomed.delete()
    assert cache.get(pagecache.SITE_KEY) != generation
    page = client.get(mission.url)
    assert state(page) == "miss" and "A call drafted by mistake" not in page.content.decode()


def test_unmasking_a_form_token_gives_the_cookies_secret():
    """cms/pagecache.py reads the secret behind each token on a page as
    Django's (private) unmasking does; fresh tokens, each masked anew."""
    request = RequestFactory().get("/")
    tokens = {get_token(request) for _ in range(20)}
    secret = request.META["CSRF_COOKIE"]
    assert len(tokens) == 20 and all(pagecache.unmasked(token) == secret == _unmask_cipher_token(token) for token in tokens)
    assert pagecache.unmasked("a" * 64) != secret
