import pytest

from ideas.models import Visibility
from search import backend

from ..factories import IdeaFactory


@pytest.mark.django_db
def test_search_finds_public_ideas_ranked_by_title(call):
    title_hit = IdeaFactory(call=call, title="Heat pumps for terraced houses", summary="s")
    body_hit = IdeaFactory(call=call, title="Something else", summary="s", body="mentions heat pumps in passing")
    IdeaFactory(call=call, title="Unrelated", summary="bus lanes")
    results, total = backend.search_ideas("heat pumps")
    assert total == 2
    assert [i.pk for i in results] == [title_hit.pk, body_hit.pk]


@pytest.mark.django_db
@pytest.mark.parametrize("state", [Visibility.PENDING, Visibility.HIDDEN, Visibility.REJECTED, Visibility.HELD])
def test_search_never_returns_non_public_ideas(call, state):
    IdeaFactory(call=call, title="Secret heat pump plan", visibility=state)
    assert backend.search_ideas("heat pump") == ([], 0)
    assert backend.similar_ideas(call, "heat pump plan") == []


@pytest.mark.django_db
def test_similar_ideas_stay_in_the_call_and_cap_at_five(call, mission):
    from ..factories import CallFactory

    for n in range(7):
        IdeaFactory(call=call, title=f"Community energy scheme {n}")
    IdeaFactory(call=CallFactory(parent=mission), title="Community energy scheme elsewhere")
    similar = backend.similar_ideas(call, "A community energy scheme for my street", limit=5)
    assert len(similar) == 5
    assert all(i.call_id == call.pk for i in similar)


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
