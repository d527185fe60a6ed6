from unittest import mock

import pytest
from django.db import connection
from django.db.utils import OperationalError


@pytest.mark.django_db
def test_health_reports_the_stack(client, settings):
    response = client.get("/health")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    assert body["database"] == ("postgresql" if connection.vendor == "postgresql" else "sqlite")
    assert body["channel_layer"] == ("redis" if settings.REDIS_URL else "memory")
    assert body["search"] == ("elasticsearch" if settings.ELASTICSEARCH_URL else "database")


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
