"""Constant queries: the call page and the idea page run a fixed number of
SQL queries whatever the data, and are paginated."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from consult.models import ChallengeCallPage
from ideas.models import Comment, Idea, Vote

from ..factories import IdeaFactory, UserFactory


def bulk_ideas(call, author, n):
    Idea.objects.bulk_create(
        [Idea(call=call, author=author, title=f"Idea {i}", summary="s", body="b", body_html="<p>b</p>") for i in range(n)]
    )
    ChallengeCallPage.objects.filter(pk=call.pk).update(idea_count=Idea.objects.filter(call=call).count())


def count_queries(client, url):
    client.get(url)  # warm up: the session's random seed is stored on the first visit
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries), response


@pytest.mark.django_db
@pytest.mark.parametrize("sort", ["newest", "supported", "discussed", "random"])
def test_call_page_queries_do_not_grow_with_ideas_or_votes(call, user, client, sort):
    author = UserFactory()
    bulk_ideas(call, author, 5)
    client.force_login(user)
    url = f"{call.url}?sort={sort}"
    small, _ = count_queries(client, url)
    bulk_ideas(call, author, 300)
    voters = [UserFactory() for _ in range(5)]
    ideas = list(Idea.objects.filter(call=call)[:100])
    Vote.objects.bulk_create([Vote(idea=i, user=v, call=call, value="support") for i in ideas for v in voters])
    for idea in ideas[:20]:
        idea.tags.add("energy", "homes")
    large, response = count_queries(client, url)
    assert large == small, f"{small} queries with 5 ideas, {large} with 305"
    assert len(response.context["ideas"]) == 20  # paginated


@pytest.mark.django_db
def test_anonymous_call_page_uses_the_counter_not_count(call, client):
    bulk_ideas(call, UserFactory(), 30)
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(call.url)
    assert response.context["page_obj"].paginator.count == 30
    assert not any('COUNT(*)' in q["sql"] and '"ideas_idea"' in q["sql"] and "tagged" not in q["sql"] for q in ctx.captured_queries)


@pytest.mark.django_db
def test_call_page_query_budget(call, user, client, django_assert_max_num_queries):
    bulk_ideas(call, UserFactory(), 50)
    client.force_login(user)
    # 28: the header's "Admin" link asks Wagtail's admin permission (Django
    # reads a person's permissions once per request: two queries), the
    # "Moderation" link whether they moderate anything (one) and the
    # "Notifications" link the unread count (one).
    with django_assert_max_num_queries(28):
        assert client.get(call.url).status_code == 200


@pytest.mark.django_db
def test_idea_page_queries_do_not_grow_with_comments(call, user, client):
    idea = IdeaFactory(call=call)
    client.force_login(user)
    authors = [UserFactory() for _ in range(5)]

    def add(n):
        roots = Comment.objects.bulk_create(
            [Comment(idea=idea, author=authors[i % 5], body="c", body_html="<p>c</p>") for i in range(n)]
        )
        Comment.objects.bulk_create(
            [Comment(idea=idea, author=authors[i % 5], parent=r, thread_root=r, depth=1, body="r", body_html="<p>r</p>") for i, r in enumerate(roots)]
        )

    add(3)
    small, _ = count_queries(client, idea.get_absolute_url())
    add(250)  # 506 comments in all
    large, response = count_queries(client, idea.get_absolute_url())
    assert large == small
    assert len(response.context["threads"]) == 50  # a page of threads


@pytest.mark.django_db
def test_idea_page_query_budget(call, user, client, django_assert_max_num_queries):
    idea = IdeaFactory(call=call)
    client.force_login(user)
    with django_assert_max_num_queries(20):
        assert client.get(idea.get_absolute_url()).status_code == 200
