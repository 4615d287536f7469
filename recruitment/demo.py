"""The demo township's current cycle, through the real services, up to a stage.

Called by ``seed_demo`` (settings.DEMO_SEED_STEPS), with ``--stage``:

- ``plan``: phase 1 open, the office's first draft saved;
- ``vote``: the draft reviewed (a principal's comment answered) and consulted (staff
  opinions reported and decided), the congress vote open with some ballots cast;
- ``intentions``: the plan adopted, phase 5 open, every school's posts published and
  most staff's intentions in (the teacher logins' not yet);
- ``selection``: phase 5 closed, phase 6 open with every intention in;
- ``outcome``: the committees have ranked and hired (the centres first), phase 6 closed,
  phase 7 open with the unhired listed;
- ``term`` (the default): the unhired trained, passed and assigned (R7), phase 7 closed
  so the outcome took effect (everyone's assignment from the term's start, the roster
  naming the new schools), phases 8–10 open: the term began two weeks ago (the
  attendance demo, ``attendance.demo``, fills those weeks).

At every stage the calendar puts today inside the open phase, the earlier phases before
it; some vice principals' positions began four years ago, so the R4 page has work.
A second run with the same stage (or none) changes nothing; another stage on an existing
demo is refused with a message (``DemoStageError``): a stage is for a new demo database.
"""

import random
from datetime import date, timedelta

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError

from recruitment import rules
from recruitment.selectors import allocation as allocation_selectors
from recruitment.selectors import plan as plan_selectors
from recruitment.selectors import posts as posts_selectors
from recruitment.selectors import selection as selection_selectors
from recruitment.selectors import unhired as unhired_selectors
from recruitment.services import consultation as consultation_services
from recruitment.services import cycle as cycle_services
from recruitment.services import plan as plan_services
from recruitment.services import posts as posts_services
from recruitment.services import selection as selection_services
from recruitment.services import unhired as unhired_services
from schools import services as school_services
from schools.models import Position, SchoolKind, Staff, Township

from . import workflow
from .models import Application, Cycle, Decision, Phase, PhaseState, Post, PostKind
from .phases import (
    ASSESSMENT,
    ATTENDANCE,
    CONTRACTS,
    DRAFT,
    INTENTIONS,
    OPINIONS,
    REVIEW,
    SELECTION,
    UNHIRED,
    VOTE,
)

# The stages ``seed_demo --stage`` takes, in order, and the phase each leaves open.
STAGES = {"plan": DRAFT, "vote": VOTE, "intentions": INTENTIONS, "selection": SELECTION,
          "outcome": UNHIRED, "term": ATTENDANCE}
DEFAULT_STAGE = "term"
# At the ``term`` stage the term (phases 8–10) began this many days before today.
TERM_DAYS_AGO = 14


class DemoStageError(Exception):
    """The demo cycle exists at another stage than the one asked for."""


def stage_of(cycle: Cycle) -> str | None:
    """The stage whose phase is open (the latest of them), else None."""
    open_phases = set(cycle.phases.filter(state=PhaseState.OPEN).values_list("number",
                                                                              flat=True))
    found = [stage for stage, number in STAGES.items() if number in open_phases]
    return found[-1] if found else None


def _before(stage: str, other: str) -> bool:
    order = list(STAGES)
    return order.index(stage) < order.index(other)

PLAN_TEXT = """{township}{year}—{next_year}学年教职工竞聘上岗实施方案
为优化全镇教师资源配置，激发队伍活力，根据县教育局有关文件精神，结合我镇实际，制定本方案。
一、指导思想
坚持“公开、公平、公正、择优”的原则，先定岗位、按岗竞聘，先聘岗位、后聘职务，做到人人上岗、人人有岗。
二、组织领导
成立镇竞聘上岗工作领导小组，镇教办主任任组长；各学校成立聘任委员会，由包校人员、校长、书记和骨干教师组成。
三、岗位设置
中心中学、中心小学、成教中心和镇教办先行定岗，面向全镇竞聘；其余小学、幼儿园随后组织竞聘，中心学校富余人员与各校教师同台竞争。
各校按核定的岗位设置数设置教学岗和辅助岗，岗位及任职条件、岗位职责在意向填报前向全体教职工公布。
四、竞聘办法
教职工实行“1+X”竞聘：一个教学岗加若干辅助岗；周课时不足{threshold}节的不计为教学人员，只竞聘辅助岗的为教辅人员。
各单位新聘人员中，本单位原有人员原则上不少于编制数的{num}/{den}，不足部分面向全镇招聘。
五、落聘人员安置
竞聘截止仍未聘用的人员参加教研室组织的培训，考试成绩达到{pass_mark}分的由镇教办统一调配到缺员学校。
六、纪律要求
严禁弄虚作假、说情打招呼；竞聘全过程接受全体教职工监督。
"""


def _user(username):
    return get_user_model().objects.get(username=username)


def _calendar_from(cycle: Cycle, office, today, number: int = DRAFT) -> None:
    """The seeds' calendar moved so phase ``number`` starts today: the demo runs Step 1
    and Step 2 from today, and submissions are refused after a phase's deadline, so no
    deadline of the demo may lie in the past while it runs (the office moves phase
    dates the same way)."""
    shift = today - Phase.objects.get(cycle=cycle, number=number).start_date
    for phase in Phase.objects.filter(cycle=cycle).order_by("number"):
        cycle_services.phase_dates_set(by=office, phase=phase, start_date=phase.start_date + shift,
                                 deadline=phase.deadline + shift)


def _calendar_around(cycle: Cycle, office, today) -> None:
    """The calendar moved again once the demo has run: the open phase starts today, so
    today lies inside it and every earlier phase before it."""
    opened = cycle.phases.filter(state=PhaseState.OPEN).order_by("-number").first()
    if opened is None:
        return
    _calendar_from(cycle, office, today, number=opened.number)


VICE_TERM_START = (4, 9, 1)  # (years back, month, day): a term over by the cycle's start


def _vice_terms(township: Township, office, today) -> None:
    """Every other vice principal (by school) began four years ago: R4's assessment has
    work at those schools."""
    vices = list(Position.objects.filter(school__township=township, end_date__isnull=True,
                                         title__in=rules.VICE_TITLES).order_by("school__name"))
    years, month, day = VICE_TERM_START
    school_services.positions_started(by=office, positions=vices[::2],
                                      start_date=date(today.year - years, month, day),
                                      history_reason="demo: term begun")


def seed_cycle(township: Township, *, stage: str | None = None, office: str = "office",
               reviewer: str = "principal04", reps: str = "rep") -> list:
    """The current school year's cycle through Step 1, as far as ``stage`` asks (once;
    a second run skips, and refuses another explicit stage). ``office`` and ``reviewer``
    (the principal who comments on the draft) are usernames, ``reps`` the prefix of the
    representatives' logins made for them: a county township's own (``seed_county``)."""
    today = workflow.today()
    year = today.year if today.month >= 7 else today.year - 1
    existing = Cycle.objects.filter(township=township, school_year=year).first()
    if existing is not None:
        found = stage_of(existing)
        if stage is not None and found != stage:
            raise DemoStageError(
                f"the demo cycle is already at stage {found or 'beyond the stages'}; "
                f"--stage {stage} builds a new demo only: start from an empty database "
                f"(remove var/staffing.sqlite3) and run seed_demo --stage {stage} again")
        return []
    stage = stage or DEFAULT_STAGE
    office = _user(office)
    cycle = cycle_services.cycle_create(by=office, township=township, school_year=year)
    _calendar_from(cycle, office, today)
    _vice_terms(township, office, today)

    def step(number, *, close=True):
        phase = Phase.objects.get(cycle=cycle, number=number)
        if phase.state == PhaseState.NOT_STARTED:
            cycle_services.phase_open(by=office, phase=phase)
        if close:
            cycle_services.phase_close(
                by=office, phase=Phase.objects.get(cycle=cycle, number=number)
            )

    settings = {"teaching_load_threshold": 8, "own_share_num": 2, "own_share_den": 3,
                "training_pass_mark": 60}
    text = PLAN_TEXT.format(township=township.name, year=year, next_year=year + 1,
                            threshold=8, num=2, den=3, pass_mark=60)
    step(DRAFT, close=False)
    plan_services.plan_revise(by=office, cycle=cycle, text=text, note="初稿", settings=settings)
    if stage == "plan":
        _calendar_around(cycle, office, today)
        return []
    step(DRAFT)

    step(REVIEW, close=False)
    principal = _user(reviewer)
    first = cycle.revisions.get()
    comment = plan_services.review_comment_add(
        by=principal, revision=first, section=4,
        body="建议明确周课时不足时可兼任多个辅助岗，避免教辅人员过多。")
    plan_services.review_comment_answer(by=office, comment=comment, adopted=True,
                                   reason="采纳，已在第四部分补充说明。")
    plan_services.plan_revise(
        by=office, cycle=cycle, note="采纳集体研究意见",
        text=text.replace("只竞聘辅助岗的为教辅人员。",
                          "只竞聘辅助岗的为教辅人员；教学岗人员可兼任多个辅助岗。"),
    )
    step(REVIEW)

    step(OPINIONS, close=False)
    teachers = list(Staff.objects.filter(school__township=township,
                                         user__username__startswith="teacher")
                    .select_related("school", "user").order_by("user__username")[:3])
    bodies = ["希望偏远学校岗位给予适当倾斜。", "建议公布各校岗位的周课时安排。",
              "落聘培训的时间请提前通知。"]
    opinions = [consultation_services.opinion_submit(by=t.user, cycle=cycle, body=b)
                for t, b in zip(teachers, bodies, strict=False)]
    principals = {p.school_id: p.user for p in Staff.objects.filter(
        school__township=township, user__username__startswith="principal")
        .select_related("user")}
    for school in township.schools.all():
        consultation_services.opinions_report(by=principals[school.pk], cycle=cycle, school=school)
    for opinion, adopted in zip(opinions, (True, True, False), strict=False):
        consultation_services.opinion_decide(
            by=office, opinion=opinion, adopted=adopted,
            reason="采纳。" if adopted else "培训时间将随落聘名单一并公布。")
    step(OPINIONS)

    leaders = Position.objects.filter(end_date__isnull=True).values("staff_id")
    representatives = list(Staff.objects.filter(school__township=township)
                           .exclude(pk__in=leaders).order_by("resident_id")[:21])
    for staff in representatives:
        consultation_services.representative_add(by=office, cycle=cycle, staff=staff)
    step(VOTE, close=False)
    for index, staff in enumerate(representatives[:19]):
        choice = "for" if index < 16 else ("against" if index < 18 else "abstain")
        if staff.user is None:
            staff.user = get_user_model().objects.create_user(
                username=f"{reps}{index + 1:02d}", password=None)
            staff.save(update_fields=["user"])
        consultation_services.vote_cast(by=staff.user, cycle=cycle, choice=choice)
        if stage == "vote" and index == 9:  # ten ballots in: the vote stays open
            break
    if stage == "vote":
        _calendar_around(cycle, office, today)
        return []
    consultation_services.vote_close(by=office, cycle=cycle)
    return []


AUXILIARY_DUTIES = ["实验室管理", "图书室管理", "功能室管理", "宿舍管理", "门卫值班", "安全巡查"]
GRADES = {"中心中学": ["七年级", "八年级", "九年级"], "独立园": ["小班", "中班", "大班"]}
PRIMARY_GRADES = ["一年级", "二年级", "三年级", "四年级", "五年级", "六年级"]


def seed_step2(township: Township, *, stage: str | None = None, office: str = "office") -> list:
    """Step 2 as far as ``stage`` asks: phase 5 open, every school's posts published and
    the staff's intentions submitted (most at their own school, some elsewhere; at the
    ``intentions`` stage, not the teacher logins' nor every third), then phase 6 open
    (``selection``), then the committees' hires and phase 7 (``outcome``). Skipped when
    the cycle already has posts, or Step 1 stopped earlier."""
    stage = stage or DEFAULT_STAGE
    cycle = Cycle.objects.filter(township=township).order_by("-school_year").first()
    if (cycle is None or cycle.adopted_revision_id is None or cycle.posts.exists()
            or _before(stage, "intentions")):
        return []
    office = _user(office)
    rng = random.Random(5)
    heads = {s.school_id: s.user for s in Staff.objects.filter(
        school__township=township, user__username__startswith="principal")
        .select_related("user")}
    cycle_services.phase_open(by=office, phase=Phase.objects.get(cycle=cycle, number=INTENTIONS))
    leaders = set(Position.objects.filter(end_date__isnull=True, title__in=("校长", "园长"))
                  .values_list("staff_id", flat=True))
    staff_by_school: dict[int, list[Staff]] = {}
    for staff in (Staff.objects.filter(school__township=township).exclude(pk__in=leaders)
                  .select_related("school", "user").order_by("resident_id")):
        staff_by_school.setdefault(staff.school_id, []).append(staff)
    posts: dict[int, tuple[list[Post], list[Post]]] = {}
    for school in township.schools.order_by("name"):
        people = staff_by_school.get(school.pk, [])
        quota = posts_selectors.post_quota(cycle, school)
        aux_seats = max(2, quota // 6)
        teaching_count = max(0, min(len(people), quota - aux_seats))
        grades = GRADES.get(school.roster_kind, PRIMARY_GRADES)
        subjects = sorted({p.subject for p in people if p.subject}) or ["语文"]
        teaching = []
        for n in range(1, teaching_count + 1):
            subject = people[n - 1].subject or subjects[0]
            teaching.append(
                posts_services.post_save(
                    by=heads[school.pk],
                    cycle=cycle,
                    school=school,
                    fields=rules.PostFields(
                        number=n,
                        kind=PostKind.TEACHING,
                        grade_class=rng.choice(grades),
                        subject=subject,
                        weekly_lessons=rng.choice([6, 10, 12, 14, 16]),
                        conditions="具有相应学科教师资格",
                        duties="完成本学科教育教学任务",
                    ),
                )
            )
        auxiliary = []
        duties = AUXILIARY_DUTIES if school.kind != SchoolKind.KINDERGARTEN else [
            "保育管理", "门卫值班"]
        per_duty = max(1, aux_seats // len(duties))
        for i, duty in enumerate(duties[: max(1, aux_seats // per_duty)]):
            auxiliary.append(
                posts_services.post_save(
                    by=heads[school.pk],
                    cycle=cycle,
                    school=school,
                    fields=rules.PostFields(
                        number=teaching_count + i + 1,
                        kind=PostKind.AUXILIARY,
                        duties=duty,
                        seats=per_duty,
                        conditions="责任心强",
                    ),
                )
            )
        posts_services.posts_publish(by=office, cycle=cycle, school=school)
        posts[school.pk] = (teaching, auxiliary)
    schools = list(township.schools.order_by("name"))
    for school_id, people in staff_by_school.items():
        teaching, auxiliary = posts[school_id]
        for index, staff in enumerate(people):
            if staff.user is None:
                staff.user = get_user_model().objects.create_user(
                    username=f"staff{staff.pk:04d}", password=None)
                staff.save(update_fields=["user"])
            own_post = next((p for p in teaching if p.subject == staff.subject),
                            teaching[index % len(teaching)] if teaching else None)
            if stage == "intentions" and (staff.user.username.startswith("teacher")
                                          or index % 3 == 2):
                continue  # left for the newcomer to submit
            choices = []
            if index % 9 == 4:  # some apply elsewhere first (a centre, a remote school)
                other = rng.choice([s for s in schools if s.pk != school_id])
                other_teaching, other_aux = posts[other.pk]
                match = next((p for p in other_teaching if p.subject == staff.subject), None)
                if other_aux:
                    choices.append(rules.Choice(other, match, [other_aux[0]]))
            if auxiliary:
                choices.append(rules.Choice(staff.school, own_post,
                                          [auxiliary[index % len(auxiliary)]]))
            if choices:
                posts_services.intention_submit(by=staff.user, cycle=cycle, choices=choices)
    if stage != "intentions":
        cycle_services.phase_close(by=office,
                                   phase=Phase.objects.get(cycle=cycle, number=INTENTIONS))
        cycle_services.phase_open(by=office,
                                  phase=Phase.objects.get(cycle=cycle, number=SELECTION))
    if stage in ("outcome", "term"):
        _selection_done(cycle, office, heads)
    if stage == "term":
        _unhired_done(cycle, office)
        # The term's calendar first: closing phase 7 puts the outcome into effect from
        # phase 8's start, the day the term began.
        _calendar_from(cycle, office, workflow.today() - timedelta(days=TERM_DAYS_AGO),
                       number=CONTRACTS)
        cycle_services.phase_close(by=office, phase=Phase.objects.get(cycle=cycle, number=UNHIRED))
        for number in (CONTRACTS, ATTENDANCE, ASSESSMENT):
            cycle_services.phase_open(by=office, phase=Phase.objects.get(cycle=cycle,
                                                                         number=number))
        return []
    _calendar_around(cycle, office, workflow.today())
    return []


def _unhired_done(cycle: Cycle, office) -> None:
    """R7 for the demo: each of the unhired is enrolled in the training, passes its test
    and is assigned to a free post of a school that is short — at their own school if it
    has one, else one of their subject; someone no post can take is recorded as needing
    none (the office's explained status)."""
    mark = plan_selectors.adopted_plan(cycle).training_pass_mark
    for staff in list(unhired_selectors.unhired(cycle).order_by("resident_id")):
        enrolment = unhired_services.training_enrol(by=office, cycle=cycle, staff=staff)
        enrolment = unhired_services.training_score(by=office, enrolment=enrolment,
                                                     score=max(mark, 78))
        posts = sorted(allocation_selectors.open_posts(cycle),
                       key=lambda p: (p.school_id != staff.school_id, p.subject != staff.subject,
                                      p.kind != PostKind.TEACHING))
        for post in posts[:3]:
            try:
                unhired_services.trainee_assign(by=office, enrolment=enrolment, post=post)
            except ValidationError:
                continue
            break
        else:
            unhired_services.unhired_explain(by=office, cycle=cycle, staff=staff,
                                             reason="长期病假，暂不上岗")


def _applicants_by_post(cycle: Cycle) -> dict[int, list]:
    """Each post's applicants as (their choice's rank, staff), by rank then resident ID."""
    applicants: dict[int, list] = {}
    for app in (Application.objects.filter(intention__cycle=cycle)
                .select_related("intention__staff", "teaching_post")
                .prefetch_related("auxiliary_posts")
                .order_by("rank", "intention__staff__resident_id")):
        applicants.setdefault(rules.main_post(app).pk, []).append((app.rank, app.intention.staff))
    return applicants


def _selection_done(cycle: Cycle, office, heads) -> None:
    """Each school's committee ranks its posts' applicants (own staff first, then by
    choice) and hires as many as the seats take — anyone at the centres, which select
    first; only their own staff elsewhere (others go to the office) — then phase 6
    closes and phase 7 opens on the unhired."""
    first_step = selection_selectors.first_step_ids(cycle)
    applicants = _applicants_by_post(cycle)
    posts = list(Post.objects.filter(cycle=cycle).select_related("school")
                 .order_by("school__name", "number"))
    hired: set[int] = set()
    for layer in (True, False):
        if not layer:
            selection_services.first_layer_close(by=office, cycle=cycle)
        for post in posts:
            if (post.school_id in first_step) != layer:
                continue
            principal = heads[post.school_id]
            queue = sorted(applicants.get(post.pk, []),
                           key=lambda item: (item[1].school_id != post.school_id, item[0]))
            seats = post.seats
            for rank, (_choice, staff) in enumerate(queue, start=1):
                takes = (seats > 0 and staff.pk not in hired
                         and (layer or staff.school_id == post.school_id))
                selection_services.ranking_record(
                    by=principal, post=post, staff=staff, rank=rank,
                    decision=Decision.HIRE if takes else Decision.NOT_HIRE)
                if not takes:
                    continue
                try:
                    selection_services.hire_confirm(by=principal, post=post, staff=staff)
                except ValidationError:
                    continue  # an auxiliary duty of theirs is full: left for the office
                hired.add(staff.pk)
                seats -= 1
    cycle_services.phase_close(by=office, phase=Phase.objects.get(cycle=cycle, number=SELECTION))
    cycle_services.phase_open(by=office, phase=Phase.objects.get(cycle=cycle, number=UNHIRED))


# seed_demo --county: the posts per school whose applicants the committee has ranked.
RANKED_POSTS = 2


def _rankings_begun(cycle: Cycle, heads) -> None:
    """Some committee work in phase 6: at each school the first ``RANKED_POSTS`` posts
    with applicants are ranked (own staff first, then by choice), undecided, so a
    principal finds rankings to go on with and others to begin."""
    applicants = _applicants_by_post(cycle)
    ranked: dict[int, int] = {}
    for post in Post.objects.filter(cycle=cycle).order_by("school__name", "number"):
        queue = applicants.get(post.pk)
        if not queue or ranked.get(post.school_id, 0) >= RANKED_POSTS:
            continue
        ranked[post.school_id] = ranked.get(post.school_id, 0) + 1
        queue.sort(key=lambda item: (item[1].school_id != post.school_id, item[0]))
        for rank, (_choice, staff) in enumerate(queue, start=1):
            selection_services.ranking_record(by=heads[post.school_id], post=post, staff=staff,
                                              rank=rank, decision=Decision.PENDING)


def seed_county_township(township: Township, *, office: str, reviewer: str, reps: str,
                         stage: str = "selection") -> None:
    """One township of ``seed_demo --county`` (settings.DEMO_COUNTY_STEPS): its cycle
    through the real services to ``stage`` (``selection``: phase 6 open, every intention
    in, some posts ranked; ``intentions``: phase 5 open, the teachers' intentions left for
    them), as its own office and principals."""
    seed_cycle(township, stage=stage, office=office, reviewer=reviewer, reps=reps)
    seed_step2(township, stage=stage, office=office)
    if STAGES[stage] == SELECTION:
        cycle = Cycle.objects.get(township=township)
        heads = {s.school_id: s.user for s in Staff.objects.filter(
            school__township=township, user__username__startswith="principal")
            .select_related("user")}
        _rankings_begun(cycle, heads)
