"""Nothing in English on a zh-hans page (issue 10, item 16): the admin's index, every
changelist and the history pages, the product's history sections, the staff page with
its ended positions (the roster import's, R3's), and seed_demo's printed logins.

The visible text (not tags, attributes, scripts or styles, nor an element marked
``lang="en"``: the language switch names English in English) is scanned for Latin words
of three letters or more; the only ones allowed are what a person types (the logins'
usernames, the demo password), the file kind ``xlsx`` named on download links, and what
django-axes recorded from a request (a browser's user agent, a path): data, not the
interface."""

from datetime import date
from io import StringIO

import pytest
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.urls import reverse
from simple_history.admin import SimpleHistoryAdmin

from recruitment.models import Proposal, Ranking
from schools.management.commands.seed_demo import DEMO_PASSWORD
from schools.models import Position
from schools.roster import IMPORT_REASON
from schools.services import positions_end

from . import outcome_world
from .helpers import person, url
from .page_text import english_words

cycle, people, done = outcome_world.cycle, outcome_world.people, outcome_world.done


def english_on(client, path: str) -> set[str]:
    response = client.get(path)
    assert response.status_code == 200, path
    return english_words(response.content.decode())


@pytest.fixture
def superuser(db):
    return get_user_model().objects.create_superuser("root", password="x")


@pytest.fixture
def former_head(done, office_user, school):
    """A staff member whose position a roster import ended (the vice principal's ended by
    R3 in the outcome world)."""
    staff = person(school, "老组长")
    earlier = Position.objects.create(staff=staff, school=school, title="年级组长",
                                      start_date=date(2019, 9, 1))
    positions_end(by=office_user, positions=[earlier], reason=IMPORT_REASON,
                  history_reason=IMPORT_REASON)
    return staff


def test_the_admin_in_chinese(login, superuser, former_head):
    client = login(superuser)
    pages = [reverse("admin:index")]
    for model, model_admin in admin.site._registry.items():
        name = f"admin:{model._meta.app_label}_{model._meta.model_name}"
        pages.append(reverse(f"{name}_changelist"))
        obj = model._default_manager.order_by("-pk").first()
        if obj is not None and isinstance(model_admin, SimpleHistoryAdmin):
            pages.append(reverse(f"{name}_history", args=[obj.pk]))

    found = {path: english_on(client, path) for path in pages}

    assert {path: sorted(words) for path, words in found.items() if words} == {}


def test_history_and_positions_in_chinese(login, office_user, done, former_head, people):
    client = login(office_user)
    proposal = Proposal.objects.get(staff=people["mover"])
    ranking = Ranking.objects.filter(staff=people["keeper"]).first()
    pages = [
        reverse("schools:staff_detail", args=[people["vice"].pk]),  # R3
        reverse("schools:staff_detail", args=[former_head.pk]),  # the roster import
        reverse("schools:school_detail", args=[former_head.school_id]),
        url("post_detail", done, proposal.post_id),
        url("proposal", done, proposal.pk),
        url("selection_ranking_history", done, ranking.post.school_id, ranking.pk),
    ]

    found = {path: english_on(client, path) for path in pages}

    assert {path: sorted(words) for path, words in found.items() if words} == {}


def test_seed_demo_prints_chinese(db):
    out = StringIO()
    call_command("seed_demo", stdout=out)

    assert english_words(out.getvalue(), DEMO_PASSWORD) == set()
