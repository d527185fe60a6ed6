from unittest import mock

import pytest
from django.db import connection
from django.db.utils import OperationalError

from search import backend as search_backend
from search import elastic
from tests.search.fake_elastic import FakeElasticsearch


@pytest.fixture
def fake_es(settings, monkeypatch):
    settings.ELASTICSEARCH_URL = "http://elasticsearch.invalid:9200"
    settings.SEARCH_INDEX_PREFIX = "mc"
    fake = FakeElasticsearch()
    monkeypatch.setattr(elastic, "client", lambda: fake)
    elastic.create()
    return fake


@pytest.mark.django_db
def test_health_reports_the_stack(client, settings):
    response = client.get("/health")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    assert body["database"] == ("postgresql" if connection.vendor == "postgresql" else "sqlite")
    assert body["channel_layer"] == ("redis" if settings.REDIS_URL else "memory")
    assert body["search"] == ("elasticsearch" if settings.ELASTICSEARCH_URL else "database")
    assert "search_backlog" in body


@pytest.mark.django_db
def test_health_on_database_search_reports_an_empty_backlog(client, settings):
    settings.ELASTICSEARCH_URL = ""
    body = client.get("/health").json()
    assert (body["status"], body["search"], body["search_backlog"]) == ("ok", "database", 0)


@pytest.mark.django_db
def test_health_with_elasticsearch_answering(client, fake_es):
    body = client.get("/health").json()
    assert (body["status"], body["search"], body["search_backlog"]) == ("ok", "elasticsearch", 0)


@pytest.mark.django_db
def test_elasticsearch_down_is_degraded_not_down_and_reports_the_backlog(client, fake_es):
    fake_es.down = True
    search_backend.index({"kind": "idea", "id": 1, "title": "Tidal lagoons", "url": "/i/1/"})
    search_backend.remove("idea", 2)
    response = client.get("/health")
    # The site still works (search runs on the database): load balancers keep it.
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "degraded"
    assert body["degraded"] == "search"
    assert body["search"] == "elasticsearch"
    assert "fell back to the database" in body["detail"]
    assert body["search_backlog"] == 2


@pytest.mark.django_db
def test_health_is_503_naming_the_database_when_it_fails(client):
    with mock.patch("cms.health.connection") as fake:
        fake.cursor.side_effect = OperationalError("down")
        response = client.get("/health")
    assert response.status_code == 503
    assert response.json()["status"] == "error"
    assert response.json()["failing"] == "database"


@pytest.mark.django_db
def test_health_refuses_post(client):
    assert client.post("/health").status_code == 405


BROWSER = "text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,*/*;q=0.8"


@pytest.mark.django_db
def test_a_browser_gets_a_page_with_the_status_and_monitoring_keeps_the_json(client, settings):
    settings.ELASTICSEARCH_URL = ""
    page = client.get("/health", HTTP_ACCEPT=BROWSER)
    assert page.status_code == 200 and page["Content-Type"].startswith("text/html")
    assert "Accept" in page["Vary"]
    html = page.content.decode()
    assert "<h1 class=\"govuk-heading-l\">The service is working</h1>" in html
    assert "data-health-status>Working</strong>" in html
    assert "css/app.css" in html and "Search changes waiting" in html
    for accept in ("*/*", "application/json", "application/json, text/html;q=0.5"):
        response = client.get("/health", HTTP_ACCEPT=accept)
        assert response["Content-Type"] == "application/json" and response.json()["status"] == "ok", accept


@pytest.mark.django_db
def test_a_browser_is_told_when_the_database_is_down(client):
    with mock.patch("cms.health.connection") as fake:
        fake.cursor.side_effect = OperationalError("down")
        fake.vendor = "sqlite"
        response = client.get("/health", HTTP_ACCEPT=BROWSER)
    assert response.status_code == 503 and response["Content-Type"].startswith("text/html")
    html = response.content.decode()
    assert "The service is not working" in html and "Not answering" in html
