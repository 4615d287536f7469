"""Issue 14, item 3: every URL of the project, filled with the ids of another township's
records, asked for by everyone who must not see them.

The patterns come from the URL resolver, so a new page is walked without touching this
file; each of its parameters must be named in ``PARAMETERS`` (which record of the demo
township fills it), or the walk fails naming the URL. The records are the demo township's
(葛石镇 of 宁阳县, ``seed_demo``: Step 1 to Step 3, ballots, letters, exams, the county's
title year, qualifications); the callers are anonymous and a teacher, a principal, a
liaison, the township office and the county office of 远山镇 in another county
(tests/security_world.py). Each URL is asked for by GET and by POST (the test client
skips CSRF checks), and each answer must be:

- anonymous: a redirect to the login page (or 405), except the short list of ``PUBLIC``
  pages;
- everyone else: 403, 404, 405, 400 or a redirect, or a page (200) that shows none of the
  demo township's staff names or resident IDs (whole or masked); a download must not
  carry them either, and a PDF of theirs is never served;
- and no request of the walk changes a record.

Inside the demo township, a teacher, a principal and a liaison of other schools are
refused every URL that carries one school's own records (``SCHOOL_RECORDS``).

A leaky view registered in a test URLconf shows the walk catches one
(``test_the_walk_catches_a_leaky_view``).
"""

import logging
import re
import time
import zipfile
from io import BytesIO

import pytest
from django.db import transaction
from django.test import Client, override_settings
from django.urls import get_resolver, reverse

from . import security_world
from .helpers import route_kwargs, row_counts, url_patterns

# Pages meant for anyone, logged in or not: logging in and out, the language switch, and
# the public page of the county's title evaluation (公示, R12's "five publics") with its
# objection form. They may name people (the public list does); no resident ID.
PUBLIC = {"login", "logout", "set_language", "healthz", "evaluation:titles_public",
          "evaluation:titles_public_objection"}

# Which record of the demo township fills a parameter: (URL name prefix, parameter) → a
# key of ``security_world.World.ids``. The first match wins; the prefix "" is every URL.
# ``pk`` names a different record on each app's pages, hence the prefixes.
PARAMETERS = [
    ("schools:school_detail", "pk", "school"),
    ("schools:staff_", "pk", "staff"),
    ("schools:roster_", "pk", "roster_import"),
    ("recruitment:selection_cadre_decide", "proposal_pk", "cadre_proposal"),
    ("recruitment:", "pk", "cycle"),
    ("attendance:contract", "pk", "cycle"),
    ("attendance:leave_cancel", "pk", "leave"),
    ("attendance:record_history", "pk", "record"),
    ("attendance:calendar_delete", "pk", "calendar_day"),
    ("attendance:import_", "pk", "attendance_import"),
    ("attendance:school_answer", "pk", "objection"),
    ("evaluation:ballots_person_remove", "pk", "assessee"),
    ("evaluation:ballots_voter_remove", "pk", "invitation"),
    ("evaluation:ballots_answer", "pk", "objection"),
    ("evaluation:ballots_report_file", "pk", "assessee"),
    ("evaluation:ballots_my_report", "pk", "assessee"),
    ("evaluation:exams_import_", "pk", "exam_import"),
    ("evaluation:exam_ground", "pk", "ground"),
    ("evaluation:exam_objection_answer", "objection_pk", "objection"),
    ("evaluation:exam", "pk", "exam"),
    ("evaluation:rec_remove", "candidate_pk", "rec_candidate"),
    ("evaluation:rec_answer", "objection_pk", "objection"),
    ("evaluation:rec_", "pk", "rec_list"),
    ("evaluation:research_", "pk", "research_round"),
    ("evaluation:research_", "application_pk", "research_application"),
    ("evaluation:titles_table_", "import_pk", "title_table_import"),
    ("evaluation:titles_objection", "objection_pk", "title_public_objection"),
    ("evaluation:titles_", "pk", "title_year"),
    ("evaluation:title_import_", "pk", "title_score_import"),
    ("evaluation:title_objection", "objection_pk", "title_objection"),
    ("evaluation:title_", "pk", "title_candidate"),
    ("evaluation:qualification_import_", "pk", "qualification_import"),
    ("evaluation:qualification", "pk", "qualification"),
    *(("", parameter, key) for parameter, key in {
        "school_pk": "school", "township_pk": "township", "county_pk": "county",
        "staff_pk": "staff", "year_pk": "title_year", "round_pk": "round",
        "candidate_pk": "title_candidate", "letter_pk": "letter", "post_pk": "post",
        "hire_pk": "hire", "ranking_pk": "ranking", "member_pk": "member",
        "position_pk": "position", "run_pk": "run", "proposal_pk": "proposal",
        "enrolment_pk": "enrolment", "comment_pk": "comment", "opinion_pk": "opinion",
        "representative_pk": "representative", "contract_pk": "contract",
        "quota_pk": "title_quota", "extra_pk": "title_extra", "doc_pk": "title_document",
        "number": "number", "month": "month", "day": "day", "year": "year",
        "level": "level", "step": "step", "token": "token", "username": "locked_login",
    }.items()),
]

REFUSED = {400, 403, 404, 405}


def parameter_key(name: str, parameter: str) -> str | None:
    return next((key for prefix, param, key in PARAMETERS
                 if param == parameter and name.startswith(prefix)), None)


def walk_urls(ids: dict, urlconf=None) -> tuple[list[tuple[str, str, set]], list[str]]:
    """(name, URL filled with the demo township's ids, the keys of ``ids`` it took) of
    every pattern, and the patterns with a parameter ``PARAMETERS`` does not name."""
    urls, unnamed = [], []
    for route, name in url_patterns(get_resolver(urlconf)):
        kwargs, keys = {}, set()
        for _converter, parameter in route_kwargs(route):
            key = parameter_key(name, parameter)
            if key is None:
                unnamed.append(f"{name} ({route}): no record for <{parameter}>")
                continue
            kwargs[parameter] = security_world.pk_of(ids[key])
            keys.add(key)
        if len(kwargs) == len(route_kwargs(route)):
            urls.append((name, reverse(name, kwargs=kwargs, urlconf=urlconf), keys))
    return urls, unnamed


def body_text(response) -> str:
    """What an answer shows: the page, or the text inside a workbook (a zip of XML)."""
    content = b"".join(response.streaming_content) if response.streaming else response.content
    if content[:2] == b"PK":
        with zipfile.ZipFile(BytesIO(content)) as archive:
            return " ".join(archive.read(entry).decode("utf-8", "replace")
                            for entry in archive.namelist() if entry.endswith(".xml"))
    return content.decode("utf-8", "replace")


def personal_data(world) -> tuple[re.Pattern, re.Pattern]:
    """A pattern of the demo township's names and one of its resident IDs (whole or
    masked): the longest first, so a name is found whole."""
    def alternation(words):
        return re.compile("|".join(re.escape(w) for w in sorted(set(words), key=len,
                                                                reverse=True)))
    return alternation(world.names), alternation(world.resident_ids)


def judge(name, method, url, response, anonymous, patterns,
          record_pages=frozenset()) -> str | None:
    """Why the answer is a leak, or None. ``record_pages``: the walk's URLs that carry a
    record's id, which no refusal may redirect to."""
    status = response.status_code
    where = f"{method} {url} ({name}) → {status}"
    if status >= 500:
        return where
    names, resident_ids = patterns
    if anonymous and name not in PUBLIC:
        login = reverse("login")
        if status == 405 or (status == 302 and response["Location"].startswith(login)):
            return None
        return f"{where}: anonymous not sent to the login page"
    if status in (301, 302, 303):
        target = response["Location"].split("?")[0]
        return f"{where}: sent to the record's page {target}" if target in record_pages else None
    if status in REFUSED:
        return None
    if status != 200:
        return f"{where}: unexpected"
    if response.get("Content-Type", "").startswith("application/pdf"):
        return f"{where}: a PDF served"
    body = body_text(response)
    if found := resident_ids.search(body):
        return f"{where}: shows the resident ID {found.group()}"
    if name not in PUBLIC and (found := names.search(body)):
        return f"{where}: shows {found.group()}"
    return None


VALUES = {"number", "month", "day", "year", "level", "step", "token"}  # no record's id


def walk(clients: dict, urls, patterns) -> list[str]:
    """Every URL by GET and POST for each client; the leaks found."""
    record_pages = frozenset(url for _name, url, keys in urls if keys - VALUES)
    leaks = []
    for role, (client, user) in clients.items():
        for name, url, _keys in urls:
            for method in ("get", "post"):
                if user is not None:
                    client.force_login(user)  # again: one of the URLs is the logout
                response = getattr(client, method)(url)
                if leak := judge(name, method.upper(), url, response, user is None, patterns,
                                 record_pages):
                    leaks.append(f"{role}: {leak}")
    return leaks


# --- the world, built once for the module ---------------------------------------------


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker, tmp_path_factory):
    with django_db_blocker.unblock(), override_settings(
            MEDIA_ROOT=tmp_path_factory.mktemp("media")):
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            yield security_world.build()
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


@pytest.fixture
def quiet(caplog):
    caplog.set_level(logging.CRITICAL, logger="django.request")  # hundreds of 404s


def clients_of(world) -> dict:
    found = {"anonymous": (Client(raise_request_exception=False), None)}
    for role, user in world.users.items():
        client = Client(raise_request_exception=False)
        client.force_login(user)
        found[role] = (client, user)
    return found


# --- the walk ---------------------------------------------------------------------------


def test_every_parameter_of_every_url_names_a_record(world, db):
    urls, unnamed = walk_urls(world.ids)
    assert unnamed == []
    assert len(urls) > 250
    assert {name for name, _url, _keys in urls} >= PUBLIC  # no stale public entry


def test_nobody_outside_the_township_sees_its_records_on_any_url(world, db, quiet):
    urls, _unnamed = walk_urls(world.ids)
    before = row_counts()
    started = time.monotonic()

    leaks = walk(clients_of(world), urls, personal_data(world))

    elapsed = time.monotonic() - started
    after = row_counts()
    assert leaks == []
    changed = {model: (before[model], after[model]) for model in before
               if before[model] != after[model] and not model.startswith(("axes.", "sessions."))}
    assert changed == {}
    assert elapsed < 300  # about 3,600 requests; the README gives the measured time


# A school's own records: its pages, its staff's, their leave, attendance and contracts.
SCHOOL_RECORDS = {"school", "staff", "leave", "record", "contract"}


def test_another_school_of_the_township_is_refused_the_schools_own_pages(world, db, quiet):
    """Inside the demo township a teacher, a principal and a liaison of other schools
    share its cycle, posts and publications, but every URL that carries one school's own
    records (``SCHOOL_RECORDS``) is refused them outright."""
    urls, _unnamed = walk_urls(world.ids)
    walked = [(name, url) for name, url, keys in urls if keys & SCHOOL_RECORDS]
    answers = []
    for role, user in world.neighbours.items():
        client = Client(raise_request_exception=False)
        for name, url in walked:
            for method in ("get", "post"):
                client.force_login(user)
                status = getattr(client, method)(url).status_code
                if status not in REFUSED:
                    answers.append(f"{role}: {method.upper()} {url} ({name}) → {status}")
    assert len(walked) > 40
    assert answers == []


def test_the_personal_data_patterns_find_the_township_staff(world, db):
    names, resident_ids = personal_data(world)
    person = world.ids["staff"]
    assert names.search(f"<td>{person.name}</td>")
    assert resident_ids.search(person.masked_id) and resident_ids.search(person.resident_id)
    assert not names.search(body_text(Client().get(reverse("login"))))


# --- the walk fails on a leak -----------------------------------------------------------


def test_the_walk_catches_a_leaky_view(world, db, quiet, settings):
    settings.ROOT_URLCONF = "tests.security_leaky_urls"
    urls, unnamed = walk_urls(world.ids, urlconf=settings.ROOT_URLCONF)
    assert unnamed == ["leakier (leakier/<int:widget_pk>/): no record for <widget_pk>"]
    leaky = [entry for entry in urls if entry[0] == "leaky_staff"]

    leaks = walk(clients_of(world), leaky, personal_data(world))

    person = world.ids["staff"]
    assert len(leaks) == 2 * len(security_world.ROLES)  # GET and POST, anonymous refused
    assert all(f"shows {person.name}" in leak for leak in leaks), leaks
