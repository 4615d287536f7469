"""Posts (R1), the 岗位 import and its kept upload, intentions (R2): phase 5.
"""

from __future__ import annotations

import json
import re
import uuid

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from recruitment import access, rules, sheets, workflow
from recruitment.models import (
    Application,
    Cycle,
    Intention,
    Post,
    PostKind,
)
from recruitment.phases import INTENTIONS
from recruitment.selectors import common as common_selectors
from recruitment.selectors import posts as posts_selectors
from recruitment.services import common as common_services
from schools.models import School, Staff
from staffing import workbook as wb


@transaction.atomic
def post_save(*, by, cycle: Cycle, school: School, fields: rules.PostFields,
              post: Post | None = None) -> Post:
    """Create or change one of a school's posts (R1), within its quota; a published post
    no longer changes."""
    access.require_post_editor(by, school)
    if post is not None and (post.school_id != school.pk or post.cycle_id != cycle.pk):
        raise PermissionDenied
    posts_selectors.posts_editable(cycle)
    School.objects.select_for_update().filter(pk=school.pk).first()  # quota under a lock
    problems = rules.post_problems(fields)
    if problems:
        raise ValidationError([reason for _f, reason in problems])
    if post is not None:
        common_services.refuse(rules.post_published_refusal(post))
    quota = posts_selectors.post_quota(cycle, school)
    if posts_selectors.seats_set(cycle, school, excluding=post) + fields.seats > quota:
        raise ValidationError(_("%(school)s may set %(quota)d seats; this would make %(n)d.") % {
            "school": school, "quota": quota,
            "n": posts_selectors.seats_set(cycle, school, excluding=post) + fields.seats})
    clash = Post.objects.filter(cycle=cycle, school=school, number=fields.number)
    if post is not None:
        clash = clash.exclude(pk=post.pk)
    if clash.exists():
        raise ValidationError(_("Post number %(n)d is already used.") % {"n": fields.number})
    post = post or Post(cycle=cycle, school=school)
    for name, value in vars(fields).items():
        setattr(post, name, value)
    if post.kind == PostKind.AUXILIARY:
        post.weekly_lessons = 0
    common_services.save(post, by)
    return post


@transaction.atomic
def posts_publish(*, by, cycle: Cycle, school: School) -> int:
    """The office reviews and publishes a school's posts to the whole township (R1)."""
    access.require_cycle_office(by, cycle)
    posts_selectors.posts_editable(cycle)

    posts = list(Post.objects.select_for_update().filter(cycle=cycle, school=school,
                                                         published_at__isnull=True))
    if not posts:
        raise ValidationError(_("%(school)s has no unpublished posts.") % {"school": school})
    now = timezone.now()
    for post in posts:
        post.published_at = now
    # One statement for the posts and one for their history, however many posts.
    bulk_update_with_history(posts, Post, ["published_at"], default_user=by)
    return len(posts)


@transaction.atomic
def intention_submit(*, by, cycle: Cycle, choices: list[rules.Choice]) -> Intention:
    """A staff member submits or changes their intention until the deadline, the day
    included, while phase 5 is open (R2)."""
    staff = Staff.objects.select_related("school").filter(user=by).first()
    if staff is None or staff.school.township_id != cycle.township_id:
        raise PermissionDenied
    common_services.refuse(
        workflow.submission_refusal(common_selectors.phase_of(cycle, INTENTIONS))
    )
    problems = posts_selectors.intention_problems(cycle, choices)
    if problems:
        raise ValidationError(problems)
    plan = cycle.adopted_revision
    intention = (Intention.objects.select_for_update().filter(cycle=cycle, staff=staff).first()
                 or Intention(cycle=cycle, staff=staff))
    intention.support_staff = rules.is_support_staff(plan, choices[0])
    intention.summary = "\n".join(
        f"{rank}. {c.school}: "
        + (f"#{c.teaching_post.number} {c.teaching_post.subject}" if c.teaching_post else "—")
        + " + " + ", ".join(f"#{p.number} {p.duties[:20]}" for p in c.auxiliary_posts)
        for rank, c in enumerate(choices, start=1)
    )
    common_services.save(intention, by)  # one history record per submission
    intention.applications.all().delete()
    for rank, choice in enumerate(choices, start=1):
        application = Application.objects.create(
            intention=intention, rank=rank, school=choice.school,
            teaching_post=choice.teaching_post)
        application.auxiliary_posts.set(choice.auxiliary_posts)
    return intention


def posts_import(*, by, cycle: Cycle, school: School, data: bytes,
                 dry_run: bool = False) -> sheets.PostImport:
    """A school's posts from sheet 岗位 (岗位序号, 类别 教学岗/辅助岗, 年级班级, 学科,
    周课时, 职责, 任职条件, and optionally 岗位数 — seats, default 1): all or nothing,
    matched by 岗位序号; the same rules and quota as the form."""

    access.require_post_editor(by, school)
    posts_selectors.posts_editable(cycle)
    book = wb.open_workbook(data, kind=_("posts sheet"))
    try:
        sheet = wb.read_sheet(book, sheets.POST_SHEET, sheets.POST_COLUMNS, sheets.POST_REQUIRED)
    finally:
        book.close()
    errors = list(sheet.errors)
    rows: list[tuple[int, rules.PostFields]] = []
    seen: dict[int, int] = {}
    cap = wb.ErrorCap()
    for line, values in sheet.rows:
        if cap.full(sheets.POST_SHEET, line):
            break
        problems: list[tuple[str, str]] = []
        numbers = {}
        for key, (smallest, largest) in sheets.POST_NUMBER_RANGES.items():
            raw = values.get(key)
            if key != "number" and wb.clean_text(raw) == "":
                numbers[key] = 1 if key == "seats" else 0
                continue
            try:
                numbers[key] = wb.parse_whole_number(raw, minimum=smallest, maximum=largest)
            except wb.ValueProblem as exc:
                problems.append((key, str(exc) if wb.clean_text(raw) else _("required")))
        kind_word = wb.clean_text(values.get("kind"))
        kind = sheets.KIND_BY_WORD.get(kind_word)
        if kind is None:
            problems.append(("kind", _("write 教学岗 or 辅助岗, not “%(value)s”")
                             % {"value": wb.quoted(kind_word)}))
        if "number" in numbers:
            if numbers["number"] in seen:
                problems.append(("number", _("the same number already appears in row %(row)d")
                                 % {"row": seen[numbers["number"]]}))
            seen.setdefault(numbers["number"], line)
        if not problems:
            fields = rules.PostFields(
                number=numbers["number"], kind=kind,
                grade_class=wb.clean_text(values.get("grade_class"))[:50],
                subject=wb.clean_text(values.get("subject"))[:30],
                weekly_lessons=numbers["weekly_lessons"],
                duties=wb.clean_text(values.get("duties")),
                conditions=wb.clean_text(values.get("conditions")),
                seats=numbers["seats"],
            )
            problems = rules.post_problems(fields)
            if not problems:
                rows.append((line, fields))
        cap.count(problems)
        errors.extend(wb.RowError(sheets.POST_SHEET, line, sheets.POST_COLUMNS.get(f, f), r)
                      for f, r in problems)
    with transaction.atomic():
        if not dry_run:
            # Checked against the posts as they are when written: the school is locked
            # before they are read, as post_save does, so a post saved meanwhile cannot
            # take the quota or the number.
            School.objects.select_for_update().filter(pk=school.pk).first()
        existing = {p.number: p for p in Post.objects.filter(cycle=cycle, school=school)}
        if not errors:
            kept = sum(p.seats for n, p in existing.items()
                       if n not in {f.number for _l, f in rows})
            total = kept + sum(f.seats for _l, f in rows)
            quota = posts_selectors.post_quota(cycle, school)
            if total > quota:
                errors.append(wb.RowError(sheets.POST_SHEET, 1, sheets.POST_COLUMNS["seats"],
                                          _("%(school)s may set %(quota)d seats; this would "
                                            "make %(n)d.") % {"school": school, "quota": quota,
                                                              "n": total}))
            for line, fields in rows:
                post = existing.get(fields.number)
                if post is not None and post.published_at is not None:
                    errors.append(
                        wb.RowError(
                            sheets.POST_SHEET,
                            line,
                            sheets.POST_COLUMNS["number"],
                            _("post %(n)d is published and can no longer change")
                            % {"n": fields.number},
                        )
                    )
        sheet.errors = errors
        result = sheets.PostImport(rows=rows, errors=errors, sheet=sheet, stopped=cap.notice())
        result.created = sum(1 for _l, f in rows if f.number not in existing)
        result.updated = len(rows) - result.created
        if errors or dry_run:
            return result
        new, changed = [], []
        for _line, fields in rows:
            post = existing.get(fields.number) or Post(cycle=cycle, school=school)
            for name, value in vars(fields).items():
                setattr(post, name, value)
            (changed if post.pk else new).append(post)

        history = {"default_user": by, "default_change_reason": gettext_noop("post import")}
        if new:
            bulk_create_with_history(new, Post, **history)
        if changed:
            bulk_update_with_history(changed, Post, list(vars(rows[0][1])), **history)
    return result


UPLOAD_DIR = "imports/posts"
_TOKEN = re.compile(r"^[0-9a-f]{32}$")


def _upload_name(cycle: Cycle, school: School, token: str, suffix: str = ".xlsx") -> str:
    return f"{UPLOAD_DIR}/{cycle.pk}/{school.pk}/{token}{suffix}"


_PREVIEW, _ERRORS = ".json", "-errors.xlsx"


def posts_upload_keep(*, cycle: Cycle, school: School, data: bytes,
                      result: sheets.PostImport) -> str:
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
        errors = wb.error_workbook([result.sheet], error_header=sheets.ERROR_HEADER)
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
    preview["rows"] = [(line, rules.PostFields(**f)) for line, f in preview["rows"]]
    return preview


def posts_upload_errors(cycle: Cycle, school: School, token: str) -> bytes:
    """The kept error workbook, or 404 (the sheet had no errors)."""
    return _kept(cycle, school, token, _ERRORS)


def posts_upload_discard(cycle: Cycle, school: School, token: str) -> None:
    if _TOKEN.match(token or ""):
        for suffix in (".xlsx", _PREVIEW, _ERRORS):
            default_storage.delete(_upload_name(cycle, school, token, suffix))


def post_delete(*, by, cycle: Cycle, post: Post) -> None:
    """Remove a post set by mistake (R1): as ``selection.post_save``, by the school's
    principal or the office, while posts may change, and never once published (staff
    may have chosen it). The history keeps who removed it."""
    with transaction.atomic():
        access.require_post_editor(by, post.school)
        posts_selectors.posts_editable(cycle)
        School.objects.select_for_update().filter(pk=post.school_id).first()
        locked = Post.objects.filter(pk=post.pk, cycle=cycle).first()
        if locked is None:
            raise ValidationError(_("This post no longer exists."))
        common_services.refuse(rules.post_published_refusal(locked))
        common_services.set_history_user(locked, by)
        locked.delete()
