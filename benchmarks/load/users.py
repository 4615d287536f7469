"""The load test's simulated people, read from a database seeded by ``seed_demo --county``.

    DATABASE_URL=postgres://… .venv/bin/python benchmarks/load/users.py OUT.json

Writes, for locustfile.py, which logins to use and the ids their requests need (locust
runs outside Django): per office its cycle; per principal their school and a post with
its applicants (at the centres, which select first, the first of them is to be hired and
confirmed, on a post nobody is hired to yet, so the test runs again on the same
database); per teacher their cycle and, where intentions are open (phase 5), a teaching
post and an auxiliary post of their school to submit. Read-only.
"""

import json
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "staffing.settings")

# Enough of each for 200 simulated users of any mix; every login is used once at most.
TEACHERS_PER_TOWNSHIP = 60
PRINCIPALS_PER_TOWNSHIP = 11


def main(out: str) -> None:
    import django

    django.setup()
    from recruitment.models import Application, Cycle, Hire, PhaseState, Post, PostKind
    from recruitment.phases import INTENTIONS
    from recruitment.selectors import selection as selection_selectors
    from schools import demo
    from schools.models import Staff

    offices, principals, teachers = [], [], []
    cycles = (Cycle.objects.filter(township__county__name=demo.COUNTY_DEMO)
              .select_related("township").order_by("township_id"))
    for number, cycle in enumerate(cycles, start=1):
        tt = f"{number:02d}"
        offices.append({"username": f"office-{tt}", "cycle": cycle.pk,
                        "township": cycle.township_id})
        intentions_open = cycle.phases.get(number=INTENTIONS).state == PhaseState.OPEN
        first_step = selection_selectors.first_step_ids(cycle)
        posts = list(Post.objects.filter(cycle=cycle).order_by("school__name", "number"))
        by_school: dict[int, list[Post]] = {}
        for post in posts:
            by_school.setdefault(post.school_id, []).append(post)
        if not intentions_open:
            for head in (Staff.objects.filter(school__township=cycle.township,
                                              user__username__startswith="principal-")
                         .select_related("user")
                         .order_by("user__username")[:PRINCIPALS_PER_TOWNSHIP]):
                # The school's first post with applicants beyond the two the seed ranked.
                chosen = None
                for post in by_school.get(head.school_id, [])[2:] or by_school.get(
                        head.school_id, []):
                    applicants = selection_selectors.applicants_of(post)
                    # A post with a hire (an earlier run's) may be full: the next one.
                    if applicants and not post.hires.exists():
                        chosen = (post, applicants)
                        break
                if chosen is None:
                    continue
                post, applicants = chosen
                # The one to hire: applied here only (no other centre hires them meanwhile).
                only_here = [s.pk for s in applicants
                             if Application.objects.filter(intention__cycle=cycle,
                                                           intention__staff=s).count() == 1
                             and not Hire.objects.filter(cycle=cycle, staff=s).exists()]
                principals.append({
                    "username": head.user.username, "cycle": cycle.pk,
                    "school": head.school_id, "post": post.pk,
                    "applicants": sorted(s.pk for s in applicants),
                    "hire": (only_here[0] if only_here and head.school_id in first_step
                             else None),
                })
        for staff in (Staff.objects.filter(school__township=cycle.township,
                                           user__username__startswith="teacher-")
                      .select_related("user")
                      .order_by("user__username")[:TEACHERS_PER_TOWNSHIP]):
            person = {"username": staff.user.username, "cycle": cycle.pk,
                      "school": staff.school_id, "submit": None}
            own = by_school.get(staff.school_id, [])
            teaching = [p for p in own if p.kind == PostKind.TEACHING]
            auxiliary = [p for p in own if p.kind == PostKind.AUXILIARY]
            if intentions_open and auxiliary:
                match = next((p for p in teaching if p.subject == staff.subject),
                             teaching[0] if teaching else None)
                person["submit"] = {"teaching": match.pk if match else None,
                                    "auxiliary": auxiliary[staff.pk % len(auxiliary)].pk}
            teachers.append(person)
    Path(out).write_text(json.dumps(
        {"offices": offices, "principals": principals, "teachers": teachers}, indent=1))
    print(f"{out}: {len(offices)} offices, {len(principals)} principals, "
          f"{len(teachers)} teachers ({sum(1 for t in teachers if t['submit'])} may submit)")


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "var/load/users.json")
