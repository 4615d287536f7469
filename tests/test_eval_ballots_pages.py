"""The ballots' pages: who may see and do what (each role), the confirmations, the duty
reports (kinds by content, the size limit, served only to the round's readers), the
results after closing, the composite, the publication (公示), the export, the home link
and the bounded queries of the results page."""

import io
from datetime import timedelta
from decimal import Decimal

import openpyxl
import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone, translation

from evaluation.models import (
    Assessee,
    BallotInvitation,
    BallotParticipation,
    BallotWeights,
    Rating,
    RoundState,
)
from evaluation.selectors import ballots as selectors
from evaluation.services import ballots as services
from staffing.models import Publication

from . import ballots_world
from .ballots_world import big_round, cast, voter
from .helpers import messages_of, text
from .page_text import english_words

leaders, prepared, opened = ballots_world.leaders, ballots_world.prepared, ballots_world.opened

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def url(name, *args):
    return reverse(f"evaluation:{name}", args=args)


@pytest.fixture
def closed(opened, office_user, teacher):
    cast(teacher.user, opened, Rating.COMPETENT, 王校长=Rating.EXCELLENT)
    return services.round_close(by=office_user, ballot_round=opened)


@pytest.fixture
def school_round(principal_user, school, teacher):
    return services.round_create(by=principal_user, township=school.township, school=school,
                                 title="夏庄完小第一学期测评", school_year=2026, term=1)


# ---- permissions -------------------------------------------------------------------------


def test_anonymous_is_sent_to_log_in(client, prepared):
    for path in (url("ballots_round", prepared.pk), url("ballots_vote", prepared.pk),
                 url("ballots_office", prepared.township_id), url("ballots_mine")):
        assert client.get(path).status_code == 302, path


def test_a_teacher_not_a_voter_sees_no_ballot_and_no_round(login, opened, other_school):
    stranger = voter(other_school, "外人")  # a login made after the round was prepared
    assert not BallotInvitation.objects.filter(user=stranger).exists()
    client = login(stranger)
    assert client.get(url("ballots_vote", opened.pk)).status_code == 403
    assert client.get(url("ballots_round", opened.pk)).status_code == 403
    assert client.get(url("ballots_reports", opened.pk)).status_code == 403
    assert client.get(url("ballots_export", opened.pk)).status_code == 403


def test_another_schools_principal_may_not_organise_a_schools_round(login, school_round,
                                                                    other_principal):
    client = login(other_principal)
    assert client.get(url("ballots_round", school_round.pk)).status_code == 403
    assert client.get(url("ballots_school", school_round.school_id)).status_code == 403
    assert client.post(url("ballots_open", school_round.pk)).status_code == 403


def test_a_principal_may_not_organise_the_leaders_round(login, prepared, principal_user):
    assert login(principal_user).get(url("ballots_round", prepared.pk)).status_code == 403


def test_another_townships_office_may_not_see_the_round(login, prepared, foreign_office):
    client = login(foreign_office)
    assert client.get(url("ballots_round", prepared.pk)).status_code == 403
    assert client.get(url("ballots_office", prepared.township_id)).status_code == 403
    assert client.post(url("ballots_close", prepared.pk)).status_code == 403


def test_an_id_that_is_not_one_is_404(login, office_user, prepared):
    client = login(office_user)
    for bad in ("999999", "1e3", "１", "99999999999999999999999"):
        assert client.get(url("ballots_round", bad)).status_code == 404, bad
    assert client.get(url("ballots_report_file", "999999")).status_code == 404


def test_the_principal_organises_their_schools_round(login, school_round, principal_user,
                                                     english_pages):
    client = login(principal_user)
    page = text(client.get(url("ballots_school", school_round.school_id)))
    assert school_round.title in page
    names = set(school_round.assessees.values_list("staff__name", flat=True))
    assert "教师乙" in names and "校长甲" in names  # no position: assessed with the teachers


# ---- preparing, opening, closing ----------------------------------------------------------


def test_the_leaders_round_assesses_the_leaders_and_invites_the_townships_logins(prepared,
                                                                                 teacher):
    assert sorted(prepared.assessees.values_list("staff__name", "position")) == [
        ("张书记", "书记"), ("李副校长", "副校长"), ("王校长", "校长")]
    assert BallotInvitation.objects.filter(round=prepared, user=teacher.user).exists()


def test_opening_asks_first_then_opens(login, office_user, prepared, english_pages):
    client = login(office_user)
    page = text(client.get(url("ballots_open", prepared.pk)))
    assert "Yes, open voting" in page
    prepared.refresh_from_db()
    assert prepared.state == RoundState.DRAFT
    response = client.post(url("ballots_open", prepared.pk), follow=True)
    assert "Voting is open" in messages_of(response)[-1]
    prepared.refresh_from_db()
    assert prepared.state == RoundState.OPEN


def test_closing_asks_with_the_turnout_then_closes(login, office_user, opened, teacher,
                                                   english_pages):
    cast(teacher.user, opened)
    client = login(office_user)
    invited = opened.invitations.count()
    assert f"1 of {invited} voters have voted" in text(client.get(url("ballots_close",
                                                                      opened.pk)))
    client.post(url("ballots_close", opened.pk))
    opened.refresh_from_db()
    assert opened.state == RoundState.CLOSED
    assert 'id="voted"' in text(login(teacher.user).get(url("ballots_vote", opened.pk)))
    late = voter(opened.assessees.first().staff.school, "迟到者")
    BallotInvitation.objects.create(round=opened, user=late)
    page = text(login(late).get(url("ballots_vote", opened.pk)))
    assert "Voting has closed" in page and 'id="ballot"' not in page


def test_a_closed_round_takes_no_vote(closed, school, office_user):
    user = voter(school, "迟到")
    BallotInvitation.objects.create(round=closed, user=user)
    with pytest.raises(ValidationError, match="closed"), translation.override("en"):
        cast(user, closed)


def test_people_are_fixed_once_open(login, office_user, opened, english_pages):
    person = opened.assessees.first()
    response = login(office_user).post(url("ballots_person_remove", opened.pk, person.pk),
                                       follow=True)
    assert "fixed" in messages_of(response)[-1]
    assert Assessee.objects.filter(pk=person.pk).exists()


def test_a_guest_login_is_created_and_its_password_shown_once(login, office_user, prepared,
                                                              english_pages):
    client = login(office_user)
    response = client.post(url("ballots_guest", prepared.pk),
                           {"username": "guest-bureau", "name": "县教育局 周科长"})
    password = response.context["password"]
    assert password in text(response) and len(password) >= 12
    guest = get_user_model().objects.get(username="guest-bureau")
    assert guest.check_password(password)
    assert BallotInvitation.objects.get(round=prepared, user=guest).guest
    assert password not in text(client.get(url("ballots_round", prepared.pk)))
    again = client.post(url("ballots_guest", prepared.pk),
                        {"username": "guest-bureau", "name": "重复"}, follow=True)
    assert "taken" in messages_of(again)[0]


def test_the_office_invites_an_existing_login(login, office_user, prepared, foreign_office,
                                              english_pages):
    client = login(office_user)
    client.post(url("ballots_invite", prepared.pk), {"username": "foreign-office"})
    assert BallotInvitation.objects.filter(round=prepared, user=foreign_office).exists()
    response = client.post(url("ballots_invite", prepared.pk), {"username": "nobody"},
                           follow=True)
    assert "no login" in messages_of(response)[-1]


# ---- voting on the page ---------------------------------------------------------------------


def test_a_teacher_votes_once_on_the_ballot_page(login, opened, teacher, english_pages):
    client = login(teacher.user)
    page = text(client.get(url("ballots_vote", opened.pk)))
    assert "cannot be changed" in page and "王校长" in page
    data = {f"p{a.pk}": Rating.COMPETENT for a in opened.assessees.all()} | {"confirm": "on"}
    response = client.post(url("ballots_vote", opened.pk), data, follow=True)
    assert "Your ballot is cast" in messages_of(response)[-1]
    assert "Voted" in text(response)
    assert BallotParticipation.objects.filter(round=opened, user=teacher.user).exists()


def test_the_home_page_tells_a_voter_of_their_ballot(login, opened, teacher):
    page = text(login(teacher.user).get("/"))
    assert "你有一张选票待投" in page or "You have a ballot to cast" in page
    assert url("ballots_vote", opened.pk) in page
    cast(teacher.user, opened)
    assert url("ballots_vote", opened.pk) not in text(login(teacher.user).get("/"))


# ---- duty reports ------------------------------------------------------------------------------


def _mine(prepared, name="王校长"):
    return prepared.assessees.get(staff__name=name)


def test_the_person_assessed_writes_and_uploads_the_report(login, prepared, media_root,
                                                           english_pages):
    mine = _mine(prepared)
    client = login(mine.staff.user)
    client.post(url("ballots_my_report", mine.pk), {"action": "text", "text": "一年来的工作"})
    response = client.post(url("ballots_my_report", mine.pk), {
        "action": "file", "file": SimpleUploadedFile("述职报告.pdf", PDF)}, follow=True)
    assert "uploaded" in messages_of(response)[-1]
    mine.refresh_from_db()
    assert mine.report_text == "一年来的工作" and mine.report_name == "述职报告.pdf"
    assert mine.report_file.name.endswith(".pdf") and "述职" not in mine.report_file.name
    download = client.get(url("ballots_report_file", mine.pk))
    assert b"".join(download.streaming_content) == PDF
    assert download["Content-Type"] == "application/pdf"


@pytest.mark.parametrize(("name", "data"), [
    ("报告.pdf", b"MZ\x90\x00 not a pdf"), ("报告.docx", b"PK\x03\x04 broken zip"),
    ("报告.exe", PDF), ("报告.doc", PDF)])
def test_a_file_that_is_not_a_pdf_or_word_is_refused_in_chinese(login, prepared, media_root,
                                                                name, data):
    mine = _mine(prepared)
    response = login(mine.staff.user).post(url("ballots_my_report", mine.pk), {
        "action": "file", "file": SimpleUploadedFile(name, data)}, follow=True)
    assert "请上传PDF或Word文件" in messages_of(response)[-1]
    mine.refresh_from_db()
    assert not mine.report_file


def test_a_report_over_the_size_limit_is_refused(login, prepared, media_root, settings):
    settings.BALLOT_REPORT_MAX_BYTES = 1024 * 1024
    mine = _mine(prepared)
    response = login(mine.staff.user).post(url("ballots_my_report", mine.pk), {
        "action": "file", "file": SimpleUploadedFile("大.pdf", PDF + b"0" * (1024 * 1024))},
        follow=True)
    assert "1 MB" in messages_of(response)[-1]


def test_a_report_file_is_served_only_to_the_rounds_readers(login, prepared, media_root,
                                                            other_principal, foreign_office,
                                                            teacher):
    mine = _mine(prepared)
    services.report_upload(by=mine.staff.user, assessee=mine, name="r.pdf", data=PDF)
    assert login(teacher.user).get(url("ballots_report_file", mine.pk)).status_code == 200
    for user in (foreign_office,):
        assert login(user).get(url("ballots_report_file", mine.pk)).status_code == 403
    stranger = get_user_model().objects.create_user("stranger", password="x")
    assert login(stranger).get(url("ballots_report_file", mine.pk)).status_code == 403


def test_someone_elses_report_page_is_forbidden(login, prepared, teacher):
    assert login(teacher.user).get(url("ballots_my_report", _mine(prepared).pk)).status_code \
        == 403


def test_the_report_is_closed_with_the_round(login, closed, english_pages):
    mine = _mine(closed)
    response = login(mine.staff.user).post(url("ballots_my_report", mine.pk), {
        "action": "text", "text": "改"}, follow=True)
    assert "closed" in messages_of(response)[-1]


# ---- results, composite, publication, export -----------------------------------------------


def test_the_results_show_the_counts_the_composite_and_the_band(login, closed, office_user,
                                                                english_pages):
    client = login(office_user)
    wang = _mine(closed)
    BallotWeights.objects.create(township=closed.township, evaluation=40, assessment=60)
    client.post(url("ballots_scores", closed.pk), {f"s{wang.pk}": "85.5"})
    wang.refresh_from_db()
    assert wang.assessment_score == Decimal("85.50")
    row = text(client.get(url("ballots_round", closed.pk))).split(
        f'id="result-{wang.pk}"', 1)[1].split("</tr>")[0]
    # one 优秀 vote: evaluation 100; 100×40% + 85.5×60% = 91.30, 优秀.
    assert "91.30" in row and "excellent" in row


def test_a_score_out_of_range_is_refused(login, closed, office_user):
    wang = _mine(closed)
    login(office_user).post(url("ballots_scores", closed.pk), {f"s{wang.pk}": "120"})
    wang.refresh_from_db()
    assert wang.assessment_score is None


def test_the_weights_must_add_up_to_100(login, office_user, township, english_pages):
    client = login(office_user)
    response = client.post(url("ballots_weights", township.pk),
                           {"evaluation": 50, "assessment": 60}, follow=True)
    assert "add up to 100" in " ".join(messages_of(response))
    client.post(url("ballots_weights", township.pk), {"evaluation": 30, "assessment": 70})
    assert selectors.weights_of(township) == (30, 70)


def test_results_are_published_objected_to_answered_and_locked(login, closed, office_user,
                                                               english_pages):
    client = login(office_user)
    client.post(url("ballots_publish", closed.pk))
    pub = Publication.objects.get(kind="evaluation.ballots", key=str(closed.pk))
    assert pub.township_id == closed.township_id and pub.school_id is None
    wang = _mine(closed)
    own = login(wang.staff.user)
    page = text(own.get(url("ballots_my_report", wang.pk)))
    assert "My published result" in page
    own.post(url("ballots_my_report", wang.pk), {"action": "object", "reason": "票数有误"})
    objection = pub.objections.get()
    response = login(office_user).post(url("ballots_lock", closed.pk), follow=True)
    assert "window" in messages_of(response)[-1] or "objection" in messages_of(response)[-1]
    client.post(url("ballots_answer", closed.pk, objection.pk),
                {"answer": "已复核，无误"})
    objection.refresh_from_db()
    assert objection.status == "declined"
    Publication.objects.filter(pk=pub.pk).update(
        window_closes=timezone.localdate() - timedelta(days=1))
    client.post(url("ballots_lock", closed.pk))
    pub.refresh_from_db()
    assert pub.state == Publication.State.LOCKED
    client.post(url("ballots_scores", closed.pk), {f"s{wang.pk}": "70"})
    wang.refresh_from_db()
    assert wang.assessment_score is None  # locked: the scores no longer change


def test_results_are_not_published_before_closing(login, opened, office_user):
    login(office_user).post(url("ballots_publish", opened.pk))
    assert not Publication.objects.filter(kind="evaluation.ballots").exists()


def test_the_export_has_the_counts_per_person(login, closed, office_user):
    response = login(office_user).get(url("ballots_export", closed.pk))
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    rows = {r[1]: r for r in sheet.iter_rows(min_row=2, values_only=True)}
    assert rows["王校长"][3:8] == (1, 0, 0, 0, 1)
    assert rows["张书记"][3:8] == (0, 1, 0, 0, 1)


def test_the_export_of_an_open_round_is_refused(login, opened, office_user):
    assert login(office_user).get(url("ballots_export", opened.pk)).status_code == 403


def test_the_office_sees_which_school_held_its_round_each_term(login, office_user, township,
                                                               school, other_school,
                                                               school_round,
                                                               principal_user, english_pages):
    services.round_open(by=principal_user, ballot_round=school_round)
    terms = selectors.recent_terms(timezone.localdate())
    year, term = terms[-1]
    type(school_round).objects.filter(pk=school_round.pk).update(school_year=year, term=term)
    board = text(login(office_user).get(url("ballots_office", township.pk))).split(
        'id="terms"', 1)[1].split("</section>")[0]
    here = board.split("夏庄完小", 1)[1].split("</tr>")[0]
    other = board.split("东张完小", 1)[1].split("</tr>")[0]
    assert here.count("not held") == 3 and here.count("held") == 4
    assert other.count("not held") == 4


def test_the_results_page_makes_a_bounded_number_of_queries(login, office_user, school,
                                                            django_assert_max_num_queries):
    ballot_round = big_round(office_user, school, people=300, voters=300)
    client = login(office_user)
    client.get(url("ballots_round", ballot_round.pk))  # warm the session
    with django_assert_max_num_queries(25):
        response = client.get(url("ballots_round", ballot_round.pk))
    assert response.status_code == 200
    assert text(response).count('id="result-') == 300
    with django_assert_max_num_queries(12):
        assert client.get(url("ballots_export", ballot_round.pk)).status_code == 200
    with django_assert_max_num_queries(15):
        assert client.get(url("ballots_office", school.township_id)).status_code == 200


def test_a_guest_votes_from_their_home_page(client, office_user, prepared, english_pages):
    invitation, password = services.guest_create(by=office_user, ballot_round=prepared,
                                                 username="guest-1", name="县局来宾")
    opened = services.round_open(by=office_user, ballot_round=prepared)
    logged_in = client.post("/accounts/login/", {"username": "guest-1", "password": password})
    assert logged_in.status_code == 302
    home = text(client.get("/"))
    assert "You have a ballot to cast" in home
    assert url("ballots_vote", opened.pk) in home
    assert client.get(url("ballots_round", opened.pk)).status_code == 403
    cast(invitation.user, opened)
    assert BallotParticipation.objects.filter(user=invitation.user).count() == 1


def test_the_rounds_page_shows_its_history(login, opened, office_user, english_pages):
    page = text(login(office_user).get(url("ballots_round", opened.pk)))
    history = page.split('class="history"', 1)[1]
    assert "office" in history and "open for voting" in history


def test_the_pages_are_in_chinese(login, closed, office_user, principal_user, school, teacher,
                                  school_round):
    from_page = {}
    services.results_publish(by=office_user, ballot_round=closed)
    wang = _mine(closed)
    for user, path in (
            (office_user, url("ballots_office", closed.township_id)),
            (office_user, url("ballots_round", closed.pk)),
            (office_user, url("ballots_open", school_round.pk)),
            (office_user, url("ballots_weights", closed.township_id)),
            (principal_user, url("ballots_school", school.pk)),
            (principal_user, url("ballots_round", school_round.pk)),
            (teacher.user, url("ballots_mine")),
            (teacher.user, url("ballots_vote", closed.pk)),
            (teacher.user, url("ballots_reports", closed.pk)),
            (wang.staff.user, url("ballots_my_report", wang.pk))):
        response = login(user).get(path)
        assert response.status_code == 200, path
        from_page[path] = english_words(response.content.decode())
    assert not {path: words for path, words in from_page.items() if words}
