"""Selectors of recommendation lists (honours, title promotion, talent programmes) with a
quota, the award as a threshold (R9)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from django.core.paginator import Paginator
from django.db.models import Count, Q, QuerySet

from evaluation import rules
from evaluation.models import Award, Candidate, CandidateStatus, ListKind, RecommendationList
from evaluation.selectors import letters as letter_selectors
from schools import access as school_access
from schools.models import School, Staff, Township
from staffing import publication
from staffing.models import Publication

PAGE_SIZE = 50


def held_awards(staff_ids: Iterable[int], on: date) -> dict[int, list[rules.HeldAward]]:
    """Each staff member's awards from exams up to ``on`` (one query)."""
    found: dict[int, list[rules.HeldAward]] = {}
    rows = (Award.objects.filter(staff_id__in=list(staff_ids), exam__date__lte=on)
            .values_list("staff_id", "kind", "exam__date", "model_teacher"))
    for staff_id, kind, day, model in rows:
        found.setdefault(staff_id, []).append(rules.HeldAward(kind, day, model))
    return found


def threshold_of(staff_ids: Iterable[int], required: rules.Threshold,
                 on: date) -> dict[int, str | None]:
    """staff id → why they do not meet ``required`` on ``on`` (None: they do), over the
    Award table in one query. The title evaluation reads the same."""
    ids = list(staff_ids)
    held = held_awards(ids, on)
    return {pk: rules.award_threshold_refusal(required, held.get(pk, []), on) for pk in ids}


def threshold_of_list(rec_list: RecommendationList) -> rules.Threshold:
    return rules.Threshold(rec_list.required, rec_list.window_years)


def vetoes_of(rec_list: RecommendationList, staff_ids: Iterable[int]) -> dict[int, str | None]:
    """staff id → why they cannot be recommended to this list (None: they can): the
    award threshold (R9) and, on an honours list, the principals whose responsibility
    letter lost them the school year's honours (R10, ``letters.honours_barred``)."""
    vetoes = threshold_of(staff_ids, threshold_of_list(rec_list), rec_list.as_of)
    if rec_list.kind == ListKind.HONOURS:
        _schools, barred = letter_selectors.honours_barred(rec_list.township_id,
                                                           rec_list.school_year)
        for pk in vetoes:
            vetoes[pk] = rules.join_refusals(
                vetoes[pk], rules.honours_barred_refusal(pk in barred))
    return vetoes


def summaries_of(staff_ids: Iterable[int], rec_list: RecommendationList) -> dict[int, str]:
    """staff id → the awards held in the list's window, as a page shows them."""
    held = held_awards(staff_ids, rec_list.as_of)
    return {pk: rules.held_summary([a for a in awards if rules.in_window(
        a, rec_list.as_of, rec_list.window_years)]) for pk, awards in held.items()}


@dataclass(frozen=True)
class Figures:
    quota: int
    recommended: int
    vetoed: int

    @property
    def unfilled(self) -> int:
        return rules.unfilled(self.quota, self.recommended)


def figures_of(rec_list: RecommendationList) -> Figures:
    counts = rec_list.candidates.aggregate(
        recommended=Count("pk", filter=Q(status=CandidateStatus.RECOMMENDED)),
        vetoed=Count("pk", filter=Q(status=CandidateStatus.VETOED)))
    return Figures(rec_list.quota, counts["recommended"], counts["vetoed"])


def lists_of(township: Township) -> QuerySet[RecommendationList]:
    """The township's lists with their counts (one query)."""
    return (RecommendationList.objects.filter(township=township)
            .annotate(recommended=Count("candidates",
                                        filter=Q(candidates__status=CandidateStatus.RECOMMENDED)),
                      vetoed=Count("candidates",
                                   filter=Q(candidates__status=CandidateStatus.VETOED))))


def lists_of_township_id(township_id: int) -> QuerySet[RecommendationList]:
    return RecommendationList.objects.filter(township_id=township_id)


def candidates_of(rec_list: RecommendationList, *, school: School | None = None,
                  status: str | None = None) -> QuerySet[Candidate]:
    found = rec_list.candidates.select_related("staff", "school", "nominated_by")
    if school is not None:
        found = found.filter(school=school)
    if status:
        found = found.filter(status=status)
    return found.order_by("status", "school__name", "staff__name", "pk")


def candidates_page(rec_list: RecommendationList, *, school: School | None = None,
                    status: str | None = None, page=None):
    return Paginator(candidates_of(rec_list, school=school, status=status),
                     PAGE_SIZE).get_page(page)


@dataclass(frozen=True)
class StaffRow:
    staff: Staff
    held: str  # the awards held in the window
    refusal: str | None  # why they would be vetoed
    nominated: bool


def nominable_page(rec_list: RecommendationList, school: School, *, query: str = "",
                   page=None):
    """A page of the school's staff, each with the awards held in the list's window,
    the veto they would meet and whether they are already on the list: three queries."""
    staff = Staff.objects.filter(school=school).order_by("name", "pk")
    if query:
        staff = staff.filter(Q(name__icontains=query) | Q(subject__icontains=query))
    found = Paginator(staff, PAGE_SIZE).get_page(page)
    people = list(found.object_list)
    ids = [p.pk for p in people]
    held = held_awards(ids, rec_list.as_of)
    threshold = threshold_of_list(rec_list)
    on_list = set(rec_list.candidates.filter(staff_id__in=ids).values_list("staff_id",
                                                                            flat=True))
    rows = []
    for person in people:
        awards = [a for a in held.get(person.pk, [])
                  if rules.in_window(a, rec_list.as_of, threshold.years)]
        rows.append(StaffRow(person, rules.held_summary(awards),
                             rules.award_threshold_refusal(threshold, awards, rec_list.as_of),
                             person.pk in on_list))
    return found, rows


def list_publication(rec_list: RecommendationList) -> Publication | None:
    return publication.publication_of(rules.REC_PUBLICATION, rec_list.township_id,
                                      str(rec_list.pk))


def is_locked(rec_list: RecommendationList) -> bool:
    pub = list_publication(rec_list)
    return pub is not None and pub.state == Publication.State.LOCKED


def candidate_changes(rec_list: RecommendationList, limit: int = 50) -> list:
    """The latest changes to the list's candidates, who and when (one query)."""
    return list(Candidate.history.filter(rec_list_id=rec_list.pk)
                .select_related("history_user__staff_profile", "staff")
                .order_by("-history_date", "-history_id")[:limit])


def export_rows(rec_list: RecommendationList) -> list[list]:
    rows = []
    for c in candidates_of(rec_list):
        rows.append([c.school.name, c.staff.name, c.staff.subject, c.staff.title,
                     c.get_status_display(), c.reason])
    return rows


def published_lists_for(township_id: int) -> QuerySet[Publication]:
    return Publication.objects.filter(kind=rules.REC_PUBLICATION, township_id=township_id,
                                      school__isnull=True)


def home_of(user) -> dict:
    """The home page's lists: those a principal nominates to, those published to the
    login's township (one or two queries)."""
    scope = school_access.scope_of(user)
    school_ids = scope.principal_school_ids
    found: dict = {"nominate": [], "published": []}
    if school_ids:
        township_ids = School.objects.filter(pk__in=school_ids).values("township_id")
        found["nominate"] = list(RecommendationList.objects.filter(
            township_id__in=township_ids).order_by("-school_year", "pk")[:10])
    township_id = None
    if scope.staff_id is not None:
        township_id = (Staff.objects.filter(pk=scope.staff_id)
                       .values_list("school__township_id", flat=True).first())
    if township_id is not None:
        keys = list(published_lists_for(township_id).values_list("key", flat=True)[:20])
        found["published"] = list(RecommendationList.objects.filter(
            township_id=township_id, pk__in=[int(k) for k in keys if k.isdigit()]))
    return found
