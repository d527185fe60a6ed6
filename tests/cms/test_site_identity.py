"""Emails name the service and link to where it is served.

Sign-up emails used to say "[127.0.0.1:8792]" (allauth names the request's
host when django.contrib.sites is not installed), and `make run PORT=8100`
sent notification links to :8000 (SITE_URL's default)."""

import os
import re
import stat
import subprocess
from pathlib import Path

import pytest

from notifications import services as notification_services
from ideas.services import comments, follows

from ..factories import IdeaFactory

ROOT = Path(__file__).resolve().parents[2]
PASSWORD = "a long and unusual passphrase 7"


@pytest.mark.django_db
def test_signup_email_names_the_site_not_the_host(client, mailoutbox, settings):
    settings.SITE_URL = "https://missions.example.org"
    response = client.post("/accounts/signup/", {"display_name": "New Person", "email": "new.person@example.org", "password1": PASSWORD, "password2": PASSWORD})
    assert response.status_code == 302
    [message] = mailoutbox
    assert message.to == ["new.person@example.org"]
    assert message.subject.startswith("[Mission Commons] ")
    assert "testserver" not in message.subject
    assert message.subject == "[Mission Commons] Confirm your email address"
    assert message.body.startswith("Someone asked to use this email address for an account on Mission Commons, "
                                   "with the name New Person.")
    assert re.search(r"If it was you, confirm your email address by opening this link:\n\nhttps?://\S+/accounts/confirm-email/\S+\n",
                     message.body)
    assert "so that emails about your account, your ideas and your comments only go to an address that is yours" \
        in message.body
    assert "If it was not you, you do not need to do anything." in message.body
    assert message.body.rstrip().endswith("Mission Commons\nhttps://missions.example.org")
    assert "!" not in message.body and "user New Person" not in message.body


@pytest.mark.django_db
def test_password_reset_email_names_the_site(client, mailoutbox, user):
    client.post("/accounts/password/reset/", {"email": user.email})
    [message] = mailoutbox
    assert message.subject.startswith("[Mission Commons] ")
    assert "testserver" not in message.subject
    assert "Hello from Mission Commons!" in message.body


@pytest.mark.django_db
def test_notification_links_use_the_address_the_site_is_served_at(call, user, other_user, mailoutbox, settings, django_capture_on_commit_callbacks):
    settings.SITE_URL = "http://127.0.0.1:8100"
    idea = IdeaFactory(call=call)
    follows.follow(user, idea=idea)
    # Activity on what one follows comes in a daily digest unless asked for at once.
    notification_services.update_settings(user.pk, {"followed": "immediate"})
    with django_capture_on_commit_callbacks(execute=True):
        comment = comments.add_comment(other_user, idea, "Has this been tried in Leeds?")
    [message] = [m for m in mailoutbox if m.to == [user.email]]
    assert message.subject.startswith("[Mission Commons] ")
    assert f"http://127.0.0.1:8100/ideas/{idea.pk}/#comment-{comment.pk}" in message.body


@pytest.fixture
def fake_uvicorn(tmp_path):
    """A stand-in for .venv/bin/uvicorn that prints what it was started with."""
    script = tmp_path / "uvicorn"
    script.write_text('#!/bin/sh\necho "SITE_URL=$SITE_URL"\n')
    script.chmod(script.stat().st_mode | stat.S_IEXEC)
    return tmp_path


def make_serve(fake_bin, *args, **env):
    environ = {k: v for k, v in os.environ.items() if k != "SITE_URL"}
    environ.update(env)
    result = subprocess.run(
        ["make", "-s", "serve", f"BIN={fake_bin}", *args], cwd=ROOT, env=environ, capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


def test_make_serve_links_emails_to_the_port_it_serves(fake_uvicorn):
    assert make_serve(fake_uvicorn, "PORT=8100") == "SITE_URL=http://127.0.0.1:8100"
    assert make_serve(fake_uvicorn, "PORT=8100", "HOST=localhost") == "SITE_URL=http://localhost:8100"


def test_make_serve_keeps_a_site_url_already_set(fake_uvicorn):
    assert make_serve(fake_uvicorn, "PORT=8100", SITE_URL="https://missions.example.org") == "SITE_URL=https://missions.example.org"
