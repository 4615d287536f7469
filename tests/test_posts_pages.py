"""The pages of phase 5 as each role uses them: a school's posts (R1) set in the browser
or imported from the 岗位 sheet, the office publishing them, the township's posts
board, a staff member's intention (R2) and its print, the intentions lists.

The rules are tested at the service level (test_selection_services.py); here the
wiring: who may do what through which page, the refusals and messages shown, the
input kept, the history, and a bounded number of queries on the lists."""

import io
from datetime import timedelta

import pytest
from django.utils import timezone
from django.utils.html import escape
from openpyxl import load_workbook

from recruitment import rules, sheets
from recruitment.models import Application, Intention, Post, PostKind
from recruitment.phases import INTENTIONS
from recruitment.services import cycle as cycle_services
from recruitment.services import posts as posts_services

from .factories import SchoolFactory, StaffFactory, adopted_cycle
from .helpers import (
    POSTS_HEADERS,
    at_once,
    auxiliary,
    close_phase,
    messages_of,
    person,
    published,
    teaching,
    url,
)
from .helpers import (
    posts_sheet as sheet,
)
from .helpers import (
    posts_upload as upload,
)

pytestmark = pytest.mark.usefixtures("english_pages", "media_root")

HEADERS = POSTS_HEADERS


# --- the world -------------------------------------------------------------------------


@pytest.fixture
def cycle(office_user, township, school, other_school):
    """Phase 5 open; 夏庄完小 (``school``) may set 4 seats."""
    return adopted_cycle(office=office_user, township=township, quotas={school.pk: 4})


@pytest.fixture
def posts(cycle, office_user, principal_user, school):
    """夏庄完小's published posts: 1 teaching (12 lessons), 2 auxiliary, 3 teaching (6)."""
    return published(cycle, office_user, principal_user, school, teaching(1), auxiliary(2),
                     teaching(3, lessons=6))


@pytest.fixture
def other_posts(cycle, office_user, other_school):
    """东张完小's published posts: 1 teaching (数学), 2 auxiliary (门卫)."""
    maths = rules.PostFields(number=1, kind=PostKind.TEACHING, grade_class="五年级",
                           subject="数学", weekly_lessons=14)
    return published(cycle, office_user, office_user, other_school, maths,
                     auxiliary(2, duty="门卫值守"))


def post_data(**values):
    data = {"number": 1, "kind": "teaching", "grade_class": "三年级", "subject": "语文",
            "weekly_lessons": 12, "duties": "", "conditions": "", "seats": 1}
    data.update(values)
    return data


# --- a school's posts: the principal and the office -----------------------------------


def test_a_principal_adds_a_post_within_the_quota(login, principal_user, cycle, school):
    client = login(principal_user)

    page = client.get(url("school_posts", cycle, school.pk))
    response = client.post(url("school_posts", cycle, school.pk),
                           post_data(seats=3, conditions="本科以上"), follow=True)

    assert "Seats set: <strong>0</strong> of a quota of <strong>4</strong>" in page.text
    assert "Add the post" in page.text and "Upload and check" in page.text
    assert response.redirect_chain[-1][0] == url("school_posts", cycle, school.pk)
    assert messages_of(response) == ["Post 1 of 夏庄完小 has been added."]
    post = Post.objects.get()
    assert (post.school, post.subject, post.seats, post.conditions) == (school, "语文", 3,
                                                                        "本科以上")
    assert post.history.get().history_user == principal_user
    assert "Seats set: <strong>3</strong> of a quota of <strong>4</strong>" in response.text
    assert "1 seat is left." in response.text


def test_the_quota_refusal_is_shown_and_the_input_kept(login, principal_user, cycle, school):
    client = login(principal_user)
    client.post(url("school_posts", cycle, school.pk), post_data(seats=3), follow=True)

    response = client.post(url("school_posts", cycle, school.pk),
                           post_data(number=2, kind="auxiliary", duties="实验室管理", seats=2))

    assert response.status_code == 200
    assert messages_of(response) == ["夏庄完小 may set 4 seats; this would make 5."]
    assert Post.objects.count() == 1
    assert "实验室管理" in response.text  # the input is kept to correct it
    assert 'name="seats" value="2"' in response.text


def test_a_posts_own_rule_is_shown_on_its_field(login, principal_user, cycle, school):
    response = login(principal_user).post(url("school_posts", cycle, school.pk),
                                          post_data(subject="", kind="teaching"))

    assert messages_of(response) == ["The post was not added; see the reasons below."]
    assert response.context["post_form"].errors["subject"] == [
        "a teaching post needs its subject"]
    assert not Post.objects.exists()


def test_a_number_already_used_is_refused(login, principal_user, cycle, school):
    client = login(principal_user)
    client.post(url("school_posts", cycle, school.pk), post_data(), follow=True)

    response = client.post(url("school_posts", cycle, school.pk),
                           post_data(kind="auxiliary", duties="门卫"))

    assert messages_of(response) == ["Post number 1 is already used."]


def test_the_office_sets_a_schools_posts_too(login, office_user, cycle, school):
    response = login(office_user).post(url("school_posts", cycle, school.pk),
                                       post_data(kind="auxiliary", duties="宿舍管理"), follow=True)

    assert messages_of(response) == ["Post 1 of 夏庄完小 has been added."]
    assert Post.objects.get().weekly_lessons == 0  # an auxiliary post has no lessons


def test_a_principal_changes_an_unpublished_post_and_sees_its_history(login, principal_user,
                                                                      cycle, school):
    post = posts_services.post_save(
        by=principal_user, cycle=cycle, school=school, fields=teaching(1)
    )
    client = login(principal_user)

    page = client.get(url("post_detail", cycle, post.pk))
    response = client.post(url("post_detail", cycle, post.pk),
                           post_data(subject="英语", weekly_lessons=10), follow=True)

    assert "Save the post" in page.text
    assert messages_of(response) == ["Post 1 of 夏庄完小 has been saved."]
    post.refresh_from_db()
    assert (post.subject, post.weekly_lessons) == ("英语", 10)
    history = response.context["history"]
    assert [entry.action for entry in history] == ["changed", "created"]
    assert {(c.label, c.old, c.new) for c in history[0].changes} >= {("subject", "语文", "英语")}
    assert "<del>语文</del> → <ins>英语</ins>" in response.text


def test_a_post_set_by_mistake_is_removed(login, principal_user, cycle, school):
    post = posts_services.post_save(
        by=principal_user, cycle=cycle, school=school, fields=teaching(1)
    )

    response = login(principal_user).post(url("post_delete", cycle, post.pk), follow=True)

    assert messages_of(response) == ["Post 1 of 夏庄完小 has been removed."]
    assert not Post.objects.exists()
    assert Post.history.filter(id=post.pk, history_type="-").get().history_user == principal_user


def test_a_published_post_no_longer_changes(login, principal_user, cycle, posts):
    client = login(principal_user)

    page = client.get(url("post_detail", cycle, posts[0].pk))
    response = client.post(url("post_detail", cycle, posts[0].pk), post_data(subject="英语"))
    removed = client.post(url("post_delete", cycle, posts[0].pk), follow=True)

    assert "Post 1 is published and can no longer change." in page.text
    assert "Save the post" not in page.text
    assert messages_of(response) == ["Post 1 is published and can no longer change."]
    assert messages_of(removed) == ["Post 1 is published and can no longer change."]
    assert Post.objects.get(pk=posts[0].pk).subject == "语文"


def test_posts_no_longer_change_once_intentions_close(login, principal_user, office_user, cycle,
                                                      school):
    close_phase(cycle, office_user, INTENTIONS)
    client = login(principal_user)

    page = client.get(url("school_posts", cycle, school.pk))
    response = client.post(url("school_posts", cycle, school.pk), post_data())

    assert "Intentions have closed: posts can no longer change." in page.text
    assert "Add the post" not in page.text
    assert messages_of(response) == ["Intentions have closed: posts can no longer change."]
    assert not Post.objects.exists()


# --- who may not -------------------------------------------------------------------------


@pytest.mark.parametrize("who", ["teacher_user", "other_principal", "liaison_user"])
def test_only_the_principal_and_the_office_change_a_schools_posts(request, login, cycle, school,
                                                                  principal_user, who):
    post = posts_services.post_save(
        by=principal_user, cycle=cycle, school=school, fields=teaching(1)
    )
    client = login(request.getfixturevalue(who))

    added = client.post(url("school_posts", cycle, school.pk), post_data(number=2))
    changed = client.post(url("post_detail", cycle, post.pk), post_data(subject="英语"))
    removed = client.post(url("post_delete", cycle, post.pk))
    uploaded = upload(client, cycle, school, sheet([5, "辅助岗", "", "", "", "门卫", "", 1]))

    # The liaison sees the unpublished post (404 for the others: not theirs to see).
    assert added.status_code == 403
    assert changed.status_code in (403, 404) and removed.status_code in (403, 404)
    assert uploaded.status_code == 403
    assert Post.objects.get().subject == "语文" and Post.objects.count() == 1


@pytest.mark.parametrize(("who", "status"), [("teacher_user", 403), ("other_principal", 403),
                                             ("liaison_user", 200), ("principal_user", 200),
                                             ("office_user", 200), ("foreign_office", 404)])
def test_who_sees_a_schools_posts_page(request, login, cycle, school, who, status):
    response = login(request.getfixturevalue(who)).get(url("school_posts", cycle, school.pk))

    assert response.status_code == status
    if who == "liaison_user":
        assert "Add the post" not in response.text  # reads, does not change


def test_a_school_outside_the_township_is_not_found(login, office_user, cycle, foreign_school):
    client = login(office_user)

    assert client.get(url("school_posts", cycle, foreign_school.pk)).status_code == 404
    assert client.post(url("posts_publish", cycle, foreign_school.pk)).status_code == 404


# --- the office publishes -------------------------------------------------------------------


def test_the_office_reviews_and_publishes_a_schools_posts(login, office_user, principal_user,
                                                          cycle, school):
    posts_services.post_save(by=principal_user, cycle=cycle, school=school, fields=teaching(1))
    posts_services.post_save(by=principal_user, cycle=cycle, school=school, fields=auxiliary(2))
    client = login(office_user)

    board = client.get(url("posts", cycle))
    confirm = client.get(url("posts_publish", cycle, school.pk))

    assert url("posts_publish", cycle, school.pk) in board.text
    assert "You publish 2 posts to every staff member of the township." in confirm.text
    assert not Post.objects.filter(published_at__isnull=False).exists()  # not before the POST

    response = client.post(url("posts_publish", cycle, school.pk), follow=True)

    assert messages_of(response) == [
        "2 posts of 夏庄完小 published: every staff member of the township sees them now."]
    assert Post.objects.filter(published_at__isnull=False).count() == 2
    assert "School has no unpublished posts" not in response.text
    assert "夏庄完小 has no unpublished posts." in response.text  # the button's reason now


def test_publishing_nothing_is_refused_with_its_reason(login, office_user, cycle, school):
    client = login(office_user)

    confirm = client.get(url("posts_publish", cycle, school.pk))
    response = client.post(url("posts_publish", cycle, school.pk), follow=True)

    assert "夏庄完小 has no unpublished posts." in confirm.text
    assert "disabled" in confirm.text
    assert messages_of(response) == ["夏庄完小 has no unpublished posts."]


@pytest.mark.parametrize(("who", "status"), [("principal_user", 403), ("liaison_user", 403),
                                             ("teacher_user", 403), ("foreign_office", 404)])
def test_only_the_township_office_publishes(request, login, cycle, school, principal_user, who,
                                            status):
    posts_services.post_save(by=principal_user, cycle=cycle, school=school, fields=teaching(1))
    client = login(request.getfixturevalue(who))

    assert client.get(url("posts_publish", cycle, school.pk)).status_code == status
    assert client.post(url("posts_publish", cycle, school.pk)).status_code == status
    assert not Post.objects.filter(published_at__isnull=False).exists()


# --- the posts board ------------------------------------------------------------------------


def test_every_staff_member_sees_the_published_posts_only(login, cycle, posts, principal_user,
                                                          other_school, office_user):
    hidden = posts_services.post_save(by=office_user, cycle=cycle, school=other_school,
                           fields=auxiliary(7, duty="图书室管理"))
    outsider = person(other_school, "外校教师")

    board = login(outsider.user).get(url("posts", cycle))
    detail = login(outsider.user).get(url("post_detail", cycle, hidden.pk))

    assert board.status_code == 200
    assert board.context["page"].paginator.count == 3
    assert "实验室管理" in board.text and "图书室管理" not in board.text
    assert detail.status_code == 404


def test_a_principal_also_sees_their_schools_unpublished_posts(login, cycle, principal_user,
                                                               school, other_school,
                                                               office_user):
    posts_services.post_save(by=principal_user, cycle=cycle, school=school,
                  fields=auxiliary(1, duty="宿舍管理"))
    posts_services.post_save(by=office_user, cycle=cycle, school=other_school,
                  fields=auxiliary(1, duty="图书室管理"))

    board = login(principal_user).get(url("posts", cycle))
    office_board = login(office_user).get(url("posts", cycle))

    assert "宿舍管理" in board.text and "not published" in board.text
    assert "图书室管理" not in board.text
    assert [row.school for row in board.context["school_rows"]] == [school]
    assert office_board.context["page"].paginator.count == 2


def test_the_board_filters_by_school_kind_subject_and_text(login, teacher_user, cycle, posts,
                                                           other_posts, other_school):
    client = login(teacher_user)

    def count(**query):
        return client.get(url("posts", cycle), query).context["page"].paginator.count

    assert count() == 5
    assert count(school=other_school.pk) == 2
    assert count(kind="auxiliary") == 2
    assert count(subject="数学") == 1
    assert count(q="门卫") == 1
    assert count(q="3") == 1  # a post number
    assert count(kind="teaching", school=other_school.pk) == 1
    assert count(kind="nonsense") == 5  # an invalid filter is ignored


def test_another_townships_cycle_is_not_found(login, foreign_office, cycle, posts):
    client = login(foreign_office)

    for name, args in [("posts", []), ("post_detail", [posts[0].pk]), ("intentions", []),
                       ("intention", []), ("school_posts", [posts[0].school_id])]:
        assert client.get(url(name, cycle, *args)).status_code == 404, name


# --- the 岗位 sheet -------------------------------------------------------------------------


def test_the_template_has_the_headers_with_the_required_ones_marked(login, principal_user,
                                                                   cycle):
    response = login(principal_user).get(url("posts_template", cycle))

    book = load_workbook(io.BytesIO(response.content))
    header = book["岗位"][1]
    assert [cell.value for cell in header] == HEADERS
    marked = [cell.value for cell in header if cell.fill.fgColor.rgb.endswith("FFF2CC")]
    assert marked == ["岗位序号", "类别"]


def test_an_import_is_previewed_then_written_on_confirm(login, principal_user, cycle, school,
                                                        media_root):
    client = login(principal_user)
    data = sheet([1, "教学岗", "三年级", "语文", 12, "", "本科", None],
                 [2, "辅助岗", "", "", None, "实验室管理", "", 2])

    uploaded = upload(client, cycle, school, data)
    preview = client.get(uploaded["Location"])

    assert uploaded.status_code == 302
    assert "Confirm and import" in preview.text
    assert "2 posts to add, 0 to change." in preview.text
    assert [row.fields.number for row in preview.context["rows"]] == [1, 2]
    assert not Post.objects.exists()  # nothing before the confirm
    assert len(list(media_root.rglob("*.xlsx"))) == 1  # kept under the media root

    token = preview.context["token"]
    confirmed = client.post(url("posts_import_confirm", cycle, school.pk, token), follow=True)

    assert messages_of(confirmed) == ["Posts imported into 夏庄完小: 2 added, 0 changed."]
    assert [(p.number, p.kind, p.seats) for p in Post.objects.order_by("number")] == [
        (1, "teaching", 1), (2, "auxiliary", 2)]
    assert Post.history.filter(history_user=principal_user).count() == 2
    assert list(media_root.rglob("*.xlsx")) == []  # done with
    again = client.post(url("posts_import_confirm", cycle, school.pk, token))
    assert again.status_code == 404


def test_a_reimport_changes_the_posts_of_the_same_numbers(login, principal_user, cycle, school):
    posts_services.post_save(by=principal_user, cycle=cycle, school=school, fields=teaching(1))
    client = login(principal_user)

    uploaded = upload(client, cycle, school, sheet([1, "教学岗", "三年级", "英语", 10, "", "", 1]))
    preview = client.get(uploaded["Location"])

    assert "0 posts to add, 1 to change." in preview.text
    assert "学科: <del>语文</del> → <ins>英语</ins>" in preview.text


def test_bad_rows_are_listed_and_nothing_is_written(login, principal_user, cycle, school):
    client = login(principal_user)
    data = sheet([1, "教学岗", "三年级", "语文", 12, "", "", 1],
                 [2, "值班岗", "", "", "", "门卫", "", 1],
                 [3, "教学岗", "", "", "十二", "", "", 1])

    uploaded = upload(client, cycle, school, data)
    preview = client.get(uploaded["Location"])
    token = preview.context["token"]
    confirmed = client.post(url("posts_import_confirm", cycle, school.pk, token), follow=True)

    errors = {(e.row, e.column, e.reason) for e in preview.context["errors"]}
    assert (3, "类别", "write 教学岗 or 辅助岗, not “值班岗”") in errors
    assert (4, "周课时", "“十二” is not a whole number") in errors
    assert "Confirm and import" not in preview.text
    assert "write 教学岗 or 辅助岗, not “值班岗”" in preview.text
    assert not Post.objects.exists()
    assert "nothing was imported" in messages_of(confirmed)[0]
    assert not Post.objects.exists()

    download = client.get(url("posts_import_errors", cycle, school.pk, token))
    rows = list(load_workbook(io.BytesIO(download.content))["岗位"].iter_rows(values_only=True))
    assert rows[0][-1] == "错误"
    assert rows[1][-1] in ("", None)
    assert "类别: write 教学岗 or 辅助岗" in rows[2][-1]
    assert "周课时" in rows[3][-1]


def test_an_upload_with_row_errors_says_how_many(login, principal_user, cycle, school):
    client = login(principal_user)

    response = upload(client, cycle, school, sheet([2, "值班岗", "", "", "", "门卫", "", 1]))
    page = client.get(response["Location"])

    assert messages_of(page) == [
        "The sheet has errors in 1 row; nothing will be imported. Download it with its errors, "
        "correct it and upload the file again."]


def test_an_import_over_the_quota_is_refused(login, principal_user, cycle, school):
    client = login(principal_user)

    response = upload(client, cycle, school, sheet([1, "辅助岗", "", "", "", "门卫", "", 5]))
    preview = client.get(response["Location"])

    assert "夏庄完小 may set 4 seats; this would make 5." in preview.text
    assert "Confirm and import" not in preview.text


def test_a_file_that_is_not_a_workbook_is_refused(login, principal_user, cycle, school,
                                                  media_root):
    response = upload(login(principal_user), cycle, school, b"name,number\n", name="岗位.csv")

    assert response.status_code == 200
    assert "This is not an Excel workbook (.xlsx)." in response.text
    assert list(media_root.rglob("*")) == []


def test_a_preview_is_only_the_schools_own(login, principal_user, other_principal, cycle,
                                           school, other_school):
    uploaded = upload(login(principal_user), cycle, school,
                      sheet([1, "辅助岗", "", "", "", "门卫", "", 1]))
    token = uploaded["Location"].rstrip("/").split("/")[-1]
    client = login(other_principal)

    assert client.get(uploaded["Location"]).status_code == 403
    assert client.get(url("posts_import_preview", cycle, other_school.pk, token)).status_code == 404
    assert client.get(url("posts_import_preview", cycle, other_school.pk, "x" * 32)
                      ).status_code == 404


# --- the intention: a staff member ---------------------------------------------------------


def choose(*slots, action="save"):
    """Form data: each slot (school, teaching post or None, [auxiliary posts]) shown."""
    data = {"action": action}
    for index, (school, teaching_post, aux) in enumerate(slots, start=1):
        prefix = f"choice-{index}"
        data[f"{prefix}-school"] = school.pk
        data[f"{prefix}-shown"] = school.pk
        if teaching_post is not None:
            data[f"{prefix}-teaching"] = teaching_post.pk
        data[f"{prefix}-auxiliary"] = [p.pk for p in aux]
    return data


def test_a_teacher_submits_an_intention_and_sees_it(login, teacher, cycle, posts, school):
    client = login(teacher.user)

    page = client.get(url("intention", cycle))
    response = client.post(url("intention", cycle), choose((school, posts[0], [posts[1]])),
                           follow=True)

    assert page.status_code == 200
    assert page.context["form"].slots[0].school == school  # their own school, posts shown
    assert f'value="{posts[0].pk}"' in page.text and "Choice 3" in page.text
    assert response.redirect_chain[-1][0] == url("intention", cycle)
    assert messages_of(response)[0].startswith("Your intention has been submitted at ")
    assert "You may change it until the deadline, 2026-08-22." in messages_of(response)[0]
    application = Intention.objects.get(staff=teacher).applications.get()
    assert (application.teaching_post, list(application.auxiliary_posts.all())) == (
        posts[0], [posts[1]])
    assert "You count as teaching staff." in response.text
    assert url("intention_print", cycle) in response.text
    assert response.context["history"][0].action == "created"


def test_an_intention_ranks_another_school_after_showing_its_posts(login, teacher, cycle,
                                                                   posts, school, other_school,
                                                                   other_posts):
    client = login(teacher.user)
    data = choose((school, posts[0], [posts[1]]), action="show")
    data["choice-2-school"] = other_school.pk

    shown = client.post(url("intention", cycle), data)

    assert not Intention.objects.exists()  # showing posts saves nothing
    assert shown.context["form"].slots[1].auxiliary_options == [other_posts[1]]
    assert "门卫值守" in shown.text
    assert f'name="choice-2-shown" value="{other_school.pk}"' in shown.text
    assert f'<option value="{posts[0].pk}" selected>' in shown.text  # choice 1 kept

    client.post(url("intention", cycle),
                choose((school, posts[0], [posts[1]]), (other_school, None, [other_posts[1]])))

    intention = Intention.objects.get()
    assert [(a.rank, a.school) for a in intention.applications.all()] == [(1, school),
                                                                          (2, other_school)]


def test_a_school_changed_without_showing_its_posts_asks_for_them(login, teacher, cycle, posts,
                                                                  school, other_school,
                                                                  other_posts):
    data = choose((school, posts[0], [posts[1]]))
    data["choice-1-school"] = other_school.pk  # the posts chosen are 夏庄完小's

    response = login(teacher.user).post(url("intention", cycle), data)

    assert not Intention.objects.exists()
    assert ("The posts of 东张完小 are shown below: choose among them and submit again."
            in response.text)
    assert "门卫值守" in response.text


@pytest.mark.parametrize(
    ("slots", "message"),
    [
        (lambda s, p, o: [(s, p[0], [])],
         "Choice 1 (夏庄完小): choose one or more auxiliary posts (“1+X”)."),
        (lambda s, p, o: [(s, p[1], [p[1]])],
         "Choice 1 (夏庄完小): post 2 is not a teaching post."),
        (lambda s, p, o: [(s, p[0], [p[2]])],
         "Choice 1 (夏庄完小): only auxiliary posts go with the teaching post."),
        (lambda s, p, o: [(s, None, [p[1]]), (s, p[0], [p[1]])],
         "Choice 2 (夏庄完小): that school is already chosen above."),
        (lambda s, p, o: [], "Choose at least one school's posts."),
        (lambda s, p, o: [(s, None, [p[1]]), *o],
         "The plan allows at most 3 schools in one intention."),
    ],
)
def test_each_intention_rule_is_shown_with_the_input_kept(login, teacher, cycle, posts, school,
                                                          office_user, slots, message):
    others = []
    for _ in range(3):
        other = SchoolFactory(township=school.township)
        [duty] = published(cycle, office_user, office_user, other, auxiliary(1))
        others.append((other, None, [duty]))
    client = login(teacher.user)

    response = client.post(url("intention", cycle), choose(*slots(school, posts, others)))

    assert response.status_code == 200
    assert messages_of(response) == ["Your intention was not saved; see the reasons below."]
    assert message in response.context["form"].errors
    assert escape(message) in response.text
    assert not Intention.objects.exists()


def test_every_reason_is_shown_at_once(login, teacher, cycle, posts, school, other_school,
                                      other_posts):
    data = choose((school, posts[0], []), (school, None, [posts[1]]))
    data["choice-2-school"] = other_school.pk  # changed without showing its posts

    response = login(teacher.user).post(url("intention", cycle), data)

    errors = response.context["form"].errors
    assert "Choice 1 (夏庄完小): choose one or more auxiliary posts (“1+X”)." in errors
    assert ("The posts of 东张完小 are shown below: choose among them and submit again."
            in response.text)
    assert not Intention.objects.exists()


def test_an_unpublished_post_is_refused(login, teacher, cycle, posts, school, principal_user):
    hidden = posts_services.post_save(by=principal_user, cycle=cycle, school=school,
                           fields=auxiliary(9, duty="图书室"))

    response = login(teacher.user).post(url("intention", cycle),
                                        choose((school, posts[0], [hidden])))

    assert "Choice 1 (夏庄完小): post 9 is not published." in response.context["form"].errors


def test_the_input_is_kept_after_a_refusal(login, teacher, cycle, posts, school):
    response = login(teacher.user).post(url("intention", cycle),
                                        choose((school, posts[0], [])))

    assert f'<option value="{posts[0].pk}" selected>' in response.text
    slot = response.context["form"].slots[0]
    assert (slot.school, slot.teaching) == (school, posts[0])


def test_an_intention_changes_until_the_deadline_then_is_refused(login, teacher, cycle, posts,
                                                                 school, office_user):
    client = login(teacher.user)
    client.post(url("intention", cycle), choose((school, posts[0], [posts[1]])))
    changed = client.post(url("intention", cycle), choose((school, None, [posts[1]])),
                          follow=True)

    assert Intention.objects.get().applications.get().teaching_post is None
    assert [e.action for e in changed.context["history"]] == ["changed", "created"]
    close_phase(cycle, office_user, INTENTIONS)

    page = client.get(url("intention", cycle))
    refused = client.post(url("intention", cycle), choose((school, posts[0], [posts[1]])))

    assert "is closed" in page.text and "Submit my intention" not in page.text
    assert "Auxiliary posts only" not in page.text
    assert any("is closed" in error for error in refused.context["form"].errors)
    assert Intention.objects.get().applications.get().teaching_post is None


def test_before_phase_5_opens_intentions_are_refused(login, office_user, township, school,
                                                     teacher):

    cycle = cycle_services.cycle_create(by=office_user, township=township, school_year=2027)

    page = login(teacher.user).get(url("intention", cycle))

    assert "Intentions open once the congress has adopted the plan." in page.text
    assert login(teacher.user).post(url("intention", cycle), {}).status_code == 403


@pytest.mark.parametrize(("slot", "status"), [
    (lambda s, p: (s, None, [p[1]]), "You count as support staff (教辅人员)."),
    (lambda s, p: (s, p[2], [p[1]]), "You count as support staff (教辅人员)."),
    (lambda s, p: (s, p[0], [p[1]]), "You count as teaching staff."),
])
def test_the_support_staff_classification_is_shown(login, teacher, cycle, posts, school, slot,
                                                   status):
    response = login(teacher.user).post(url("intention", cycle), choose(slot(school, posts)),
                                        follow=True)

    assert status in response.text
    assert "fewer than 8 lessons a week" in response.text


def test_a_login_without_a_staff_record_has_no_intention(login, office_user, cycle, posts):
    client = login(office_user)

    page = client.get(url("intention", cycle))

    assert "You are not on the township's staff" in page.text
    assert client.post(url("intention", cycle), {}).status_code == 403
    assert client.get(url("intention_print", cycle)).status_code == 403


# --- the print form ---------------------------------------------------------------------------


def test_the_printable_intention_form(login, teacher, cycle, posts, school, other_school,
                                      other_posts):
    posts_services.intention_submit(
        by=teacher.user,
        cycle=cycle,
        choices=[
            rules.Choice(school, posts[0], [posts[1]]),
            rules.Choice(other_school, None, [other_posts[1]]),
        ],
    )

    page = login(teacher.user).get(url("intention_print", cycle))

    assert page.status_code == 200
    text = page.text
    assert "Post intention form" in text
    assert teacher.name in text and teacher.masked_id in text and teacher.resident_id not in text
    assert "夏庄完小" in text and "东张完小" in text
    for value in ("三年级", "语文", "<td>12</td>", "实验室管理", "门卫值守", "teaching post",
                  "auxiliary post"):
        assert value in text, value
    assert "Applicant&#x27;s signature" in text or "Applicant's signature" in text
    assert "Received by the school" in text
    assert timezone.localdate().isoformat() in text


def test_nothing_to_print_before_submitting(login, teacher, cycle, posts):
    response = login(teacher.user).get(url("intention_print", cycle), follow=True)

    assert response.redirect_chain[-1][0] == url("intention", cycle)
    assert messages_of(response) == [
        "You have not submitted an intention yet: there is nothing to print."]


# --- the intentions lists ---------------------------------------------------------------------


@pytest.fixture
def applied(cycle, posts, other_posts, school, other_school, teacher):
    """Four intentions: 教师乙 (夏庄完小) at home; 外校 (东张完小) at 夏庄完小 then home;
    东张甲 (东张完小) at home only; 东张乙 (东张完小) at home then 夏庄完小 second."""
    posts_services.intention_submit(by=teacher.user, cycle=cycle,
                         choices=[rules.Choice(school, posts[0], [posts[1]])])
    mover = person(other_school, "外校")
    posts_services.intention_submit(by=mover.user, cycle=cycle, choices=[
        rules.Choice(school, None, [posts[1]]), rules.Choice(other_school, None, [other_posts[1]])])
    home = person(other_school, "东张甲")
    posts_services.intention_submit(by=home.user, cycle=cycle,
                         choices=[rules.Choice(other_school, other_posts[0], [other_posts[1]])])
    second = person(other_school, "东张乙")
    posts_services.intention_submit(by=second.user, cycle=cycle, choices=[
        rules.Choice(other_school, other_posts[0], [other_posts[1]]),
        rules.Choice(school, None, [posts[1]])])
    return {"teacher": teacher, "mover": mover, "home": home, "second": second}


def names(response):
    return [row.intention.staff.name for row in response.context["rows"]]


def test_the_office_sees_every_intention(login, office_user, cycle, applied):
    response = login(office_user).get(url("intentions", cycle))

    assert sorted(names(response)) == sorted(["教师乙", "外校", "东张甲", "东张乙"])
    staff_count = response.context["staff_count"]
    assert f"4 of {staff_count} staff members have submitted an intention." in response.text
    mover = next(r for r in response.context["rows"] if r.intention.staff.name == "外校")
    assert [a.school.name for a in mover.applications] == ["夏庄完小", "东张完小"]


@pytest.mark.parametrize("who", ["principal_user", "liaison_user"])
def test_a_school_sees_its_staff_and_those_applying_to_it(request, login, cycle, applied, who):
    response = login(request.getfixturevalue(who)).get(url("intentions", cycle))

    assert sorted(names(response)) == sorted(["教师乙", "外校", "东张乙"])
    rows = {row.intention.staff.name: row for row in response.context["rows"]}
    # Another school's staff: only their choices at this school are shown.
    assert [a.school.name for a in rows["外校"].applications] == ["夏庄完小"]
    assert [a.rank for a in rows["东张乙"].applications] == [2]
    assert "东张甲" not in response.text


def test_the_intentions_list_filters(login, office_user, cycle, applied, school):
    client = login(office_user)

    def listed(**query):
        return sorted(names(client.get(url("intentions", cycle), query)))

    assert listed(school=school.pk) == sorted(["教师乙", "外校", "东张乙"])
    assert listed(support="support") == ["外校"]
    assert listed(q="东张甲") == ["东张甲"]
    assert listed(q=applied["home"].resident_id[-4:]) == ["东张甲"]


@pytest.mark.parametrize(("who", "status"), [("teacher_user", 403), ("foreign_office", 404)])
def test_a_teacher_sees_no_one_elses_intention(request, login, cycle, applied, who, status):
    client = login(request.getfixturevalue(who))

    assert client.get(url("intentions", cycle)).status_code == status
    assert client.get(url("intentions_export", cycle)).status_code == status


def export_rows(response):
    book = load_workbook(io.BytesIO(response.content))
    sheet_ = book["意向"]
    rows = list(sheet_.iter_rows(values_only=True))
    return rows, sheet_


def test_the_office_exports_the_intentions_with_full_ids(login, office_user, cycle, applied):
    response = login(office_user).get(url("intentions_export", cycle))

    rows, sheet_ = export_rows(response)
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert rows[0][:6] == ("姓名", "身份证号", "所在学校", "人员类别", "志愿", "意向学校")
    mover = [row for row in rows if row[0] == "外校"]
    assert [(row[4], row[5]) for row in mover] == [(1, "夏庄完小"), (2, "东张完小")]
    assert mover[0][1] == applied["mover"].resident_id and mover[0][3] == "教辅人员"
    assert sheet_["B2"].number_format == "@"
    assert len(rows) == 1 + 6  # one line per ranked choice


def test_a_principal_exports_masked_ids_and_only_what_they_see(login, principal_user, cycle,
                                                               applied):
    rows, _sheet = export_rows(login(principal_user).get(url("intentions_export", cycle)))

    mover = [row for row in rows[1:] if row[0] == "外校"]
    assert [row[5] for row in mover] == ["夏庄完小"]
    assert mover[0][1] == applied["mover"].masked_id
    assert all("*" in row[1] for row in rows[1:] if row[0] != "校长甲")
    assert {row[0] for row in rows[1:]} == {"教师乙", "外校", "东张乙"}


# --- queries do not grow with the rows ---------------------------------------------------------


@pytest.fixture
def many_posts(cycle, school, other_school):
    now = timezone.now()
    Post.objects.bulk_create(
        [Post(cycle=cycle, school=school if n % 2 else other_school, number=n,
              kind=PostKind.TEACHING if n % 3 else PostKind.AUXILIARY, grade_class=f"{n % 6}年级",
              subject=["语文", "数学", "英语"][n % 3], weekly_lessons=n % 16, duties="值守",
              published_at=now if n % 5 else None)
         for n in range(1, 301)])


def test_the_posts_board_queries_are_bounded(login, office_user, teacher_user, cycle,
                                             many_posts, django_assert_max_num_queries):
    for user in (office_user, teacher_user):
        client = login(user)
        with django_assert_max_num_queries(20):
            response = client.get(url("posts", cycle), {"kind": "teaching"})
        assert response.status_code == 200


def test_a_schools_posts_page_queries_are_bounded(login, principal_user, cycle, school,
                                                  django_assert_max_num_queries):
    now = timezone.now()
    Post.objects.bulk_create([Post(cycle=cycle, school=school, number=n, kind=PostKind.AUXILIARY,
                                   duties="值守", published_at=now if n % 2 else None)
                              for n in range(1, 301)])
    client = login(principal_user)

    with django_assert_max_num_queries(20):
        response = client.get(url("school_posts", cycle, school.pk))

    assert response.status_code == 200
    assert len(response.context["page"].object_list) == 100


@pytest.fixture
def many_intentions(cycle, posts, school, other_school, other_posts):
    people = StaffFactory.create_batch(300, school=other_school)
    intentions = Intention.objects.bulk_create(
        [Intention(cycle=cycle, staff=person, support_staff=bool(i % 2),
                   submitted_at=timezone.now() - timedelta(minutes=i))
         for i, person in enumerate(people)])
    applications = Application.objects.bulk_create(
        [Application(intention=intention, rank=rank, school=where, teaching_post=teaching_post)
         for intention in intentions
         for rank, where, teaching_post in [(1, other_school, other_posts[0]),
                                            (2, school, posts[0])]])
    through = Application.auxiliary_posts.through
    through.objects.bulk_create(
        [through(application_id=app.pk, post_id=(posts[1] if app.rank == 2 else
                                                 other_posts[1]).pk)
         for app in applications])


@pytest.mark.parametrize("who", ["office_user", "principal_user"])
def test_the_intentions_list_queries_are_bounded(request, login, cycle, many_intentions, who,
                                                 django_assert_max_num_queries):
    client = login(request.getfixturevalue(who))

    with django_assert_max_num_queries(20):
        response = client.get(url("intentions", cycle))

    assert response.status_code == 200
    assert response.context["page"].paginator.count == 300
    assert len(response.context["rows"]) == 50


def test_the_intentions_export_queries_are_bounded(login, office_user, cycle, many_intentions,
                                                   django_assert_max_num_queries):
    client = login(office_user)

    with django_assert_max_num_queries(20):
        response = client.get(url("intentions_export", cycle))

    rows, _sheet = export_rows(response)
    assert len(rows) == 1 + 600


# --- an import and a post saved at the same moment ------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_an_import_and_a_post_saved_at_once_keep_the_quota(principal_user, office_user,
                                                           township, school, other_school):
    cycle = adopted_cycle(office=office_user, township=township, quotas={school.pk: 4})
    data = sheet([1, "教学岗", "三年级", "语文", 12, "", "", 3])

    imported, saved = at_once(
        lambda: posts_services.posts_import(
            by=principal_user, cycle=cycle, school=school, data=data
        ),
        lambda: posts_services.post_save(
            by=office_user, cycle=cycle, school=school, fields=auxiliary(2, seats=2)
        ),
    )

    # Whichever came second found the other's seats: exactly one of them wrote.
    import_wrote = isinstance(imported, sheets.PostImport) and not imported.errors
    save_wrote = isinstance(saved, Post)
    assert import_wrote != save_wrote, (imported, saved)
    assert sum(post.seats for post in Post.objects.filter(school=school)) <= 4
