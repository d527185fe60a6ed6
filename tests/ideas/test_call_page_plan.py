"""The first page of each call-page sort is read from an index in its
order, not by sorting the whole call (ideas/models.py's idea_call_order_*).
At 10,000 ideas that sort was 14 ms of a 16 ms query (bench/profile_pages.py).
The query the page sends is captured and its plan read on both databases;
PostgreSQL is told to avoid sorts and sequential scans, so a Sort node
appears only where no index serves the ORDER BY."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from ideas.models import Visibility

from ..factories import IdeaFactory, UserFactory

SORTS = ("newest", "supported", "discussed")


def idea_list_query(client, url):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    lists = [q["sql"] for q in captured.captured_queries
             if q["sql"].startswith('SELECT "ideas_idea"."id"') and "ORDER BY" in q["sql"] and "LIMIT" in q["sql"]]
    assert len(lists) == 1, lists
    return lists[0], response


def plan(sql):
    with connection.cursor() as cur:
        if connection.vendor == "postgresql":
            cur.execute("SET LOCAL enable_sort = off")
            cur.execute("SET LOCAL enable_seqscan = off")
            cur.execute("EXPLAIN " + sql)
            return "\n".join(row[0] for row in cur.fetchall())
        cur.execute("EXPLAIN QUERY PLAN " + sql)
        return "\n".join(str(row[-1]) for row in cur.fetchall())


def sorts_rows(text):
    return "Sort" in text if connection.vendor == "postgresql" else "TEMP B-TREE FOR ORDER BY" in text


@pytest.mark.django_db
@pytest.mark.parametrize("sort", SORTS)
def test_each_sort_reads_its_index_in_order_signed_out_and_in(call, client, sort):
    author = UserFactory()
    for n in range(30):
        IdeaFactory(call=call, support_count=n % 7, comment_count=n % 5)
    IdeaFactory(call=call, author=author, visibility=Visibility.PENDING)  # "or my own": the signed-in filter

    sql, response = idea_list_query(client, f"{call.url}?sort={sort}")
    assert len(response.context["ideas"]) == 20
    assert not sorts_rows(plan(sql)), plan(sql)

    client.force_login(author)
    sql, response = idea_list_query(client, f"{call.url}?sort={sort}")
    assert response.context["page_obj"].paginator.count == 31  # 30 public and their own pending one
    assert not sorts_rows(plan(sql)), plan(sql)
