"""The selection pages' query counts and times, a small township against a county.

    .venv/bin/python benchmarks/selection_queries.py [--townships 3] [--schools 12]
        [--staff 60] [--repeat 3]

Builds, with bulk inserts, a cycle in phase 6 for each township: every school with its
posts (about one per staff member, a few auxiliary posts of several seats), every staff
member's intention (their own school first, then one or two others), the committees'
rankings of about half the applications, a third of the staff hired with auxiliary
duties, committee members, cadre proposals awaiting the office, and a principal and a
vice principal per school. Then renders each selection page with Django's test client,
as the township's office and as a principal, and prints the best time of ``--repeat``
and the number of queries.

It does this twice: a small world (one township of four schools of ten staff) and the
county (``--townships`` × ``--schools`` × ``--staff``, 3 × 12 × 60 by default). The
query counts must be the same for both: the pages read a school or a township in a fixed
number of queries, whatever its size.

Each world lives in a throwaway database: without ``DATABASE_URL`` a SQLite file in a
temporary folder (the production settings' options), with ``DATABASE_URL=postgres://…``
a ``bench_<name>`` database beside the one named (created and dropped here).
"""

import argparse
import os
import random
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--townships", type=int, default=3, help="townships (default 3)")
    parser.add_argument("--schools", type=int, default=12,
                        help="schools per township (default 12)")
    parser.add_argument("--staff", type=int, default=60, help="staff per school (default 60)")
    parser.add_argument("--repeat", type=int, default=3, help="repetitions (default 3)")
    return parser.parse_args()


def setup_django(tmp: str) -> None:
    """The test settings (the production ones with plain static files, which pages
    rendered outside ``collectstatic`` need); without DATABASE_URL a SQLite file under
    ``tmp``."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "staffing.settings_test")
    os.environ.setdefault("DATABASE_URL", f"sqlite:///{tmp}/unused.sqlite3")
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    import django
    from django.conf import settings

    django.setup()
    database = settings.DATABASES["default"]
    if database["ENGINE"].endswith("sqlite3"):
        test_name = f"{tmp}/bench.sqlite3"  # a file, as in production, not memory
    else:
        test_name = f"bench_{database['NAME']}"
    database.setdefault("TEST", {})["NAME"] = test_name
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]


# --- the world ------------------------------------------------------------------------------


def build(*, townships: int, schools: int, staff: int, seed: int = 6) -> dict:
    """Every township's cycle in phase 6, in bulk; returns what the pages are read with:
    the first township's cycle, its office login, a centre and a second-layer school
    with their principals' logins."""
    from django.contrib.auth import get_user_model
    from django.utils import timezone

    from recruitment.models import (
        Application,
        CadreProposal,
        CommitteeMember,
        Cycle,
        Hire,
        Intention,
        Phase,
        PhaseState,
        PlanRevision,
        PlanSchool,
        Post,
        PostKind,
        Ranking,
    )
    from recruitment.phases import SELECTION, default_dates
    from schools import resident_id
    from schools.models import (
        County,
        Membership,
        Position,
        Role,
        School,
        SchoolKind,
        Staff,
        Township,
    )

    rng = random.Random(seed)
    User = get_user_model()
    now = timezone.now()
    county = County.objects.create(name="基准县")
    places = Township.objects.bulk_create(
        [Township(county=county, name=f"基准{t}镇") for t in range(townships)])
    kinds = [SchoolKind.CENTRAL_MIDDLE, SchoolKind.CENTRAL_PRIMARY, SchoolKind.ADULT_EDUCATION]
    all_schools = School.objects.bulk_create([
        School(township=place, name=f"{place.name}第{s}校",
               kind=kinds[s] if s < len(kinds) else SchoolKind.COMPLETE_PRIMARY,
               establishment=staff, post_count=staff + 10, remote=s % 5 == 4)
        for place in places for s in range(schools)])
    people = []
    for n, (school, _i) in enumerate((s, i) for s in all_schools for i in range(staff)):
        sex = resident_id.MALE if n % 2 else resident_id.FEMALE
        born = date(1970, 1, 1) + timedelta(days=n // 400)
        people.append(Staff(
            resident_id=resident_id.make("370921", born, (n % 400) * 2 + (n % 2), sex),
            name=f"教师{n}", sex=sex, birth_date=born, school=school, subject="语文"))
    people = Staff.objects.bulk_create(people)
    by_school: dict[int, list] = {}
    for person in people:
        by_school.setdefault(person.school_id, []).append(person)

    users = User.objects.bulk_create(
        [User(username=f"office{t}") for t in range(townships)]
        + [User(username=f"principal{s.pk}") for s in all_schools]
        + [User(username=f"backbone{s.pk}") for s in all_schools])
    office = {place.pk: users[t] for t, place in enumerate(places)}
    principal = {s.pk: users[townships + i] for i, s in enumerate(all_schools)}
    backbone = {s.pk: users[townships + len(all_schools) + i] for i, s in enumerate(all_schools)}
    Membership.objects.bulk_create(
        [Membership(user=office[p.pk], role=Role.TOWNSHIP_OFFICE, township=p) for p in places]
        + [Membership(user=principal[s.pk], role=Role.PRINCIPAL, school=s)
           for s in all_schools])
    heads, vices = [], []
    for school in all_schools:
        head, vice, teacher = by_school[school.pk][:3]
        head.user, teacher.user = principal[school.pk], backbone[school.pk]
        heads.append(Position(staff=head, school=school, title="校长",
                              start_date=date(2020, 9, 1)))
        vices.append(Position(staff=vice, school=school, title="副校长",
                              start_date=date(2021 + school.pk % 4, 9, 1)))
    Staff.objects.bulk_update([p for p in people if p.user_id], ["user"])
    Position.objects.bulk_create(heads + vices)

    cycles = Cycle.objects.bulk_create([Cycle(township=p, school_year=2026) for p in places])
    dates = default_dates(2026)
    Phase.objects.bulk_create([
        Phase(cycle=c, number=n, start_date=start, deadline=deadline,
              state=(PhaseState.OPEN if n == SELECTION else
                     PhaseState.CLOSED if n < SELECTION else PhaseState.NOT_STARTED))
        for c in cycles for n, (start, deadline) in dates.items()])
    revisions = PlanRevision.objects.bulk_create(
        [PlanRevision(cycle=c, number=1, text="方案") for c in cycles])
    PlanSchool.objects.bulk_create([
        PlanSchool(revision=r, school=s, post_count=s.post_count,
                   first_step=s.kind in kinds)
        for r, c in zip(revisions, cycles, strict=True)
        for s in all_schools if s.township_id == c.township_id])
    for cycle, revision in zip(cycles, revisions, strict=True):
        cycle.adopted_revision = revision
        cycle.first_layer_closed_at = now
    Cycle.objects.bulk_update(cycles, ["adopted_revision", "first_layer_closed_at"])
    cycle_of = {c.township_id: c for c in cycles}

    aux_count = 4
    teaching_count = staff - aux_count
    posts = Post.objects.bulk_create([
        Post(cycle=cycle_of[s.township_id], school=s, number=n + 1,
             kind=PostKind.TEACHING if n < teaching_count else PostKind.AUXILIARY,
             grade_class=f"{1 + n % 6}年级" if n < teaching_count else "",
             subject="语文" if n < teaching_count else "",
             weekly_lessons=12 if n < teaching_count else 0,
             duties="" if n < teaching_count else f"辅助岗{n}",
             seats=1 if n < teaching_count else staff // 2, published_at=now)
        for s in all_schools for n in range(staff)])
    posts_of: dict[int, list] = {}
    for post in posts:
        posts_of.setdefault(post.school_id, []).append(post)

    intentions = Intention.objects.bulk_create(
        [Intention(cycle=cycle_of[s.township_id], staff=p)
         for s in all_schools for p in by_school[s.pk]])
    applications, aux_of = [], []
    township_schools = {p.pk: [s for s in all_schools if s.township_id == p.pk] for p in places}
    for intention in intentions:
        home = intention.staff.school
        others = rng.sample([s for s in township_schools[home.township_id] if s != home],
                            rng.randint(1, 2))
        for rank, school in enumerate([home, *others], start=1):
            choices = posts_of[school.pk]
            applications.append(Application(intention=intention, rank=rank, school=school,
                                            teaching_post=rng.choice(choices[:teaching_count])))
            aux_of.append(rng.choice(choices[teaching_count:]))
    applications = Application.objects.bulk_create(applications)
    through = Application.auxiliary_posts.through
    through.objects.bulk_create([through(application=a, post=p)
                                 for a, p in zip(applications, aux_of, strict=True)])

    rankings, hires, taken, hired = {}, [], set(), set()
    for application, aux in zip(applications, aux_of, strict=True):
        staff_id, post = application.intention.staff_id, application.teaching_post
        if rng.random() < 0.5 and (post.pk, staff_id) not in rankings:
            decision = rng.choice(["hire", "hire", "not_hire", "pending"])
            rankings[(post.pk, staff_id)] = Ranking(
                post=post, staff_id=staff_id, rank=rng.randint(1, 9), decision=decision,
                decided_by=principal[application.school_id], decided_at=now)
            if (decision == "hire" and application.rank == 1 and post.pk not in taken
                    and staff_id not in hired):
                taken.add(post.pk)
                hired.add(staff_id)
                hires.append((Hire(cycle=application.intention.cycle, staff_id=staff_id,
                                   post=post, source="selection",
                                   confirmed_by=principal[application.school_id]), aux))
    Ranking.objects.bulk_create(rankings.values())
    made = Hire.objects.bulk_create([hire for hire, _aux in hires])
    extra = Hire.extra_posts.through
    extra.objects.bulk_create([extra(hire=h, post=aux)
                               for h, (_hire, aux) in zip(made, hires, strict=True)])

    CommitteeMember.objects.bulk_create(
        [CommitteeMember(cycle=cycle_of[s.township_id], school=s, user=backbone[s.pk],
                         role="backbone") for s in all_schools])
    hired_at = {h.staff_id: h for h in made}
    proposals = []
    for school in all_schools:
        candidates = [p for p in by_school[school.pk][3:]
                      if p.pk in hired_at and hired_at[p.pk].post.school_id == school.pk]
        proposals += [CadreProposal(cycle=cycle_of[school.township_id], school=school,
                                    staff=p, title="教导主任",
                                    proposed_by=principal[school.pk]) for p in candidates[:1]]
    CadreProposal.objects.bulk_create(proposals)

    first = places[0]
    centre = next(s for s in township_schools[first.pk] if s.kind in kinds)
    second = next(s for s in township_schools[first.pk] if s.kind not in kinds)
    return {"cycle": cycle_of[first.pk], "office": office[first.pk], "centre": centre,
            "centre_principal": principal[centre.pk], "school": second,
            "principal": principal[second.pk], "staff": len(people),
            "applications": len(applications), "hires": len(made)}


# --- the pages --------------------------------------------------------------------------------


def pages(world: dict) -> list[tuple[str, object, str]]:
    """(label, login, url) of each selection page."""
    from django.urls import reverse

    cycle, school, centre = world["cycle"], world["school"], world["centre"]
    return [
        ("overview, office", world["office"], reverse("recruitment:selection", args=[cycle.pk])),
        ("school, office", world["office"],
         reverse("recruitment:school_selection", args=[cycle.pk, school.pk])),
        ("school, principal", world["principal"],
         reverse("recruitment:school_selection", args=[cycle.pk, school.pk])),
        ("centre, principal", world["centre_principal"],
         reverse("recruitment:school_selection", args=[cycle.pk, centre.pk])),
        ("vices, principal", world["principal"],
         reverse("recruitment:vice_assessments", args=[cycle.pk, school.pk])),
    ]


def measure(world: dict, repeat: int) -> dict[str, tuple[int, float, int]]:
    """label → (queries, best seconds, bytes of HTML)."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    found = {}
    for label, user, url in pages(world):
        client = Client()
        client.force_login(user)
        timings = []
        for _ in range(repeat):
            with CaptureQueriesContext(connection) as queries:
                start = time.perf_counter()
                response = client.get(url, secure=True)
                timings.append(time.perf_counter() - start)
            assert response.status_code == 200, (label, response.status_code)
        found[label] = (len(queries), min(timings), len(response.content))
    return found


def main() -> None:
    args = parse_args()
    with tempfile.TemporaryDirectory(prefix="selection-bench-") as tmp:
        setup_django(tmp)
        from django.core.management import call_command
        from django.db import connection

        old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True,
                                                      serialize=False)
        try:
            print(f"database: {connection.vendor}, best of {args.repeat}")
            results = {}
            for name, size in (("small", (1, 4, 10)),
                               ("county", (args.townships, args.schools, args.staff))):
                call_command("flush", interactive=False, verbosity=0)
                start = time.perf_counter()
                world = build(townships=size[0], schools=size[1], staff=size[2])
                print(f"{name}: {size[0]} × {size[1]} schools × {size[2]} staff = "
                      f"{world['staff']} staff, {world['applications']} applications, "
                      f"{world['hires']} hires (built in {time.perf_counter() - start:.1f} s)")
                results[name] = measure(world, args.repeat)
        finally:
            connection.creation.destroy_test_db(old_name, verbosity=0)

    print()
    print(f"{'page':20}{'small q':>9}{'ms':>8}{'county q':>10}{'ms':>8}{'KB':>8}")
    same = True
    for label, (queries, seconds, _size) in results["small"].items():
        county_queries, county_seconds, county_size = results["county"][label]
        same = same and county_queries == queries
        print(f"{label:20}{queries:9d}{seconds * 1000:8.0f}{county_queries:10d}"
              f"{county_seconds * 1000:8.0f}{county_size / 1024:8.0f}")
    print()
    print("query counts do not grow with size" if same
          else "QUERY COUNTS GROW WITH SIZE")
    sys.exit(0 if same else 1)


if __name__ == "__main__":
    main()
