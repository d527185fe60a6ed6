"""A renamed organisation's ideas carry its new name (ideas/organisations.py):
the call page's cards, search, the API and the CSV read the name stored on
each idea, and the idea page links the record, so before this a rename
showed the new name on the idea page and the old one everywhere else."""

from datetime import timedelta

import pytest
from django.utils import timezone

from ideas import search_documents
from ideas.models import Idea
from people import services as people_services
from search import backend

from ..factories import IdeaFactory, OrganisationFactory, UserFactory

pytestmark = pytest.mark.django_db
DETAILS = {"type": "business", "size": "small", "region": "north_east"}


def found(text):
    results = backend.search(text, filters={}, per_page=100, facets=False, visible=search_documents.visible)
    return {hit.id for hit in results.hits if hit.kind == "idea"}


@pytest.fixture(autouse=True)
def _database_backend(settings):
    settings.ELASTICSEARCH_URL = ""


def test_a_rename_reaches_the_ideas_cards_search_api_and_csv(client, call, mission, commit):
    admin = UserFactory()
    org = OrganisationFactory(admin=admin, name="Kestrel Solar", **DETAILS)
    with commit():
        idea = IdeaFactory(call=call, title="Solar on schools", on_behalf_of=org, organisation="Kestrel Solar")
        other = IdeaFactory(call=call, title="Someone else's", organisation="Kestrel Solar")  # typed, no record
    Idea.objects.filter(pk=idea.pk).update(updated_at=timezone.now() - timedelta(days=3))
    assert found("Kestrel") == {idea.pk, other.pk}

    with commit():
        people_services.update_organisation(admin, org, name="Kestrel Renewables", **DETAILS)

    idea.refresh_from_db()
    assert idea.organisation == "Kestrel Renewables"
    assert idea.updated_at > timezone.now() - timedelta(minutes=1)  # "updated since" hands it on
    assert Idea.objects.get(pk=other.pk).organisation == "Kestrel Solar"
    assert found("Renewables") == {idea.pk}
    assert found("Kestrel") == {idea.pk, other.pk}
    card = client.get(call.url).content.decode()
    assert "Kestrel Renewables" in card
    api = client.get(f"/api/v1/ideas?call={call.pk}").json()
    assert {row["organisation"] for row in api["results"] if row["id"] == idea.pk} == {"Kestrel Renewables"}
    csv = b"".join(client.get(f"{mission.url}data/ideas.csv").streaming_content).decode()
    assert "Kestrel Renewables" in csv


def test_saving_an_organisation_without_a_new_name_writes_no_idea(call):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    admin = UserFactory()
    org = OrganisationFactory(admin=admin, name="Kestrel Solar", **DETAILS)
    IdeaFactory(call=call, on_behalf_of=org, organisation="Kestrel Solar")
    before = Idea.objects.get().updated_at
    with CaptureQueriesContext(connection) as queries:
        org.save()
    on_ideas = [q["sql"] for q in queries.captured_queries if '"ideas_idea"' in q["sql"]]
    assert len(on_ideas) == 1 and on_ideas[0].startswith("SELECT")  # the one check
    assert Idea.objects.get().updated_at == before
