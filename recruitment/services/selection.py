"""Phase 6: committees, rankings, the one way into a seat (``hire_create``), hire
confirmation (R6), the first layer, cadres (R3), vice principals (R4), positions ended (R3).
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from recruitment import access, rules, workflow
from recruitment.models import (
    CadreProposal,
    CommitteeMember,
    Cycle,
    Decision,
    Hire,
    HireSource,
    PlanSchool,
    Post,
    PostKind,
    Ranking,
    ViceAssessment,
)
from recruitment.phases import SELECTION
from recruitment.selectors import common as common_selectors
from recruitment.selectors import selection as selection_selectors
from recruitment.services import common as common_services
from schools import services as school_services
from schools.models import Position, School, Staff


@transaction.atomic
def ranking_record(*, by, post: Post, staff: Staff, rank: int | None,
                   decision: str) -> Ranking:
    """The committee ranks an applicant for a post and records hire / not hire."""
    cycle = post.cycle
    if not access.is_committee(by, cycle, post.school):
        raise PermissionDenied
    common_services.require_phase(cycle, SELECTION)
    common_services.refuse(selection_selectors.ranking_check(
        by, staff, decision, applicant_ids={s.pk for s in selection_selectors.applicants_of(post)}))
    ranking = (Ranking.objects.select_for_update().filter(post=post, staff=staff).first()
               or Ranking(post=post, staff=staff))  # saved once: one history record
    ranking.rank, ranking.decision = rank, decision
    ranking.decided_by, ranking.decided_at = by, timezone.now()
    common_services.save(ranking, by)
    return ranking


@transaction.atomic
def rankings_record(*, by, post: Post,
                    rows: list[selection_selectors.RankingRow]) -> list[Ranking]:
    """The committee ranks and decides a post's applicants in one form: every row is
    checked with ``ranking_check`` (and no rank given twice) before anything is written;
    one refused row refuses them all, each refusal naming its applicant. Rows that change
    nothing are not rewritten (their history stays as it was). Returns the rankings
    written."""
    cycle = post.cycle
    if not access.is_committee(by, cycle, post.school):
        raise PermissionDenied
    common_services.require_phase(cycle, SELECTION)
    common_services.refuse(selection_selectors.rankings_check(by, post, rows))
    existing = {r.staff_id: r for r in
                Ranking.objects.select_for_update().filter(post=post,
                                                           staff__in=[r.staff for r in rows])}
    written = []
    now = timezone.now()
    for row in rows:
        ranking = existing.get(row.staff.pk)
        if ranking is None:
            if row.rank is None and row.decision == Decision.PENDING:
                continue
            ranking = Ranking(post=post, staff=row.staff)
        elif (ranking.rank, ranking.decision) == (row.rank, row.decision):
            continue
        ranking.rank, ranking.decision = row.rank, row.decision
        ranking.decided_by, ranking.decided_at = by, now
        common_services.save(ranking, by)
        written.append(ranking)
    return written


def hire_create(*, by, cycle: Cycle, staff: Staff, post: Post, source: str,
          extra: list[Post]) -> Hire:
    """Hire ``staff`` to ``post``: the post's seats counted under a row lock, the person
    once per cycle (database constraint); auxiliary duties added where seats are free.
    Nobody is hired at a school outside the centres while their layer is open (the
    two-step order), nor at a school whose cadre proposals await the office (R3)."""
    locked = Post.objects.select_for_update().get(pk=post.pk)
    cycle = Cycle.objects.get(pk=cycle.pk)  # fresh: the layer may have just closed
    common_services.refuse(selection_selectors.layer_refusal(cycle, post.school)
                           or selection_selectors.cadre_refusal(cycle, post.school))
    if Hire.objects.filter(cycle=cycle, staff=staff).exists():
        raise ValidationError(_("%(name)s is already hired in this cycle.") % {"name": staff})
    common_services.refuse(rules.full_refusal(locked, selection_selectors.seats_taken(locked)))
    try:
        with transaction.atomic():
            hire = Hire(cycle=cycle, staff=staff, post=post, source=source, confirmed_by=by)
            common_services.save(hire, by)
    except IntegrityError:
        raise ValidationError(_("%(name)s is already hired in this cycle.")
                              % {"name": staff}) from None
    # R2 "1+X": a duty is attached where a seat is free, counted as
    # ``selection_selectors.hire_preview`` shows it; the others are left out, and the
    # page says which (``hire_outcome``).
    free = []
    for duty in Post.objects.select_for_update().filter(pk__in=[p.pk for p in extra]):
        if duty.pk != post.pk and rules.full_refusal(
                duty, selection_selectors.seats_taken(duty)) is None:
            free.append(duty)
    hire.extra_posts.set(free)
    # R3: a cadre hired at another unit (or not at their own) loses the position today.
    school_services.positions_end(
        by=by, reason=rules.R3_REASON,
        positions=list(Position.objects.select_for_update()
                       .filter(staff=staff, end_date__isnull=True).exclude(school=post.school)))
    return hire


@transaction.atomic
def hire_confirm(*, by, post: Post, staff: Staff) -> Hire:
    """The principal confirms the committee's decision to hire (R6).

    Own staff, and anyone at a township-wide (first-step) school, are hired directly;
    other schools' staff go to the office for unified allocation (R5, 统一调配).
    """
    cycle = Cycle.objects.get(pk=post.cycle_id)  # fresh: the layer may have just closed
    if not access.may_confirm_hire(by, post.school, staff):
        raise PermissionDenied
    own_hire = staff.user_id is not None and staff.user_id == by.pk
    # The same rule as the school board's buttons (selection_selectors.confirm_refusal);
    # the full post is refused by hire_create, under the post's lock.
    common_services.refuse(rules.hire_confirm_refusal(
        own_hire=own_hire,
        refusal=(workflow.acting_refusal(common_selectors.phase_of(cycle, SELECTION))
                 or selection_selectors.layer_refusal(cycle, post.school)
                 or selection_selectors.cadre_refusal(cycle, post.school)),
        decided=Ranking.objects.filter(post=post, staff=staff,
                                       decision=Decision.HIRE).exists(),
        staff=staff, post=post,
        first_step=PlanSchool.objects.filter(revision_id=cycle.adopted_revision_id,
                                             school=post.school, first_step=True).exists()))
    application = selection_selectors.application_for(cycle, staff, post)
    extra = list(application.auxiliary_posts.all()) if application else []
    return hire_create(by=by, cycle=cycle, staff=staff, post=post, source=HireSource.SELECTION,
                 extra=extra)


def hires_confirm(*, by, pairs: list[tuple[Post, Staff]]) -> list[common_selectors.RowResult]:
    """The principal confirms several of the committee's decisions to hire at once: each
    through ``hire_confirm`` (R6, its own transaction), so one refused row (a full post,
    a cross-school applicant) does not stop the others; one result per row, in order."""
    results = []
    for post, staff in pairs:
        try:
            hire = hire_confirm(by=by, post=post, staff=staff)
        except (ValidationError, PermissionDenied) as exc:
            reason = (" ".join(exc.messages) if isinstance(exc, ValidationError)
                      else _("Only the principal confirms hires."))
            results.append(common_selectors.RowResult(staff, post, refusal=reason))
        else:
            results.append(common_selectors.RowResult(staff, post, hire=hire))
    return results


@transaction.atomic
def hire_withdraw(*, by, hire: Hire, reason: str) -> None:
    """The office withdraws a confirmed hire while phase 6 is open (R6): the seat and any
    auxiliary duties it brought are free again and the person is unhired, as before the
    confirmation (the committee's ranking stays). The history keeps the hire, who withdrew
    it and why (its change reason). Positions ended when it was confirmed (R3) are not
    given back."""
    access.require_cycle_office(by, hire.cycle)
    Post.objects.select_for_update().get(pk=hire.post_id)  # as hire_create: the seat's lock
    locked = (Hire.objects.select_for_update().select_related("cycle", "post__school", "staff")
              .filter(pk=hire.pk).first())
    if locked is None:
        raise ValidationError(_("This hire was already withdrawn."))
    common_services.refuse(selection_selectors.hire_withdraw_check(locked))
    if not reason.strip():
        raise ValidationError(_("Give the reason for withdrawing the hire."))
    locked._change_reason = reason.strip()[:rules.HISTORY_REASON_MAX_LENGTH]
    common_services.set_history_user(locked, by)
    locked.delete()  # its auxiliary duties (the extra_posts rows) go with it


@transaction.atomic
def first_layer_close(*, by, cycle: Cycle) -> Cycle:
    """The office closes the centres' township-wide layer; the other schools go on."""
    access.require_cycle_office(by, cycle)
    cycle = Cycle.objects.select_for_update().get(pk=cycle.pk)
    common_services.refuse(rules.first_layer_close_refusal(
        cycle, common_selectors.phase_of(cycle, SELECTION)))
    cycle.first_layer_closed_at = timezone.now()
    common_services.save(cycle, by, ["first_layer_closed_at"])
    return cycle


@transaction.atomic
def cadre_propose(*, by, cycle: Cycle, staff: Staff, title: str) -> CadreProposal:
    """The committee proposes a middle-level cadre: R3, only someone hired to a basic
    post at the school; a school has one of each of ``rules.SINGLE_TITLES``."""
    hire = Hire.objects.select_related("post__school").filter(cycle=cycle, staff=staff).first()
    if hire is None:
        raise ValidationError(_("%(name)s is not hired to a post yet: post before position "
                                "(R3).") % {"name": staff})
    school = hire.post.school
    if not access.is_committee(by, cycle, school):
        raise PermissionDenied
    common_services.require_phase(cycle, SELECTION)
    if not title.strip():
        raise ValidationError(_("Name the position."))
    School.objects.select_for_update().get(pk=school.pk)  # one proposal of a title at a time
    common_services.refuse(
        selection_selectors.single_title_check(cycle, school, staff, title.strip()[:30]))
    try:
        with transaction.atomic():
            proposal = CadreProposal(cycle=cycle, school=school, staff=staff,
                                     title=title.strip()[:30], proposed_by=by)
            common_services.save(proposal, by)
    except IntegrityError:
        raise ValidationError(_("%(name)s is already proposed.") % {"name": staff}) from None
    return proposal


@transaction.atomic
def cadre_decide(*, by, proposal: CadreProposal, approve: bool) -> CadreProposal:
    """The office approves (the position starts today) or rejects a proposed cadre; an
    approval is refused when the school has got another holder of a one-of-a-kind title
    meanwhile (``rules.SINGLE_TITLES``)."""
    access.require_cycle_office(by, proposal.cycle)
    proposal = CadreProposal.objects.select_for_update().get(pk=proposal.pk)
    workflow.status_move(proposal, workflow.CADRE_PROPOSAL_FLOW,
                         CadreProposal.Status.APPROVED if approve
                         else CadreProposal.Status.REJECTED)
    if approve:
        School.objects.select_for_update().get(pk=proposal.school_id)
        common_services.refuse(selection_selectors.single_title_check(
            proposal.cycle, proposal.school, proposal.staff, proposal.title, proposal=proposal))
    proposal.decided_by, proposal.decided_at = by, timezone.now()
    common_services.save(proposal, by)
    if approve:
        school_services.position_change(
            by=by, staff=proposal.staff, school=proposal.school, title=proposal.title,
            end_reason=gettext_noop("appointed to a new position"))
    return proposal


@transaction.atomic
def vice_assess(*, by, cycle: Cycle, position: Position, keep: bool, reason: str = ""):
    """R4: pass → stays one more year; fail or unfit → removed, and the vacancy opened to
    the whole township as a leadership post."""

    if not access.is_principal(by, position.school_id):
        raise PermissionDenied
    common_services.refuse(selection_selectors.vice_assess_check(
        by=by, cycle=cycle, school=position.school, position=position))
    if not keep and not reason.strip():
        raise ValidationError(_("Give the reason for the removal."))
    assessment = ViceAssessment(
        cycle=cycle, position=position, assessed_by=by, reason=reason.strip(),
        result=ViceAssessment.Result.KEEP if keep else ViceAssessment.Result.REMOVE)
    if not keep:
        school_services.positions_end(by=by, positions=[position], reason=rules.R4_REASON)
        number = (Post.objects.filter(cycle=cycle, school=position.school)
                  .order_by("-number").values_list("number", flat=True).first() or 0) + 1
        vacancy = Post(cycle=cycle, school=position.school, number=number,
                       kind=PostKind.LEADERSHIP, duties=position.title, township_wide=True,
                       published_at=timezone.now())
        common_services.save(vacancy, by)
        assessment.vacancy = vacancy
    assessment.save()
    return assessment


@transaction.atomic
def committee_member_add(*, by, cycle: Cycle, school: School, user, role: str) -> CommitteeMember:
    """The principal or the office names a member of the school's hiring committee
    (phase 6: the liaison, the principal, the party secretary, backbone teachers)."""
    access.require_committee_manager(by, cycle, school)
    common_services.refuse(
        rules.committee_change_refusal(common_selectors.phase_of(cycle, SELECTION))
    )
    common_services.refuse(selection_selectors.member_refusal(school, user, role))
    try:
        with transaction.atomic():
            member = CommitteeMember(cycle=cycle, school=school, user=user, role=role)
            common_services.save(member, by)
    except IntegrityError:
        raise ValidationError(_("%(name)s is already on the committee.")
                              % {"name": selection_selectors.member_name(user)}) from None
    return member


@transaction.atomic
def committee_member_remove(*, by, member: CommitteeMember) -> None:
    """The principal or the office takes a member off the committee; the history keeps
    who sat on it and who removed them."""
    access.require_committee_manager(by, member.cycle, member.school)
    common_services.refuse(
        rules.committee_change_refusal(common_selectors.phase_of(member.cycle, SELECTION))
    )
    common_services.set_history_user(member, by)
    member.delete()


@transaction.atomic
def positions_end(*, by, cycle: Cycle) -> int:
    """R3 at the selection's close: every cadre not hired at their own unit
    (``selection_selectors.positions_to_end``) loses the position from today, once phase 6
    has opened, in one bulk statement. The office's page and ``phase_close`` of phase 6
    both come here. Returns how many ended."""
    access.require_cycle_office(by, cycle)
    common_services.refuse(
        rules.positions_end_refusal(
            common_selectors.phase_of(cycle, SELECTION),
            selection_selectors.positions_to_end(cycle).count(),
        )
    )
    return school_services.positions_end(
        by=by, reason=rules.R3_REASON,
        positions=list(Position.objects.select_for_update().filter(
            pk__in=selection_selectors.positions_to_end(cycle).values("pk"))))
