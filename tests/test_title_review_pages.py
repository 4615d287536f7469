"""R12's public scoring and exceptional review through the pages: what a candidate, the
unit, a township office and the county office see and may do; messages, confirmations,
exports, forbidden roles, double submits and bounded queries."""

import html
import io
import re
from decimal import Decimal as D

import openpyxl
import pytest
from django.urls import reverse

from evaluation.models import (
    ObjectionState,
    ReviewStep,
    TitleAcknowledgement,
    TitleCandidate,
    TitleItem,
    TitleLevel,
    TitleObjection,
    TitleScore,
)
from evaluation.services import title_review as services
from evaluation.services import titles as title_services
from schools.models import Role

from . import titles_world
from .factories import CountyFactory, SchoolFactory, TownshipFactory, UserFactory, membership
from .helpers import messages_of
from .titles_world import (
    acknowledge,
    candidate_login,
    county_office,
    quota,
    scores,
    table,
    title_year,
)

county = titles_world.county
county_user = titles_world.county_user
year = titles_world.year

pytestmark = pytest.mark.usefixtures("english_pages", "english")


@pytest.fixture
def world(year, school, other_school):
    the_table = table(year)
    group = quota(year, school, recommended=1)
    quota(year, other_school, recommended=1)
    first = candidate_login(year, school, "cand-a", name="甲老师", lesson="90")
    second = candidate_login(year, school, "cand-b", name="乙老师", lesson="80")
    stranger = candidate_login(year, other_school, "cand-x", name="外校老师", lesson="70")
    for person, a1 in ((first, "10"), (second, "8"), (stranger, "5")):
        scores(person, the_table, A1=a1, B1="12")
    return {"table": the_table, "group": group, "first": first, "second": second,
            "stranger": stranger, "items": {i.code: i for i in the_table.items.all()}}


def text_of(response) -> str:
    """The page's text without its tags, its words joined by single spaces."""
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", response.content.decode())).split())


def scoring_url(candidate):
    return reverse("evaluation:title_public_scoring", args=[candidate.pk])


def ack_url(candidate):
    return reverse("evaluation:title_acknowledge", args=[candidate.pk])


# ---- the candidate ----------------------------------------------------------------------


def test_a_candidate_sees_the_unit_and_levels_scores_by_name_only(world, login):
    first = world["first"]
    response = login(first.staff.user).get(scoring_url(first))
    assert response.status_code == 200
    page = text_of(response)
    assert "甲老师" in page and "乙老师" in page and "外校老师" not in page
    assert first.staff.resident_id not in response.content.decode()
    assert world["second"].staff.resident_id not in response.content.decode()
    assert "A1 10.00 · B1 12.00 · B2 0.00" in page
    assert "Not valid yet" in page


def test_a_candidate_sees_the_exact_total_never_rounded(world, login):
    """T = 0.7 × Q + 0.3 × L may have three decimals or more: shown as it is, so two
    candidates ranked apart never look equal (spec: never rounded before comparing)."""
    first = world["first"]
    title_services.lesson_set(by=first.staff.user, candidate=first, score=D("90.25"))
    page = text_of(login(first.staff.user).get(scoring_url(first)))
    assert str(D("0.7") * 22 + D("0.3") * D("90.25")) == "42.475"
    assert "42.475" in page and "42.48" not in page


def test_the_candidates_page_speaks_chinese(world, login, settings):
    client = login(world["first"].staff.user)
    client.cookies.pop(settings.LANGUAGE_COOKIE_NAME, None)
    page = text_of(client.get(scoring_url(world["first"])))
    assert "公开评分" in page and "我已知晓竞争对手的分数" in page and "尚未有效" in page


def test_a_candidate_acknowledges_once_however_often_they_submit(world, login):
    first, group = world["first"], world["group"]
    client = login(first.staff.user)
    response = client.post(ack_url(first), {"revision": group.revision}, follow=True)
    assert messages_of(response) == ["You acknowledged the scores of your competitors."]
    assert "You acknowledged the scores as they stand now." in text_of(response)
    again = client.post(ack_url(first), {"revision": group.revision}, follow=True)
    assert messages_of(again) == ["You had acknowledged these scores already."]
    assert TitleAcknowledgement.objects.filter(candidate=first).count() == 1


def test_after_a_change_the_page_says_so_and_asks_again(world, login, principal_user):
    first, group = world["first"], world["group"]
    client = login(first.staff.user)
    client.post(ack_url(first), {"revision": group.revision})
    title_services.score_set(by=principal_user, candidate=world["second"],
                                      item=world["items"]["A1"], score=D("9"))
    page = text_of(client.get(scoring_url(first)))
    assert "The scores changed since you acknowledged them" in page
    stale = client.post(ack_url(first), {"revision": group.revision}, follow=True)
    assert messages_of(stale) == [
        "The scores changed since you opened the page: read them again."]
    group.refresh_from_db()
    client.post(ack_url(first), {"revision": group.revision})
    assert TitleAcknowledgement.objects.filter(candidate=first).count() == 2


def test_another_units_candidate_can_neither_see_nor_acknowledge(world, login):
    client = login(world["stranger"].staff.user)
    assert client.get(scoring_url(world["first"])).status_code == 403
    assert client.post(ack_url(world["first"]),
                       {"revision": world["group"].revision}).status_code == 403
    assert not TitleAcknowledgement.objects.exists()
    assert client.get("/evaluation/titles/candidacies/99999999/scores/").status_code == 404
    assert client.get("/evaluation/titles/candidacies/x1/scores/").status_code == 404


def test_an_objection_is_answered_with_a_changed_score_the_candidate_then_sees(
        world, login, principal_user):
    first, items = world["first"], world["items"]
    client = login(first.staff.user)
    sent = client.post(reverse("evaluation:title_object", args=[first.pk]),
                       {"item": items["B2"].pk, "reason": "公开课证书漏计"}, follow=True)
    assert messages_of(sent) == [
        "Your objection is sent to your unit, which answers it here."]
    twice = client.post(reverse("evaluation:title_object", args=[first.pk]),
                        {"item": items["B2"].pk, "reason": "公开课证书漏计"}, follow=True)
    assert messages_of(twice) == ["This objection was sent already."]
    objection = TitleObjection.objects.get()
    empty = client.post(reverse("evaluation:title_object", args=[first.pk]), {"reason": ""})
    assert empty.status_code == 400

    unit = login(principal_user)
    listing = text_of(unit.get(reverse("evaluation:title_objections", args=[first.year_id])))
    assert "甲老师" in listing and "waiting for the unit's answer" in listing
    page = unit.get(reverse("evaluation:title_objection", args=[objection.pk]))
    assert f"s_{first.pk}_{items['B2'].pk}" in page.content.decode()
    answered = unit.post(reverse("evaluation:title_objection", args=[objection.pk]), {
        "answer": "核实后 B2 计 18 分", f"s_{first.pk}_{items['B2'].pk}": "18"}, follow=True)
    assert messages_of(answered) == [
        "The objection is answered; 1 score changed: every candidate of the unit and level "
        "acknowledges the scores again."]
    assert "甲老师B2:—→18" in text_of(answered).replace(" ", "")
    assert TitleScore.objects.get(candidate=first, item=items["B2"]).score == D("18")
    again = unit.post(reverse("evaluation:title_objection", args=[objection.pk]),
                      {"answer": "再答"}, follow=True)
    assert messages_of(again) == ["This objection is answered already."]

    mine = text_of(login(first.staff.user).get(scoring_url(first)))
    assert "Answer: 核实后 B2 计 18 分" in mine and "甲老师B2:—→18" in mine.replace(" ", "")


def test_a_teacher_or_another_unit_cannot_answer(world, login, other_principal):
    first = world["first"]
    objection, _made = services.objection_raise(by=first.staff.user, candidate=first,
                                                item=None, reason="理由")
    url = reverse("evaluation:title_objection", args=[objection.pk])
    assert login(first.staff.user).post(url, {"answer": "自己答"}).status_code == 403
    assert login(world["second"].staff.user).get(url).status_code == 403
    assert login(other_principal).get(url).status_code == 403
    objection.refresh_from_db()
    assert objection.state == ObjectionState.OPEN


def test_another_countys_office_is_refused(world, login, year):
    elsewhere = TownshipFactory(county=CountyFactory(name="别的县"))
    SchoolFactory(township=elsewhere)
    stranger = county_office(elsewhere.county, username="county-2")
    client = login(stranger)
    for name in ("title_objections", "title_acknowledgements", "title_exceptional_home"):
        assert client.get(reverse(f"evaluation:{name}", args=[year.pk])).status_code == 403
    assert client.get(reverse("evaluation:title_acknowledgement_group",
                              args=[year.pk, world["group"].pk])).status_code == 403
    own_year = title_year(elsewhere.county, stranger)
    assert client.get(reverse("evaluation:title_acknowledgement_group",
                              args=[own_year.pk, world["group"].pk])).status_code == 404


# ---- who has acknowledged ------------------------------------------------------------------


def test_the_unit_sees_who_has_not_acknowledged_and_when_the_ranking_is_valid(
        world, login, principal_user, office_user, county_user):
    group, first, second = world["group"], world["first"], world["second"]
    acknowledge([first], group)
    url = reverse("evaluation:title_acknowledgement_group", args=[group.year_id, group.pk])
    page = text_of(login(principal_user).get(url))
    assert "Not valid yet: 1 candidate has not acknowledged" in page
    assert "not acknowledged yet" in page
    acknowledge([second], group)
    for user in (principal_user, office_user, county_user):
        assert "Valid: every candidate has acknowledged" in text_of(login(user).get(url))
    overview = text_of(login(county_user).get(
        reverse("evaluation:title_acknowledgements", args=[group.year_id])))
    assert "1 of 2 rankings valid." in overview


def test_a_principal_reads_only_their_own_units_group(world, login, other_principal, year):
    url = reverse("evaluation:title_acknowledgement_group", args=[year.pk, world["group"].pk])
    assert login(other_principal).get(url).status_code == 403
    assert login(world["first"].staff.user).get(url).status_code == 403  # a teacher


# ---- the exceptional review ------------------------------------------------------------------


@pytest.fixture
def exceptional(world, year, school):
    return candidate_login(year, school, "cand-e", name="丙老师", exceptional=True)


def review_url(candidate, step=""):
    if not step:
        return reverse("evaluation:title_review", args=[candidate.pk])
    return reverse(f"evaluation:title_review_{step}", args=[candidate.pk])


def test_the_county_committee_records_the_three_steps_in_order(
        exceptional, login, county_user, principal_user):
    county = login(county_user)
    early = county.post(review_url(exceptional, "presentation"),
                        {"evidence": "证书", "claimed_score": "80"})
    assert early.status_code == 400
    assert "The unit&#x27;s evaluation comes first." in early.content.decode()
    unit = login(principal_user)
    assert unit.post(review_url(exceptional, "presentation"),
                     {"evidence": "证书", "claimed_score": "80"}).status_code == 403
    done = unit.post(review_url(exceptional, "unit"), {"opinion": "教学成绩突出", "score": "90"},
                     follow=True)
    assert messages_of(done) == ["The unit's evaluation is recorded."]
    county = login(county_user)
    done = county.post(review_url(exceptional, "presentation"),
                       {"evidence": "市级优质课证书", "notes": "B1 按市级计",
                        "claimed_score": "85.5"}, follow=True)
    assert messages_of(done) == ["The candidate's presentation is recorded."]
    confirm = county.post(review_url(exceptional, "final"),
                          {"final_score": "84", "outcome": "passed", "note": "同意"})
    assert "The final score is final" in text_of(confirm)
    assert exceptional.exceptional_review.step == ReviewStep.PRESENTED
    done = county.post(review_url(exceptional, "final"),
                       {"final_score": "84", "outcome": "passed", "note": "同意",
                        "confirmed": "1"}, follow=True)
    assert messages_of(done) == [
        "The experts' final score is recorded: the review is closed."]
    page = text_of(done)
    assert "final score fixed" in page and "84" in page
    again = county.post(review_url(exceptional, "final"),
                        {"final_score": "99", "outcome": "failed", "confirmed": "1"},
                        follow=True)
    assert "The experts' final score is fixed: the review is closed." in text_of(again)
    exceptional.exceptional_review.refresh_from_db()
    assert exceptional.exceptional_review.final_score == D("84")


def test_the_candidate_cannot_evaluate_themselves(exceptional, login):
    client = login(exceptional.staff.user)
    assert client.get(review_url(exceptional)).status_code == 403
    assert client.post(review_url(exceptional, "unit"), {"opinion": "我很好"}).status_code == 403


def test_the_committee_page_lists_where_each_stands_and_exports(exceptional, login,
                                                                county_user, year):
    services.review_unit_record(by=county_user, candidate=exceptional, opinion="好",
                                score=None)
    client = login(county_user)
    page = client.get(reverse("evaluation:title_exceptional", args=[year.pk, "senior"]))
    assert "丙老师" in text_of(page)
    assert "unit evaluated, waiting for the presentation" in text_of(page)
    assert client.get(reverse("evaluation:title_exceptional",
                              args=[year.pk, "nope"])).status_code == 404
    sheet = workbook_rows(client.get(reverse("evaluation:title_exceptional_export",
                                             args=[year.pk, "senior"])))
    assert sheet[0][:4] == ("单位", "申报级别", "姓名", "进度")
    assert sheet[1][2] == "丙老师" and sheet[1][4] == "好"


def workbook_rows(response):
    assert response.status_code == 200
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    return list(book.worksheets[0].iter_rows(values_only=True))


def test_every_list_exports_without_resident_ids(world, login, county_user, year):
    services.objection_raise(by=world["first"].staff.user, candidate=world["first"],
                             item=None, reason="=HYPERLINK(1)")
    client = login(county_user)
    objections = workbook_rows(client.get(reverse("evaluation:title_objections_export",
                                                  args=[year.pk])))
    assert objections[1][2] == "甲老师" and objections[1][4] == "=HYPERLINK(1)"
    acks = workbook_rows(client.get(reverse("evaluation:title_acknowledgements_export",
                                            args=[year.pk])))
    assert {row[3] for row in acks[1:]} == {"甲老师", "乙老师", "外校老师"}
    ids = {world[k].staff.resident_id for k in ("first", "second", "stranger")}
    assert not ids & {cell for row in objections + acks for cell in row}


# ---- the home card ---------------------------------------------------------------------------


def test_the_home_card_of_each_role(world, login, principal_user, county_user, year, school):
    first = world["first"]
    assert "Title scores to acknowledge" in text_of(login(first.staff.user).get("/"))
    objection, _made = services.objection_raise(by=first.staff.user, candidate=first,
                                                item=None, reason="理由")
    assert "1 open objection to title scores" in text_of(login(principal_user).get("/"))
    candidate_login(year, school, "cand-e", exceptional=True)
    assert "1 exceptional review waiting" in text_of(login(county_user).get("/"))
    services.objection_answer(by=principal_user, objection=objection, answer="维持")
    assert "Your objection to the title scores is answered." in text_of(
        login(first.staff.user).get("/"))


# ---- bounded queries with a few hundred candidates ------------------------------------------


@pytest.fixture
def crowd(year, township, county_user):
    """300 candidates in 10 units, all scored; 30 exceptional, 30 objections."""
    the_table = table(year)
    items = list(TitleItem.objects.filter(table=the_table))
    schools = [SchoolFactory(township=township, name=f"第{n}校") for n in range(10)]
    people = []
    for n, school in enumerate(schools):
        quota(year, school, recommended=3)
        for k in range(30):
            people.append(candidate_login(year, school, f"c{n}-{k}", lesson=str(60 + k),
                                          exceptional=k < 3))
    TitleScore.objects.bulk_create(TitleScore(candidate=c, item=i, score=D(k % 10))
                                   for k, c in enumerate(people) for i in items)
    TitleObjection.objects.bulk_create(
        TitleObjection(candidate=c, reason="理由", revision=0, raised_by=c.staff.user)
        for c in people[::10])
    assert TitleCandidate.objects.filter(year=year).count() == 300
    return {"schools": schools, "people": people}


def test_pages_cost_a_bounded_number_of_queries(crowd, login, county_user, year,
                                                django_assert_max_num_queries):
    client = login(county_user)
    pages = [
        reverse("evaluation:title_acknowledgements", args=[year.pk]),
        reverse("evaluation:title_acknowledgements_export", args=[year.pk]),
        reverse("evaluation:title_objections", args=[year.pk]),
        reverse("evaluation:title_objections_export", args=[year.pk]),
        reverse("evaluation:title_exceptional", args=[year.pk, "senior"]),
        reverse("evaluation:title_exceptional_export", args=[year.pk, "senior"]),
        reverse("evaluation:title_acknowledgement_group",
                args=[year.pk, crowd["people"][0].school.title_quotas.get().pk]),
        "/",
    ]
    for url in pages:
        with django_assert_max_num_queries(25):
            assert client.get(url).status_code == 200, url
    candidate = crowd["people"][5]
    client = login(candidate.staff.user)
    with django_assert_max_num_queries(25):
        response = client.get(scoring_url(candidate))
    assert response.status_code == 200 and text_of(response).count("c0-") >= 30


def test_a_township_office_reads_its_units_only(crowd, login, year, foreign_school):
    other = UserFactory(username="office-b")
    membership(other, Role.TOWNSHIP_OFFICE, foreign_school.township)
    client = login(other)
    page = client.get(reverse("evaluation:title_acknowledgements", args=[year.pk]))
    assert page.status_code == 200 and "第0校" not in text_of(page)
    group = crowd["people"][0].school.title_quotas.get()
    assert client.get(reverse("evaluation:title_acknowledgement_group",
                              args=[year.pk, group.pk])).status_code == 403
    assert group.level == TitleLevel.SENIOR
