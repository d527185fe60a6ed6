"""The search vocabulary (the words typos are corrected against: PostgreSQL's
search_word, SQLite's fts5vocab table) keeps nothing of a deleted account:
its name and the words only its contributions held go with it, whether its
contributions are removed or kept under "Deleted account"."""

import pytest
from django.db import connection

from ideas.services.comments import add_comment
from people import data_rights
from people.models import Profile
from search import database

from ..factories import IdeaFactory, UserFactory

pytestmark = pytest.mark.django_db


def vocabulary(prefix):
    """The words of the vocabulary starting with `prefix`."""
    if connection.vendor == "postgresql":
        sql = "SELECT word FROM search_word WHERE word >= %s AND word < %s"
    else:
        sql = "SELECT term FROM search_entry_vocab WHERE term >= %s AND term < %s"
    with connection.cursor() as cursor:
        cursor.execute(sql, [prefix, prefix + "\uffff"])
        return {row[0] for row in cursor.fetchall()}


@pytest.fixture
def quentin(call, django_capture_on_commit_callbacks):
    user = UserFactory()
    Profile.objects.update_or_create(user=user, defaults={"display_name": "Quenzibar Plimsworth"})
    with django_capture_on_commit_callbacks(execute=True):
        shared = IdeaFactory(call=call, title="Heat pumps for terraced streets")
        IdeaFactory(call=call, author=user, title="Zorbflux heat batteries")
        add_comment(user, shared, "Heat pumps with a xylophant timer")
    assert vocabulary("quenzibar") and vocabulary("zorbflux") and vocabulary("xyloph")
    return user


@pytest.mark.parametrize("remove_contributions", [True, False])
def test_deleting_an_account_takes_its_words_out_of_the_vocabulary(quentin, remove_contributions,
                                                                   django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        data_rights.delete_account(quentin, remove_contributions=remove_contributions)
    assert vocabulary("quenzibar") == set() and vocabulary("plimsworth") == set()  # the name, either way
    if remove_contributions:
        assert vocabulary("zorbflux") == set() and vocabulary("xyloph") == set()
    assert vocabulary("heat")  # words other entries hold stay


def test_an_edit_or_removal_takes_out_only_the_words_no_entry_holds():
    database.index({"kind": "idea", "id": 1, "title": "Grumbleweed lagoons", "url": "/i/1/", "summary": "",
                    "body": "", "tags": [], "organisation": "", "author": "", "status": "", "sector": "",
                    "org_type": "", "mission_id": None, "call_id": None, "support_count": 0,
                    "published_at": None, "context": ""})
    database.index({"kind": "idea", "id": 2, "title": "Lagoons of the Severn", "url": "/i/2/", "summary": "",
                    "body": "", "tags": [], "organisation": "", "author": "", "status": "", "sector": "",
                    "org_type": "", "mission_id": None, "call_id": None, "support_count": 0,
                    "published_at": None, "context": ""})
    assert vocabulary("grumblew")
    database.remove("idea", 1)
    assert vocabulary("grumblew") == set() and vocabulary("lagoon")
    database.prune_vocabulary()
    assert vocabulary("lagoon") and vocabulary("severn")
