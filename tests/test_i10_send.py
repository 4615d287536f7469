"""Issue 10, item 7 (allocation): sending a run's proposals asks for a confirmation saying
how many proposals go to which schools and who answers them there; the GET sends nothing."""

import pytest

from recruitment.models import Proposal
from recruitment.selectors import allocation as allocation_selectors
from recruitment.services import allocation as allocation_services

from .factories import HireFactory, adopted_cycle
from .helpers import messages_of, text, url

pytestmark = pytest.mark.usefixtures("english_pages")


@pytest.fixture
def cycle(office_user, township, school, other_school):
    """Phase 5 open; conftest's ``posts``, ``mover`` and ``selecting`` build on it."""
    return adopted_cycle(office=office_user, township=township)


@pytest.fixture
def run(selecting, office_user):
    """青年丙 of 东张完小 placed at 夏庄完小's post 1."""
    return allocation_services.allocation_preview(by=office_user, cycle=selecting,
                                                  own_staff_first=True)


def test_the_confirmation_says_how_many_go_where_and_who_answers(
        login, office_user, run, school, principal_user, liaison_user):
    client = login(office_user)

    page = client.get(url("allocation_send", run.cycle, run.pk))

    assert page.status_code == 200
    assert not Proposal.objects.exists()  # nothing sent yet
    assert "1 proposal goes to 1 school(s)." in text(page)
    row = text(page).split(f'id="send-school-{school.pk}"', 1)[1].split("</tr>")[0]
    assert "夏庄完小" in row and "青年丙 → #1" in row
    assert "校长甲 (Principal / party secretary)" in row and "liaison (School liaison)" in row
    assert "Yes, send 1 proposal" in text(page)


def test_confirming_sends_them(login, office_user, run, mover):
    client = login(office_user)

    response = client.post(url("allocation_send", run.cycle, run.pk), follow=True)

    assert Proposal.objects.get().staff == mover
    assert messages_of(response) == ["1 proposal sent to 1 school(s); each confirms or declines."]


def test_the_confirmation_counts_what_will_not_be_sent(login, office_user, run, mover, posts):
    HireFactory(cycle=run.cycle, staff=mover, post=posts["there"][0])

    page = login(office_user).get(url("allocation_send", run.cycle, run.pk))

    assert allocation_selectors.send_plan(run).hired_since == 1
    assert "Nothing to send" in text(page)
    assert "Yes, send" not in text(page)


def test_the_run_page_leads_to_the_confirmation(login, office_user, run):
    page = login(office_user).get(url("allocation_run", run.cycle, run.pk))

    form = text(page).split('id="send"', 1)[1].split("</form>")[0]
    assert 'method="get"' in form
    assert url("allocation_send", run.cycle, run.pk) in form


def test_only_the_office(login, principal_user, run):
    assert login(principal_user).get(url("allocation_send", run.cycle, run.pk)).status_code == 403
