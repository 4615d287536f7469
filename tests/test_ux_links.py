"""No link leads a login to a page it may not open (issue 10, item 15): every link a
role is shown, followed from home through the pages it opens, answers, never 403; and the
post detail's school link is there only for those who may open the school's posts."""

import re
from collections import deque

import pytest

from . import outcome_world
from .helpers import text, url

cycle, people, done = outcome_world.cycle, outcome_world.people, outcome_world.done

HREF = re.compile(r'<a\s[^>]*href="(/[^"#?]*)')
# Downloads and the admin are not pages of the journey.
NOT_PAGES = ("/admin/", "/export", "/report", "/print", "/i18n/")
CRAWL_LIMIT = 300


def forbidden_links(client) -> list[tuple[str, str]]:
    """(link, the page that showed it) for each link shown to the client's login that
    answers 403 or 404, following links from home through the pages that open."""
    shown_on = {"/": ""}
    queue, seen, bad = deque(["/"]), set(), []
    while queue and len(seen) < CRAWL_LIMIT:
        link = queue.popleft()
        if link in seen or any(part in link for part in NOT_PAGES):
            continue
        seen.add(link)
        response = client.get(link)
        if response.status_code in (403, 404):
            bad.append((link, shown_on[link]))
        if response.status_code != 200 or "text/html" not in response["Content-Type"]:
            continue
        for found in HREF.findall(response.content.decode()):
            shown_on.setdefault(found, link)
            queue.append(found)
    assert len(seen) > 10, "the crawl opened too few pages to mean anything"
    return bad


@pytest.mark.parametrize("who", ["liaison_user", "principal_user", "other_principal",
                                 "teacher_user"])
def test_every_link_shown_opens(request, login, done, who):
    client = login(request.getfixturevalue(who))

    assert forbidden_links(client) == []


def post_page(login, user, post):
    return text(login(user).get(url("post_detail", post.cycle, post.pk)))


def test_post_school_link_only_for_those_who_may_open_the_schools_posts(
        login, posts, principal_user, other_principal, liaison_user):
    post = posts["here"][0]  # 夏庄完小's, whose principal and liaison open its posts
    school_posts = url("school_posts", post.cycle, post.school_id)

    assert school_posts in post_page(login, principal_user, post)
    assert school_posts in post_page(login, liaison_user, post)
    assert school_posts not in post_page(login, other_principal, post)
    assert login(other_principal).get(school_posts).status_code == 403


def test_post_school_link_absent_for_a_liaison_of_another_school(
        login, posts, liaison_user):
    post = posts["there"][0]  # 东张完小's: the liaison covers 夏庄完小 only
    school_posts = url("school_posts", post.cycle, post.school_id)

    page = post_page(login, liaison_user, post)

    assert post.school.name in page
    assert school_posts not in page
    assert login(liaison_user).get(school_posts).status_code == 403
