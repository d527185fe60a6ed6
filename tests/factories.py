"""factory_boy factories. Pages are added to the Wagtail tree under the
missions index made by `ensure_site`, as the admin would."""

from datetime import timedelta

import factory
from django.contrib.auth import get_user_model
from django.utils import timezone

from cms.site_setup import ensure_site
from consult.models import ChallengeCallPage, MissionIndexPage, MissionMembership, MissionPage
from ideas import counters
from ideas.models import Comment, Idea, Visibility
from ideas.text import render_markdown
from people.choices import OrganisationSize, OrganisationType, Region
from people.models import Membership as OrgMembership, Organisation
from pilots.models import PilotPage, PilotStatus


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}@example.org")
    email = factory.LazyAttribute(lambda o: o.username)
    first_name = factory.Faker("first_name")
    last_name = factory.Faker("last_name")
    password = factory.PostGenerationMethodCall("set_password", "correct horse battery staple")

    @factory.post_generation
    def _save(obj, create, extracted, **kwargs):
        if create:
            obj.save()

    @factory.post_generation
    def standing(obj, create, extracted, **kwargs):
        """UserFactory(standing=True): a month-old account with a verified
        email, whose flags count towards a hold (moderation/services.py)."""
        if create and extracted:
            from allauth.account.models import EmailAddress

            type(obj).objects.filter(pk=obj.pk).update(date_joined=timezone.now() - timedelta(days=30))
            obj.refresh_from_db(fields=["date_joined"])
            EmailAddress.objects.create(user=obj, email=obj.email, verified=True, primary=True)


def missions_index():
    ensure_site(information_pages=False)
    return MissionIndexPage.objects.get()


class PageFactory(factory.Factory):
    """Builds a page and adds it under its parent in the tree."""

    class Meta:
        abstract = True

    @classmethod
    def _build(cls, model_class, *args, parent=None, **kwargs):
        return model_class(*args, **kwargs)

    @classmethod
    def _create(cls, model_class, *args, parent=None, **kwargs):
        page = model_class(*args, **kwargs)
        parent.refresh_from_db()
        parent.add_child(instance=page)
        page.save_revision().publish()
        page.refresh_from_db()
        return page


class MissionFactory(PageFactory):
    class Meta:
        model = MissionPage

    parent = factory.LazyFunction(missions_index)
    title = factory.Sequence(lambda n: f"Mission {n}")
    slug = factory.Sequence(lambda n: f"mission-{n}")
    goal = "Make things measurably better"


class CallFactory(PageFactory):
    """An open call by default: submissions opened a day ago."""

    class Meta:
        model = ChallengeCallPage

    parent = factory.SubFactory(MissionFactory)
    title = factory.Sequence(lambda n: f"Call {n}")
    slug = factory.Sequence(lambda n: f"call-{n}")
    brief = "<p>Tell us your ideas.</p>"
    submission_opens = factory.LazyFunction(lambda: timezone.now() - timedelta(days=1))
    submission_closes = factory.LazyAttribute(lambda o: o.submission_opens + timedelta(days=30))
    review_closes = factory.LazyAttribute(lambda o: o.submission_closes + timedelta(days=30))
    shortlist_closes = factory.LazyAttribute(lambda o: o.review_closes + timedelta(days=30))
    moderation_mode = ChallengeCallPage.MODERATION_POST
    voting_mode = ChallengeCallPage.VOTING_SUPPORT


class PilotFactory(PageFactory):
    """A published, running pilot with its own measure (issue #18). Pass
    `parent=mission`; results as PilotFactory(results=[(date, value, "why")])."""

    class Meta:
        model = PilotPage

    parent = factory.SubFactory(MissionFactory)
    title = factory.Sequence(lambda n: f"Pilot {n}")
    slug = factory.Sequence(lambda n: f"pilot-{n}")
    summary = "Testing an idea in one place first"
    change = "a named caseworker for each family"
    outcome = "fewer missed appointments"
    people = "families with children under five"
    measure_name = "Missed appointments"
    measure_unit = "%"
    measure_baseline = 30
    measure_target = 15
    location = "Leeds"
    starts_on = factory.LazyFunction(lambda: timezone.now().date() - timedelta(days=30))
    ends_on = factory.LazyAttribute(lambda o: o.starts_on + timedelta(days=180))
    status = PilotStatus.RUNNING

    @classmethod
    def _create(cls, model_class, *args, results=(), **kwargs):
        from pilots.models import PilotResult

        kwargs["results"] = [PilotResult(date=d, value=v, commentary=c) for d, v, c in results]
        return super()._create(model_class, *args, **kwargs)


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = MissionMembership

    user = factory.SubFactory(UserFactory)
    mission = factory.SubFactory(MissionFactory)
    role = MissionMembership.ROLE_TEAM


class IdeaFactory(factory.django.DjangoModelFactory):
    """Test data written directly; participation itself goes through services."""

    class Meta:
        model = Idea

    call = factory.SubFactory(CallFactory)
    author = factory.SubFactory(UserFactory)
    title = factory.Sequence(lambda n: f"Idea number {n}")
    summary = "A short summary of the idea."
    body = "Some *markdown* body."
    body_html = factory.LazyAttribute(lambda o: render_markdown(o.body))
    visibility = Visibility.PUBLISHED

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        idea = super()._create(model_class, *args, **kwargs)
        counters.idea_changed(idea, was_counted=False)  # as the services keep it
        return idea


class CommentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Comment

    idea = factory.SubFactory(IdeaFactory)
    author = factory.SubFactory(UserFactory)
    body = "A comment."
    body_html = factory.LazyAttribute(lambda o: render_markdown(o.body))

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        comment = super()._create(model_class, *args, **kwargs)
        counters.comment_changed(comment, was_counted=False)  # as the services keep it
        return comment


class OrganisationFactory(factory.django.DjangoModelFactory):
    """An organisation with its first admin (`admin=`, made if not given), as
    people/services.py creates one."""

    class Meta:
        model = Organisation
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"Organisation {n} Ltd")
    slug = factory.Sequence(lambda n: f"organisation-{n}")
    type = OrganisationType.BUSINESS
    size = OrganisationSize.SMALL
    region = Region.NORTH_EAST

    @factory.post_generation
    def admin(obj, create, extracted, **kwargs):
        if create:
            OrgMembership.objects.create(organisation=obj, user=extracted or UserFactory(), is_admin=True)

    @factory.post_generation
    def members(obj, create, extracted, **kwargs):
        for user in (extracted or []) if create else []:
            OrgMembership.objects.create(organisation=obj, user=user)
