"""seed_demo's part: duty reports (述职) and democratic evaluation (民主测评): rounds, reports,
the secret ballot, results and the composite rating.

One closed round of the township's school-level leaders — their reports written, the
ballots of the demo logins and of some generated voters (logins that cannot log in) cast
through the service, the work-assessment scores and the township's weights set, the
results published — and one school's round open for ``teacher01`` to vote in."""

from __future__ import annotations

import random
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.utils import timezone

from evaluation import rules
from evaluation.models import BallotInvitation, BallotRound, Rating
from evaluation.services import ballots as services
from recruitment.models import Cycle
from schools.models import Membership, Role, Staff, Township

GENERATED_VOTERS = 24
TEACHER = "teacher01"
REPORT = ("本学年任{position}。一、履职情况：落实岗位职责，抓好教学常规与安全管理。"
          "二、工作成效：教学质量稳步提升。三、存在不足与改进措施：加强业务学习。")
# The generated voters' leaning: mostly 称职 and 优秀, a few 基本称职, rarely 不称职.
LEANING = [Rating.EXCELLENT] * 8 + [Rating.COMPETENT] * 9 + [Rating.BASIC] * 2 + \
    [Rating.INCOMPETENT]


def _generated_voters(township: Township) -> list:
    """Logins standing for the township's staff without one: unusable passwords."""
    model = get_user_model()
    users = []
    for index in range(1, GENERATED_VOTERS + 1):
        user, made = model.objects.get_or_create(username=f"demo-voter-{township.pk}-{index:02d}")
        if made:
            user.set_unusable_password()
            user.save(update_fields=["password"])
        users.append(user)
    return users


def seed(township: Township, cycle: Cycle) -> None:
    if BallotRound.objects.filter(township=township).exists():
        return
    office = get_user_model().objects.get(username="office")
    rng = random.Random(f"ballots-{township.pk}")
    year = cycle.school_year
    leaders = services.round_create(
        by=office, township=township, school=None,
        title=f"{year}–{year + 1}学年第一学期校级干部述职测评", school_year=year, term=1)
    for assessee in leaders.assessees.select_related("staff__user"):
        services.report_write(by=assessee.staff.user or office, assessee=assessee,
                              text=REPORT.format(position=assessee.position or "教师"))
    for user in _generated_voters(township):
        BallotInvitation.objects.get_or_create(round=leaders, user=user, defaults={"guest": True})
    leaders = services.round_open(by=office, ballot_round=leaders)
    people = list(leaders.assessees.values_list("pk", flat=True))
    for invitation in leaders.invitations.select_related("user").order_by("pk"):
        services.ballot_cast(by=invitation.user, ballot_round=leaders,
                             ratings={pk: rng.choice(LEANING) for pk in people})
    leaders = services.round_close(by=office, ballot_round=leaders)
    services.weights_save(by=office, township=township, evaluation=40, assessment=60)
    services.scores_save(by=office, ballot_round=leaders, scores={
        pk: Decimal(rng.randrange(7000, 9800)) / 100 for pk in people})
    services.results_publish(by=office, ballot_round=leaders)

    teacher = Staff.objects.filter(user__username=TEACHER).select_related("school").first()
    if teacher is None:
        return
    principal = (Membership.objects.filter(role=Role.PRINCIPAL, school=teacher.school)
                 .select_related("user").first())
    school_year, term = rules.term_of(timezone.localdate())
    school_round = services.round_create(
        by=principal.user if principal else office, township=township, school=teacher.school,
        title=f"{teacher.school.name}{school_year}–{school_year + 1}学年"
              f"{'第一' if term == 1 else '第二'}学期述职测评",
        school_year=school_year, term=term)
    services.round_open(by=principal.user if principal else office, ballot_round=school_round)
