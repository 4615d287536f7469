"""factory-boy factories: organisations, staff and logins; the recruitment cycle, its plan,
posts, intentions, selection and what follows it."""

from datetime import date

import factory
from django.contrib.auth import get_user_model
from django.utils import timezone

from recruitment.models import (
    Application,
    Ballot,
    CadreProposal,
    CommitteeMember,
    CommitteeRole,
    Cycle,
    Decision,
    Hire,
    HireSource,
    Intention,
    Phase,
    PhaseState,
    PlanRevision,
    PlanSchool,
    Post,
    PostKind,
    Proposal,
    Ranking,
    Representative,
    TrainingEnrolment,
    UnhiredReason,
    Vote,
)
from recruitment.phases import DRAFT, INTENTIONS, OPINIONS, REVIEW, VOTE, default_dates
from schools import resident_id
from schools.models import County, Membership, Role, School, SchoolKind, Staff, Township

PASSWORD = "pass-12345"  # every factory-made login's


class CountyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = County
        django_get_or_create = ("name",)

    name = "宁阳县"


class TownshipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Township

    county = factory.SubFactory(CountyFactory)
    name = factory.Sequence(lambda n: f"测试{n}镇")


class SchoolFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = School

    township = factory.SubFactory(TownshipFactory)
    name = factory.Sequence(lambda n: f"第{n}完小")
    kind = SchoolKind.COMPLETE_PRIMARY
    remote = False
    establishment = 20
    post_count = 20


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)

    username = factory.Sequence(lambda n: f"user{n}")
    password = factory.django.Password(PASSWORD)


def _resident_id(n: int) -> str:
    born = date(1970 + n % 30, 1 + n % 12, 1 + n % 28)
    return resident_id.make("370921", born, n, resident_id.MALE if n % 2 else resident_id.FEMALE)


class StaffFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Staff

    resident_id = factory.Sequence(_resident_id)
    name = factory.Sequence(lambda n: f"教师{n}")
    sex = factory.LazyAttribute(lambda o: resident_id.parse(o.resident_id).sex)
    birth_date = factory.LazyAttribute(lambda o: resident_id.parse(o.resident_id).birth_date)
    school = factory.SubFactory(SchoolFactory)
    subject = "语文"
    title = "一级教师"


def membership(user, role, target):
    """Give ``user`` ``role`` over ``target`` (a county, township or school)."""
    field = {
        Role.COUNTY_OFFICE: "county",
        Role.TOWNSHIP_OFFICE: "township",
        Role.LIAISON: "school",
        Role.PRINCIPAL: "school",
    }[role]
    return Membership.objects.create(user=user, role=role, **{field: target})


# --- recruitment ---------------------------------------------------------------------------
#
# These write rows straight through the ORM to arrange a world. Where a state's invariants
# come from the services (the phases' order, the adopted plan), ``adopted_cycle`` writes
# the state the services leave; the services themselves are tested on their own path
# (test_cycle_services.py, test_selection_services.py).


class HistoryFactory(factory.django.DjangoModelFactory):
    """A model with django-simple-history: ``history_user`` names who the history row says
    made it, as the services do with ``_history_user``."""

    class Meta:
        abstract = True

    @classmethod
    def _create(cls, model_class, *args, history_user=None, **kwargs):
        obj = model_class(*args, **kwargs)
        if history_user is not None:
            obj._history_user = history_user
        obj.save()
        return obj


class CycleFactory(HistoryFactory):
    """A cycle with its ten phases on the seeds' calendar, as ``cycle_create`` makes them;
    ``phases={number: state}`` sets their states (the rest not started), ``phases=False``
    makes none."""

    class Meta:
        model = Cycle
        skip_postgeneration_save = True

    township = factory.SubFactory(TownshipFactory)
    school_year = 2026
    created_by = None
    history_user = factory.SelfAttribute("created_by")

    @factory.post_generation
    def phases(obj, create, extracted, **kwargs):
        if not create or extracted is False:
            return
        states = extracted or {}
        for number, (start, deadline) in default_dates(obj.school_year).items():
            PhaseFactory(cycle=obj, number=number, start_date=start, deadline=deadline,
                         state=states.get(number, PhaseState.NOT_STARTED),
                         history_user=obj.created_by)


class PhaseFactory(HistoryFactory):
    class Meta:
        model = Phase

    cycle = factory.SubFactory(CycleFactory, phases=False)
    number = 1
    state = PhaseState.NOT_STARTED
    start_date = factory.LazyAttribute(lambda o: default_dates(o.cycle.school_year)[o.number][0])
    deadline = factory.LazyAttribute(lambda o: default_dates(o.cycle.school_year)[o.number][1])


PLAN_TEXT = "方案\n一、岗位设置\n先定岗位。"


class PlanRevisionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PlanRevision

    cycle = factory.SubFactory(CycleFactory)
    number = factory.LazyAttribute(lambda o: o.cycle.revisions.count() + 1)
    text = PLAN_TEXT
    created_by = factory.SelfAttribute("cycle.created_by")


class PlanSchoolFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PlanSchool

    revision = factory.SubFactory(PlanRevisionFactory)
    school = factory.SubFactory(SchoolFactory,
                                township=factory.SelfAttribute("..revision.cycle.township"))
    post_count = 10
    first_step = False


class RepresentativeFactory(HistoryFactory):
    class Meta:
        model = Representative

    cycle = factory.SubFactory(CycleFactory)
    staff = factory.SubFactory(StaffFactory,
                               school__township=factory.SelfAttribute("...cycle.township"))
    named_by = factory.SelfAttribute("cycle.created_by")


class VoteFactory(HistoryFactory):
    """A congress vote, closed and counted unless ``closed_at=None``."""

    class Meta:
        model = Vote

    cycle = factory.SubFactory(CycleFactory)
    revision = factory.SubFactory(PlanRevisionFactory, cycle=factory.SelfAttribute("..cycle"))
    opened_by = factory.SelfAttribute("cycle.created_by")
    closed_by = factory.SelfAttribute("opened_by")
    closed_at = factory.LazyFunction(timezone.now)


class BallotFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Ballot

    vote = factory.SubFactory(VoteFactory)
    representative = factory.SubFactory(RepresentativeFactory,
                                        cycle=factory.SelfAttribute("..vote.cycle"))
    choice = Ballot.Choice.FOR


def adopted_cycle(*, office, township, first_step=(), quotas=None, settings=None,
                  school_year=2026) -> Cycle:
    """A cycle whose plan the congress adopted, with phase 5 open: the state the
    services leave after phases 1–4 (revision 1 of the plan with each school's posts —
    ``quotas`` by school pk, 10 otherwise — the ``first_step`` schools recruiting
    township-wide first; one representative who voted for it)."""
    cycle = CycleFactory(township=township, school_year=school_year, created_by=office,
                         phases={DRAFT: PhaseState.CLOSED, REVIEW: PhaseState.CLOSED,
                                 OPINIONS: PhaseState.CLOSED, VOTE: PhaseState.CLOSED,
                                 INTENTIONS: PhaseState.OPEN})
    revision = PlanRevisionFactory(cycle=cycle, **(settings or {}))
    PlanSchool.objects.bulk_create(
        PlanSchool(revision=revision, school=school,
                   post_count=(quotas or {}).get(school.pk, 10), first_step=school in first_step)
        for school in township.schools.all())
    voter = StaffFactory(school=township.schools.first(), user=UserFactory(username="rep-voter"))
    representative = RepresentativeFactory(cycle=cycle, staff=voter, history_user=office)
    vote = VoteFactory(cycle=cycle, revision=revision, representatives=1, votes_for=1,
                       result=Vote.Result.ADOPTED, history_user=office)
    BallotFactory(vote=vote, representative=representative)
    cycle.adopted_revision = revision
    cycle._history_user = office
    cycle.save(update_fields=["adopted_revision"])
    return cycle


class PostFactory(HistoryFactory):
    """A published teaching post (``kind=PostKind.AUXILIARY`` with ``duties`` for an
    auxiliary one)."""

    class Meta:
        model = Post

    cycle = factory.SubFactory(CycleFactory)
    school = factory.SubFactory(SchoolFactory, township=factory.SelfAttribute("..cycle.township"))
    number = factory.Sequence(lambda n: n + 1)
    kind = PostKind.TEACHING
    grade_class = "三年级"
    subject = "语文"
    weekly_lessons = 12
    seats = 1
    published_at = factory.LazyFunction(timezone.now)


class IntentionFactory(HistoryFactory):
    class Meta:
        model = Intention

    cycle = factory.SubFactory(CycleFactory)
    staff = factory.SubFactory(StaffFactory,
                               school__township=factory.SelfAttribute("...cycle.township"))


class ApplicationFactory(factory.django.DjangoModelFactory):
    """One ranked choice; ``auxiliary_posts=[...]`` sets its auxiliary posts."""

    class Meta:
        model = Application
        skip_postgeneration_save = True

    intention = factory.SubFactory(IntentionFactory)
    rank = 1
    school = factory.LazyAttribute(lambda o: o.teaching_post.school if o.teaching_post
                                   else o.intention.staff.school)
    teaching_post = None

    @factory.post_generation
    def auxiliary_posts(obj, create, extracted, **kwargs):
        if create and extracted:
            obj.auxiliary_posts.set(extracted)


def applied(cycle, staff, school, teaching_post, *auxiliary):
    """An intention as ``intention_submit`` writes it in phase 5 (one choice), for tests
    that start later."""
    intention = IntentionFactory(cycle=cycle, staff=staff)
    ApplicationFactory(intention=intention, school=school, teaching_post=teaching_post,
                       auxiliary_posts=list(auxiliary))
    return intention


class CommitteeMemberFactory(HistoryFactory):
    class Meta:
        model = CommitteeMember

    cycle = factory.SubFactory(CycleFactory)
    school = factory.SubFactory(SchoolFactory, township=factory.SelfAttribute("..cycle.township"))
    user = factory.SubFactory(UserFactory)
    role = CommitteeRole.BACKBONE


class RankingFactory(HistoryFactory):
    class Meta:
        model = Ranking

    post = factory.SubFactory(PostFactory)
    staff = factory.SubFactory(StaffFactory,
                               school__township=factory.SelfAttribute("...post.cycle.township"))
    rank = 1
    decision = Decision.HIRE


class HireFactory(HistoryFactory):
    """``staff`` hired to ``post``; ``extra_posts=[...]`` sets the auxiliary duties."""

    class Meta:
        model = Hire
        skip_postgeneration_save = True

    post = factory.SubFactory(PostFactory)
    cycle = factory.SelfAttribute("post.cycle")
    staff = factory.SubFactory(StaffFactory, school=factory.SelfAttribute("..post.school"))
    source = HireSource.SELECTION
    confirmed_by = None

    @factory.post_generation
    def extra_posts(obj, create, extracted, **kwargs):
        if create and extracted:
            obj.extra_posts.set(extracted)


class ProposalFactory(HistoryFactory):
    """The office proposes ``staff`` for ``post`` (a dispatch pairing unless ``run``)."""

    class Meta:
        model = Proposal

    post = factory.SubFactory(PostFactory)
    cycle = factory.SelfAttribute("post.cycle")
    run = None
    source = HireSource.DISPATCH
    staff = factory.SubFactory(StaffFactory,
                               school__township=factory.SelfAttribute("...post.cycle.township"))
    proposed_by = factory.SubFactory(UserFactory)


class CadreProposalFactory(HistoryFactory):
    class Meta:
        model = CadreProposal

    cycle = factory.SubFactory(CycleFactory)
    school = factory.SubFactory(SchoolFactory, township=factory.SelfAttribute("..cycle.township"))
    staff = factory.SubFactory(StaffFactory, school=factory.SelfAttribute("..school"))
    title = "教导主任"
    proposed_by = factory.SubFactory(UserFactory)


class TrainingEnrolmentFactory(HistoryFactory):
    class Meta:
        model = TrainingEnrolment

    cycle = factory.SubFactory(CycleFactory)
    staff = factory.SubFactory(StaffFactory,
                               school__township=factory.SelfAttribute("...cycle.township"))
    enrolled_by = factory.SubFactory(UserFactory)
    score = None


class UnhiredReasonFactory(HistoryFactory):
    class Meta:
        model = UnhiredReason

    cycle = factory.SubFactory(CycleFactory)
    staff = factory.SubFactory(StaffFactory,
                               school__township=factory.SelfAttribute("...cycle.township"))
    reason = "年底退休"
    recorded_by = factory.SubFactory(UserFactory)
