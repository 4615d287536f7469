"""The demo township's current cycle: Step 1 done through the real services.

Called by ``seed_demo`` (settings.DEMO_SEED_STEPS). The office drafts, principals
comment, staff send opinions, schools report, the congress votes and adopts: the demo
opens on a cycle whose plan is adopted, so Step 2 is ready to open.
"""

import random

from django.contrib.auth import get_user_model

from recruitment import rules
from recruitment.selectors import posts as posts_selectors
from recruitment.services import consultation as consultation_services
from recruitment.services import cycle as cycle_services
from recruitment.services import plan as plan_services
from recruitment.services import posts as posts_services
from schools.models import Position, SchoolKind, Staff, Township

from . import workflow
from .models import Cycle, Phase, PhaseState, Post, PostKind
from .phases import DRAFT, INTENTIONS, OPINIONS, REVIEW, SELECTION, VOTE

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


def _calendar_from(cycle: Cycle, office, today) -> None:
    """The seeds' calendar moved to start today: the demo runs Step 1 and phase 5
    today, and submissions are refused after a phase's deadline, so no deadline of
    the demo may lie in the past (the office moves phase dates the same way)."""
    shift = today - Phase.objects.get(cycle=cycle, number=DRAFT).start_date
    for phase in Phase.objects.filter(cycle=cycle).order_by("number"):
        cycle_services.phase_dates_set(by=office, phase=phase, start_date=phase.start_date + shift,
                                 deadline=phase.deadline + shift)


def seed_cycle(township: Township) -> list:
    """The current school year's cycle with an adopted plan (once; a second run skips)."""
    today = workflow.today()
    year = today.year if today.month >= 7 else today.year - 1
    if Cycle.objects.filter(township=township, school_year=year).exists():
        return []
    office = _user("office")
    cycle = cycle_services.cycle_create(by=office, township=township, school_year=year)
    _calendar_from(cycle, office, today)

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
    step(DRAFT)

    step(REVIEW, close=False)
    principal = _user("principal04")
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
    teachers = list(Staff.objects.filter(user__username__startswith="teacher")
                    .select_related("school").order_by("user__username"))
    bodies = ["希望偏远学校岗位给予适当倾斜。", "建议公布各校岗位的周课时安排。",
              "落聘培训的时间请提前通知。"]
    opinions = [consultation_services.opinion_submit(by=t.user, cycle=cycle, body=b)
                for t, b in zip(teachers, bodies, strict=False)]
    principals = {p.school_id: p.user for p in Staff.objects.filter(
        user__username__startswith="principal").select_related("user")}
    for school in township.schools.all():
        consultation_services.opinions_report(by=principals[school.pk], cycle=cycle, school=school)
    for opinion, adopted in zip(opinions, (True, True, False), strict=False):
        consultation_services.opinion_decide(
            by=office, opinion=opinion, adopted=adopted,
            reason="采纳。" if adopted else "培训时间将随落聘名单一并公布。")
    step(OPINIONS)

    leaders = Position.objects.filter(end_date__isnull=True).values("staff_id")
    reps = list(Staff.objects.filter(school__township=township).exclude(pk__in=leaders)
                .order_by("resident_id")[:21])
    for staff in reps:
        consultation_services.representative_add(by=office, cycle=cycle, staff=staff)
    step(VOTE, close=False)
    for index, staff in enumerate(reps[:19]):
        choice = "for" if index < 16 else ("against" if index < 18 else "abstain")
        if staff.user is None:
            staff.user = get_user_model().objects.create_user(
                username=f"rep{index + 1:02d}", password=None)
            staff.save(update_fields=["user"])
        consultation_services.vote_cast(by=staff.user, cycle=cycle, choice=choice)
    consultation_services.vote_close(by=office, cycle=cycle)
    return []


AUXILIARY_DUTIES = ["实验室管理", "图书室管理", "功能室管理", "宿舍管理", "门卫值班", "安全巡查"]
GRADES = {"中心中学": ["七年级", "八年级", "九年级"], "独立园": ["小班", "中班", "大班"]}
PRIMARY_GRADES = ["一年级", "二年级", "三年级", "四年级", "五年级", "六年级"]


def seed_step2(township: Township) -> list:
    """Phase 5 done and phase 6 open: every school's posts published, and the staff's
    intentions submitted (most at their own school, some elsewhere), so a newcomer can
    walk the selection at once. Skipped when the cycle already has posts."""
    cycle = Cycle.objects.filter(township=township).order_by("-school_year").first()
    if cycle is None or cycle.adopted_revision_id is None or cycle.posts.exists():
        return []
    office = _user("office")
    rng = random.Random(5)
    heads = {s.school_id: s.user for s in Staff.objects.filter(
        user__username__startswith="principal").select_related("user")}
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
    cycle_services.phase_close(by=office, phase=Phase.objects.get(cycle=cycle, number=INTENTIONS))
    cycle_services.phase_open(by=office, phase=Phase.objects.get(cycle=cycle, number=SELECTION))
    return []
