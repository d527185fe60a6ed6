"""The embedded test database is SQLite in memory with a shared cache, where a
reader holds a table lock and a writer on another connection fails at once
with "database table is locked" (no busy timeout applies). The live server
thread, the tally thread and the test all read and write it together, so
test connections read uncommitted (cms/settings/test.py): a read neither
blocks nor is blocked. This test fails without that setting."""

import threading

import pytest
from django.contrib.auth import get_user_model
from django.db import connection

from ..factories import UserFactory


@pytest.mark.django_db(transaction=True)
def test_a_read_in_another_thread_does_not_lock_a_write_out():
    if connection.vendor != "sqlite":
        pytest.skip("SQLite's shared-cache table locks only")
    users = [UserFactory() for _ in range(3)]
    table = get_user_model()._meta.db_table
    reading, written, failures = threading.Event(), threading.Event(), []

    def reader():
        from django.db import connection as own

        try:
            cursor = own.cursor()
            cursor.execute(f'SELECT id FROM "{table}" ORDER BY id')  # noqa: S608
            cursor.fetchone()  # the statement stays open: rows are left to read
            reading.set()
            written.wait(10)
            cursor.close()
        except Exception as error:  # noqa: BLE001
            failures.append(error)
            reading.set()
        finally:
            own.close()

    thread = threading.Thread(target=reader)
    thread.start()
    assert reading.wait(10)
    try:
        get_user_model().objects.filter(pk=users[0].pk).update(first_name="Written")
    finally:
        written.set()
        thread.join(10)
    assert failures == []
    assert get_user_model().objects.get(pk=users[0].pk).first_name == "Written"
