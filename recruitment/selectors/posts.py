"""Posts and the quota (R1), imports previewed, intentions (R2), their checks, the 意向
export's rows.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db.models import Count, Exists, Max, OuterRef, Prefetch, Q, QuerySet, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from recruitment import access, rules, sheets, workflow
from recruitment.models import (
    Application,
    Cycle,
    Intention,
    PhaseState,
    PlanRevision,
    PlanSchool,
    Post,
    PostKind,
)
from recruitment.phases import INTENTIONS
from recruitment.selectors import common as common_selectors
from recruitment.selectors import plan as plan_selectors
from schools import access as school_access
from schools.models import School, Staff
from schools.resident_id import mask
from staffing import workbook as wb


def post_quota(cycle: Cycle, school: School) -> int:
    """R1: seats the school may set: the adopted plan's figure, else its post-setting
    count."""
    plan_school = PlanSchool.objects.filter(
        revision_id=cycle.adopted_revision_id, school=school).first()
    return plan_school.post_count if plan_school else school.post_count


def seats_set(cycle: Cycle, school: School, *, excluding: Post | None = None) -> int:
    posts = Post.objects.filter(cycle=cycle, school=school)
    if excluding is not None and excluding.pk:
        posts = posts.exclude(pk=excluding.pk)
    return posts.aggregate(n=Sum("seats"))["n"] or 0


def posts_editable(cycle: Cycle) -> None:
    plan_selectors.adopted_plan(cycle)
    if common_selectors.phase_of(cycle, INTENTIONS).state == PhaseState.CLOSED:
        raise ValidationError(_("Intentions have closed: posts can no longer change."))


def intention_problems(cycle: Cycle, choices: list[rules.Choice]) -> list[str]:
    """Every way ``choices`` break R2 or the plan; empty when they are fine."""
    plan = plan_selectors.adopted_plan(cycle)
    problems = []
    if not choices:
        problems.append(_("Choose at least one school's posts."))
    if len(choices) > plan.max_applications:
        problems.append(_("The plan allows at most %(n)d schools in one intention.")
                        % {"n": plan.max_applications})
    ids = {p.pk for c in choices for p in (c.teaching_post, *c.auxiliary_posts) if p}
    published = set(Post.objects.filter(pk__in=ids, published_at__isnull=False)
                    .values_list("pk", flat=True))
    seen = set()
    for rank, choice in enumerate(choices, start=1):
        where = _("Choice %(rank)d (%(school)s)") % {"rank": rank, "school": choice.school}
        if choice.school.pk in seen:
            problems.append(_("%(where)s: that school is already chosen above.")
                            % {"where": where})
        seen.add(choice.school.pk)
        posts = [p for p in (choice.teaching_post, *choice.auxiliary_posts) if p is not None]
        for post in posts:
            if post.cycle_id != cycle.pk or post.school_id != choice.school.pk:
                problems.append(_("%(where)s: post %(n)d is not a post of that school.")
                                % {"where": where, "n": post.number})
            elif post.pk not in published:
                problems.append(_("%(where)s: post %(n)d is not published.")
                                % {"where": where, "n": post.number})
        if choice.teaching_post is not None and choice.teaching_post.kind != PostKind.TEACHING:
            problems.append(_("%(where)s: post %(n)d is not a teaching post.")
                            % {"where": where, "n": choice.teaching_post.number})
        if any(p.kind != PostKind.AUXILIARY for p in choice.auxiliary_posts):
            problems.append(_("%(where)s: only auxiliary posts go with the teaching post.")
                            % {"where": where})
        if not choice.auxiliary_posts:
            problems.append(_("%(where)s: choose one or more auxiliary posts (“1+X”).")
                            % {"where": where})
    return problems


log = logging.getLogger(__name__)


POSTS_PER_PAGE = 50
SCHOOL_POSTS_PER_PAGE = 100
INTENTIONS_PER_PAGE = 50


def _reason(check) -> str | None:
    try:
        check()
    except ValidationError as exc:
        return " ".join(exc.messages)
    return None


def posts_change_refusal(cycle: Cycle) -> str | None:
    """R1: why posts cannot be set, changed, imported or published now (the same check the
    services make), else None."""
    return _reason(lambda: posts_editable(cycle))


def post_change_check(cycle: Cycle, post: Post) -> str | None:
    """R1: why this post cannot change now (published, or posts may not change), as
    ``posts_services.post_save`` and ``post_delete`` refuse it."""
    return rules.post_published_refusal(post) or posts_change_refusal(cycle)


def publish_refusal(cycle: Cycle, school: School, *, unpublished: int) -> str | None:
    return posts_change_refusal(cycle) or (
        None if unpublished else _("%(school)s has no unpublished posts.") % {"school": school}
    )


def intentions_phase(cycle: Cycle):
    return common_selectors.phase_of(cycle, INTENTIONS)


def intention_refusal(cycle: Cycle, phase=None) -> str | None:
    """Why intentions cannot be submitted or changed now, else None."""
    return (workflow.not_adopted_refusal(cycle)
            or workflow.submission_refusal(phase or intentions_phase(cycle)))


def posts_filtered(posts: QuerySet[Post], *, school=None, kind: str = "", subject: str = "",
                   query: str = "") -> QuerySet[Post]:
    if school is not None:
        posts = posts.filter(school=school)
    if kind:
        posts = posts.filter(kind=kind)
    if subject:
        posts = posts.filter(subject=subject)
    query = query.strip()
    if query:
        found = (Q(subject__icontains=query) | Q(grade_class__icontains=query)
                 | Q(duties__icontains=query) | Q(conditions__icontains=query)
                 | Q(school__name__icontains=query))
        if query.isdigit():
            found |= Q(number=int(query))
        posts = posts.filter(found)
    return posts


def subjects_of(posts: QuerySet[Post]) -> list[str]:
    return list(posts.exclude(subject="").order_by("subject")
                .values_list("subject", flat=True).distinct())


@dataclass
class SchoolPostRow:
    """One school's posts as the office reviews them: seats set against its quota."""

    school: School
    quota: int
    posts: int = 0
    seats: int = 0
    unpublished: int = 0

    @property
    def over(self) -> bool:
        return self.seats > self.quota


def school_post_rows(cycle: Cycle, school_ids) -> list[SchoolPostRow]:
    """The overseen schools with their quota (the adopted plan's figure, else the
    school's post-setting count, as ``selection.post_quota``), in three queries."""
    quotas = dict(PlanSchool.objects.filter(revision_id=cycle.adopted_revision_id)
                  .values_list("school_id", "post_count"))
    counts = {
        row["school_id"]: row
        for row in Post.objects.filter(cycle=cycle, school_id__in=school_ids)
        .values("school_id")
        .annotate(posts=Count("pk"), seats=Sum("seats"),
                  unpublished=Count("pk", filter=Q(published_at__isnull=True)))
    }
    rows = []
    for school in School.objects.filter(pk__in=school_ids).order_by("name"):
        found = counts.get(school.pk, {})
        rows.append(SchoolPostRow(
            school, quotas.get(school.pk, school.post_count), found.get("posts", 0),
            found.get("seats") or 0, found.get("unpublished", 0)))
    return rows


def school_posts(cycle: Cycle, school: School) -> QuerySet[Post]:
    return Post.objects.filter(cycle=cycle, school=school).order_by("number")


def next_post_number(cycle: Cycle, school: School) -> int:
    return (school_posts(cycle, school).aggregate(n=Max("number"))["n"] or 0) + 1


@dataclass
class ImportRow:
    """One row of a previewed 岗位 sheet: what it creates, or what it changes."""

    line: int
    fields: rules.PostFields
    new: bool
    changes: list[tuple[str, str, str]] = field(default_factory=list)  # header, old, new


def import_rows(cycle: Cycle, school: School,
                sheet_rows: list[tuple[int, rules.PostFields]]) -> list[ImportRow]:
    """The rows of a dry run, each as a creation or its changes to the post of that
    number, headed as in the sheet."""
    existing = {post.number: post for post in school_posts(cycle, school)}
    rows = []
    for line, fields in sheet_rows:
        post = existing.get(fields.number)
        if post is None:
            rows.append(ImportRow(line, fields, new=True))
            continue
        old = rules.post_fields_of(post)
        changes = [
            (sheets.POST_COLUMNS[key], sheets.sheet_value(key, getattr(old, key)),
             sheets.sheet_value(key, value))
            for key, value in vars(fields).items() if getattr(old, key) != value
        ]
        rows.append(ImportRow(line, fields, new=False, changes=changes))
    return rows


def intention_of(cycle: Cycle, staff: Staff) -> Intention | None:
    """The staff member's intention with its ranked applications and their posts."""
    return (
        Intention.objects.filter(cycle=cycle, staff=staff)
        .select_related("staff__school")
        .prefetch_related(applications_prefetch())
        .first()
    )


def applications_prefetch(queryset=None) -> Prefetch:
    return Prefetch(
        "applications",
        queryset=(queryset or Application.objects.all())
        .select_related("school", "teaching_post")
        .prefetch_related(Prefetch("auxiliary_posts",
                                   queryset=Post.objects.order_by("number")))
        .order_by("rank"),
    )


def intention_schools(cycle: Cycle, staff: Staff) -> list[School]:
    """The township's schools with published posts to choose, the staff member's own
    first; each carries ``choosable``, its number of such posts."""
    schools = (
        School.objects.filter(township_id=cycle.township_id)
        .annotate(choosable=Count("posts", filter=Q(
            posts__cycle=cycle, posts__published_at__isnull=False,
            posts__kind__in=rules.CHOOSABLE_KINDS)))
        .filter(choosable__gt=0)
    )
    return sorted(schools, key=lambda s: (s.pk != staff.school_id, s.name))


def choosable_posts(cycle: Cycle, school_ids) -> dict[int, list[Post]]:
    """Published teaching and auxiliary posts of these schools, by school, in one query."""
    found: dict[int, list[Post]] = {}
    for post in (Post.objects.filter(cycle=cycle, school_id__in=school_ids,
                                     published_at__isnull=False, kind__in=rules.CHOOSABLE_KINDS)
                 .order_by("school_id", "number")):
        found.setdefault(post.school_id, []).append(post)
    return found


@dataclass
class ChoiceShown:
    """A submitted application as the staff member and the print form show it."""

    rank: int
    school: School
    teaching_post: Post | None
    auxiliary_posts: list[Post]
    support_staff: bool  # R2, were they hired on this choice


def choices_shown(plan: PlanRevision, intention: Intention | None) -> list[ChoiceShown]:
    if intention is None:
        return []
    return [
        ChoiceShown(app.rank, app.school, app.teaching_post, list(app.auxiliary_posts.all()),
                    rules.is_support_staff(plan, app))
        for app in intention.applications.all()
    ]


def intentions_filtered(user, intentions: QuerySet[Intention], *, school=None,
                        support: str = "", query: str = "") -> QuerySet[Intention]:
    """Narrow to those applying at ``school``, to teaching or support staff (R2), and
    to a name or school (or a resident ID, as ``schools.access.id_search_q`` allows)."""
    if school is not None:
        intentions = intentions.filter(Exists(
            Application.objects.filter(intention=OuterRef("pk"), school=school)))
    if support:
        intentions = intentions.filter(support_staff=support == "support")
    query = query.strip()
    if query:
        found = Q(staff__name__icontains=query) | Q(staff__school__name__icontains=query)
        intentions = intentions.filter(
            found | school_access.id_search_q(user, query, prefix="staff__"))
    return intentions


def intentions_listed(intentions: QuerySet[Intention]) -> QuerySet[Intention]:
    return (intentions.select_related("staff__school")
            .prefetch_related(applications_prefetch())
            .order_by("staff__school__name", "staff__name", "pk"))


@dataclass
class IntentionRow:
    intention: Intention
    applications: list[Application]  # those this login may see
    cross_school: bool  # applies at a school other than their own


def intention_rows(intentions, viewer: access.Viewer) -> list[IntentionRow]:
    """Each intention with the applications the login may see: all of them for the
    office and for the staff member's own school's leaders; for another school's
    leaders, only those at their schools (where else someone applied is not theirs)."""
    school_ids = viewer.overseen
    rows = []
    for intention in intentions:
        apps = list(intention.applications.all())
        if not (viewer.office or intention.staff.school_id in school_ids):
            apps = [app for app in apps if app.school_id in school_ids]
        rows.append(IntentionRow(intention, apps, any(
            app.school_id != intention.staff.school_id for app in apps)))
    return rows


def township_staff_count(cycle: Cycle) -> int:
    return Staff.objects.filter(school__township_id=cycle.township_id).count()


def intentions_sheet(user, cycle: Cycle, rows: list[IntentionRow], *,
                     full_ids: bool) -> wb.SheetSpec:
    """Sheet 意向: one line per ranked choice the login may see. Resident IDs in full
    when ``full_ids`` (the township's office: ``schools.access.may_see_full_ids_of``,
    whose export the caller records) and for one's own, else masked."""
    own = school_access.scope_of(user).staff_id
    lines = []
    for row in rows:
        if len(lines) >= sheets.EXPORT_MAX_ROWS:
            break
        staff, intention = row.intention.staff, row.intention
        full = full_ids or staff.pk == own
        when = timezone.localtime(intention.submitted_at).strftime("%Y-%m-%d %H:%M")
        for app in row.applications:
            teaching = app.teaching_post
            auxiliary = list(app.auxiliary_posts.all())
            lines.append([
                staff.name, staff.resident_id if full else mask(staff.resident_id),
                staff.school.name, sheets.STAFF_WORDS[intention.support_staff], app.rank,
                app.school.name, teaching.number if teaching else None,
                teaching.grade_class if teaching else "", teaching.subject if teaching else "",
                teaching.weekly_lessons if teaching else None,
                "、".join(str(p.number) for p in auxiliary),
                "；".join(p.duties for p in auxiliary), when,
            ])
    log.info("intentions_exported cycle=%s by=%s rows=%d full_ids=%s", cycle.pk, user.pk,
             len(lines), full_ids)
    return wb.SheetSpec(sheets.INTENTION_SHEET, sheets.INTENTION_HEADERS, lines,
                        text_columns=frozenset({"身份证号"}))
