"""Issue 8, item 10: junk in any id, parameter or form field a request carries answers
a page, a 400 or a 404, never a 500.

The walk is built from the project itself, so a new URL or a new parameter is walked
without touching this file: every pattern of the URL resolver; every name a view reads
from ``request.GET``/``request.POST`` (a scan of the views' source) and every field of
every form class of the project; every list filter of every registered ModelAdmin.
"""

import inspect
import logging
import re
from pathlib import Path
from urllib.parse import quote, urlencode

import pytest
from django import forms
from django.conf import settings
from django.contrib import admin
from django.db import connection
from django.urls import get_resolver, reverse

from recruitment import rules
from recruitment.models import CommitteeRole, Proposal
from recruitment.phases import DRAFT, INTENTIONS, OPINIONS, REVIEW, SELECTION, UNHIRED
from recruitment.selectors import common as common_selectors
from recruitment.services import allocation as allocation_services
from recruitment.services import consultation as consultation_services
from recruitment.services import cycle as cycle_services
from recruitment.services import plan as plan_services
from recruitment.services import posts as posts_services
from recruitment.services import selection as selection_services
from recruitment.services import unhired as unhired_services
from schools.models import Position
from staffing.ids import optional_id, parse_id

from .factories import StaffFactory, UserFactory, adopted_cycle
from .helpers import TEXT, close_phase, open_phase, route_kwargs, url_patterns

HUGE, NUL = "9" * 25, "\x00"
JUNK = ["abc", "1.5", NUL, HUGE, "-1", "１２"]  # letters, decimals, NUL, huge, sign, full-width
ROOT = Path(settings.BASE_DIR)
VIEW_SOURCES = [ROOT / "staffing" / "views.py", ROOT / "staffing" / "health.py",
                ROOT / "staffing" / "audit.py",
                ROOT / "schools" / "views.py",
                *sorted((ROOT / "recruitment" / "views").glob("*.py")),
                *sorted((ROOT / "attendance" / "views").glob("*.py")),
                *sorted((ROOT / "evaluation" / "views").glob("*.py"))]
FORM_MODULES = [*(f"{app}.forms.{p.stem}" for app in ("recruitment", "attendance", "evaluation")
                  for p in sorted((ROOT / app / "forms").glob("*.py")) if p.stem != "__init__"),
                "schools.forms"]


# --- the helper ------------------------------------------------------------------------


@pytest.mark.parametrize("value", [*JUNK, " 1", "0", "", None, "1e3", "0x1f", "+1", "1_000", "٣",
                                   "1" * 19, "9223372036854775808", True])
def test_anything_but_a_plain_id_is_not_an_id(value):
    assert optional_id(value) is None
    with pytest.raises(Exception) as refused:
        parse_id(value)
    assert refused.type.__name__ == "Http404"


@pytest.mark.parametrize("value, number", [("1", 1), ("007", 7), ("9" * 18, 10**18 - 1),
                                           (42, 42)])
def test_a_plain_id_is_an_id(value, number):
    assert optional_id(value) == parse_id(value) == number


# --- what the project reads ----------------------------------------------------------

READ = re.compile(r"""(?:request\.(?:GET|POST)|data|back|fields)(?:\.get|\.getlist)?"""
                  r"""[\[(]\s*f?["']([^"']+)["']""")


def parameter_names() -> set[str]:
    """Every name a view reads from the query string or the form (f-strings with the
    intention form's slot 1), and every field of every form class of the project."""
    names = set()
    for source in [*VIEW_SOURCES, *(ROOT / "recruitment" / "forms").glob("*.py"),
                   *(ROOT / "attendance" / "forms").glob("*.py"),
                   *(ROOT / "evaluation" / "forms").glob("*.py")]:
        for name in READ.findall(source.read_text()):
            names.add(re.sub(r"\{[^}]*\}", "1", name.replace("{prefix}", "choice-1")))
    for module_name in FORM_MODULES:
        module = __import__(module_name, fromlist=["_"])
        for _name, cls in inspect.getmembers(module, inspect.isclass):
            if issubclass(cls, forms.BaseForm) and cls.__module__ == module_name:
                names.update(cls.base_fields)
    return names


def test_the_scan_finds_what_the_views_read():
    names = parameter_names()
    assert {"school", "staff", "page", "revision", "post", "choice-1-school",
            "choice-1-auxiliary", "based_on", "vote", "a", "b", "user"} <= names


def test_every_view_module_is_scanned():
    for _route, name in url_patterns():
        callback = get_resolver().resolve(reverse_with_ones(name)).func
        module = inspect.getmodule(inspect.unwrap(callback))
        if module.__name__.startswith(("django.", "axes.")):
            continue
        assert Path(module.__file__) in VIEW_SOURCES, name


def reverse_with_ones(name: str) -> str:
    route = dict((n, r) for r, n in url_patterns())[name]
    return reverse(name, kwargs={k: ("t" if conv == "str" else 1)
                                 for conv, k in route_kwargs(route)})


# --- the world -----------------------------------------------------------------------


@pytest.fixture
def world(office_user, principal_user, teacher, township, school, other_school,
          media_root):
    """Three cycles of one township: 2026 in phase 6 (posts, intentions, a hire, a
    proposal, a cadre proposal, a committee member), 2027 in phase 3 (a review comment,
    an opinion), 2028 in phase 7 (a trainee); and 2029 with no adopted plan."""
    selecting = adopted_cycle(office=office_user, township=township)
    posts = [posts_services.post_save(by=principal_user, cycle=selecting, school=school, fields=f)
             for f in (rules.PostFields(number=1, kind="teaching", grade_class="三年级",
                                      subject="语文", weekly_lessons=12),
                       rules.PostFields(number=2, kind="auxiliary", duties="实验室管理"),
                       rules.PostFields(number=3, kind="teaching", grade_class="四年级",
                                      subject="语文", weekly_lessons=12))]
    posts_services.posts_publish(by=office_user, cycle=selecting, school=school)
    outsider = StaffFactory(school=other_school, user=UserFactory(username="outsider"))
    posts_services.intention_submit(by=teacher.user, cycle=selecting,
                         choices=[rules.Choice(school, posts[0], [posts[1]])])
    posts_services.intention_submit(by=outsider.user, cycle=selecting,
                         choices=[rules.Choice(school, posts[2], [posts[1]])])
    close_phase(selecting, office_user, INTENTIONS)
    open_phase(selecting, office_user, SELECTION)
    selection_services.first_layer_close(by=office_user, cycle=selecting)
    selection_services.ranking_record(by=principal_user, post=posts[2], staff=outsider, rank=1,
                       decision="hire")
    ranking = selection_services.ranking_record(
        by=principal_user, post=posts[0], staff=teacher, rank=1, decision="hire"
    )
    selection_services.hire_confirm(by=principal_user, post=posts[0], staff=teacher)
    member = selection_services.committee_member_add(
        by=principal_user,
        cycle=selecting,
        school=school,
        user=StaffFactory(school=school, user=UserFactory(username="member")).user,
        role=CommitteeRole.BACKBONE,
    )
    run = allocation_services.allocation_preview(by=office_user, cycle=selecting,
                                                 own_staff_first=False)
    allocation_services.allocation_send(by=office_user, run=run)
    position = Position.objects.create(staff=StaffFactory(school=school), school=school,
                                       title="副校长", start_date="2020-09-01")

    consulting = cycle_services.cycle_create(by=office_user, township=township, school_year=2027)
    open_phase(consulting, office_user, DRAFT)
    plan_services.plan_revise(by=office_user, cycle=consulting, text=TEXT, settings={})
    close_phase(consulting, office_user, DRAFT)
    open_phase(consulting, office_user, REVIEW)
    comment = plan_services.review_comment_add(by=principal_user,
                                          revision=consulting.revisions.get(), section=1,
                                          body="意见")
    plan_services.review_comment_answer(by=office_user, comment=comment, adopted=True, reason="好")
    close_phase(consulting, office_user, REVIEW)
    open_phase(consulting, office_user, OPINIONS)
    opinion = consultation_services.opinion_submit(by=teacher.user, cycle=consulting, body="意见")
    representative = selecting.representatives.get()

    training = cycle_services.cycle_create(by=office_user, township=township, school_year=2028)
    open_phase(training, office_user, DRAFT)
    plan_services.plan_revise(by=office_user, cycle=training, text=TEXT, settings={})
    training.adopted_revision = training.revisions.get()  # the vote is not the point here
    training.save()
    for number in range(1, SELECTION + 1):
        phase = common_selectors.phase_of(training, number)
        phase.state = "closed"
        phase.save()
    open_phase(training, office_user, UNHIRED)
    idle = StaffFactory(school=school)
    enrolment = unhired_services.training_enrol(by=office_user, cycle=training, staff=idle)

    drafting = cycle_services.cycle_create(by=office_user, township=township, school_year=2029)
    open_phase(drafting, office_user, DRAFT)

    ids = {"school_pk": school.pk, "post_pk": posts[0].pk, "member_pk": member.pk,
           "ranking_pk": ranking.pk, "position_pk": position.pk, "run_pk": run.pk,
           "proposal_pk": Proposal.objects.filter(cycle=selecting).first().pk,
           "representative_pk": representative.pk, "comment_pk": comment.pk,
           "opinion_pk": opinion.pk, "enrolment_pk": enrolment.pk, "number": SELECTION,
           "township_pk": township.pk, "token": "x" * 32}
    return {
        "cycles": [selecting, consulting, training, drafting],
        "ids": ids,
        "staff_pk": teacher.pk,
        "valid": {"school": school.pk, "staff": teacher.pk, "post": posts[2].pk,
                  "revision": 1, "page": 1, "user": member.user.pk},
    }


def cases(world) -> list[tuple[str, list[str], list[str]]]:
    """(name, its URLs with real ids, its URLs with one int id 25 digits long) of every
    pattern; a cycle's page once for each cycle of the world."""
    found = []
    for route, name in url_patterns():
        params = route_kwargs(route)
        per_cycle = ("int", "pk") in params and name.startswith("recruitment:")
        real = []
        for cycle in world["cycles"] if per_cycle else [None]:
            kwargs = {key: world["ids"].get(key, 1) for _conv, key in params}
            if "pk" in kwargs:
                kwargs["pk"] = cycle.pk if cycle else (
                    world["staff_pk"] if "staff" in name else world["ids"]["school_pk"])
            real.append(reverse(name, kwargs=kwargs))
        huge = [route_url(route, {k: (HUGE if k == key else real_value(world, k))
                                  for _c, k in params})
                for conv, key in params if conv == "int"]
        # A text part of the path with a NUL byte in it (PostgreSQL's text holds none).
        huge += [route_url(route, {k: (quote("x\x00") if k == key else real_value(world, k))
                                   for _c, k in params})
                 for conv, key in params if conv == "str"]
        found.append((name, real, huge))
    return found


def real_value(world, key):
    return world["cycles"][0].pk if key == "pk" else world["ids"].get(key, 1)


def route_url(route: str, kwargs: dict) -> str:
    return "/" + re.sub(r"<\w+:(\w+)>", lambda m: str(kwargs[m.group(1)]), route)


def direct_reads(source: Path | None = None) -> set[str]:
    """The names views read themselves (``request.GET.get("school")``): read one after
    the other, so an early 404 could hide a later read; forms check all their fields.
    Of one view module (``source``) and the shared helpers every page calls, or of all."""
    sources = VIEW_SOURCES if source is None else [source, *SHARED_VIEW_SOURCES]
    return {name for path in sources for name in READ.findall(path.read_text())
            if "{" not in name}


# Helpers the views of every app call with the request (the page to go back to).
SHARED_VIEW_SOURCES = [path for path in VIEW_SOURCES if path.stem == "common"]


def view_source(url: str) -> Path:
    module = inspect.getmodule(inspect.unwrap(get_resolver().resolve(url.split("?")[0]).func))
    return Path(module.__file__)


def assert_no_500(client, url, data, method, failures):
    response = getattr(client, method)(url, data)
    if response.status_code >= 500:
        failures.append(f"{method.upper()} {url} {data!r}: {response.status_code}")


# The walk is thousands of requests: cut into shards (every SHARDS-th pattern) so the
# test workers share it; together the shards walk every pattern.
SHARDS = 6


@pytest.mark.parametrize("shard", range(SHARDS))
@pytest.mark.parametrize("role", ["office_user", "principal_user", "teacher_user"])
def test_junk_in_every_parameter_of_every_url_is_never_a_500(request, world, client, role,
                                                            shard, office_user,
                                                            teacher_user, caplog):
    client.raise_request_exception = False
    caplog.set_level(logging.CRITICAL, logger="django.request")  # thousands of 404s
    names = sorted(parameter_names())
    failures: list[str] = []
    patterns = cases(world)[shard::SHARDS]
    assert patterns
    for user in (request.getfixturevalue(role),):
        for _name, real, huge in patterns:
            client.force_login(user)  # again: one of the patterns is the logout
            # Every junk value in every name at once, by GET and POST; the pattern's
            # cycles taken in turn (the 4 phases of the world).
            for index, value in enumerate(JUNK):
                url = real[index % len(real)]
                junk = dict.fromkeys(names, value)
                assert_no_500(client, url, junk, "get", failures)
                assert_no_500(client, url, junk, "post", failures)
            if user == teacher_user:
                continue
            # Each name its view's module (or a shared helper) reads itself junk alone,
            # the others valid.
            for index, key in enumerate(sorted(direct_reads(view_source(real[0])))):
                url = f"{real[index % len(real)]}?{urlencode({key: NUL})}"
                assert_no_500(client, url, {**world["valid"], key: HUGE}, "post", failures)
            if user == office_user:
                for url in huge:
                    assert_no_500(client, url, {}, "get", failures)
                    assert_no_500(client, url, {}, "post", failures)
    assert failures == []


def admin_filter_params(model_admin) -> list[str]:
    params = []
    for entry in model_admin.list_filter:
        name = entry if isinstance(entry, str) else entry[0] if isinstance(entry, tuple) \
            else getattr(entry, "parameter_name", None)
        if name:
            params += [name, f"{name}__id__exact", f"{name}__exact"]
    return params


def test_junk_in_every_admin_list_filter_and_object_id_is_never_a_500(db, client, caplog):
    client.raise_request_exception = False
    caplog.set_level(logging.CRITICAL, logger="django.request")
    client.force_login(UserFactory(username="root", is_staff=True, is_superuser=True))
    failures: list[str] = []
    filtered = 0
    for model, model_admin in admin.site._registry.items():
        info = model._meta.app_label, model._meta.model_name
        changelist = reverse("admin:{}_{}_changelist".format(*info))
        for param in admin_filter_params(model_admin):
            filtered += 1
            for value in (HUGE, "\x00", "abc", "-1"):
                assert_no_500(client, changelist, {param: value}, "get", failures)
        for value in (HUGE, "abc"):
            assert_no_500(client, changelist, {"q": value, "p": value, "o": value}, "get",
                          failures)
        for view in ("change", "delete", "history"):
            url = reverse(f"admin:%s_%s_{view}" % info, args=[1]).replace("/1/", f"/{HUGE}/")
            assert_no_500(client, url, {}, "get", failures)
    assert filtered >= 13
    assert failures == []


def test_the_unhired_page_of_a_cycle_without_an_adopted_plan_says_so(world, login,
                                                                       office_user,
                                                                       english_pages):
    drafting = world["cycles"][-1]
    page = login(office_user).get(reverse("recruitment:unhired", args=[drafting.pk]))
    assert page.status_code == 200
    assert "has not been adopted" in page.text


def test_a_junk_school_in_the_opinions_report_is_a_404(world, login, principal_user):
    consulting = world["cycles"][1]
    url = reverse("recruitment:opinions_report", args=[consulting.pk])
    client = login(principal_user)
    for value in ("abc", "1.5", "\x00", HUGE):
        assert client.post(url, {"school": value}).status_code == 404


def test_a_junk_staff_for_a_representative_is_a_404(world, login, office_user):
    url = reverse("recruitment:representative_add", args=[world["cycles"][1].pk])
    assert login(office_user).post(url, {"staff": "abc"}).status_code == 404



def test_a_25_digit_admin_filter_is_a_wrong_lookup(db, client):
    client.force_login(UserFactory(username="root", is_staff=True, is_superuser=True))
    answer = client.get(reverse("admin:schools_staff_changelist"), {"school": HUGE})
    # SQLite cannot bind the number (a wrong lookup: the admin's ?e=1); PostgreSQL compares
    # it as a numeric and finds nobody. Either way an answer, never a 500.
    if connection.vendor == "sqlite":
        assert answer.status_code == 302 and answer.url.endswith("?e=1")
    else:
        assert answer.status_code == 200 and answer.context["cl"].result_count == 0
