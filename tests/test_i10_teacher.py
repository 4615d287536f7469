"""Issue 10, item 12: a teacher's home page shows their current result and what to do
next (intention, selection, training and its test, placement) in plain words, with
their name in the welcome line; no rule code ("R7", "（R2）") reaches what a teacher reads.
"""

import re

import pytest

from recruitment.phases import INTENTIONS, SELECTION, UNHIRED
from recruitment.services import unhired as unhired_services

from .factories import adopted_cycle
from .helpers import apply, close_phase, open_phase, person, text, url

RULE_CODE = re.compile(r"R[1-9]")


@pytest.fixture
def cycle(office_user, township, school, other_school):
    return adopted_cycle(office=office_user, township=township)


@pytest.fixture
def me(school):
    return person(school, "王老师")


def home(client) -> str:
    return text(client.get("/"))


def own_result(page: str) -> str:
    return page.split('id="own-result"')[1].split("</section>")[0]


def visible(page: str) -> str:
    """What a reader sees: the text between tags, without the head's metadata."""
    body = page.split("<body", 1)[1]
    return re.sub(r"<[^>]+>", " ", body)


def test_the_welcome_line_names_the_person_not_the_login(login, me, cycle):
    page = home(login(me.user))

    assert page.split("<h1>")[1].split("</h1>")[0] == "欢迎您，王老师"


def test_the_home_page_walks_a_teacher_through_step_2(login, office_user, principal_user,
                                                      me, cycle, posts, school):
    client = login(me.user)
    deadline = {n: p.deadline.isoformat() for n, p in
                ((p.number, p) for p in cycle.phases.all())}

    due = own_result(home(client))
    apply(me, cycle, school, posts["here"][0], posts["here"][1])
    sent = own_result(home(client))
    close_phase(cycle, office_user, INTENTIONS)
    open_phase(cycle, office_user, SELECTION)
    selecting = own_result(home(client))
    close_phase(cycle, office_user, SELECTION)
    unhired = own_result(home(client))
    open_phase(cycle, office_user, UNHIRED)
    enrolment = unhired_services.training_enrol(by=office_user, cycle=cycle, staff=me)
    training = own_result(home(client))
    unhired_services.training_score(by=office_user, enrolment=enrolment, score=80)
    passed = own_result(home(client))
    unhired_services.trainee_assign(by=office_user, enrolment=enrolment, post=posts["here"][1])
    placed = own_result(home(client))

    assert "尚未受聘" in due and f"请在{deadline[INTENTIONS]}前" in due
    assert "已提交岗位意向（1所学校）" in sent and deadline[INTENTIONS] in sent
    assert "聘任委员会正在选聘" in selecting and deadline[SELECTION] in selecting
    assert "培训班" in unhired and deadline[UNHIRED] in unhired
    assert "参加培训班" in training and deadline[UNHIRED] in training
    assert "考试合格" in passed and "短缺" in passed
    assert "已受聘：夏庄完小，2号岗位" in placed and "聘约" in placed
    for shown in (due, sent, selecting, unhired, training, passed, placed):
        assert not RULE_CODE.search(shown)


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_no_rule_code_on_the_pages_a_teacher_reads(login, settings, me, cycle, posts, school,
                                                   language):
    client = login(me.user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    apply(me, cycle, school, posts["here"][0], posts["here"][1])

    for page in ("/", url("plan", cycle), url("intention", cycle), url("intention_print", cycle),
                 url("my_result", cycle)):
        response = client.get(page)
        assert response.status_code == 200
        found = RULE_CODE.search(shown := visible(text(response)))
        assert not found, (page, shown[max(0, found.start() - 60):found.end() + 20])
