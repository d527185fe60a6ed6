"""Schemathesis over /api/schema, in-process through the WSGI app: every
operation, with data the schema allows and data it forbids, signed in with a
real Bearer token. No answer may be a 5xx, and every answer must be one the
schema declares (status, content type, body shape).

Bounded for CI: a fixed number of examples per operation, derandomized (the
same cases every run, so a failure reproduces), no shrinking, no stateful
phase. Path ids point at real rows half the time, so the write paths run
past "No such idea"."""

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    negative_data_rejection,
    response_schema_conformance,
    status_code_conformance,
)

from ideas.services import tokens

from .factories import CallFactory, IdeaFactory

CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance,
          negative_data_rejection]
EXAMPLES = 12


# The rows and token of the running test, for the hook below.
WORLD = {}


@pytest.fixture
def world(mission, user):
    """Also keeps the test's connection open across requests, as Django's test
    client does: the WSGI handler closes it when a request finishes, and the
    test's transaction (PostgreSQL) would go with it."""
    from django.core.signals import request_finished, request_started
    from django.db import close_old_connections

    call = CallFactory(parent=mission)
    idea = IdeaFactory(call=call)
    _, key = tokens.create_api_token(user, "fuzz")
    WORLD.update(call_id=call.pk, idea_id=idea.pk, token=key)
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield WORLD
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)
        WORLD.clear()


@schemathesis.hook
def before_call(context, case, kwargs):
    """Sign in with the real token, and point even path ids at real rows, so
    the write paths run past "401" and "No such idea". Done here because
    schemathesis re-checks a case after this hook: a negative case whose
    only fault was replaced is then judged as the valid request it became."""
    if not WORLD:
        return
    case.headers = {**(case.headers or {}), "Authorization": f"Bearer {WORLD['token']}"}
    for name in ("call_id", "idea_id"):
        value = (case.path_parameters or {}).get(name)
        if isinstance(value, int) and not isinstance(value, bool) and value % 2 == 0:
            case.path_parameters[name] = WORLD[name]


def _schema():
    """Loaded at collection through the site's own /api/schema (no database
    needed); pytest 9 breaks schemathesis' fixture-based loader."""
    from cms.wsgi import application

    config = schemathesis.Config.from_dict({
        "generation": {"mode": "all", "max-examples": EXAMPLES, "deterministic": True, "no-shrink": True},
        "phases": {"stateful": {"enabled": False}},
    })
    return schemathesis.openapi.from_wsgi("/api/schema", application, config=config)


schema = _schema()


@schema.parametrize()
@settings(max_examples=EXAMPLES, deadline=None, derandomize=True, database=None,
          suppress_health_check=list(HealthCheck))
@pytest.mark.django_db
def test_the_api_answers_as_its_schema_says(case, world):
    # Werkzeug sets no REMOTE_ADDR; every real server does (the rate limits key on it).
    case.call_and_validate(checks=CHECKS, environ_base={"REMOTE_ADDR": "127.0.0.1"})
