"""seed_demo's part: part-time researchers (兼职教研员, R11). A closed round of the cycle's
school year: six subject groups, one at each of the six complete primaries (as in the
seeds), each led by a teacher of that school, preferably of that subject."""

from __future__ import annotations

from django.contrib.auth import get_user_model

from evaluation.models import ResearchRound
from evaluation.selectors import researchers as selectors
from evaluation.services import researchers as services
from schools.models import School, SchoolKind, Staff, Township

SUBJECTS = ("语文", "数学", "英语", "科学", "道德与法治", "音乐")


def seed(township: Township, cycle) -> None:
    if ResearchRound.objects.filter(township=township, school_year=cycle.school_year).exists():
        return
    office = get_user_model().objects.get(username="office")
    research_round = services.round_open(
        by=office, township=township, school_year=cycle.school_year, subjects=SUBJECTS,
        hosts=selectors.default_hosts(township), max_groups_per_school=1)
    primaries = list(School.objects.filter(township=township,
                                           kind=SchoolKind.COMPLETE_PRIMARY).order_by("pk"))
    chosen = []
    for subject, school in zip(SUBJECTS, primaries, strict=False):
        staff = Staff.objects.filter(school=school).order_by("pk")
        candidate = staff.filter(subject=subject).first() or staff.first()
        if candidate is None:
            continue
        chosen.append(services.application_submit(
            by=office, research_round=research_round, school=school, subject=subject,
            candidate=candidate).pk)
    if chosen:
        services.applications_select(by=office, research_round=research_round,
                                     application_ids=chosen)
    services.round_close(by=office, research_round=research_round)
