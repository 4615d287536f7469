"""Every field a history page can show has a translated label (its ``verbose_name``)."""

import pytest
from django.apps import apps
from django.utils import timezone, translation

from recruitment.models import Decision, Proposal
from staffing.history import history_of

from .factories import ProposalFactory, RankingFactory, UserFactory

APPS = ("schools", "recruitment", "attendance", "evaluation")


def models_with_history():
    return [
        model for model in apps.get_models()
        if model._meta.app_label in APPS and hasattr(model, "history")
        and not model.__name__.startswith("Historical")
    ]


def untranslated(model) -> list[str]:
    """Fields ``history_of`` shows whose Chinese label is the field's name: no
    ``verbose_name``, or one without a translation ("reason" passes only when translated)."""
    history_fields = model.history.model.tracked_fields
    with translation.override("zh-hans"):
        return [f.name for f in history_fields if f.editable and not f.primary_key
                and str(f.verbose_name) == f.name.replace("_", " ")]


def test_the_apps_have_models_with_history():
    names = {m._meta.label for m in models_with_history()}
    assert {"schools.Staff", "schools.Position", "recruitment.Ranking",
            "recruitment.Proposal", "recruitment.TrainingEnrolment"} <= names


@pytest.mark.parametrize("model", models_with_history(), ids=lambda m: m._meta.label)
def test_every_field_shown_in_history_has_a_chinese_label(model):
    assert untranslated(model) == []


def test_every_recruitment_field_has_a_chinese_label():
    """The admin and the forms show the fields without history too, and the labels of
    fields no form edits (created at, proposed at) are translated alike."""
    with translation.override("zh-hans"):
        missing = [
            f"{model.__name__}.{f.name}"
            for model in apps.get_app_config("recruitment").get_models()
            if not model.__name__.startswith("Historical")
            for f in model._meta.get_fields()
            if f.concrete and not f.auto_created
            and str(f.verbose_name) == f.name.replace("_", " ")
        ]
    assert missing == []


def labels(entry) -> set[str]:
    return {change.label for change in entry.changes}


def test_a_rankings_history_shows_the_decision_and_who_decided_in_chinese(db):
    ranking = RankingFactory(decision=Decision.PENDING)
    ranking.decision, ranking.decided_by, ranking.decided_at = (
        Decision.HIRE, UserFactory(), timezone.now())
    ranking.save()
    with translation.override("zh-hans"):
        [changed, _created] = history_of(ranking)
    assert labels(changed) == {"决定", "处理人", "处理时间"}


def test_a_proposals_history_shows_its_answer_in_chinese(db):
    proposal = ProposalFactory()
    proposal.status, proposal.decided_by, proposal.decided_at, proposal.reason = (
        Proposal.Status.DECLINED, UserFactory(), timezone.now(), "另有安排")
    proposal.save()
    with translation.override("zh-hans"):
        [changed, _created] = history_of(proposal)
    assert labels(changed) == {"状态", "处理人", "处理时间", "原因"}


def test_a_proposals_source_is_labelled_in_chinese(db):
    with translation.override("zh-hans"):
        assert str(Proposal._meta.get_field("source").verbose_name) == "提议方式"
