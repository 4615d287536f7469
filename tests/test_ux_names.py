"""History and records name people, not their logins (issue 10, item 18): a login
linked to a staff record is shown by the staff member's name, else by its full name,
else by its username."""

from django.urls import reverse

from recruitment.models import Proposal
from staffing.history import display_name

from . import outcome_world
from .factories import StaffFactory, UserFactory
from .helpers import url
from .page_text import visible_text

cycle, people, done = outcome_world.cycle, outcome_world.people, outcome_world.done


def seen(client, path) -> str:
    response = client.get(path)
    assert response.status_code == 200
    return visible_text(response.content.decode())


def test_a_login_is_named_by_its_staff_record_else_its_full_name_else_its_username(db):
    linked = UserFactory(username="zhang", first_name="Z")
    StaffFactory(user=linked, name="张老师")

    assert display_name(linked) == "张老师"
    assert display_name(UserFactory(username="li", first_name="李", last_name="")) == "李"
    assert display_name(UserFactory(username="wang", first_name="")) == "wang"


def test_a_history_row_names_the_principal_who_saved_the_post(login, office_user, posts):
    post = posts["here"][0]  # saved by conftest's principal (login "principal", 校长甲)

    history = seen(login(office_user), url("post_detail", post.cycle, post.pk))
    who = history.split("修改记录", 1)[1] if "修改记录" in history else history

    assert "校长甲" in who
    assert "principal" not in who.split()


def test_a_decision_names_the_principal_who_made_it(login, office_user, done, people):
    proposal = Proposal.objects.get(staff=people["mover"])  # confirmed by 校长甲

    page = seen(login(office_user), url("proposal", done, proposal.pk))

    assert "校长甲" in page
    assert "principal" not in page.split()


def test_the_admin_history_names_the_person(login, office_user, done, people, school):
    StaffFactory(user=office_user, school=school, name="教办王主任")
    proposal = Proposal.objects.get(staff=people["mover"])
    superuser = UserFactory(username="root", is_staff=True, is_superuser=True)
    vice = people["vice"]  # their position ended by the office's selection close (R3)

    page = seen(login(superuser),
                reverse("admin:schools_position_history", args=[vice.positions.get().pk]))

    assert proposal.decided_by.username == "principal"
    assert "教办王主任" in page
    assert "office" not in page.split()
