"""Who may see and do what in a cycle: every "may this user" predicate, every
``require_*`` (``PermissionDenied``), and every scoped getter of a cycle's rows (404 for a
row the login may not see or of another cycle). Pages and services both ask here (built
on schools.access).

- The township's office (and the county above it) sees and runs everything.
- Liaisons and principals of the township's schools see the cycle and every draft.
- Every staff member of the township reads the current draft once staff opinions
  open (phase 3), and the adopted plan afterwards; before that only the office and
  school leaders see drafts.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch, Q, QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404

from recruitment import rules
from recruitment.models import (
    AllocationRun,
    Application,
    CadreProposal,
    CommitteeMember,
    Cycle,
    Hire,
    Intention,
    Phase,
    PhaseState,
    PlanRevision,
    PlanSchool,
    Post,
    Proposal,
    Ranking,
    Representative,
    ReviewComment,
    StaffOpinion,
    TrainingEnrolment,
)
from recruitment.phases import (
    OPINIONS,
)
from schools import access as school_access
from schools.models import Membership, Position, Role, School, Staff


def require_cycle_office(user, cycle: Cycle) -> None:
    """Only the township's office (or the county above it) runs the cycle: 403 otherwise."""
    if not is_cycle_office(user, cycle):
        raise PermissionDenied


def require_principal_school(user, cycle: Cycle) -> School:
    """A school of the cycle's township this login leads as principal: 403 otherwise."""
    school = _principal_schools(user, cycle).order_by("pk").first()
    if school is None:
        raise PermissionDenied
    return school


def require_own_staff(user, cycle: Cycle) -> Staff:
    staff = Staff.objects.select_related("school").filter(user=user).first()
    if staff is None or staff.school.township_id != cycle.township_id:
        raise PermissionDenied
    return staff


def require_post_editor(user, school: School) -> None:
    """The school's principal or its township's office edits its posts (R1): 403 otherwise
    (``Viewer.may_edit_posts`` is the same test on a viewer read once)."""
    if not (is_principal(user, school.pk) or is_township_office(user, school.township_id)):
        raise PermissionDenied


def is_committee(user, cycle: Cycle, school: School) -> bool:
    return (is_principal(user, school.pk)
            or school.pk in school_access.scope_of(user).liaison_school_ids
            or cycle.committee_members.filter(school=school, user=user).exists())


def run_get(cycle: Cycle, pk) -> AllocationRun:
    """One run of this cycle, or 404."""
    return get_object_or_404(AllocationRun.objects.select_related("cycle", "run_by"),
                             cycle=cycle, pk=pk)


def schools_led(user, cycle: Cycle) -> set[int]:
    """Schools of the cycle's township this login leads or liaises for."""
    scope = school_access.scope_of(user)
    ids = scope.principal_school_ids | scope.liaison_school_ids
    if not ids:
        return set()
    return set(School.objects.filter(pk__in=ids, township_id=cycle.township_id)
               .values_list("pk", flat=True))


def may_decide_proposal(user, proposal: Proposal) -> bool:
    """Only the principal of the post's school answers a proposal (R6)."""
    return is_principal(user, proposal.post.school_id)


def proposal_get(cycle: Cycle, pk) -> Proposal:
    """One proposal of this cycle, or 404."""
    return get_object_or_404(
        Proposal.objects.select_related("cycle", "staff__school", "post__school", "run",
                                        "proposed_by", "decided_by"),
        cycle=cycle, pk=pk)


def township_post_get(cycle: Cycle, pk) -> Post:
    return get_object_or_404(Post.objects.select_related("school"), cycle=cycle, pk=pk)


def enrolment_get(cycle: Cycle, pk) -> TrainingEnrolment:
    """One training enrolment of this cycle, or 404."""
    return get_object_or_404(
        TrainingEnrolment.objects.select_related("cycle", "staff__school", "enrolled_by",
                                                 "scored_by"),
        cycle=cycle, pk=pk)


def outcome_schools(user, cycle: Cycle, *, office: bool) -> QuerySet[School] | None:
    """The schools whose rows a login sees in the outcome: every one for the office
    (``None``), their own for principals and liaisons (empty for anyone else); the
    township's totals are everyone's who sees the page."""
    if office:
        return None
    return School.objects.filter(pk__in=schools_led(user, cycle))


def is_principal(user, school_id: int) -> bool:
    """The one "principal of" test: the login leads this school as its principal. The
    office is not its principal (``require_post_editor`` and ``may_manage_committee`` say
    where the office may act too)."""
    return school_id in school_access.scope_of(user).principal_school_ids


def may_confirm_hire(user, school: School, staff: Staff) -> bool:
    """R6: the school's principal confirms a committee's hire; the office confirms only
    where the principal would confirm their own (the principal is the one hired). The
    school board asks the same with the school's principals read once
    (``selection_selectors.confirm_refusal``)."""
    if is_principal(user, school.pk):
        return True
    return is_township_office(user, school.township_id) and Membership.objects.filter(
        user_id=staff.user_id, role=Role.PRINCIPAL, school_id=school.pk).exists()


def may_see_school(user, cycle: Cycle, school: School) -> bool:
    """A school's selection page: its hiring committee (principal, liaison, members)
    and the township's office."""
    return is_cycle_office(user, cycle) or is_committee(user, cycle, school)


def may_manage_committee(user, cycle: Cycle, school: School) -> bool:
    """The principal or the office forms the school's hiring committee."""
    return is_principal(user, school.pk) or is_cycle_office(user, cycle)


def committee_schools(user, cycle: Cycle) -> list[School]:
    """The schools of the cycle's township on whose hiring committee this login sits."""
    scope = school_access.scope_of(user)
    member_of = CommitteeMember.objects.filter(cycle=cycle, user=user).values("school_id")
    return list(
        School.objects.filter(township_id=cycle.township_id)
        .filter(Q(pk__in=scope.principal_school_ids | scope.liaison_school_ids)
                | Q(pk__in=member_of))
        .order_by("name")
    )


def require_committee_manager(user, cycle: Cycle, school: School) -> None:
    if school.township_id != cycle.township_id or not may_manage_committee(user, cycle, school):
        raise PermissionDenied


def committee_member_get(cycle: Cycle, school: School, pk) -> CommitteeMember:
    return get_object_or_404(
        CommitteeMember.objects.select_related("cycle", "school", "user__staff_profile"),
        cycle=cycle, school=school, pk=pk)


def committee_user_get(cycle: Cycle, pk):
    """A login of the cycle's township (its staff, its schools' liaisons and principals),
    or 404: a page never names a login from elsewhere."""
    users = get_user_model().objects.filter(
        Q(staff_profile__school__township_id=cycle.township_id)
        | Q(memberships__school__township_id=cycle.township_id)
    ).distinct()
    return get_object_or_404(users, pk=pk)


def school_post_get(cycle: Cycle, school: School, pk) -> Post:
    return get_object_or_404(Post.objects.select_related("cycle", "school"), cycle=cycle,
                             school=school, pk=pk)


def ranking_get(cycle: Cycle, school: School, pk) -> Ranking:
    return get_object_or_404(Ranking.objects.select_related("post__school", "staff__school"),
                             post__cycle=cycle, post__school=school, pk=pk)


def hire_get(cycle: Cycle, school: School, pk) -> Hire:
    """A hire of the cycle at ``school`` (its main post there), or 404."""
    return get_object_or_404(Hire.objects.select_related("cycle", "post__school",
                                                         "staff__school", "confirmed_by"),
                             cycle=cycle, post__school=school, pk=pk)


def township_staff_get(cycle: Cycle, pk) -> Staff:
    return get_object_or_404(Staff.objects.select_related("school"),
                             school__township_id=cycle.township_id, pk=pk)


def township_staff_many(cycle: Cycle, ids) -> dict[int, Staff]:
    """Several of the township's staff by id, in one query; 404 if any id is not one."""
    ids = set(ids)
    found = {s.pk: s for s in Staff.objects.select_related("school")
             .filter(school__township_id=cycle.township_id, pk__in=ids)}
    if len(found) != len(ids):
        raise Http404
    return found


def school_posts_many(cycle: Cycle, school: School, ids) -> dict[int, Post]:
    """Several of the school's posts in the cycle by id, in one query; 404 if any is not."""
    ids = set(ids)
    found = {p.pk: p for p in Post.objects.select_related("cycle", "school")
             .filter(cycle=cycle, school=school, pk__in=ids)}
    if len(found) != len(ids):
        raise Http404
    return found


def enrolments_many(cycle: Cycle, ids) -> dict[int, TrainingEnrolment]:
    """Several training enrolments of this cycle by id, in one query; 404 if any is not."""
    ids = set(ids)
    found = {e.pk: e for e in TrainingEnrolment.objects.select_related("cycle", "staff__school")
             .filter(cycle=cycle, pk__in=ids)}
    if len(found) != len(ids):
        raise Http404
    return found


def township_posts_many(cycle: Cycle, ids) -> dict[int, Post]:
    """Several posts of this cycle by id, in one query; 404 if any is not."""
    ids = set(ids)
    found = {p.pk: p for p in Post.objects.select_related("school").filter(cycle=cycle,
                                                                            pk__in=ids)}
    if len(found) != len(ids):
        raise Http404
    return found


def cadre_proposal_get(cycle: Cycle, pk) -> CadreProposal:
    return get_object_or_404(CadreProposal.objects.select_related("cycle", "staff", "school"),
                             cycle=cycle, pk=pk)


def vice_position_get(cycle: Cycle, school: School, pk) -> Position:
    return get_object_or_404(
        Position.objects.select_related("staff", "school"),
        school=school, school__township_id=cycle.township_id,
        title__in=rules.VICE_TITLES, pk=pk)


def may_see_vices(user, cycle: Cycle, school: School) -> bool:
    """R4 is the principal's assessment; the office and the school's liaison follow it."""
    scope = school_access.scope_of(user)
    return (school.pk in (scope.principal_school_ids | scope.liaison_school_ids)
            or is_cycle_office(user, cycle))


@dataclass(frozen=True)
class Viewer:
    """What one login is in a cycle, read once per request (three queries)."""

    office: bool  # the township's office (or the county above it)
    principal_of: frozenset[int]  # schools of the township they lead
    liaison_of: frozenset[int]  # schools of the township they cover
    staff: Staff | None  # their own staff record, when on the township's staff
    township_schools: frozenset[int] = frozenset()  # filled for the office only

    @property
    def overseen(self) -> frozenset[int]:
        """Schools whose posts and intentions this login oversees."""
        if self.office:
            return self.township_schools
        return self.principal_of | self.liaison_of

    def may_edit_posts(self, school: School) -> bool:
        """The school's principal or the township's office (as ``require_post_editor``)."""
        return self.office or school.pk in self.principal_of

    def may_see_school_posts(self, school: School) -> bool:
        """Those who edit the school's posts, and its liaison (read only)."""
        return self.may_edit_posts(school) or school.pk in self.liaison_of


def viewer_of(user, cycle: Cycle) -> Viewer:
    scope = school_access.scope_of(user)
    office = is_cycle_office(user, cycle)
    schools = School.objects.filter(township_id=cycle.township_id)
    if not office:
        schools = schools.filter(pk__in=scope.principal_school_ids | scope.liaison_school_ids)
    ids = frozenset(schools.values_list("pk", flat=True))
    return Viewer(
        office=office,
        principal_of=ids & scope.principal_school_ids,
        liaison_of=ids & scope.liaison_school_ids,
        staff=own_staff(user, cycle),
        township_schools=ids if office else frozenset(),
    )


def school_of_cycle(cycle: Cycle, school_pk) -> School:
    """A school of the cycle's township, or 404."""
    return get_object_or_404(School, township_id=cycle.township_id, pk=school_pk)


def posts_visible(viewer: Viewer, cycle: Cycle) -> QuerySet[Post]:
    """Published posts for everyone of the township; unpublished ones too of the schools
    the login oversees (office, principal, liaison)."""
    return (
        Post.objects.filter(cycle=cycle)
        .filter(Q(published_at__isnull=False) | Q(school_id__in=viewer.overseen))
        .select_related("school")
        .order_by("school__name", "number")
    )


def post_get(viewer: Viewer, cycle: Cycle, pk) -> Post:
    """One post the login may see in this cycle, or 404."""
    return get_object_or_404(posts_visible(viewer, cycle), pk=pk)


def intentions_visible(viewer: Viewer, cycle: Cycle) -> QuerySet[Intention]:
    """Every intention for the office; for a principal or liaison, those of their
    schools' staff and those applying at their schools."""
    intentions = Intention.objects.filter(cycle=cycle)
    if viewer.office:
        return intentions
    ids = viewer.overseen
    return intentions.filter(
        Q(staff__school_id__in=ids)
        | Q(pk__in=Application.objects.filter(school_id__in=ids).values("intention_id"))
    )


def cycles_visible(user) -> QuerySet[Cycle]:
    """Cycles of the townships a login belongs to, by any role."""
    scope = school_access.scope_of(user)
    if scope.superuser:
        return Cycle.objects.all()
    school_ids = scope.liaison_school_ids | scope.principal_school_ids
    own = Staff.objects.filter(pk=scope.staff_id).values("school__township_id")
    return Cycle.objects.filter(
        Q(township__in=school_access.townships_managed(user).values("pk"))
        | Q(township__schools__in=school_ids)
        | Q(township_id__in=own)
    ).distinct()


def opinion_get(cycle: Cycle, pk) -> StaffOpinion:
    """One opinion of this cycle, or 404 (an id of another cycle is not confirmed)."""
    return get_object_or_404(StaffOpinion.objects.select_related("cycle"), cycle=cycle, pk=pk)


def _principal_schools(user, cycle: Cycle) -> QuerySet[School]:
    return School.objects.filter(pk__in=school_access.scope_of(user).principal_school_ids,
                                 township_id=cycle.township_id)


def principal_schools(user, cycle: Cycle) -> list[School]:
    """The schools of the cycle's township this login leads as principal."""
    return list(_principal_schools(user, cycle).order_by("name"))


def representative_get(cycle: Cycle, pk) -> Representative:
    return get_object_or_404(
        Representative.objects.select_related("cycle", "staff__school"), cycle=cycle, pk=pk
    )


def phase_get(cycle: Cycle, number: int) -> Phase:
    """One phase of a cycle the caller already resolved through ``access.cycle_get``."""
    return get_object_or_404(Phase.objects.select_related("cycle"), cycle=cycle, number=number)


def revisions_with_schools(revisions: QuerySet[PlanRevision]) -> QuerySet[PlanRevision]:
    return revisions.select_related("created_by").prefetch_related(
        Prefetch("schools", queryset=PlanSchool.objects.select_related("school"))
    )


def revision_get(cycle: Cycle, number: int) -> PlanRevision:
    """One revision of the cycle's plan, with its schools; 404 if there is none."""
    return get_object_or_404(revisions_with_schools(cycle.revisions.all()), number=number)


def comment_get(cycle: Cycle, pk: int) -> ReviewComment:
    """A review comment on one of this cycle's revisions; 404 otherwise."""
    return get_object_or_404(
        ReviewComment.objects.select_related("revision__cycle"), revision__cycle=cycle, pk=pk
    )


def cycle_get(user, pk: int) -> Cycle:
    """A cycle this login may see, or 404."""
    cycle = cycles_visible(user).select_related("township", "adopted_revision").filter(
        pk=pk).first()
    if cycle is None:
        raise Http404
    return cycle


def is_township_office(user, township_id: int) -> bool:
    """The one "is the office" test: the township's office, or its county's (or a
    superuser)."""
    return school_access.townships_managed(user).filter(pk=township_id).exists()


def is_cycle_office(user, cycle: Cycle) -> bool:
    """The office of the cycle's township, which runs the cycle."""
    return is_township_office(user, cycle.township_id)


def is_school_leader(user, cycle: Cycle) -> bool:
    """A liaison or principal of one of the cycle's township's schools."""
    scope = school_access.scope_of(user)
    ids = scope.liaison_school_ids | scope.principal_school_ids
    return bool(ids) and cycle.township.schools.filter(pk__in=ids).exists()


def own_staff(user, cycle: Cycle) -> Staff | None:
    """The login's staff record, when it is on this township's staff."""
    staff_id = school_access.scope_of(user).staff_id
    if staff_id is None:
        return None
    return Staff.objects.select_related("school").filter(
        pk=staff_id, school__township_id=cycle.township_id).first()


def may_read_drafts(user, cycle: Cycle) -> bool:
    if is_cycle_office(user, cycle) or is_school_leader(user, cycle):
        return True
    if own_staff(user, cycle) is None:
        return False
    state = cycle.phases.filter(number=OPINIONS).values_list("state", flat=True).first()
    return state != PhaseState.NOT_STARTED or cycle.adopted_revision_id is not None
