"""A prize call's page shows its stages, criteria with their weights, scales
and thresholds, the questions and the prize money before anyone applies,
and where the clock stands; the admin refuses stages out of order; a prize
call is listed as calls are."""

import re

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from wagtail.models import PageViewRestriction

from consult.visibility import public_pages
from prizes.models import PrizeCallPage

from ..factories import CallFactory, MissionFactory
from .factories import PrizeFactory, stage_blocks


@pytest.mark.django_db
def test_the_call_page_publishes_stages_criteria_weights_and_awards(site):
    prize = PrizeFactory(parent=MissionFactory())
    html = Client().get(prize.url).content.decode()
    assert "Challenge prize" in html and "How this prize works" in html
    assert "Up to 10 discovery awards of £25,000" in html and "A final prize of £1m" in html
    # Weights as shares of the stage's score: 2, 1 and 1 of 4.
    for name, share in (("Impact", "50%"), ("Feasibility", "25%"), ("Team", "25%")):
        assert re.search(rf">{name}</th>.*?data-weight-share>{share}<", html, re.S), name
    assert html.count("data-weight-share>50%") == 1 and html.count("data-weight-share>25%") == 2
    assert "data-weight-share>100%" in html  # the final stage's one criterion
    assert "at least 70% to go on" in html and "1–5" in html
    assert "What is your innovation?" in html and "(up to 300 words)" in html
    assert "Now: <strong>Open</strong>" in html


@pytest.mark.django_db
def test_a_plain_call_shows_no_prize_section(site):
    html = Client().get(CallFactory().url).content.decode()
    assert "How this prize works" not in html and "Challenge call" in html


@pytest.mark.django_db
def test_stages_out_of_order_are_refused_with_the_reason(site):
    prize = PrizeFactory(parent=MissionFactory())
    blocks = stage_blocks()
    blocks[1]["value"]["opens"] = blocks[0]["value"]["opens"]  # the final opens before the first stage closes
    prize.prize_stages = blocks
    with pytest.raises(ValidationError) as refused:
        prize.full_clean()
    assert "Stage 2 (Final): it must open when stage 1 closes or later." in str(refused.value)


@pytest.mark.django_db
def test_a_prize_call_is_a_call_to_every_listing_and_follows_the_page_rule(site):
    mission = MissionFactory()
    prize = PrizeFactory(parent=mission)
    assert public_pages(PrizeCallPage).filter(pk=prize.pk).exists()
    assert prize.title in Client().get(mission.url).content.decode()
    PageViewRestriction.objects.create(page=prize, restriction_type="login")
    assert not public_pages(PrizeCallPage).filter(pk=prize.pk).exists()
    assert prize.title not in Client().get(mission.url).content.decode()


@pytest.mark.django_db
def test_the_team_edits_stages_in_the_admin(site, admin_client):
    mission = MissionFactory()
    add = admin_client.get(f"/admin/pages/add/prizes/prizecallpage/{mission.pk}/")
    assert add.status_code == 200
    html = add.content.decode()
    assert "Stages" in html and "Blind assessment" in html and "Files per application" in html
    prize = PrizeFactory(parent=mission)
    assert admin_client.get(f"/admin/pages/{prize.pk}/edit/").status_code == 200
    # The mission offers it as a kind of page to add.
    assert "challenge prize" in admin_client.get(f"/admin/pages/{mission.pk}/add_subpage/").content.decode().lower()
