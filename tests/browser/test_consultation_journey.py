"""Issue #29's respondent journey in a real Chromium with JavaScript off:
a person starts a routed consultation on behalf of their organisation,
answers (the "Yes" that asks a routed question), saves a draft and comes
back from the emailed link, checks their answers (only the questions
asked), and sends the response; then the mission's team opens the
analysis and sees it counted, for the organisation's type in the
cross-tabulation too (the rest of the analysis is tests/consultations'
analysis tests' part)."""

import re

import pytest
from django.core import mail
from playwright.sync_api import expect

from consult.models import MissionMembership
from consultations.models import Response

from ..factories import MembershipFactory, MissionFactory, OrganisationFactory, UserFactory
from ..consultations.factories import ConsultationFactory

pytestmark = pytest.mark.browser


@pytest.mark.django_db(transaction=True)
def test_a_routed_consultation_answered_saved_resumed_and_sent_without_javascript(live_server, browser, login,
                                                                                 site, settings):
    settings.SITE_URL = live_server.url
    mission = MissionFactory()
    consultation = ConsultationFactory(parent=mission, title="Net zero harbours target",
                                       slug="net-zero-harbours-target")
    person = UserFactory(first_name="Amira", last_name="Okafor")
    organisation = OrganisationFactory(name="Tidal Kites Ltd", admin=person)
    context = browser.new_context(java_script_enabled=False)
    context.set_default_timeout(15000)
    login(context, person)
    page = context.new_page()
    try:
        page.goto(live_server.url + consultation.url)
        page.get_by_role("button", name="Start now").click()
        page.get_by_label("On behalf of Tidal Kites Ltd").check()
        page.get_by_label("Publish it without a name").check()
        page.get_by_role("button", name="Continue").click()

        expect(page.get_by_text("About the target")).to_be_visible()
        page.get_by_label("Agree", exact=True).check()
        page.get_by_role("button", name="Continue").click()
        page.get_by_label("Why? (optional)").fill("Harbours can lead: the tide is free.")
        page.get_by_role("button", name="Continue").click()
        page.get_by_label("Yes").check()
        # JavaScript off: the "why" is there below the choice all the same.
        page.get_by_label("Why? (optional)").fill("Small harbours lack engineers.")
        page.get_by_role("button", name="Save and come back later").click()
        expect(page.locator("[data-draft-saved]")).to_be_visible()
        response = Response.objects.get(consultation=consultation, respondent=person)
        assert response.status == Response.DRAFT and response.organisation_id == organisation.pk

        # Come back from the emailed link: the routed question is asked next.
        link = re.search(r"http\S+/respond/resume/\S+/", mail.outbox[-1].body).group(0)
        page.goto(live_server.url + consultation.url)
        expect(page.get_by_role("button", name="Continue your response")).to_be_visible()
        page.goto(link)
        expect(page.get_by_role("heading", name="Which firms should be exempt?")).to_be_visible()
        page.get_by_label("Micro").check()
        page.get_by_label("Small", exact=True).check()
        page.get_by_role("button", name="Continue").click()
        expect(page.get_by_text("About you")).to_be_visible()
        page.get_by_label("Energy").check()
        page.get_by_role("button", name="Continue").click()
        page.get_by_label("1st").select_option("Fairness")
        page.get_by_label("2nd").select_option("Cost")
        page.get_by_label("3rd").select_option("Speed")
        page.get_by_role("button", name="Continue").click()
        page.get_by_label("How many people do you employ? (optional)").fill("42")
        page.get_by_role("button", name="Continue").click()

        expect(page.get_by_role("heading", name="Check your answers before sending your response")).to_be_visible()
        check = page.locator("[data-check-answers]")
        expect(check).to_contain_text("Which firms should be exempt?")
        expect(check).to_contain_text("1st: Fairness")
        expect(page.locator("[data-check-respondent]")).to_contain_text("On behalf of Tidal Kites Ltd")
        page.get_by_role("button", name="Send response").click()
        expect(page.locator("[data-response-sent]")).to_contain_text(response.reference)
        response.refresh_from_db()
        assert response.status == Response.SUBMITTED and response.organisation_id == organisation.pk
        assert response.publish == Response.PUBLISH_ANONYMOUS
        assert "Small harbours lack engineers." in mail.outbox[-1].body

        # The mission's team sees it counted: the agree scale's table, then by organisation type.
        team = UserFactory(first_name="Tariq", last_name="Team")
        MembershipFactory(user=team, mission=mission, role=MissionMembership.ROLE_TEAM)
        context.close()
        context = browser.new_context(java_script_enabled=False)
        context.set_default_timeout(15000)
        login(context, team)
        page = context.new_page()
        page.goto(live_server.url + consultation.url + "analysis/")
        expect(page.locator("[data-respondents]")).to_have_text("1 response sent.")
        table = page.locator('[data-analysis-table="b1"]')
        agree = table.locator("tr", has=page.get_by_role("rowheader", name="Agree", exact=True))
        expect(agree.locator("[data-cell]")).to_have_text(["1 (100%)"])
        page.get_by_label("Break the answers down by").select_option(label="Organisation type")
        page.get_by_role("button", name="Show").click()
        headers = table.locator("thead th").all_inner_texts()[1:]   # after "Answer"
        assert headers[0] == "All respondents" and "Individuals" in headers
        cells = agree.locator("[data-cell]")
        expect(cells.nth(headers.index(organisation.get_type_display()))).to_have_text("1 (100%)")
        expect(cells.nth(headers.index("Individuals"))).to_have_text("0")
    finally:
        context.close()
