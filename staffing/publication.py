"""The publication mechanism (公示, shared/ARCHITECTURE.md): publish some records to an
audience, take objections while the window is open, answer them, lock once the window
has closed with none standing, reopen with a recorded reason.

Apps publish through these functions and keep for themselves only what a publication
means for their records: ``kind`` names the app's records, ``key`` which of them. The
window's last day comes from the app (attendance counts working days on the township's
calendar). Every change is one transaction, with the acting user in the history.

This module imports no app (the import contract "staffing's shared modules use no app"):
organisations are ids here."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from staffing import changes
from staffing.models import Objection, Publication, PublicationEvent

State = Publication.State


# ---- reads -----------------------------------------------------------------------------


def publication_of(kind: str, township_id: int, key: str,
                   school_id: int | None = None) -> Publication | None:
    """The publication of this kind and key for a township (or one of its schools)."""
    return (Publication.objects.select_related("published_by", "locked_by")
            .filter(kind=kind, township_id=township_id, school_id=school_id, key=key)
            .first())


def publications_of(kind: str, township_id: int, keys: Iterable[str]) -> QuerySet[Publication]:
    """Every publication of this kind and these keys in a township, schools' included."""
    return Publication.objects.filter(kind=kind, township_id=township_id, key__in=list(keys))


def locked_keys(kind: str, township_ids: Iterable[int], keys: Iterable[str]) -> set:
    """(township id, key) of the township-wide publications among these that are locked:
    one query, for a writer that must refuse to change locked records."""
    return set(Publication.objects.filter(
        kind=kind, township_id__in=list(township_ids), key__in=list(keys),
        school__isnull=True, state=State.LOCKED).values_list("township_id", "key"))


def standing_count(publication: Publication) -> int:
    return publication.objections.filter(status=Objection.Status.OPEN).count()


def objections_of(publication: Publication) -> QuerySet[Objection]:
    return (publication.objections.select_related("staff", "raised_by", "answered_by")
            .order_by("status", "raised_at", "pk"))


def objection_counts(publication: Publication) -> dict[str, int]:
    """Objections by status (one query)."""
    return dict(publication.objections.values_list("status").annotate(n=Count("pk"))
                .values_list("status", "n"))


def events_of(publication: Publication) -> QuerySet[PublicationEvent]:
    return publication.events.select_related("by")


def window_open(publication: Publication | None, on: date) -> bool:
    return (publication is not None and publication.state != State.LOCKED
            and publication.window_closes is not None and on <= publication.window_closes)


# ---- what may happen, and why not (a page shows the same reason on a disabled button) ----


def publish_refusal(publication: Publication | None) -> str | None:
    if publication is not None and publication.state == State.LOCKED:
        return _("It is locked: reopen it first, with a reason.")
    return None


def objection_refusal(publication: Publication | None, on: date) -> str | None:
    if publication is None:
        return _("It has not been published.")
    if publication.state == State.LOCKED:
        return _("It is locked: objections are closed.")
    if publication.window_closes is None:
        return _("This publication takes no objections.")
    if on > publication.window_closes:
        return _("The objection window closed on %(day)s.") % {
            "day": publication.window_closes.isoformat()}
    return None


def lock_refusal(publication: Publication | None, on: date, standing: int) -> str | None:
    if publication is None:
        return _("It has not been published.")
    if publication.state == State.LOCKED:
        return _("It is already locked.")
    if publication.window_closes is not None and on <= publication.window_closes:
        return _("The objection window is open until %(day)s.") % {
            "day": publication.window_closes.isoformat()}
    if standing:
        return _("%(n)d objections are waiting for an answer.") % {"n": standing}
    return None


def reopen_refusal(publication: Publication | None) -> str | None:
    if publication is None or publication.state != State.LOCKED:
        return _("Only a locked publication is reopened.")
    return None


def answer_refusal(objection: Objection) -> str | None:
    if objection.status != Objection.Status.OPEN:
        return _("This objection has been answered.")
    return None


# ---- changes ---------------------------------------------------------------------------


def _event(publication: Publication, action: str, by, reason: str = "") -> None:
    PublicationEvent.objects.create(publication=publication, action=action, by=by,
                                    at=timezone.now(), reason=reason)


def _locked_row(publication: Publication) -> Publication:
    return Publication.objects.select_for_update().get(pk=publication.pk)


@transaction.atomic
def publication_publish(*, by, kind: str, township_id: int, key: str,
                        school_id: int | None = None,
                        window_closes: date | None = None) -> Publication:
    """Publish (or publish again, after corrections) this kind's records under ``key`` to
    the township's staff, or the school's. Publishing again restarts the window; a
    locked publication is reopened first."""
    existing = (Publication.objects.select_for_update()
                .filter(kind=kind, township_id=township_id, school_id=school_id, key=key)
                .first())
    changes.refuse(publish_refusal(existing))
    now = timezone.now()
    publication = existing or Publication(kind=kind, township_id=township_id,
                                          school_id=school_id, key=key)
    publication.published_at, publication.published_by = now, by
    publication.window_closes = window_closes
    try:
        with transaction.atomic():
            changes.save(publication, by)
    except IntegrityError:  # the same publication by someone else a moment ago
        raise ValidationError(_("It has just been published by someone else.")) from None
    _event(publication, PublicationEvent.Action.PUBLISHED, by)
    return publication


@transaction.atomic
def objection_raise(*, by, publication: Publication, staff_id: int, item: str, reason: str,
                    on: date | None = None) -> Objection:
    """A staff member objects to one item while the window is open, with a reason."""
    publication = _locked_row(publication)
    changes.refuse(objection_refusal(publication, on or timezone.localdate()))
    reason = reason.strip()
    if not reason:
        raise ValidationError(_("Give a reason for the objection."))
    if Objection.objects.filter(publication=publication, staff_id=staff_id, item=item,
                                status=Objection.Status.OPEN).exists():
        raise ValidationError(_("You have already objected to this; wait for the answer."))
    objection = Objection(publication=publication, staff_id=staff_id, item=item,
                          reason=reason[:500], raised_by=by, raised_at=timezone.now())
    changes.save(objection, by)
    return objection


@transaction.atomic
def objection_answer(*, by, objection: Objection, corrected: bool, answer: str) -> Objection:
    """The answer to an objection: corrected (the app has changed its record in the same
    transaction) or declined, with a reason."""
    objection = Objection.objects.select_for_update().get(pk=objection.pk)
    changes.refuse(answer_refusal(objection))
    answer = answer.strip()
    if not corrected and not answer:
        raise ValidationError(_("Give the reason for declining."))
    objection.status = Objection.Status.CORRECTED if corrected else Objection.Status.DECLINED
    objection.answer, objection.answered_by = answer[:500], by
    objection.answered_at = timezone.now()
    changes.save(objection, by, ["status", "answer", "answered_by", "answered_at"])
    return objection


@transaction.atomic
def publication_lock(*, by, publication: Publication, on: date | None = None) -> Publication:
    """Lock once the window has closed and no objection stands: from then on the app
    refuses to change the records published."""
    publication = _locked_row(publication)
    changes.refuse(lock_refusal(publication, on or timezone.localdate(),
                                standing_count(publication)))
    publication.state, publication.locked_by = State.LOCKED, by
    publication.locked_at = timezone.now()
    changes.save(publication, by, ["state", "locked_at", "locked_by"])
    _event(publication, PublicationEvent.Action.LOCKED, by)
    return publication


@transaction.atomic
def publication_reopen(*, by, publication: Publication, reason: str) -> Publication:
    """The one way a locked publication changes again: reopened, with the reason kept."""
    publication = _locked_row(publication)
    changes.refuse(reopen_refusal(publication))
    reason = reason.strip()
    if not reason:
        raise ValidationError(_("Give the reason for reopening."))
    publication.state = State.REOPENED
    changes.save(publication, by, ["state"])
    _event(publication, PublicationEvent.Action.REOPENED, by, reason[:500])
    return publication


def school_publications(kind: str, township_id: int, keys: Iterable[str]) -> dict:
    """(school id, key) → publication, for the schools' publications of these keys."""
    return {(p.school_id, p.key): p for p in publications_of(kind, township_id, keys)
            .filter(~Q(school=None))}
