"""Reads and small checks for the pages of phase 5: posts (R1) and intentions (R2).

The rules themselves live in ``recruitment/selection.py`` (``post_save``,
``posts_publish``, ``posts_import``, ``intention_submit``); this module answers what
the pages ask around them — which posts and intentions a login may see, scoped and
with a bounded number of queries; whether an action is allowed now and, if not, why;
where an uploaded 岗位 sheet waits between its preview and its confirmation — and
builds the 岗位 template and the 意向 export.
"""

import json
import logging
import re
import uuid
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import Count, Exists, Max, OuterRef, Prefetch, Q, QuerySet, Sum
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _

from schools import access as school_access
from schools.models import School, Staff
from schools.resident_id import mask
from staffing import workbook as wb

from . import access, selection, workflow
from .models import Application, Cycle, Intention, PlanRevision, PlanSchool, Post, PostKind
from .phases import INTENTIONS
from .services import _set_history_user, phase_of

log = logging.getLogger(__name__)

POSTS_PER_PAGE = 50
SCHOOL_POSTS_PER_PAGE = 100
INTENTIONS_PER_PAGE = 50
# Kinds a staff member chooses in an intention (a leadership vacancy is not one: R4).
CHOOSABLE_KINDS = (PostKind.TEACHING, PostKind.AUXILIARY)


# --- who the login is in the cycle -----------------------------------------------------


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
        """The school's principal or the township's office (as ``selection.post_save``)."""
        return self.office or school.pk in self.principal_of

    def may_see_school_posts(self, school: School) -> bool:
        """Those who edit the school's posts, and its liaison (read only)."""
        return self.may_edit_posts(school) or school.pk in self.liaison_of


def viewer_of(user, cycle: Cycle) -> Viewer:
    scope = school_access.scope_of(user)
    office = access.is_cycle_office(user, cycle)
    schools = School.objects.filter(township_id=cycle.township_id)
    if not office:
        schools = schools.filter(pk__in=scope.principal_school_ids | scope.liaison_school_ids)
    ids = frozenset(schools.values_list("pk", flat=True))
    return Viewer(
        office=office,
        principal_of=ids & scope.principal_school_ids,
        liaison_of=ids & scope.liaison_school_ids,
        staff=access.own_staff(user, cycle),
        township_schools=ids if office else frozenset(),
    )


def school_of_cycle(cycle: Cycle, school_pk) -> School:
    """A school of the cycle's township, or 404."""
    return get_object_or_404(School, township_id=cycle.township_id, pk=school_pk)


# --- phase 5's refusals, for disabled buttons -----------------------------------------


def _reason(check) -> str | None:
    try:
        check()
    except ValidationError as exc:
        return " ".join(exc.messages)
    return None


def posts_change_refusal(cycle: Cycle) -> str | None:
    """Why posts cannot be set, changed, imported or published now (the same check the
    services make), else None."""
    return _reason(lambda: selection._posts_editable(cycle))


def publish_refusal(cycle: Cycle, school: School, *, unpublished: int) -> str | None:
    return posts_change_refusal(cycle) or (
        None if unpublished else _("%(school)s has no unpublished posts.") % {"school": school}
    )


def intentions_phase(cycle: Cycle):
    return phase_of(cycle, INTENTIONS)


def intention_refusal(cycle: Cycle, phase=None) -> str | None:
    """Why intentions cannot be submitted or changed now, else None."""
    if cycle.adopted_revision_id is None:
        return _("The plan has not been adopted by the congress.")
    return workflow.submission_refusal(phase or intentions_phase(cycle))


# --- the posts board -----------------------------------------------------------------


def posts_visible(viewer: Viewer, cycle: Cycle) -> QuerySet[Post]:
    """Published posts for everyone of the township; unpublished ones too of the schools
    the login oversees (office, principal, liaison)."""
    return (
        Post.objects.filter(cycle=cycle)
        .filter(Q(published_at__isnull=False) | Q(school_id__in=viewer.overseen))
        .select_related("school")
        .order_by("school__name", "number")
    )


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


def post_get(viewer: Viewer, cycle: Cycle, pk) -> Post:
    """One post the login may see in this cycle, or 404."""
    return get_object_or_404(posts_visible(viewer, cycle), pk=pk)


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


# --- one school's posts ----------------------------------------------------------------


def school_posts(cycle: Cycle, school: School) -> QuerySet[Post]:
    return Post.objects.filter(cycle=cycle, school=school).order_by("number")


def next_post_number(cycle: Cycle, school: School) -> int:
    return (school_posts(cycle, school).aggregate(n=Max("number"))["n"] or 0) + 1


def school_post_get(cycle: Cycle, school: School, pk) -> Post:
    return get_object_or_404(school_posts(cycle, school).select_related("school"), pk=pk)


def post_fields_of(post: Post) -> selection.PostFields:
    return selection.PostFields(
        number=post.number, kind=post.kind, grade_class=post.grade_class,
        subject=post.subject, weekly_lessons=post.weekly_lessons, duties=post.duties,
        conditions=post.conditions, seats=post.seats)


# --- the 岗位 sheet: template, uploads kept between preview and confirmation -------------

UPLOAD_DIR = "imports/posts"
ERROR_HEADER = "错误"  # the error workbook's column, as the roster import's
_TOKEN = re.compile(r"^[0-9a-f]{32}$")


def posts_template_sheets() -> list[wb.SheetSpec]:
    """An empty 岗位 sheet to fill in, the required headers marked."""
    columns = selection.POST_COLUMNS
    return [wb.SheetSpec(
        selection.POST_SHEET, list(columns.values()), [],
        required=frozenset(columns[key] for key in selection.POST_REQUIRED),
        widths={columns["duties"]: 30, columns["conditions"]: 30},
    )]


def _upload_name(cycle: Cycle, school: School, token: str, suffix: str = ".xlsx") -> str:
    return f"{UPLOAD_DIR}/{cycle.pk}/{school.pk}/{token}{suffix}"


_PREVIEW, _ERRORS = ".json", "-errors.xlsx"


def posts_upload_keep(*, cycle: Cycle, school: School, data: bytes,
                      result: selection.PostImport) -> str:
    """Keep an uploaded 岗位 workbook under the media root (any app server may confirm
    it later) with its dry run's preview (JSON) and, when it has errors, its error
    workbook: the preview page and the download never read the sheet again. The token
    names them in the preview's address."""
    token = uuid.uuid4().hex
    default_storage.save(_upload_name(cycle, school, token), ContentFile(data))
    preview = {
        # A sheet with errors changes nothing: its errors are the page, not its rows.
        "rows": [] if result.errors else [[line, vars(f)] for line, f in result.rows],
        "created": result.created,
        "updated": result.updated,
        "stopped": result.stopped,
        **wb.errors_kept(result.errors),
    }
    default_storage.save(_upload_name(cycle, school, token, _PREVIEW),
                         ContentFile(json.dumps(preview, ensure_ascii=False).encode()))
    if result.errors:
        errors = wb.error_workbook([result.sheet], error_header=ERROR_HEADER)
        default_storage.save(_upload_name(cycle, school, token, _ERRORS), ContentFile(errors))
    return token


def _kept(cycle: Cycle, school: School, token: str, suffix: str) -> bytes:
    """A kept file of an upload, or 404 (a wrong token, or one confirmed or replaced)."""
    if not _TOKEN.match(token or ""):
        raise Http404
    name = _upload_name(cycle, school, token, suffix)
    if not default_storage.exists(name):
        raise Http404
    with default_storage.open(name, "rb") as handle:
        return handle.read()


def posts_upload_read(cycle: Cycle, school: School, token: str) -> bytes:
    """The kept workbook, or 404."""
    return _kept(cycle, school, token, ".xlsx")


def posts_upload_preview(cycle: Cycle, school: School, token: str) -> dict:
    """The kept preview: ``rows`` as (line, ``PostFields``), the counts, the first errors
    (``errors``, ``errors_total``) and the error-cap notice (``stopped``); or 404."""
    preview = json.loads(_kept(cycle, school, token, _PREVIEW))
    preview["rows"] = [(line, selection.PostFields(**f)) for line, f in preview["rows"]]
    return preview


def posts_upload_errors(cycle: Cycle, school: School, token: str) -> bytes:
    """The kept error workbook, or 404 (the sheet had no errors)."""
    return _kept(cycle, school, token, _ERRORS)


def posts_upload_discard(cycle: Cycle, school: School, token: str) -> None:
    if _TOKEN.match(token or ""):
        for suffix in (".xlsx", _PREVIEW, _ERRORS):
            default_storage.delete(_upload_name(cycle, school, token, suffix))


@dataclass
class ImportRow:
    """One row of a previewed 岗位 sheet: what it creates, or what it changes."""

    line: int
    fields: selection.PostFields
    new: bool
    changes: list[tuple[str, str, str]] = field(default_factory=list)  # header, old, new


def import_rows(cycle: Cycle, school: School,
                sheet_rows: list[tuple[int, selection.PostFields]]) -> list[ImportRow]:
    """The rows of a dry run, each as a creation or its changes to the post of that
    number, headed as in the sheet."""
    existing = {post.number: post for post in school_posts(cycle, school)}
    rows = []
    for line, fields in sheet_rows:
        post = existing.get(fields.number)
        if post is None:
            rows.append(ImportRow(line, fields, new=True))
            continue
        old = post_fields_of(post)
        changes = [
            (selection.POST_COLUMNS[key], _sheet_value(key, getattr(old, key)),
             _sheet_value(key, value))
            for key, value in vars(fields).items() if getattr(old, key) != value
        ]
        rows.append(ImportRow(line, fields, new=False, changes=changes))
    return rows


KIND_WORDS = {kind: word for word, kind in selection.KIND_WORDS.items()}


def _sheet_value(key: str, value) -> str:
    if key == "kind":
        return KIND_WORDS.get(value, value)
    return "—" if value in ("", None) else str(value)


# --- intentions: the staff member's form ------------------------------------------------


def intention_of(cycle: Cycle, staff: Staff) -> Intention | None:
    """The staff member's intention with its ranked applications and their posts."""
    return (
        Intention.objects.filter(cycle=cycle, staff=staff)
        .select_related("staff__school")
        .prefetch_related(_applications())
        .first()
    )


def _applications(queryset=None) -> Prefetch:
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
            posts__kind__in=CHOOSABLE_KINDS)))
        .filter(choosable__gt=0)
    )
    return sorted(schools, key=lambda s: (s.pk != staff.school_id, s.name))


def choosable_posts(cycle: Cycle, school_ids) -> dict[int, list[Post]]:
    """Published teaching and auxiliary posts of these schools, by school, in one query."""
    found: dict[int, list[Post]] = {}
    for post in (Post.objects.filter(cycle=cycle, school_id__in=school_ids,
                                     published_at__isnull=False, kind__in=CHOOSABLE_KINDS)
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
                    selection.is_support_staff(plan, app))
        for app in intention.applications.all()
    ]


# --- intentions: the lists of the office and the schools -------------------------------


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
            .prefetch_related(_applications())
            .order_by("staff__school__name", "staff__name", "pk"))


@dataclass
class IntentionRow:
    intention: Intention
    applications: list[Application]  # those this login may see
    cross_school: bool  # applies at a school other than their own


def intention_rows(intentions, viewer: Viewer) -> list[IntentionRow]:
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


INTENTION_SHEET = "意向"
INTENTION_HEADERS = ["姓名", "身份证号", "所在学校", "人员类别", "志愿", "意向学校", "教学岗序号",
                     "年级班级", "学科", "周课时", "辅助岗序号", "辅助岗职责", "填报时间"]
STAFF_WORDS = {False: "教学人员", True: "教辅人员"}
EXPORT_MAX_ROWS = 50_000


def intentions_sheet(user, cycle: Cycle, rows: list[IntentionRow], *,
                     full_ids: bool) -> wb.SheetSpec:
    """Sheet 意向: one line per ranked choice the login may see. Resident IDs in full
    when ``full_ids`` (the township's office: ``schools.access.may_see_full_ids_of``,
    whose export the caller records) and for one's own, else masked."""
    own = school_access.scope_of(user).staff_id
    lines = []
    for row in rows:
        if len(lines) >= EXPORT_MAX_ROWS:
            break
        staff, intention = row.intention.staff, row.intention
        full = full_ids or staff.pk == own
        when = timezone.localtime(intention.submitted_at).strftime("%Y-%m-%d %H:%M")
        for app in row.applications:
            teaching = app.teaching_post
            auxiliary = list(app.auxiliary_posts.all())
            lines.append([
                staff.name, staff.resident_id if full else mask(staff.resident_id),
                staff.school.name, STAFF_WORDS[intention.support_staff], app.rank,
                app.school.name, teaching.number if teaching else None,
                teaching.grade_class if teaching else "", teaching.subject if teaching else "",
                teaching.weekly_lessons if teaching else None,
                "、".join(str(p.number) for p in auxiliary),
                "；".join(p.duties for p in auxiliary), when,
            ])
    log.info("intentions_exported cycle=%s by=%s rows=%d full_ids=%s", cycle.pk, user.pk,
             len(lines), full_ids)
    return wb.SheetSpec(INTENTION_SHEET, INTENTION_HEADERS, lines,
                        text_columns=frozenset({"身份证号"}))


# --- a post set by mistake ------------------------------------------------------------


def post_delete(*, by, cycle: Cycle, post: Post) -> None:
    """Remove a post set by mistake (R1): as ``selection.post_save``, by the school's
    principal or the office, while posts may change, and never once published (staff
    may have chosen it). The history keeps who removed it."""
    with transaction.atomic():
        selection._principal_of(by, post.school)
        selection._posts_editable(cycle)
        School.objects.select_for_update().filter(pk=post.school_id).first()
        locked = Post.objects.filter(pk=post.pk, cycle=cycle).first()
        if locked is None:
            raise ValidationError(_("This post no longer exists."))
        if locked.published_at is not None:
            raise ValidationError(_("Post %(n)d is published and can no longer change.")
                                  % {"n": locked.number})
        _set_history_user(locked, by)
        locked.delete()
