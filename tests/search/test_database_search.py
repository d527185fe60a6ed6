"""Database search, through the search interface (the backend when
ELASTICSEARCH_URL is unset) and through ideas' side of it."""

import pytest

from ideas.models import Visibility
from ideas.search_documents import search_ideas, similar_ideas
from ideas.visibility import public_ideas
from search import backend

from ..factories import CallFactory, IdeaFactory


@pytest.fixture(autouse=True)
def _database_search(settings):
    settings.ELASTICSEARCH_URL = ""


@pytest.mark.django_db
def test_search_finds_public_ideas_ranked_by_title(call):
    title_hit = IdeaFactory(call=call, title="Heat pumps for terraced houses", summary="s")
    body_hit = IdeaFactory(call=call, title="Something else", summary="s", body="mentions heat pumps in passing")
    IdeaFactory(call=call, title="Unrelated", summary="bus lanes")
    results, total = search_ideas("heat pumps")
    assert total == 2
    assert [i.pk for i in results] == [title_hit.pk, body_hit.pk]


@pytest.mark.django_db
@pytest.mark.parametrize("state", [Visibility.PENDING, Visibility.HIDDEN, Visibility.REJECTED, Visibility.HELD])
def test_search_never_returns_non_public_ideas(call, state):
    IdeaFactory(call=call, title="Secret heat pump plan", visibility=state)
    assert search_ideas("heat pump") == ([], 0)
    assert similar_ideas(call, "heat pump plan") == []


@pytest.mark.django_db
def test_similar_ideas_stay_in_the_call_and_cap_at_five(call, mission):
    for n in range(7):
        IdeaFactory(call=call, title=f"Community energy scheme {n}")
    IdeaFactory(call=CallFactory(parent=mission), title="Community energy scheme elsewhere")
    similar = similar_ideas(call, "A community energy scheme for my street", limit=5)
    assert len(similar) == 5
    assert all(i.call_id == call.pk for i in similar)


@pytest.mark.django_db
def test_the_interface_searches_only_the_candidates_it_is_given(call, mission):
    """Visibility is the caller's: search ranks what it is handed, filtered."""
    shown = IdeaFactory(call=call, title="Tidal lagoons")
    IdeaFactory(call=call, title="Tidal barrage", visibility=Visibility.HIDDEN)
    elsewhere = IdeaFactory(call=CallFactory(parent=mission), title="Tidal streams")
    results, total = backend.search("idea", "tidal", candidates=public_ideas())
    assert total == 2 and {i.pk for i in results} == {shown.pk, elsewhere.pk}
    results, total = backend.search("idea", "tidal", candidates=public_ideas(), filters={"call_id": call.pk})
    assert (results, total) == ([shown], 1)
    assert backend.similar("idea", "tidal lagoons", candidates=public_ideas().filter(pk=elsewhere.pk)) == [elsewhere]


@pytest.mark.django_db
def test_the_database_backend_keeps_no_index(call):
    assert backend.name() == "database" and not backend.keeps_index()
    assert backend.create() == []
    assert backend.health() == {"backend": "database", "ok": True, "detail": ""}


@pytest.mark.django_db
def test_search_page_escapes_the_query_and_lists_results(call, client):
    IdeaFactory(call=call, title="Cycle lanes near schools")
    response = client.get("/search/", {"q": "cycle <script>alert(1)</script>"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "<script>alert(1)</script>" not in html
    assert "Cycle lanes near schools" in html


@pytest.mark.django_db
def test_empty_query_returns_nothing_without_error(client, site):
    assert client.get("/search/", {"q": "  "}).status_code == 200
    assert client.get("/search/", {"q": "the and of", "page": "x"}).status_code == 200
