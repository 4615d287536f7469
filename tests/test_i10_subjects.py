"""Issue 10 item 5 (and the filters of item 10 on the same lists): the dispatch and the
trainee placement show whether a post is the person's subject and warn on a mismatch;
the office filters and searches both the people and the posts."""

from datetime import date

import pytest

from recruitment.phases import SELECTION, UNHIRED
from recruitment.services import unhired as unhired_services
from schools.models import Staff

from .factories import adopted_cycle
from .helpers import close_phase, messages_of, open_phase, person, text, url

pytestmark = pytest.mark.usefixtures("english_pages")


@pytest.fixture
def cycle(office_user, township, school, other_school):
    return adopted_cycle(office=office_user, township=township)


@pytest.fixture
def music(school):
    staff = person(school, "音乐丁", born=date(1990, 2, 2))
    Staff.objects.filter(pk=staff.pk).update(subject="音乐", title="二级教师")
    return Staff.objects.get(pk=staff.pk)


def options(response):
    """The post dropdown of the pairing form."""
    return text(response).split('id="pair-post"')[1].split("</select>")[0]


def test_the_dispatch_marks_the_posts_subject_for_the_chosen_person(login, office_user,
                                                                    selecting, music, posts):
    post = posts["there"][0]  # 语文

    response = login(office_user).get(url("dispatch", selecting), {"staff": music.pk})

    assert "音乐丁 teaches 音乐 (二级教师)" in text(response)
    assert f'<option value="{post.pk}">⚠ 东张完小' in options(response)
    assert "other subject" in options(response)


def test_pairing_out_of_subject_warns(login, office_user, layer_closed, music, posts):
    selecting = layer_closed
    post = posts["there"][0]

    response = login(office_user).post(url("dispatch_pair", selecting),
                                       {"staff": music.pk, "post": post.pk}, follow=True)

    assert messages_of(response) == [
        "音乐丁 is proposed for post 1 at 东张完小; the school confirms or declines.",
        "Note: 音乐丁 teaches 音乐; post 1 is 语文."]


def test_the_office_searches_and_filters_the_unhired_and_the_posts(login, office_user,
                                                                   selecting, music, mover,
                                                                   posts, school):
    client = login(office_user)

    by_name = client.get(url("dispatch", selecting), {"q": "音乐"})
    by_tail = client.get(url("dispatch", selecting), {"q": mover.resident_id[-4:]})
    by_school = client.get(url("dispatch", selecting), {"school": school.pk})
    by_post_subject = client.get(url("dispatch", selecting), {"post_subject": "语文"})

    assert [s.name for s in by_name.context["board"].page] == ["音乐丁"]
    assert [s.name for s in by_name.context["board"].candidates] == ["音乐丁"]
    assert [s.name for s in by_tail.context["board"].page] == ["青年丙"]
    assert {s.school for s in by_school.context["board"].page} == {school}
    assert {p.subject for p, _match in by_post_subject.context["board"].post_options} == {"语文"}
    assert len(by_name.context["board"].post_options) > len(
        by_post_subject.context["board"].post_options)


def test_the_unhired_list_filters_by_standing(login, office_user, selecting, music, mover):
    close_phase(selecting, office_user, SELECTION)
    open_phase(selecting, office_user, UNHIRED)
    enrolment = unhired_services.training_enrol(by=office_user, cycle=selecting, staff=music)
    unhired_services.training_score(by=office_user, enrolment=enrolment, score=90)
    client = login(office_user)

    passed = client.get(url("unhired", selecting), {"status": "passed"})
    not_enrolled = client.get(url("unhired", selecting), {"status": "not_enrolled"})

    assert [s.name for s in passed.context["board"].page] == ["音乐丁"]
    assert "音乐丁" not in [s.name for s in not_enrolled.context["board"].page]
    assert mover in list(not_enrolled.context["board"].page)
