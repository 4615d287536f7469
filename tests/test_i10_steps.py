"""Issue 10, items 13 and 14: the cycle's page names each phase's step right (phases 5–7
are Step 2) and lists Step 3's phases for every role before their pages exist; a liaison
reaches their schools' hiring committees from the menu and from the home page's to-dos."""

import pytest
from django.urls import reverse

from recruitment.phases import STEPS

from .factories import adopted_cycle
from .helpers import section, text, to_selection, url


@pytest.fixture
def cycle(office_user, township, school, other_school):
    return adopted_cycle(office=office_user, township=township)


def step_of(page: str, number: int) -> str:
    """The heading of the step whose table lists phase ``number``."""
    before = page.split(f'id="phase-{number}"')[0]
    return before.rsplit("<h2", 1)[1].split(">", 1)[1].split("</h2>")[0]


@pytest.mark.parametrize("who", ["teacher_user", "principal_user", "liaison_user"])
def test_every_role_sees_each_phase_under_its_step(request, login, cycle, who):
    page = text(login(request.getfixturevalue(who)).get(url("dashboard", cycle)))

    for number in (1, 4):
        assert step_of(page, number) == f"第一步：{STEPS[1]}"
    for number in (5, 6, 7):
        assert step_of(page, number) == f"第二步：{STEPS[2]}"
    for number in (8, 9, 10):
        assert step_of(page, number) == f"第三步：{STEPS[3]}"
    assert 'id="phase-10"' in page


def test_the_office_sees_step_3_with_the_links_to_its_pages(login, office_user, cycle):
    page = text(login(office_user).get(url("dashboard", cycle)))

    row = page.split('id="phase-8"')[1].split("</tr>")[0]
    assert 'data-label="步骤">3</td>' in row
    assert f'href="/attendance/cycle/{cycle.pk}/contracts/"' in row
    assert "页面待开放" not in page
    assert 'data-label="步骤">2</td>' in page.split('id="phase-6"')[1].split("</tr>")[0]


def test_a_liaison_reaches_the_committee_from_the_menu_and_the_todos(
        login, office_user, liaison_user, cycle, school):
    client = login(liaison_user)
    committee = reverse("recruitment:school_selection", args=[cycle.pk, school.pk])
    before = text(client.get("/"))

    to_selection(cycle, office_user)
    home = text(client.get("/"))
    menu = home.split('class="site-nav"')[1].split("</nav>")[0]

    assert f'href="{committee}"' not in section_of(before)  # phase 6 not open yet
    assert f'href="{committee}"' in section_of(home)
    assert "参加夏庄完小聘任委员会，为应聘人员排序" in section_of(home)
    selection = reverse("recruitment:selection", args=[cycle.pk])
    assert f'href="{selection}">聘任委员会</a>' in menu
    assert client.get(selection).url == committee  # one school: straight to its committee


def section_of(page: str) -> str:
    return page.split('id="cycle"')[1].split("</section>")[0]


def test_a_teacher_has_no_committee_link(login, teacher_user, cycle, office_user):
    to_selection(cycle, office_user)
    home = text(login(teacher_user).get("/"))

    assert reverse("recruitment:selection", args=[cycle.pk]) not in home


def test_the_committee_todo_on_the_cycle_page(login, office_user, liaison_user, cycle, school):
    to_selection(cycle, office_user)
    response = login(liaison_user).get(url("dashboard", cycle))

    assert "参加夏庄完小聘任委员会" in section(response, "todos")
