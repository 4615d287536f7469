"""Organisations and people: county ← township ← school ← staff, and who may log in as what."""

from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from django_tasks import TaskResultStatus
from simple_history.models import HistoricalRecords

from . import resident_id


class County(models.Model):
    name = models.CharField(_("name"), max_length=50, unique=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("county")
        verbose_name_plural = _("counties")
        ordering = ["name"]

    def __str__(self):
        return self.name


class Township(models.Model):
    county = models.ForeignKey(
        County, on_delete=models.PROTECT, related_name="townships", verbose_name=_("county")
    )
    name = models.CharField(_("name"), max_length=50)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("township")
        verbose_name_plural = _("townships")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["county", "name"], name="township_unique_name")
        ]

    def __str__(self):
        return self.name


class SchoolKind(models.TextChoices):
    # The roster spells these in Chinese (spec/roster.md); ROSTER_LABELS maps them.
    CENTRAL_MIDDLE = "central_middle", _("Central middle school")
    CENTRAL_PRIMARY = "central_primary", _("Central primary school")
    ADULT_EDUCATION = "adult_education", _("Adult-education centre")
    COMPLETE_PRIMARY = "complete_primary", _("Complete primary school")
    PRIMARY = "primary", _("Primary school")
    TEACHING_POINT = "teaching_point", _("Teaching point")
    KINDERGARTEN = "kindergarten", _("Independent kindergarten")


# The roster's spelling of each kind: a data contract, never translated.
ROSTER_KIND_LABELS = {
    SchoolKind.CENTRAL_MIDDLE: "中心中学",
    SchoolKind.CENTRAL_PRIMARY: "中心小学",
    SchoolKind.ADULT_EDUCATION: "成教中心",
    SchoolKind.COMPLETE_PRIMARY: "完小",
    SchoolKind.PRIMARY: "小学",
    SchoolKind.TEACHING_POINT: "教学点",
    SchoolKind.KINDERGARTEN: "独立园",
}
CENTRE_KINDS = (SchoolKind.CENTRAL_MIDDLE, SchoolKind.CENTRAL_PRIMARY, SchoolKind.ADULT_EDUCATION)


class School(models.Model):
    township = models.ForeignKey(
        Township, on_delete=models.PROTECT, related_name="schools", verbose_name=_("township")
    )
    name = models.CharField(_("name"), max_length=80)
    kind = models.CharField(_("kind"), max_length=20, choices=SchoolKind.choices)
    remote = models.BooleanField(_("remote"), default=False)  # 偏远
    establishment = models.PositiveIntegerField(_("establishment"))  # 编制数
    post_count = models.PositiveIntegerField(_("post-setting count"), default=0)  # 岗位设置数
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("school")
        verbose_name_plural = _("schools")
        ordering = ["township", "kind", "name"]
        constraints = [
            models.UniqueConstraint(fields=["township", "name"], name="school_unique_name")
        ]

    def __str__(self):
        return self.name

    @property
    def is_centre(self) -> bool:
        return self.kind in CENTRE_KINDS

    @property
    def roster_kind(self) -> str:
        return ROSTER_KIND_LABELS[self.kind]


class Sex(models.TextChoices):
    MALE = resident_id.MALE, _("male")
    FEMALE = resident_id.FEMALE, _("female")


ROSTER_SEX_LABELS = {Sex.MALE: "男", Sex.FEMALE: "女"}


class Staff(models.Model):
    """A staff member (教职工) as the township's roster knows them."""

    resident_id = models.CharField(_("resident ID"), max_length=18, unique=True)  # 身份证号
    name = models.CharField(_("full name"), max_length=50)
    sex = models.CharField(_("sex"), max_length=1, choices=Sex.choices)
    birth_date = models.DateField(_("birth date"))
    school = models.ForeignKey(
        School, on_delete=models.PROTECT, related_name="staff", verbose_name=_("school")
    )
    subject = models.CharField(_("subject"), max_length=30, blank=True)  # 任教学科
    education = models.CharField(_("education"), max_length=30, blank=True)  # 学历
    title = models.CharField(_("professional title"), max_length=30, blank=True)  # 职称
    work_start = models.DateField(_("started work"), null=True, blank=True)  # 参加工作时间
    phone = models.CharField(_("phone"), max_length=20, blank=True)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="staff_profile",
        verbose_name=_("login"),
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("staff member")
        verbose_name_plural = _("staff")
        ordering = ["school", "name", "resident_id"]
        indexes = [models.Index(fields=["school", "name"])]

    def __str__(self):
        return self.name

    @property
    def masked_id(self) -> str:
        return resident_id.mask(self.resident_id)

    @property
    def age(self) -> int:
        """Age in whole years today (周岁), shown where the birth date may not be."""
        return resident_id.age_on(self.birth_date, timezone.localdate())

    @cached_property
    def current_position(self):
        """The open leadership position, if any (prefetch `open_positions` to avoid a query)."""
        if hasattr(self, "open_positions"):
            return self.open_positions[0] if self.open_positions else None
        return self.positions.filter(end_date__isnull=True).first()


# Titles that make someone a school-level leader (校级干部); any other position title is
# a middle-level cadre (中层干部).
SCHOOL_LEVEL_TITLES = frozenset({"校长", "园长", "书记", "副校长", "副园长", "副书记", "执行校长"})


class Position(models.Model):
    """A leadership position held from a start date: R3 and R4 need the history."""

    staff = models.ForeignKey(
        Staff, on_delete=models.CASCADE, related_name="positions", verbose_name=_("staff member")
    )
    school = models.ForeignKey(
        School, on_delete=models.PROTECT, related_name="positions", verbose_name=_("school")
    )
    title = models.CharField(_("position"), max_length=30)  # 职务: 校长, 副校长, 教导主任 …
    start_date = models.DateField(_("from"))
    end_date = models.DateField(_("until"), null=True, blank=True)
    end_reason = models.CharField(_("why it ended"), max_length=200, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("leadership position")
        verbose_name_plural = _("leadership positions")
        ordering = ["-start_date", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["staff"],
                condition=Q(end_date__isnull=True),
                name="position_one_open_per_staff",
            ),
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gte=models.F("start_date")),
                name="position_ends_after_start",
            ),
        ]

    def __str__(self):
        return f"{self.staff} · {self.title}"

    @property
    def is_school_level(self) -> bool:
        return self.title in SCHOOL_LEVEL_TITLES


class AssignmentKind(models.TextChoices):
    """What a staff member is in their assignment (R2: 教学人员 or 教辅人员)."""

    TEACHING = "teaching", _("teaching staff")  # 教学人员
    SUPPORT = "support", _("support staff")  # 教辅人员
    APPOINTED = "appointed", _("appointed head, kept in post")  # 任命, hired nowhere
    NOT_IN_POST = "not_in_post", _("not in post")  # an explained status (retiring …)


# The roster's 上岗记录 sheet spells each kind so: a data contract, never translated.
ROSTER_ASSIGNMENT_KIND_LABELS = {
    AssignmentKind.TEACHING: "教学人员",
    AssignmentKind.SUPPORT: "教辅人员",
    AssignmentKind.APPOINTED: "任命",
    AssignmentKind.NOT_IN_POST: "未上岗",
}


class Assignment(models.Model):
    """A staff member's assignment (上岗) from a date: their school, post and auxiliary
    duties, teaching or support staff. The cycle's outcome opens one per person when
    phase 7 closes (``services.assignments_apply``); the open one is the current
    assignment, the ended ones its history."""

    staff = models.ForeignKey(
        Staff, on_delete=models.CASCADE, related_name="assignments",
        verbose_name=_("staff member"),
    )
    school = models.ForeignKey(
        School, on_delete=models.PROTECT, related_name="assignments", verbose_name=_("school")
    )
    # The school on the roster before: "moved from … to …" or "stayed at …".
    previous_school = models.ForeignKey(
        School, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name=_("school before"),
    )
    kind = models.CharField(_("staff kind"), max_length=12, choices=AssignmentKind.choices)
    post = models.CharField(_("post held"), max_length=200, blank=True)  # e.g. 3号 七年级 语文
    duties = models.CharField(_("auxiliary duties"), max_length=500, blank=True)  # R2's "+X"
    note = models.CharField(_("note"), max_length=200, blank=True)  # an explained status
    # The school year of the cycle whose outcome made it (2026: the 2026–2027 cycle).
    school_year = models.PositiveSmallIntegerField(_("cycle"), null=True, blank=True)
    start_date = models.DateField(_("from"))
    end_date = models.DateField(_("until"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("assignment")
        verbose_name_plural = _("assignments")
        ordering = ["-start_date", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["staff"], condition=Q(end_date__isnull=True),
                name="assignment_one_open_per_staff",
            ),
            models.UniqueConstraint(
                fields=["staff", "school_year"], condition=Q(school_year__isnull=False),
                name="assignment_once_per_cycle",
            ),
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gte=models.F("start_date")),
                name="assignment_ends_after_start",
            ),
        ]

    def __str__(self):
        return f"{self.staff} · {self.school} · {self.start_date:%Y-%m-%d}"

    @property
    def moved(self) -> bool:
        return self.previous_school_id is not None and self.previous_school_id != self.school_id

    @property
    def cycle_label(self) -> str:
        """The cycle by its school years, as offices write them: 2026–2027."""
        return f"{self.school_year}–{self.school_year + 1}" if self.school_year else ""


@dataclass(frozen=True)
class NewAssignment:
    """One person's assignment as another app hands it to ``services.assignments_apply``
    (plain data: schools imports no app)."""

    staff_id: int
    school_id: int
    kind: str
    post: str = ""
    duties: str = ""
    note: str = ""


class Role(models.TextChoices):
    COUNTY_OFFICE = "county_office", _("County office")
    TOWNSHIP_OFFICE = "township_office", _("Township office")
    LIAISON = "liaison", _("School liaison")
    PRINCIPAL = "principal", _("Principal / party secretary")


class Membership(models.Model):
    """Ties a login to what it may see: a county, a township, or one school.

    A liaison has one row per school covered. Teachers need no row: their login is
    linked to their own staff record.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="memberships",
        verbose_name=_("login"),
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    county = models.ForeignKey(
        County, on_delete=models.CASCADE, null=True, blank=True, verbose_name=_("county")
    )
    township = models.ForeignKey(
        Township, on_delete=models.CASCADE, null=True, blank=True, verbose_name=_("township")
    )
    school = models.ForeignKey(
        School, on_delete=models.CASCADE, null=True, blank=True, verbose_name=_("school")
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [
            models.CheckConstraint(
                name="membership_scope_matches_role",
                condition=(
                    Q(role="county_office", county__isnull=False, township__isnull=True,
                      school__isnull=True)
                    | Q(role="township_office", county__isnull=True, township__isnull=False,
                        school__isnull=True)
                    | Q(role__in=["liaison", "principal"], county__isnull=True,
                        township__isnull=True, school__isnull=False)
                ),
            ),
            models.UniqueConstraint(
                fields=["user", "role", "school"],
                condition=Q(school__isnull=False),
                name="membership_unique_school",
            ),
            models.UniqueConstraint(
                fields=["user", "role", "township"],
                condition=Q(township__isnull=False),
                name="membership_unique_township",
            ),
            models.UniqueConstraint(
                fields=["user", "role", "county"],
                condition=Q(county__isnull=False),
                name="membership_unique_county",
            ),
        ]

    def __str__(self):
        target = self.county or self.township or self.school
        return f"{self.user} · {self.get_role_display()} · {target}"


class FullIdView(models.Model):
    """One showing or export of full resident IDs: who, when and what (STYLE.md:
    personal data; PIPL treats the ID as sensitive personal information).

    A staff page or the admin's change form reveals one person's ID (``staff``); an
    export reveals every ID in it (``export`` is the file's name, ``rows`` its count).
    ``township`` is whose office sees the record on its list."""

    class Kind(models.TextChoices):
        PAGE = "page", _("staff page")
        ADMIN = "admin", _("administration")
        EXPORT = "export", _("export")

    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.PAGE)
    township = models.ForeignKey(
        Township, on_delete=models.CASCADE, related_name="+", verbose_name=_("township")
    )
    staff = models.ForeignKey(
        Staff, on_delete=models.CASCADE, null=True, blank=True, related_name="full_id_views",
        verbose_name=_("staff member"),
    )
    export = models.CharField(_("export"), max_length=200, blank=True)
    rows = models.PositiveIntegerField(_("rows"), null=True, blank=True)
    viewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, verbose_name=_("viewed by")
    )
    viewed_at = models.DateTimeField(_("viewed at"), auto_now_add=True)

    class Meta:
        verbose_name = _("full ID view")
        verbose_name_plural = _("full ID views")
        ordering = ["-viewed_at"]
        indexes = [models.Index(fields=["township", "-viewed_at"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind="export", staff__isnull=True, rows__isnull=False)
                | (~Q(kind="export") & Q(staff__isnull=False)),
                name="full_id_view_person_or_export",
            ),
        ]

    def __str__(self):
        what = self.export if self.kind == self.Kind.EXPORT else self.staff
        return f"{self.viewer} · {what} · {self.viewed_at:%Y-%m-%d %H:%M}"


class RosterImport(models.Model):
    """One uploaded roster workbook: previewed, then committed (or not)."""

    class Status(models.TextChoices):
        PREVIEWED = "previewed", _("previewed, not yet imported")
        REJECTED = "rejected", _("has errors, nothing imported")
        COMMITTED = "committed", _("imported")

    township = models.ForeignKey(
        Township, on_delete=models.CASCADE, related_name="roster_imports",
        verbose_name=_("township"),
    )
    file = models.FileField(_("workbook"), upload_to="imports/roster/%Y/%m/")
    original_name = models.CharField(_("file name"), max_length=255)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices)
    summary = models.JSONField(_("summary"), default=dict)
    # What the preview page shows (first changes, first errors), kept at upload so the
    # page never parses the file again; see roster.roster_preview_of.
    preview = models.JSONField(_("preview"), default=dict, blank=True)
    errors_file = models.FileField(
        _("rows with their errors"), upload_to="imports/roster/%Y/%m/", blank=True
    )
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
        verbose_name=_("uploaded by"),
    )
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)
    committed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
        related_name="+", verbose_name=_("imported by"),
    )
    committed_at = models.DateTimeField(_("imported at"), null=True, blank=True)
    # A large roster is confirmed in the background (services.roster_upload_confirm): the
    # task that imports it, who confirmed it and when. The task's own row (django-tasks-db)
    # says whether it waits, runs, or ended; the import's status says what was written.
    task = models.ForeignKey(
        "django_tasks_database.DBTaskResult", on_delete=models.SET_NULL, null=True,
        blank=True, related_name="+", verbose_name=_("background task"),
    )
    queued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
        related_name="+", verbose_name=_("confirmed by"),
    )
    queued_at = models.DateTimeField(_("confirmed at"), null=True, blank=True)

    class Meta:
        verbose_name = _("roster import")
        verbose_name_plural = _("roster imports")
        ordering = ["-uploaded_at"]

    class Background(models.TextChoices):
        """Where a confirm sent to the background stands, as its page shows it."""

        QUEUED = "queued", _("waiting for the background worker")
        RUNNING = "running", _("importing in the background")
        DONE = "done", _("imported in the background")
        REJECTED = "rejected", _("not imported: the data changed since the preview")
        FAILED = "failed", _("the background import failed; nothing was imported")
        STALLED = "stalled", _("no progress: the background worker may have stopped")

    def __str__(self):
        return f"{self.original_name} ({self.get_status_display()})"

    def background_state(self, now=None) -> "RosterImport.Background | None":
        """The confirm's background state, or None when it was not sent to the background.

        What was written is the import's status (one transaction: all or nothing); the
        task's row says whether it waits, runs or ended. A worker killed mid-task leaves
        its row running for ever (django-tasks-db does not notice): past
        ``BACKGROUND_STALE_MINUTES`` waiting or running it is shown as stalled.
        """
        if self.queued_at is None:
            return None
        if self.status == self.Status.COMMITTED:
            return self.Background.DONE
        if self.status == self.Status.REJECTED:
            return self.Background.REJECTED
        task = self.task
        if task is None or task.status in (TaskResultStatus.FAILED, TaskResultStatus.SUCCESSFUL):
            return self.Background.FAILED
        since = task.started_at if task.status == TaskResultStatus.RUNNING else task.enqueued_at
        stale = timedelta(minutes=settings.BACKGROUND_STALE_MINUTES)
        if since < (now or timezone.now()) - stale:
            return self.Background.STALLED
        if task.status == TaskResultStatus.RUNNING:
            return self.Background.RUNNING
        return self.Background.QUEUED


class LoginUnlock(models.Model):
    """An office admin lifted a login's lockout (django-axes' failed attempts deleted):
    who, whose, when, and how many failures were forgiven (issue 14)."""

    username = models.CharField(_("login name"), max_length=255)
    failures = models.PositiveIntegerField(_("failed attempts"))
    last_failure_at = models.DateTimeField(_("last failure"), null=True)
    unlocked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
        verbose_name=_("unlocked by"),
    )
    unlocked_at = models.DateTimeField(_("unlocked at"), auto_now_add=True)

    class Meta:
        verbose_name = _("login unlock")
        verbose_name_plural = _("login unlocks")
        ordering = ["-unlocked_at"]

    def __str__(self):
        return self.username
