"""The team's analysis of a consultation (issue #29 item 3, 5): tallies kept
as responses arrive equal a recount, after an edit too; cross-tabs by
organisation and by another question; free-text answers searched and
tagged; campaigns shown apart; the page is the team's alone and its query
count does not grow with the responses; what may be published suppresses
small counts so that none can be worked out."""

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from consult.models import MissionMembership
from consultations import selectors, tallies, tasks
from consultations.models import AnswerTag, Campaign, FreeTextAnswer, Response, ResponseAnswer
from consultations.results import public_results
from consultations.services import analysis
from people.choices import OrganisationSize, OrganisationType, Region

from ..factories import MembershipFactory, MissionFactory, OrganisationFactory, UserFactory
from .factories import ConsultationFactory

AGREE, WHY, YES_NO, WHICH, SECTOR, RANK, EMPLOY = "b1", "b2", "b3", "b4", "b6", "b7", "b8"
LETTER = ("I am writing to oppose the proposed target because it places an unfair burden on small rural "
          "businesses who cannot afford new equipment, and I urge the department to extend the deadline.")


def respond(consultation, answers, organisation=None):
    """A sent response written directly, counted as the submit service counts it."""
    response = Response.objects.create(consultation=consultation, respondent=UserFactory(), organisation=organisation,
                                       status=Response.SUBMITTED)
    for question, value in answers.items():
        ResponseAnswer.objects.create(response=response, question=question, value=value)
    tallies.add_response(response)
    return response


def full(agree="Agree", sector="Energy", why="Too soon for us.", yes="Yes", rank=("Cost", "Speed", "Fairness"),
         employ=12):
    answers = {AGREE: agree, WHY: why, YES_NO: {"answer": yes, "why": "They cannot afford it." if yes == "Yes" else ""},
               SECTOR: sector, RANK: list(rank), EMPLOY: employ}
    if yes == "Yes":
        answers[WHICH] = ["Micro", "Small"]
    return answers


@pytest.fixture
def world(site):
    class World:
        mission = MissionFactory()
        consultation = ConsultationFactory(parent=mission)
        team = UserFactory()
        business = OrganisationFactory(type=OrganisationType.BUSINESS, size=OrganisationSize.SMALL,
                                       region=Region.LONDON)
        charity = OrganisationFactory(type=OrganisationType.CHARITY, size=OrganisationSize.LARGE,
                                      region=Region.WALES)

        def client(self, user=None):
            browser = Client()
            browser.force_login(user or self.team)
            return browser

        @property
        def url(self):
            return self.consultation.url + "analysis/"

    found = World()
    MembershipFactory(user=found.team, mission=found.mission, role=MissionMembership.ROLE_TEAM)
    return found


@pytest.mark.django_db
def test_tallies_count_each_kind_of_question_by_who_answered(world):
    c = world.consultation
    respond(c, full(), organisation=world.business)
    respond(c, full(agree="Disagree", sector="Transport", yes="No", rank=("Speed", "Cost", "Fairness"), employ=30))
    respond(c, full(sector="Transport", why=""), organisation=world.charity)
    counts = tallies.stored(c.pk)
    assert counts[(AGREE, "Agree", "", "")] == (2, 0) and counts[(AGREE, "Disagree", "", "")] == (1, 0)
    assert counts[(AGREE, "Agree", "organisation_type", "business")] == (1, 0)
    assert counts[(AGREE, "Disagree", "individual", "individual")] == (1, 0)
    assert counts[(SECTOR, "Transport", "region", "wales")] == (1, 0)
    assert counts[(WHICH, "Micro", "", "")] == (2, 0)
    assert counts[(YES_NO, "Yes", "", "")] == (2, 0) and counts[(YES_NO, tallies.WHY, "", "")] == (2, 0)
    assert counts[(RANK, "Cost", "", "")] == (2, 4)     # first twice; ranks 1 + 2 + 1
    assert counts[(EMPLOY, "", "", "")] == (3, 54)      # three answers summing to 54
    assert counts[(WHY, "", "", "")] == (2, 0)          # free text answered (one left empty)


@pytest.mark.django_db
def test_incremental_tallies_equal_a_recount_after_adds_an_edit_and_a_removal(world):
    c = world.consultation
    responses = [respond(c, full(), organisation=world.business),
                 respond(c, full(agree="Strongly agree", yes="No"), organisation=world.charity),
                 respond(c, full(sector="Other", rank=("Fairness", "Speed", "Cost"), employ=7)),
                 respond(c, full(agree="Disagree"))]
    # An edit: the answers change, then the response is counted again (add alone takes the old away first).
    edited = responses[0]
    ResponseAnswer.objects.filter(response=edited, question=AGREE).update(value="Strongly disagree")
    ResponseAnswer.objects.filter(response=edited, question=WHICH).delete()
    ResponseAnswer.objects.filter(response=edited, question=YES_NO).update(value={"answer": "No", "why": ""})
    edited.organisation = world.charity
    edited.save()
    tallies.remove_response(edited)
    tallies.add_response(edited)
    tallies.add_response(responses[1])            # counted twice is counted once
    tallies.remove_response(responses[3])
    Response.objects.filter(pk=responses[3].pk).update(status=Response.DRAFT)
    incremental = tallies.stored(c.pk)
    assert incremental[(AGREE, "Strongly disagree", "organisation_type", "charity")] == (1, 0)
    assert (AGREE, "Disagree", "", "") not in incremental
    assert tallies.recount(c) == 3
    assert tallies.stored(c.pk) == incremental
    call_command("recount_consultation", str(c.pk), "--check")


@pytest.mark.django_db
def test_only_the_team_and_site_admins_see_the_analysis(world):
    respond(world.consultation, full())
    assert Client().get(world.url).status_code == 302
    refused = world.client(UserFactory()).get(world.url)
    assert refused.status_code == 403 and "can see the analysis" in refused.content.decode()
    assert world.client(UserFactory(is_superuser=True)).get(world.url).status_code == 200
    page = world.client().get(world.url)
    assert page.status_code == 200 and "1 response sent" in page.content.decode()
    tag = world.client(UserFactory()).post(world.url + f"?question={WHY}", {"action": "tag", "answer": "1", "tag": "x"})
    assert tag.status_code == 403 and not AnswerTag.objects.exists()


@pytest.mark.django_db
def test_cross_tabs_by_organisation_and_by_another_question(world):
    c = world.consultation
    respond(c, full(), organisation=world.business)
    respond(c, full(agree="Disagree", sector="Transport"), organisation=world.charity)
    respond(c, full(agree="Disagree", sector="Transport", yes="No"))
    html = world.client().get(world.url + "?by=organisation_type").content.decode()
    assert "Charity or social enterprise" in html and "Individuals" in html
    crossed = selectors.cross_by_question(c.pk, c.question_list(), next(q for q in c.question_list() if q.id == SECTOR))
    assert crossed[(AGREE, "Disagree", "Transport")] == 2 and crossed[(AGREE, "Agree", "Energy")] == 1
    assert crossed[(YES_NO, "No", "Transport")] == 1 and crossed[(WHICH, "Small", "Energy")] == 1
    by_yes_no = selectors.cross_by_question(c.pk, c.question_list(), next(q for q in c.question_list() if q.id == YES_NO))
    assert by_yes_no[(AGREE, "Disagree", "No")] == 1 and by_yes_no[(SECTOR, "", "Yes")] == 2
    page = world.client().get(world.url + f"?by={SECTOR}")
    assert page.status_code == 200
    table = selectors.tables(c.question_list(), selectors.tally_map(c.pk), "", crossed,
                             next(q for q in c.question_list() if q.id == SECTOR))[0]
    assert table.columns == ["All respondents", "Energy", "Transport", "Other"]
    assert [cell.count for cell in table.rows[3].cells] == [2, 0, 2, 0]   # "Disagree"
    assert table.answered == [3, 1, 2, 0]


@pytest.mark.django_db
def test_free_text_answers_are_searched_and_tagged(world):
    c = world.consultation
    respond(c, full(why="The COST is too high for us."))
    respond(c, full(why="Rural firms need longer."))
    url = world.url + f"?question={WHY}"
    found = world.client().get(url + "&q=cost").content.decode()
    assert "The COST is too high" in found and "Rural firms" not in found
    answer = FreeTextAnswer.objects.get(text__startswith="Rural").answer
    added = world.client().post(url, {"action": "tag", "answer": str(answer.pk), "tag": "  Rural  "})
    assert added.status_code == 302
    assert list(answer.tags.values_list("tag", flat=True)) == ["rural"]
    assert "rural" in world.client().get(url).content.decode()
    world.client().post(url, {"action": "untag", "answer": str(answer.pk), "tag": "rural"})
    assert not answer.tags.exists()
    empty = world.client().post(url, {"action": "tag", "answer": str(answer.pk), "tag": " "})
    assert empty.status_code == 400 and "Enter a tag." in empty.content.decode()


@pytest.mark.django_db
def test_campaigns_are_counted_apart_from_individual_answers(world):
    c = world.consultation
    for n in range(6):
        respond(c, full(why=LETTER if n % 2 else LETTER.replace("unfair", "UNREASONABLE")))
    respond(c, full(why="My own view, in my own words."))
    assert analysis.store_campaigns(c.pk) == 1
    campaign = Campaign.objects.get()
    assert campaign.respondents == 6 and campaign.question == WHY
    html = world.client().get(world.url).content.decode()
    assert "Campaign: 6 respondents sent this text" in html
    listed = world.client().get(world.url + f"?question={WHY}").content.decode()
    assert "My own view" in listed and "1 answer." in listed
    members = world.client().get(world.url + f"?question={WHY}&campaign={campaign.pk}").content.decode()
    assert "6 answers" in members


def _queries(browser, url):
    with CaptureQueriesContext(connection) as captured:
        assert browser.get(url).status_code == 200
    return len(captured)


@pytest.mark.django_db
def test_the_query_count_does_not_grow_with_the_responses(world):
    c = world.consultation
    urls = [world.url, world.url + "?by=region", world.url + f"?by={SECTOR}", world.url + f"?question={WHY}&q=soon",
            world.url + f"?question={YES_NO}"]
    for n in range(3):
        respond(c, full(), organisation=world.business if n else None)
    AnswerTag.objects.create(answer=FreeTextAnswer.objects.first().answer, tag="first")
    browser = world.client()
    for url in urls:
        browser.get(url)
    before = [_queries(browser, url) for url in urls]
    for n in range(12):
        respond(c, full(sector=["Energy", "Transport", "Other"][n % 3], yes=["Yes", "No"][n % 2]),
                organisation=[world.business, world.charity, None][n % 3])
    for answer in FreeTextAnswer.objects.all()[:5]:
        AnswerTag.objects.create(answer=answer.answer, tag="more")
    assert [_queries(browser, url) for url in urls] == before


@pytest.mark.django_db
def test_public_results_suppress_a_count_of_three_so_it_cannot_be_worked_out(world):
    c = world.consultation
    for _ in range(3):
        respond(c, full(sector="Other"))
    for _ in range(10):
        respond(c, full(sector="Energy"))
    for _ in range(7):
        respond(c, full(sector="Transport"))
    results = public_results(c)
    assert results["respondents"] == 20
    sector = next(q for q in results["questions"] if q["id"] == SECTOR)
    assert sector["options"]["Other"] is None and sector["texts"]["Other"] == "fewer than 5"
    shown = [n for n in sector["options"].values() if n is not None]
    assert 3 not in shown and results["respondents"] - sum(shown) != 3
    assert sector["texts"]["Transport"] == "withheld" and sector["answered"] is None
    agree = next(q for q in results["questions"] if q["id"] == AGREE)
    assert agree["options"]["Agree"] == 20 and agree["answered"] == 20
    # With only 3 respondents nothing adding up to them is shown.
    few = ConsultationFactory(parent=world.mission)
    for _ in range(3):
        respond(few, full())
    tiny = public_results(few)
    assert tiny["respondents"] is None
    assert all(n is None or n == 0 for q in tiny["questions"] for n in q["options"].values())
    assert all(q["answered"] in (None, 0) for q in tiny["questions"])


@pytest.mark.django_db
def test_a_sent_response_asks_the_worker_to_look_for_campaigns_once(world, django_capture_on_commit_callbacks):
    cache.delete(tasks.pending_key(world.consultation.pk))
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        respond(world.consultation, full())
        respond(world.consultation, full())
    assert len([c for c in callbacks if "add_response" in c.__qualname__]) == 2
    assert cache.get(tasks.pending_key(world.consultation.pk)) == 1
    tasks.find_campaigns.call_local(world.consultation.pk)
    assert cache.get(tasks.pending_key(world.consultation.pk)) is None
