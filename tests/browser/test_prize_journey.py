"""Issue #28's whole journey in a real Chromium, JavaScript on: an applicant
drafts an application to a blind challenge prize with a PDF attached, comes
back and submits it; the team assigns it to the panel's three assessors,
who score it blind (no name, organisation or file name), the third far from
the other two; the chair sees the outlier on the panel sheet and moderates
the score with a reason; the team shortlists it, awards it, edits the
feedback and publishes the stage; the applicant gets the feedback email,
and the call page names the award, never a score or an assessor. axe and
the Content-Security-Policy are checked on the assess page, the sheet and
the publish confirmation on the way."""

import re

import pytest
from django.conf import settings as django_settings
from django.core import mail
from django.test import Client
from playwright.sync_api import expect

from cms.settings.base import prize_files_storage

from ..factories import MembershipFactory, MissionFactory, OrganisationFactory, UserFactory
from ..prizes.factories import PrizeFactory, SubmittedApplicationFactory, pdf_bytes
from .checks import COLLECT_VIOLATIONS, axe_source, run_axe

pytestmark = pytest.mark.browser

FILE_NAME = "tidal-kites-budget.pdf"
AWARD = "A discovery award of £25,000"
EDITED = "Edited by the team: name the engineer who will run the sea trial."
REASON = "The panel agreed the third assessor misread the trial data."


class People:
    """One signed-in browser context per person (a real session cookie), each
    collecting Content-Security-Policy violations from the first byte."""

    def __init__(self, browser, base):
        self.browser, self.base, self.contexts = browser, base, []

    def page(self, user=None):
        context = self.browser.new_context()
        context.add_init_script(COLLECT_VIOLATIONS)
        if user is not None:
            client = Client()
            client.force_login(user)
            context.add_cookies([{"name": django_settings.SESSION_COOKIE_NAME, "url": self.base,
                                  "value": client.cookies[django_settings.SESSION_COOKIE_NAME].value}])
        self.contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(15000)
        return page

    def close(self):
        for context in self.contexts:
            context.close()


def _checked(page, axe, name):
    """The page's CSP violations and axe's findings, named for the failure message."""
    page.locator("body.govuk-frontend-supported").wait_for(state="attached")  # the site's module ran
    found = {"csp": page.evaluate("window.__cspViolations"),
             "axe": [f"{v['rule']}: {v['help']} {v['nodes'][:3]}" for v in run_axe(page, axe)]}
    assert not found["csp"] and not found["axe"], f"{name}: {found}"


@pytest.mark.django_db(transaction=True)
def test_an_application_goes_from_draft_to_a_published_award(asgi_server, browser, site, settings, tmp_path,
                                                             huey_queue):
    from prizes.models import Application, Attachment, PanelMember, StageResult
    from prizes.services import assessments

    settings.SITE_URL = asgi_server.url
    settings.STORAGES = {**settings.STORAGES, "prize_files": prize_files_storage({}, tmp_path)}
    settings.CLAMD_URL = ""
    base = asgi_server.url
    axe = axe_source()

    # 1. A blind prize with a team member, three assessors (the first chairs)
    # and another applicant's submitted application to rank against.
    mission = MissionFactory(title="Net zero harbours")
    prize = PrizeFactory(parent=mission, title="Tidal energy prize", slug="tidal-energy-prize", blind=True)
    stage = prize.stages()[0]
    impact, feasibility, team_fit = stage.criteria
    team = MembershipFactory(mission=mission, role="team", user=UserFactory(first_name="Tess", last_name="Team")).user
    assessors = [UserFactory(first_name=first, last_name="Assessor") for first in ("Ada", "Bea", "Cal")]
    for n, user in enumerate(assessors):
        PanelMember.objects.create(prize=prize, user=user, is_chair=n == 0)
    chair = assessors[0]
    other = SubmittedApplicationFactory(prize=prize)
    applicant = UserFactory(first_name="Amira", last_name="Okafor")
    organisation = OrganisationFactory(name="Tidal Kites Ltd", admin=applicant)
    applicant_name = applicant.profile.display_name
    prize_url = base + prize.url
    people = People(browser, base)
    try:
        # 2. The applicant starts from the prize page, answers, attaches a PDF,
        # saves a draft, comes back, checks their answers and submits.
        page = people.page(applicant)
        page.goto(prize_url)
        page.get_by_role("button", name="Start your application").click()
        expect(page.get_by_role("heading", name="Your application")).to_be_visible()
        page.get_by_label("Who is applying?").select_option(label="On behalf of Tidal Kites Ltd")
        page.get_by_label("1. What is your innovation?").fill("Kites tethered in the tidal race turn a generator.")
        page.get_by_label("2. Who will use it?").fill("Harbour authorities in Orkney, then Pembrokeshire.")
        page.get_by_label("Add a file").set_input_files(
            {"name": FILE_NAME, "mimeType": "application/pdf", "buffer": pdf_bytes(b"Budget: 240,000")})
        page.get_by_role("button", name="Attach file").click()
        expect(page.locator("[data-attachments]")).to_contain_text(FILE_NAME)
        page.get_by_role("button", name="Save and come back later").click()
        expect(page.locator("[data-draft-saved]")).to_be_visible()
        application = Application.objects.get(prize=prize, applicant=applicant)
        assert application.status == Application.DRAFT and application.organisation_id == organisation.pk

        page.goto(prize_url)
        page.get_by_role("button", name="Continue your application").click()
        expect(page.get_by_label("2. Who will use it?")).to_have_value("Harbour authorities in Orkney, then Pembrokeshire.")
        page.get_by_role("button", name="Continue", exact=True).click()
        expect(page.get_by_role("heading", name="Check your answers before you submit them")).to_be_visible()
        check = page.locator("[data-check-answers]")
        expect(check).to_contain_text("On behalf of Tidal Kites Ltd")
        expect(check).to_contain_text("Kites tethered in the tidal race")
        expect(page.locator("[data-check-files]")).to_contain_text(FILE_NAME)
        page.get_by_role("button", name="Submit application").click()
        expect(page.locator("[data-application-submitted]")).to_contain_text("Application submitted")
        application.refresh_from_db()
        reference = application.reference
        expect(page.locator("[data-application-submitted]")).to_contain_text(reference)
        assert application.status == Application.SUBMITTED
        assert Attachment.objects.get(application=application).scan == Attachment.UNSCANNED

        # 3. The team assigns each application to the three assessors.
        # The first assessor's list is open before anything is assigned: it
        # shows the new assignments live, with no reload.
        waiting = people.page(assessors[0])
        waiting.goto(prize_url + "assess/")
        expect(waiting.locator("[data-no-assessments]")).to_be_visible()
        team_page = people.page(team)
        team_page.goto(prize_url + "panel/assign/")
        expect(team_page.locator("[data-count='applications']")).to_have_text("2")
        team_page.get_by_role("button", name="Assign applications to assessors").click()
        expect(team_page.locator("[data-assign-done]")).to_contain_text("6 assignments made")
        expect(team_page.locator("[data-count='assignments']")).to_have_text("6 of 6")
        expect(waiting.locator("[data-assessments]")).to_contain_text("2 applications assigned to you")
        expect(waiting.locator("[data-assignments-changed]")).to_be_visible()
        # The other application is scored, middling, by the services (its part is only the ranking).
        middling = {impact.id: "5", feasibility.id: "5", team_fit.id: "3"}
        for assessor in assessors:
            assessments.submit_scores(assessor, prize, other, middling,
                                      {c.id: "Middling on this criterion." for c in stage.criteria})

        # 4. Each assessor scores it blind; the third far below the other two.
        sheets = [(9, 9, 5), (10, 9, 5), (1, 1, 1)]
        chair_page = people.page(chair)
        for n, (assessor, values) in enumerate(zip(assessors, sheets)):
            if n == 2:  # the chair watches the sheet as the last scores arrive
                chair_page.goto(prize_url + "sheet/")
                expect(chair_page.locator("[data-sheet-counts]")).to_contain_text("5 of 6 assessments in")
            page = people.page(assessor)
            page.goto(prize_url + "assess/")
            expect(page.locator("[data-assessments]")).to_contain_text("2 applications assigned to you")
            page.get_by_role("link", name=reference, exact=True).click()
            expect(page.get_by_role("heading", name=f"Application {reference}")).to_be_visible()
            expect(page.locator("[data-blind]")).to_be_visible()
            expect(page.locator("[data-answers]")).to_contain_text("Kites tethered in the tidal race")
            html = page.content()
            for hidden in (applicant_name, "Okafor", "Tidal Kites Ltd", FILE_NAME, "tidal-kites"):
                assert hidden not in html, f"the blind assess page shows {hidden!r}"
            if n == 0:
                _checked(page, axe, "the assess page")
            attachment = page.locator("[data-files]").get_by_role("link", name="Attachment 1")
            with page.expect_download() as download:
                attachment.click()
            assert download.value.suggested_filename == "attachment-1.pdf"
            for criterion, value in zip(stage.criteria, values):
                if criterion.high - criterion.low + 1 <= 6:  # short scales are radios
                    page.get_by_role("group", name=f"Score for {criterion.name}").get_by_label(
                        str(value), exact=True).check()
                else:
                    page.get_by_label(f"Score for {criterion.name}", exact=True).fill(str(value))
                page.get_by_label(f"Why this score for {criterion.name}?").fill(
                    f"{criterion.name}: assessor {n + 1} gives {value}.")
            page.get_by_role("button", name="Submit scores").click()
            expect(page.locator("[data-scores-submitted]")).to_be_visible()
            expect(page.locator("[data-own-scores]")).to_contain_text(f"Impact: assessor {n + 1} gives {values[0]}.")
            others = page.locator("[data-other-scores]")
            if n == 0:
                expect(others).to_contain_text("No other assessor has submitted their scores yet.")
            else:
                expect(others.locator("caption")).to_have_text([f"Assessor {k}" for k in range(1, n + 1)])
                expect(others).to_contain_text(f"Impact: assessor {n} gives {sheets[n - 1][0]}.")
            for assessor_user in assessors:
                expect(page.locator("main")).not_to_contain_text(assessor_user.profile.display_name)
        row = StageResult.objects.get(application=application)
        assert row.assessed == 3 and row.outliers == [assessors[2].pk]

        # 5. The chair's sheet has updated itself: the outlier shows; the chair moderates the score.
        expect(chair_page.locator("[data-sheet-counts]")).to_contain_text("6 of 6 assessments in")
        expect(chair_page.locator("[data-sheet-changed]")).to_be_visible()
        sheet_row = chair_page.locator(f"[data-sheet-row='{reference}']")
        expect(sheet_row.locator("[data-flag='outlier']")).to_be_visible()
        expect(chair_page.locator("[data-sheet]")).not_to_contain_text("Tidal Kites Ltd")  # blind to the chair too
        _checked(chair_page, axe, "the panel sheet (chair)")
        sheet_row.get_by_role("link", name=reference).click()
        expect(chair_page.get_by_role("heading", name=f"Application {reference}")).to_be_visible()
        chair_page.get_by_label("Moderated score (0 to 100)").fill("85")
        chair_page.get_by_label("Why", exact=True).fill(REASON)
        chair_page.get_by_role("button", name="Record the moderated score").click()
        expect(chair_page.locator("[data-moderated]")).to_contain_text(f"85.0: “{REASON}”")
        expect(chair_page.locator("[data-final]")).to_contain_text("85.0")
        chair_page.get_by_role("link", name="Back to the panel sheet").click()
        expect(sheet_row).to_contain_text("Moderated")
        expect(chair_page.locator("[data-sheet-row]").first).to_have_attribute("data-sheet-row", reference)

        # 6. The team shortlists from the sheet, then awards it, edits the
        # feedback on one criterion and publishes the stage.
        team_page.goto(prize_url + "sheet/")
        team_page.get_by_label(f"Select {reference}").check()
        team_page.get_by_label("Decision").select_option(label="Shortlist")
        team_page.get_by_role("button", name="Record the decision").click()
        expect(team_page.get_by_role("alert")).to_contain_text("1 application: Shortlist.")
        expect(team_page.locator(f"[data-sheet-row='{reference}'] [data-decision]")).to_have_text("Shortlisted")
        _checked(team_page, axe, "the panel sheet (team)")

        team_page.locator(f"[data-sheet-row='{reference}']").get_by_role("link", name=reference).click()
        team_page.get_by_label("Award", exact=True).check()
        team_page.get_by_label("What is awarded (for an award)").fill(AWARD)
        team_page.get_by_role("button", name="Record the decision").click()
        expect(team_page.locator("[data-decision]")).to_have_text(f"Awarded: {AWARD}")
        feedback = team_page.get_by_label(feasibility.name, exact=True)
        expect(feedback).to_have_value(re.compile("Feasibility: assessor 1 gives 9"))  # drafted from the comments
        feedback.fill(EDITED)
        team_page.get_by_role("button", name="Save the feedback").click()
        expect(team_page.get_by_role("alert")).to_contain_text("Feedback saved")
        expect(team_page.get_by_label(feasibility.name, exact=True)).to_have_value(EDITED)

        team_page.get_by_role("link", name="Back to the panel sheet").click()
        team_page.get_by_role("link", name=f"Publish the results of {stage.name}").click()
        expect(team_page.get_by_role("heading", name=f"Publish the results of {stage.name}")).to_be_visible()
        expect(team_page.locator("[data-publish-warnings]")).to_contain_text(other.reference)  # undecided
        _checked(team_page, axe, "the publish confirmation")
        mail.outbox.clear()
        team_page.get_by_label("Publish anyway").check()
        team_page.get_by_role("button", name="Publish the results").click()
        expect(team_page.locator("[data-prize-results]")).to_contain_text(f"Tidal Kites Ltd: {AWARD}")

        # 7. The feedback email: the award and the edited feedback, to the applicant.
        sent = [m for m in mail.outbox if m.to == [applicant.email]]
        assert len(sent) == 1, [m.to for m in mail.outbox]
        body = sent[0].body
        assert f"Your application {reference}: Awarded — {AWARD}." in body
        assert EDITED in body and "Impact: assessor 2 gives 10." in body
        assert prize.url + "application/" in body
        for hidden in ("85.0", REASON, *(a.profile.display_name for a in assessors)):
            assert hidden not in body

        # 8. Signed out, the call page names the award; never a score or an assessor.
        public = people.page()
        public.goto(prize_url)
        results = public.locator("[data-prize-results]")
        expect(results.get_by_role("heading", name="Results")).to_be_visible()
        expect(results).to_contain_text(f"Tidal Kites Ltd: {AWARD}")
        expect(results).to_contain_text("2 applications assessed")
        text = results.inner_text()
        for hidden in (REASON, "85.0", other.applicant.profile.display_name,
                       *(a.profile.display_name for a in assessors)):
            assert hidden not in text, f"the public results show {hidden!r}"
        assert not re.search(r"Impact: assessor", public.content())

        # The applicant's own page: the result and the feedback.
        page = people.page(applicant)
        page.goto(prize_url + "application/")
        expect(page.locator("[data-your-result]")).to_have_text(f"Awarded: {AWARD}")
        expect(page.locator("[data-feedback]")).to_contain_text(EDITED)
        expect(page.locator("[data-feedback]")).to_contain_text("Impact: assessor 1 gives 9.")
    finally:
        people.close()
