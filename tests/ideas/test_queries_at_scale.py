"""The call page at 10,000 ideas and 1,000,000 votes, and an idea page with
500 comments, run a bounded, fixed number of queries. The rows are made with
set-based SQL on PostgreSQL (seconds, not minutes)."""

import pytest
from django.db import connection

from ..factories import IdeaFactory, UserFactory

pytestmark = pytest.mark.skipif("connection.vendor != 'postgresql'", reason="set-based seeding uses PostgreSQL")

# Fixed whatever the data. The header's "Admin" and "Moderation" links ask the
# person's permissions and roles (three queries, replacing one), and its
# "Notifications" link the unread count (one), hence 28 and 22.
CALL_PAGE_MAX_QUERIES = 28
IDEA_PAGE_MAX_QUERIES = 22


def seed(call, voters):
    with connection.cursor() as cur:
        cur.execute(
            """
            INSERT INTO ideas_idea (call_id, author_id, title, summary, body, body_html, organisation, status,
                visibility, moderation_reason, response, response_html, support_count, agree_count, disagree_count,
                pass_count, comment_count, created_at, updated_at)
            SELECT %s, %s, 'Idea ' || n, 'Summary', 'Body', '<p>Body</p>', '', 'submitted', 'published', '', '', '',
                100, 0, 0, 0, 0, now() - (n || ' seconds')::interval, now()
            FROM generate_series(1, 10000) AS n
            """,
            [call.pk, voters[0].pk],
        )
        cur.execute(
            """
            INSERT INTO ideas_vote (idea_id, user_id, call_id, value, created_at)
            SELECT i.id, u.id, %s, 'support', now()
            FROM ideas_idea i CROSS JOIN auth_user u
            WHERE i.call_id = %s AND u.id = ANY(%s)
            """,
            [call.pk, call.pk, [v.pk for v in voters]],
        )
        cur.execute("UPDATE consult_challengecallpage SET idea_count = 10000 WHERE page_ptr_id = %s", [call.pk])
        cur.execute("SELECT count(*) FROM ideas_vote WHERE call_id = %s", [call.pk])
        return cur.fetchone()[0]


@pytest.mark.django_db
def test_call_page_at_ten_thousand_ideas_and_a_million_votes(call, client, django_assert_max_num_queries):
    voters = [UserFactory() for _ in range(100)]
    assert seed(call, voters) == 1_000_000
    client.force_login(voters[0])
    for sort in ("newest", "supported", "discussed", "random"):
        client.get(f"{call.url}?sort={sort}")  # warm the session
        with django_assert_max_num_queries(CALL_PAGE_MAX_QUERIES):
            response = client.get(f"{call.url}?sort={sort}&page=3")
        assert response.status_code == 200
        assert len(response.context["ideas"]) == 20
        assert response.context["page_obj"].paginator.num_pages == 500
        # The signed-in voter sees their vote on every idea of the page.
        assert all(idea.my_vote == "support" for idea in response.context["ideas"])


@pytest.mark.django_db
def test_idea_page_with_five_hundred_comments(call, client, django_assert_max_num_queries):
    idea = IdeaFactory(call=call)
    authors = [UserFactory() for _ in range(10)]
    with connection.cursor() as cur:
        cur.execute(
            """
            INSERT INTO ideas_comment (idea_id, author_id, body, body_html, visibility, moderation_reason, is_deleted,
                depth, support_count, created_at)
            SELECT %s, (%s::bigint[])[1 + n %% 10], 'c', '<p>c</p>', 'published', '', false, 0, 0,
                now() - (n || ' seconds')::interval
            FROM generate_series(1, 500) AS n
            """,
            [idea.pk, [a.pk for a in authors]],
        )
    client.force_login(authors[0])
    with django_assert_max_num_queries(IDEA_PAGE_MAX_QUERIES):
        response = client.get(idea.get_absolute_url() + "?page=2")
    assert response.status_code == 200
    assert len(response.context["threads"]) == 50
    assert response.context["page_obj"].paginator.num_pages == 10
