"""Services of duty reports (述职) and democratic evaluation (民主测评): rounds, reports, the
secret ballot, results and the composite rating.

The secret ballot: ``ballot_cast`` writes who voted (a ``BallotParticipation``, which the
database allows once per round and voter) and adds one to a count per person assessed
(``BallotTally``) in the same transaction, under a lock on the round. Nothing it writes
ties the counts to the voter."""

from __future__ import annotations

import io
import secrets
import uuid
import zipfile
from datetime import timedelta
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from evaluation import rules
from evaluation.models import (
    Assessee,
    BallotInvitation,
    BallotParticipation,
    BallotRound,
    BallotTally,
    BallotWeights,
    Rating,
    RoundState,
)
from evaluation.selectors import ballots as selectors
from schools.models import School, Staff, Township
from staffing import changes, publication
from staffing.models import Objection, Publication

# ---- what may happen, and why not ---------------------------------------------------------


def round_edit_refusal(ballot_round: BallotRound) -> str | None:
    if ballot_round.state != RoundState.DRAFT:
        return _("The round is open: its people and voters are fixed.")
    return None


def invite_refusal(ballot_round: BallotRound) -> str | None:
    if ballot_round.state == RoundState.CLOSED:
        return _("The round is closed.")
    return None


def round_open_refusal(ballot_round: BallotRound, people: int, invited: int) -> str | None:
    if ballot_round.state != RoundState.DRAFT:
        return _("The round has already been opened.")
    if not people:
        return _("The round assesses nobody.")
    if not invited:
        return _("The round has no voter.")
    return None


def round_close_refusal(ballot_round: BallotRound) -> str | None:
    if ballot_round.state != RoundState.OPEN:
        return _("Only an open round is closed.")
    return None


def ballot_refusal(ballot_round: BallotRound, *, invited: bool, voted: bool) -> str | None:
    if not invited:
        return _("You are not a voter of this round.")
    if voted:
        return _("You have already voted in this round.")
    if ballot_round.state == RoundState.DRAFT:
        return _("Voting has not opened yet.")
    if ballot_round.state == RoundState.CLOSED:
        return _("Voting has closed.")
    return None


def report_refusal(assessee: Assessee) -> str | None:
    if assessee.round.state == RoundState.CLOSED:
        return _("The round is closed: the report no longer changes.")
    return None


def scores_refusal(ballot_round: BallotRound, pub: Publication | None) -> str | None:
    if pub is not None and pub.state == Publication.State.LOCKED:
        return _("The results are locked: reopen them first.")
    return None


def results_publish_refusal(ballot_round: BallotRound, pub: Publication | None) -> str | None:
    if ballot_round.state != RoundState.CLOSED:
        return _("The results are published once the round is closed.")
    return publication.publish_refusal(pub)


# ---- rounds -----------------------------------------------------------------------------


def _locked(ballot_round: BallotRound) -> BallotRound:
    return (BallotRound.objects.select_for_update(of=("self",))
            .select_related("township", "school").get(pk=ballot_round.pk))


@transaction.atomic
def round_create(*, by, township: Township, school: School | None, title: str,
                 school_year: int, term: int) -> BallotRound:
    """A round in preparation: the office's of the township's school-level leaders
    (``school`` None), or a school's of its middle cadres and teachers; its voters are
    the township's (or school's) staff with a login. Guests are invited afterwards."""
    title = title.strip()
    if not title:
        raise ValidationError(_("Give the round a title."))
    if school is None:
        people = [(p.staff, p.title) for p in selectors.leaders_of(township)]
    else:
        people = selectors.school_people(school)
    changes.refuse(None if people else _("There is nobody to assess."))
    ballot_round = BallotRound(township=township, school=school, title=title[:100],
                               school_year=school_year, term=term, created_by=by)
    changes.save(ballot_round, by)
    bulk_create_with_history(
        [Assessee(round=ballot_round, staff=staff, position=title_[:30])
         for staff, title_ in people], Assessee, default_user=by)
    bulk_create_with_history(
        [BallotInvitation(round=ballot_round, user_id=user_id)
         for user_id in selectors.voter_users_of(township, school)],
        BallotInvitation, default_user=by)
    return ballot_round


@transaction.atomic
def assessee_remove(*, by, assessee: Assessee) -> None:
    ballot_round = _locked(assessee.round)
    changes.refuse(round_edit_refusal(ballot_round))
    changes.set_history_user(assessee, by)
    assessee.delete()


@transaction.atomic
def voter_invite(*, by, ballot_round: BallotRound, username: str) -> BallotInvitation:
    """An existing login invited (a bureau guest the office picks, a colleague)."""
    ballot_round = _locked(ballot_round)
    changes.refuse(invite_refusal(ballot_round))
    user = get_user_model().objects.filter(username=username.strip(), is_active=True).first()
    if user is None:
        raise ValidationError(_("There is no login of that name."))
    if BallotInvitation.objects.filter(round=ballot_round, user=user).exists():
        raise ValidationError(_("That login is already a voter of this round."))
    invitation = BallotInvitation(round=ballot_round, user=user,
                                  guest=not Staff.objects.filter(user=user).exists())
    changes.save(invitation, by)
    return invitation


@transaction.atomic
def guest_create(*, by, ballot_round: BallotRound, username: str,
                 name: str) -> tuple[BallotInvitation, str]:
    """A guest voter's login (a bureau guest) with a generated password, returned once
    to be shown once: it is kept only as Django's hash."""
    ballot_round = _locked(ballot_round)
    changes.refuse(invite_refusal(ballot_round))
    username = username.strip()
    model = get_user_model()
    if not username or model.objects.filter(username=username).exists():
        raise ValidationError(_("That login name is taken; choose another."))
    user = model(username=username[:150], first_name=name.strip()[:150])
    password = secrets.token_urlsafe(9)
    validate_password(password, user)  # the rules a person's own password passes
    user.set_password(password)
    user.save()
    invitation = BallotInvitation(round=ballot_round, user=user, guest=True)
    changes.save(invitation, by)
    return invitation, password


@transaction.atomic
def voter_remove(*, by, invitation: BallotInvitation) -> None:
    ballot_round = _locked(invitation.round)
    changes.refuse(round_edit_refusal(ballot_round))
    changes.set_history_user(invitation, by)
    invitation.delete()


@transaction.atomic
def round_open(*, by, ballot_round: BallotRound) -> BallotRound:
    """Voting opens: every person's four counts are created at zero now, in the order
    of the people and ratings, so no row's id or order follows a vote."""
    ballot_round = _locked(ballot_round)
    people = list(ballot_round.assessees.order_by("pk").values_list("pk", flat=True))
    changes.refuse(round_open_refusal(ballot_round, len(people),
                                      ballot_round.invitations.count()))
    BallotTally.objects.bulk_create(
        BallotTally(round=ballot_round, assessee_id=pk, rating=rating)
        for pk in people for rating in Rating.values)
    ballot_round.state, ballot_round.opened_at = RoundState.OPEN, timezone.now()
    changes.save(ballot_round, by, ["state", "opened_at"])
    return ballot_round


@transaction.atomic
def round_close(*, by, ballot_round: BallotRound) -> BallotRound:
    """Voting closes; the counts are shown from now on."""
    ballot_round = _locked(ballot_round)
    changes.refuse(round_close_refusal(ballot_round))
    ballot_round.state, ballot_round.closed_at = RoundState.CLOSED, timezone.now()
    changes.save(ballot_round, by, ["state", "closed_at"])
    return ballot_round


# ---- the secret ballot ---------------------------------------------------------------------


@transaction.atomic
def ballot_cast(*, by, ballot_round: BallotRound, ratings: dict[int, str]) -> None:
    """One voter's ballot: a rating for every person of the round, once. Who voted goes
    to the participations (the database refuses a second row), the choices only to the
    counts; the vote cannot be changed."""
    ballot_round = _locked(ballot_round)
    invited = BallotInvitation.objects.filter(round=ballot_round, user=by).exists()
    voted = BallotParticipation.objects.filter(round=ballot_round, user=by).exists()
    changes.refuse(ballot_refusal(ballot_round, invited=invited, voted=voted))
    people = set(ballot_round.assessees.values_list("pk", flat=True))
    if set(ratings) != people:
        raise ValidationError(_("Rate every person on the ballot."))
    if any(rating not in Rating.values for rating in ratings.values()):
        raise ValidationError(_("Choose one of the four ratings."))
    try:
        with transaction.atomic():
            BallotParticipation.objects.create(round=ballot_round, user=by)
    except IntegrityError:  # the same voter's other request, a moment ago
        raise ValidationError(_("You have already voted in this round.")) from None
    by_rating: dict[str, list[int]] = {}
    for assessee_id, rating in ratings.items():
        by_rating.setdefault(rating, []).append(assessee_id)
    for rating, ids in by_rating.items():
        BallotTally.objects.filter(round=ballot_round, rating=rating,
                                   assessee_id__in=ids).update(count=F("count") + 1)


# ---- duty reports ---------------------------------------------------------------------------


def _locked_assessee(assessee: Assessee) -> Assessee:
    return (Assessee.objects.select_for_update(of=("self",)).select_related("round")
            .get(pk=assessee.pk))


@transaction.atomic
def report_write(*, by, assessee: Assessee, text: str) -> Assessee:
    """The person assessed writes their duty report on the page."""
    assessee = _locked_assessee(assessee)
    changes.refuse(report_refusal(assessee))
    assessee.report_text, assessee.report_at = text.strip()[:20000], timezone.now()
    changes.save(assessee, by, ["report_text", "report_at"])
    return assessee


def _report_kind(name: str, data: bytes) -> str | None:
    names = None
    if data.startswith(b"PK\x03\x04"):
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as archive:
                names = archive.namelist()[:1000]
        except (zipfile.BadZipFile, ValueError):
            names = []
    return rules.report_kind(name, data[:16], names)


def report_file_refusal(name: str, data: bytes) -> str | None:
    """Why this file is not a duty report: too large, or not a PDF or Word file by its
    content (its first bytes, a .docx's entries), whatever its name says."""
    limit = selectors.ballot_setting("BALLOT_REPORT_MAX_BYTES")
    if len(data) > limit:
        return _("The file is larger than %(mb)d MB.") % {"mb": limit // (1024 * 1024)}
    if not data:
        return _("The file is empty.")
    if _report_kind(name, data) is None:
        return _("Upload a PDF or Word file (.pdf, .docx or .doc).")
    return None


@transaction.atomic
def report_upload(*, by, assessee: Assessee, name: str, data: bytes) -> Assessee:
    """The person assessed uploads their report (PDF or Word, size-checked): stored under
    the media root with a random name, served only through the access-checked view."""
    assessee = _locked_assessee(assessee)
    changes.refuse(report_refusal(assessee))
    changes.refuse(report_file_refusal(name, data))
    kind = _report_kind(name, data)
    old = assessee.report_file.name if assessee.report_file else ""
    assessee.report_file.save(f"{uuid.uuid4().hex}{rules.REPORT_EXTENSIONS[kind]}",
                              ContentFile(data), save=False)
    assessee.report_name, assessee.report_at = name[-255:], timezone.now()
    changes.save(assessee, by, ["report_file", "report_name", "report_at"])
    if old:
        storage = assessee.report_file.storage
        transaction.on_commit(lambda: storage.delete(old))
    return assessee


# ---- results ------------------------------------------------------------------------------


@transaction.atomic
def scores_save(*, by, ballot_round: BallotRound, scores: dict[int, Decimal | None]) -> int:
    """The organiser's work-assessment scores (考核分, 0–100) of the people assessed, with
    history; refused once the results are locked. Returns how many changed."""
    ballot_round = _locked(ballot_round)
    changes.refuse(scores_refusal(ballot_round, selectors.round_publication(ballot_round)))
    for value in scores.values():
        changes.refuse(rules.score_refusal(value))
    changed = []
    for assessee in ballot_round.assessees.filter(pk__in=list(scores)):
        value = scores[assessee.pk]
        if assessee.assessment_score != value:
            assessee.assessment_score = value
            changed.append(assessee)
    bulk_update_with_history(changed, Assessee, ["assessment_score"], default_user=by)
    return len(changed)


@transaction.atomic
def weights_save(*, by, township: Township, evaluation: int, assessment: int) -> BallotWeights:
    """The township's weights of the composite rating (they add up to 100)."""
    changes.refuse(rules.weights_refusal(evaluation, assessment))
    weights = (BallotWeights.objects.select_for_update().filter(township=township).first()
               or BallotWeights(township=township))
    weights.evaluation, weights.assessment = evaluation, assessment
    changes.save(weights, by)
    return weights


@transaction.atomic
def results_publish(*, by, ballot_round: BallotRound) -> Publication:
    """The round's results (counts and composites) published to its township's or
    school's staff, with an objection window of the setting's calendar days."""
    ballot_round = _locked(ballot_round)
    changes.refuse(results_publish_refusal(ballot_round,
                                           selectors.round_publication(ballot_round)))
    days = selectors.ballot_setting("BALLOT_OBJECTION_DAYS")
    return publication.publication_publish(
        by=by, kind=selectors.PUBLICATION_KIND, township_id=ballot_round.township_id,
        key=str(ballot_round.pk), school_id=ballot_round.school_id,
        window_closes=timezone.localdate() + timedelta(days=days))


def result_object(*, by, assessee: Assessee, pub: Publication, reason: str) -> Objection:
    """The person assessed objects to their published result, with a reason."""
    return publication.objection_raise(by=by, publication=pub, staff_id=assessee.staff_id,
                                       item=str(assessee.pk), reason=reason)


def objection_answer(*, by, objection: Objection, corrected: bool, answer: str) -> Objection:
    return publication.objection_answer(by=by, objection=objection, corrected=corrected,
                                        answer=answer)


def results_lock(*, by, pub: Publication) -> Publication:
    return publication.publication_lock(by=by, publication=pub)


def results_reopen(*, by, pub: Publication, reason: str) -> Publication:
    return publication.publication_reopen(by=by, publication=pub, reason=reason)
