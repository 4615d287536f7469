"""The yearly cycle (三步十环) and Step 1: the plan, its review, opinions and vote."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from schools.models import School, Staff, Township

from .phases import PHASES


class Cycle(models.Model):
    """One township's staffing cycle for one school year (e.g. 2026 for 2026–2027)."""

    township = models.ForeignKey(
        Township, on_delete=models.PROTECT, related_name="cycles", verbose_name=_("township")
    )
    school_year = models.PositiveSmallIntegerField(_("school year"))
    # The congress vote's rules (R-phase 4): turnout of all representatives at least
    # turnout_num/turnout_den, and votes for more than majority_num/majority_den of all.
    turnout_num = models.PositiveSmallIntegerField(_("turnout: numerator"), default=2)
    turnout_den = models.PositiveSmallIntegerField(_("turnout: denominator"), default=3)
    majority_num = models.PositiveSmallIntegerField(_("majority: numerator"), default=1)
    majority_den = models.PositiveSmallIntegerField(_("majority: denominator"), default=2)
    # Two-step staffing: when the office closed the first-step schools' layer.
    first_layer_closed_at = models.DateTimeField(_("centres' layer closed"), null=True,
                                                 blank=True)
    adopted_revision = models.OneToOneField(
        "PlanRevision", on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name=_("adopted plan"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+",
        verbose_name=_("created by"),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("cycle")
        verbose_name_plural = _("cycles")
        ordering = ["-school_year"]
        constraints = [
            models.UniqueConstraint(fields=["township", "school_year"], name="cycle_unique_year"),
            models.CheckConstraint(
                condition=Q(turnout_den__gt=0, majority_den__gt=0)
                & Q(turnout_num__lte=models.F("turnout_den"))
                & Q(majority_num__lt=models.F("majority_den")),
                name="cycle_vote_fractions_valid",
            ),
        ]

    def __str__(self):
        return f"{self.township} {self.school_year}–{self.school_year + 1}"


class PhaseState(models.TextChoices):
    NOT_STARTED = "not_started", _("not started")
    OPEN = "open", _("open")
    CLOSED = "closed", _("closed")


class Phase(models.Model):
    """One of the ten phases of a cycle; its state moves only through services."""

    cycle = models.ForeignKey(Cycle, on_delete=models.CASCADE, related_name="phases",
                              verbose_name=_("cycle"))
    number = models.PositiveSmallIntegerField(_("phase"))  # 1..10, see recruitment/phases.py
    state = models.CharField(
        _("state"), max_length=12, choices=PhaseState.choices, default=PhaseState.NOT_STARTED
    )
    start_date = models.DateField(_("starts"))
    deadline = models.DateField(_("deadline"))
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("phase")
        verbose_name_plural = _("phases")
        ordering = ["cycle", "number"]
        constraints = [
            models.UniqueConstraint(fields=["cycle", "number"], name="phase_unique_number"),
            models.CheckConstraint(
                condition=Q(number__gte=1, number__lte=10), name="phase_number_1_to_10"
            ),
            models.CheckConstraint(
                condition=Q(deadline__gte=models.F("start_date")), name="phase_deadline_after_start"
            ),
        ]

    def __str__(self):
        return f"{self.number}. {PHASES[self.number].name}"

    @property
    def info(self):
        return PHASES[self.number]


class PlanRevision(models.Model):
    """One saved version of the plan (方案): its text and its structured settings.

    Revisions are never edited: every save is a new one, so any two can be compared,
    and the adopted one is frozen by being the cycle's ``adopted_revision``.
    """

    cycle = models.ForeignKey(Cycle, on_delete=models.CASCADE, related_name="revisions",
                              verbose_name=_("cycle"))
    number = models.PositiveIntegerField(_("revision"))
    text = models.TextField(_("text"))
    note = models.CharField(_("what changed"), max_length=200, blank=True)
    # R2: fewer weekly lessons than this does not count as teaching staff.
    teaching_load_threshold = models.PositiveSmallIntegerField(
        _("teaching-load threshold (lessons a week)"), default=8
    )
    # R5: own original staff at least own_share_num/own_share_den of the establishment.
    own_share_num = models.PositiveSmallIntegerField(_("own-staff share: numerator"), default=2)
    own_share_den = models.PositiveSmallIntegerField(_("own-staff share: denominator"), default=3)
    # R2: how many schools one intention may rank.
    max_applications = models.PositiveSmallIntegerField(
        _("schools one intention may rank"), default=3
    )
    # R7: the training class's test pass mark.
    training_pass_mark = models.PositiveSmallIntegerField(_("training test pass mark"), default=60)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+",
        verbose_name=_("saved by"),
    )
    created_at = models.DateTimeField(_("saved at"), auto_now_add=True)

    class Meta:
        verbose_name = _("plan revision")
        verbose_name_plural = _("plan revisions")
        ordering = ["cycle", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["cycle", "number"], name="revision_unique_number"),
            models.CheckConstraint(
                condition=Q(own_share_den__gt=0) & Q(own_share_num__lte=models.F("own_share_den")),
                name="revision_own_share_valid",
            ),
        ]

    def __str__(self):
        return _("Revision %(n)d") % {"n": self.number}


class PlanSchool(models.Model):
    """A revision's structured part for one school: posts it may set, recruitment step."""

    revision = models.ForeignKey(PlanRevision, on_delete=models.CASCADE, related_name="schools",
                                 verbose_name=_("revision"))
    school = models.ForeignKey(School, on_delete=models.PROTECT, related_name="+",
                               verbose_name=_("school"))
    post_count = models.PositiveIntegerField(_("posts it may set"))
    # Two-step staffing: the centres (and the office) recruit township-wide first.
    first_step = models.BooleanField(_("recruits township-wide first"), default=False)

    class Meta:
        verbose_name = _("school in the plan")
        verbose_name_plural = _("schools in the plan")
        ordering = ["revision", "-first_step", "school__name"]
        constraints = [
            models.UniqueConstraint(fields=["revision", "school"], name="plan_school_unique")
        ]

    def __str__(self):
        return f"{self.school}: {self.post_count}"


class ReviewComment(models.Model):
    """Phase 2: a principal's comment on one section of a draft, and the office's answer."""

    class Status(models.TextChoices):
        PENDING = "pending", _("awaiting an answer")
        ADOPTED = "adopted", _("adopted")
        NOT_ADOPTED = "not_adopted", _("not adopted")

    revision = models.ForeignKey(PlanRevision, on_delete=models.CASCADE, related_name="comments",
                                 verbose_name=_("revision"))
    section = models.PositiveSmallIntegerField(_("section"))
    section_title = models.CharField(_("section title"), max_length=200)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
        verbose_name=_("author"),
    )
    school = models.ForeignKey(School, on_delete=models.PROTECT, null=True, related_name="+",
                               verbose_name=_("school"))
    body = models.TextField(_("comment"))
    created_at = models.DateTimeField(_("written at"), auto_now_add=True)
    status = models.CharField(
        _("answer"), max_length=12, choices=Status.choices, default=Status.PENDING
    )
    reason = models.TextField(_("reason"), blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
        related_name="+", verbose_name=_("answered by"),
    )
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("review comment")
        verbose_name_plural = _("review comments")
        ordering = ["revision", "section", "created_at"]

    def __str__(self):
        return f"{self.section_title}: {self.body[:30]}"


class OpinionReport(models.Model):
    """Phase 3: a principal hands their school's staff opinions to the office at once."""

    cycle = models.ForeignKey(Cycle, on_delete=models.CASCADE, related_name="opinion_reports",
                              verbose_name=_("cycle"))
    school = models.ForeignKey(School, on_delete=models.PROTECT, related_name="+",
                               verbose_name=_("school"))
    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
        verbose_name=_("reported by"),
    )
    reported_at = models.DateTimeField(_("reported at"), auto_now_add=True)
    count = models.PositiveIntegerField(_("opinions"))

    class Meta:
        verbose_name = _("opinion report")
        verbose_name_plural = _("opinion reports")
        ordering = ["-reported_at"]

    def __str__(self):
        return f"{self.school} · {self.reported_at:%Y-%m-%d}"


class StaffOpinion(models.Model):
    """Phase 3: a staff member's opinion on the draft and what became of it."""

    class Status(models.TextChoices):
        PENDING = "pending", _("not yet decided")
        ADOPTED = "adopted", _("adopted")
        DECLINED = "declined", _("declined")

    cycle = models.ForeignKey(Cycle, on_delete=models.CASCADE, related_name="opinions",
                              verbose_name=_("cycle"))
    revision = models.ForeignKey(PlanRevision, on_delete=models.PROTECT, related_name="opinions",
                                 verbose_name=_("revision"))
    staff = models.ForeignKey(Staff, on_delete=models.PROTECT, related_name="opinions",
                              verbose_name=_("staff member"))
    school = models.ForeignKey(School, on_delete=models.PROTECT, related_name="+",
                               verbose_name=_("school"))
    body = models.TextField(_("opinion"))
    created_at = models.DateTimeField(_("sent at"), auto_now_add=True)
    report = models.ForeignKey(
        OpinionReport, on_delete=models.PROTECT, null=True, blank=True, related_name="opinions",
        verbose_name=_("opinion report"),
    )
    status = models.CharField(
        _("decision"), max_length=12, choices=Status.choices, default=Status.PENDING
    )
    reason = models.TextField(_("reason"), blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
        related_name="+", verbose_name=_("decided by"),
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("staff opinion")
        verbose_name_plural = _("staff opinions")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["cycle", "school", "report"])]

    def __str__(self):
        return f"{self.staff}: {self.body[:30]}"


class Representative(models.Model):
    """Phase 4: a staff-congress representative (教代会代表) named for this cycle."""

    cycle = models.ForeignKey(Cycle, on_delete=models.CASCADE, related_name="representatives",
                              verbose_name=_("cycle"))
    staff = models.ForeignKey(Staff, on_delete=models.PROTECT, related_name="+",
                              verbose_name=_("staff member"))
    named_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                 related_name="+", verbose_name=_("named by"))
    named_at = models.DateTimeField(_("named at"), auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("representative")
        verbose_name_plural = _("representatives")
        ordering = ["staff__school__name", "staff__name"]
        constraints = [
            models.UniqueConstraint(fields=["cycle", "staff"], name="representative_unique")
        ]

    def __str__(self):
        return str(self.staff)


class Vote(models.Model):
    """Phase 4: one congress vote on one revision; a rejected plan may be voted again."""

    class Result(models.TextChoices):
        ADOPTED = "adopted", pgettext_lazy("plan", "adopted")
        REJECTED = "rejected", pgettext_lazy("plan", "rejected")

    cycle = models.ForeignKey(Cycle, on_delete=models.CASCADE, related_name="votes",
                              verbose_name=_("cycle"))
    revision = models.ForeignKey(PlanRevision, on_delete=models.PROTECT, related_name="votes",
                                 verbose_name=_("revision"))
    opened_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                  related_name="+", verbose_name=_("opened by"))
    opened_at = models.DateTimeField(_("opened at"), auto_now_add=True)
    closed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                  null=True, blank=True, related_name="+",
                                  verbose_name=_("closed by"))
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    # Counted when the vote closes, so the result stays as announced.
    representatives = models.PositiveIntegerField(_("representatives counted"), default=0)
    votes_for = models.PositiveIntegerField(_("votes for"), default=0)
    votes_against = models.PositiveIntegerField(_("votes against"), default=0)
    abstentions = models.PositiveIntegerField(_("abstentions"), default=0)
    result = models.CharField(_("result"), max_length=10, choices=Result.choices, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("congress vote")
        verbose_name_plural = _("congress votes")
        ordering = ["-opened_at"]
        constraints = [
            # At most one vote open per cycle at a time.
            models.UniqueConstraint(
                fields=["cycle"], condition=Q(closed_at__isnull=True), name="vote_one_open"
            ),
        ]

    def __str__(self):
        return f"{self.cycle} · {self.revision}"

    @property
    def turnout(self) -> int:
        return self.votes_for + self.votes_against + self.abstentions


class Ballot(models.Model):
    """One representative's vote. The database refuses a second ballot in one vote."""

    class Choice(models.TextChoices):
        FOR = "for", _("for")
        AGAINST = "against", _("against")
        ABSTAIN = "abstain", _("abstain")

    vote = models.ForeignKey(Vote, on_delete=models.CASCADE, related_name="ballots",
                             verbose_name=_("congress vote"))
    representative = models.ForeignKey(
        Representative, on_delete=models.PROTECT, related_name="ballots",
        verbose_name=_("representative"),
    )
    choice = models.CharField(_("vote"), max_length=8, choices=Choice.choices)
    cast_at = models.DateTimeField(_("cast at"), auto_now_add=True)

    class Meta:
        verbose_name = _("ballot")
        verbose_name_plural = _("ballots")
        constraints = [
            models.UniqueConstraint(fields=["vote", "representative"], name="ballot_once")
        ]

    def __str__(self):
        return f"{self.representative} · {self.get_choice_display()}"


# --- Step 2: posts, intentions, selection, allocation (phases 5–7) ----------------------


class PostKind(models.TextChoices):
    TEACHING = "teaching", _("teaching post")  # 教学岗
    AUXILIARY = "auxiliary", _("auxiliary post")  # 辅助岗
    LEADERSHIP = "leadership", _("leadership vacancy")  # R4: opened township-wide


class Post(models.Model):
    """A numbered post (岗位序号) a school sets for the cycle (R1)."""

    cycle = models.ForeignKey(Cycle, on_delete=models.CASCADE, related_name="posts",
                              verbose_name=_("cycle"))
    school = models.ForeignKey(School, on_delete=models.PROTECT, related_name="posts",
                               verbose_name=_("school"))
    number = models.PositiveIntegerField(_("post number"))
    kind = models.CharField(_("kind"), max_length=10, choices=PostKind.choices)
    grade_class = models.CharField(_("grade / class"), max_length=50, blank=True)  # 年级班级
    subject = models.CharField(_("subject"), max_length=30, blank=True)
    weekly_lessons = models.PositiveSmallIntegerField(_("lessons a week"), default=0)
    duties = models.TextField(_("duties"), blank=True)  # 职责
    conditions = models.TextField(_("conditions"), blank=True)  # 任职条件
    seats = models.PositiveSmallIntegerField(_("seats"), default=1)
    # A vacancy opened township-wide (R4: a vice principal removed after assessment).
    township_wide = models.BooleanField(_("open to the whole township"), default=False)
    published_at = models.DateTimeField(_("published"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("post")
        verbose_name_plural = _("posts")
        ordering = ["school__name", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["cycle", "school", "number"], name="post_number_unique"
            ),
            models.CheckConstraint(condition=Q(seats__gte=1), name="post_has_a_seat"),
        ]

    def __str__(self):
        return f"{self.school} #{self.number} {self.subject or self.duties[:20]}"


class Intention(models.Model):
    """A staff member's post-intention form (岗位意向书) in a cycle (R2)."""

    cycle = models.ForeignKey(Cycle, on_delete=models.CASCADE, related_name="intentions",
                              verbose_name=_("cycle"))
    staff = models.ForeignKey(Staff, on_delete=models.PROTECT, related_name="intentions",
                              verbose_name=_("staff member"))
    # R2: a teaching post of at least the plan's weekly lessons makes teaching staff;
    # auxiliary posts only (or too few lessons) make support staff (教辅人员).
    support_staff = models.BooleanField(_("support staff"), default=False)
    # What was chosen, as text, so the history shows every change of mind.
    summary = models.TextField(_("choices"), blank=True)
    submitted_at = models.DateTimeField(_("submitted"), auto_now=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("intention")
        verbose_name_plural = _("intentions")
        constraints = [
            models.UniqueConstraint(fields=["cycle", "staff"], name="intention_once_per_cycle")
        ]

    def __str__(self):
        return f"{self.staff} · {self.cycle}"


class Application(models.Model):
    """One ranked choice of an intention: at one school, one teaching post (or none)
    plus one or more auxiliary posts ("1+X")."""

    intention = models.ForeignKey(Intention, on_delete=models.CASCADE,
                                  related_name="applications", verbose_name=_("intention"))
    rank = models.PositiveSmallIntegerField(_("rank"))
    school = models.ForeignKey(School, on_delete=models.PROTECT, related_name="+",
                               verbose_name=_("school"))
    teaching_post = models.ForeignKey(Post, on_delete=models.PROTECT, null=True, blank=True,
                                      related_name="+", verbose_name=_("teaching post"))
    auxiliary_posts = models.ManyToManyField(Post, related_name="+",
                                             verbose_name=_("auxiliary posts"))

    class Meta:
        verbose_name = _("application")
        verbose_name_plural = _("applications")
        ordering = ["intention", "rank"]
        constraints = [
            models.UniqueConstraint(fields=["intention", "rank"], name="application_rank"),
            models.UniqueConstraint(fields=["intention", "school"], name="application_school"),
        ]

    def __str__(self):
        return f"{self.intention.staff} #{self.rank} {self.school}"


class CommitteeRole(models.TextChoices):
    LIAISON = "liaison", _("school liaison")
    PRINCIPAL = "principal", _("principal")
    SECRETARY = "secretary", _("party secretary")
    BACKBONE = "backbone", _("backbone teacher")


class CommitteeMember(models.Model):
    """A member of a school's hiring committee (聘任委员会) for the cycle."""

    cycle = models.ForeignKey(Cycle, on_delete=models.CASCADE, related_name="committee_members",
                              verbose_name=_("cycle"))
    school = models.ForeignKey(School, on_delete=models.PROTECT, related_name="+",
                               verbose_name=_("school"))
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                             related_name="+", verbose_name=_("member"))
    role = models.CharField(_("role"), max_length=12, choices=CommitteeRole.choices)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("committee member")
        verbose_name_plural = _("committee members")
        constraints = [
            models.UniqueConstraint(fields=["cycle", "school", "user"], name="committee_once")
        ]

    def __str__(self):
        return f"{self.school} · {self.user} · {self.get_role_display()}"


class Decision(models.TextChoices):
    PENDING = "pending", _("not yet decided")
    HIRE = "hire", _("hire")
    NOT_HIRE = "not_hire", _("not hire")


class Ranking(models.Model):
    """The committee's rank of one applicant for one post, and its decision."""

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="rankings",
                             verbose_name=_("post"))
    staff = models.ForeignKey(Staff, on_delete=models.PROTECT, related_name="+",
                              verbose_name=_("staff member"))
    rank = models.PositiveSmallIntegerField(_("rank"), null=True, blank=True)
    decision = models.CharField(_("decision"), max_length=10, choices=Decision.choices,
                                default=Decision.PENDING)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                   null=True, blank=True, related_name="+",
                                   verbose_name=_("decided by"))
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("committee ranking")
        verbose_name_plural = _("committee rankings")
        ordering = ["post", "rank"]
        constraints = [
            models.UniqueConstraint(fields=["post", "staff"], name="ranking_once"),
        ]

    def __str__(self):
        return f"{self.post} · {self.staff} · {self.rank}"


class HireSource(models.TextChoices):
    SELECTION = "selection", _("selected by the school")
    ALLOCATION = "allocation", _("allocated by the office")
    DISPATCH = "dispatch", _("paired at the dispatch meeting")
    TRAINING = "training", _("assigned after training")


class Hire(models.Model):
    """Joins one staff member to one post in one cycle: the database refuses a second."""

    cycle = models.ForeignKey(Cycle, on_delete=models.CASCADE, related_name="hires",
                              verbose_name=_("cycle"))
    staff = models.ForeignKey(Staff, on_delete=models.PROTECT, related_name="hires",
                              verbose_name=_("staff member"))
    post = models.ForeignKey(Post, on_delete=models.PROTECT, related_name="hires",
                             verbose_name=_("post"))
    extra_posts = models.ManyToManyField(Post, blank=True, related_name="extra_hires",
                                         verbose_name=_("auxiliary duties"))
    source = models.CharField(_("how"), max_length=12, choices=HireSource.choices)
    confirmed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                     null=True, related_name="+", verbose_name=_("confirmed by"))
    confirmed_at = models.DateTimeField(_("confirmed at"), auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("hire")
        verbose_name_plural = _("hires")
        constraints = [
            models.UniqueConstraint(fields=["cycle", "staff"], name="hire_once_per_cycle"),
        ]

    def __str__(self):
        return f"{self.staff} → {self.post}"


class CadreProposal(models.Model):
    """A middle-level cadre (中层干部) proposed by a school's committee, approved by the
    office (R3: only someone hired to a basic post there)."""

    class Status(models.TextChoices):
        PROPOSED = "proposed", _("awaiting the office")
        APPROVED = "approved", _("approved")
        REJECTED = "rejected", _("not approved")

    cycle = models.ForeignKey(Cycle, on_delete=models.CASCADE, related_name="cadre_proposals",
                              verbose_name=_("cycle"))
    school = models.ForeignKey(School, on_delete=models.PROTECT, related_name="+",
                               verbose_name=_("school"))
    staff = models.ForeignKey(Staff, on_delete=models.PROTECT, related_name="+",
                              verbose_name=_("staff member"))
    title = models.CharField(_("position"), max_length=30)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices,
                              default=Status.PROPOSED)
    proposed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                    related_name="+", verbose_name=_("proposed by"))
    proposed_at = models.DateTimeField(_("proposed at"), auto_now_add=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                   null=True, blank=True, related_name="+",
                                   verbose_name=_("decided by"))
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("cadre proposal")
        verbose_name_plural = _("cadre proposals")
        constraints = [
            models.UniqueConstraint(fields=["cycle", "staff"],
                                    condition=~Q(status="rejected"), name="cadre_once"),
        ]

    def __str__(self):
        return f"{self.school} · {self.staff} · {self.title}"


class ViceAssessment(models.Model):
    """R4: a vice principal's assessment after a full three-year term."""

    class Result(models.TextChoices):
        KEEP = "keep", _("passed: stays one more year")
        REMOVE = "remove", _("failed or unfit: removed")

    cycle = models.ForeignKey(Cycle, on_delete=models.CASCADE, related_name="vice_assessments",
                              verbose_name=_("cycle"))
    position = models.ForeignKey("schools.Position", on_delete=models.PROTECT, related_name="+",
                                 verbose_name=_("leadership position"))
    result = models.CharField(_("result"), max_length=8, choices=Result.choices)
    reason = models.TextField(_("reason"), blank=True)
    assessed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                    related_name="+", verbose_name=_("assessed by"))
    assessed_at = models.DateTimeField(_("assessed at"), auto_now_add=True)
    vacancy = models.ForeignKey(Post, on_delete=models.PROTECT, null=True, blank=True,
                                related_name="+", verbose_name=_("vacancy opened"))

    class Meta:
        verbose_name = _("vice-principal assessment")
        verbose_name_plural = _("vice-principal assessments")
        constraints = [
            models.UniqueConstraint(fields=["cycle", "position"], name="vice_assessed_once"),
        ]

    def __str__(self):
        return f"{self.position} · {self.get_result_display()}"


class AllocationRun(models.Model):
    """One run of the allocation engine by the office: its input and what it proposed."""

    cycle = models.ForeignKey(Cycle, on_delete=models.CASCADE, related_name="allocation_runs",
                              verbose_name=_("cycle"))
    own_staff_first = models.BooleanField(_("own staff first"))
    input = models.JSONField(_("engine input"))
    result = models.JSONField(_("engine result"))
    run_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                               related_name="+", verbose_name=_("run by"))
    run_at = models.DateTimeField(_("run at"), auto_now_add=True)

    class Meta:
        verbose_name = _("allocation run")
        verbose_name_plural = _("allocation runs")
        ordering = ["-run_at"]

    def __str__(self):
        return f"{self.cycle} · {self.run_at:%Y-%m-%d %H:%M}"


class Proposal(models.Model):
    """The office proposes a staff member for a post (allocation or dispatch); the
    school confirms or declines (R6: the school keeps the last word)."""

    class Status(models.TextChoices):
        PROPOSED = "proposed", _("awaiting the school")
        CONFIRMED = "confirmed", _("confirmed")
        DECLINED = "declined", _("declined")

    cycle = models.ForeignKey(Cycle, on_delete=models.CASCADE, related_name="proposals",
                              verbose_name=_("cycle"))
    run = models.ForeignKey(AllocationRun, on_delete=models.CASCADE, null=True, blank=True,
                            related_name="proposals", verbose_name=_("allocation run"))
    source = models.CharField(_("proposed through"), max_length=12, choices=HireSource.choices)
    staff = models.ForeignKey(Staff, on_delete=models.PROTECT, related_name="+",
                              verbose_name=_("staff member"))
    post = models.ForeignKey(Post, on_delete=models.PROTECT, related_name="proposals",
                             verbose_name=_("post"))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices,
                              default=Status.PROPOSED)
    proposed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                    related_name="+", verbose_name=_("proposed by"))
    proposed_at = models.DateTimeField(_("proposed at"), auto_now_add=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                   null=True, blank=True, related_name="+",
                                   verbose_name=_("decided by"))
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    reason = models.TextField(_("reason"), blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("proposal")
        verbose_name_plural = _("proposals")
        constraints = [
            models.UniqueConstraint(fields=["cycle", "staff"],
                                    condition=Q(status="proposed"), name="proposal_one_open"),
        ]

    def __str__(self):
        return f"{self.staff} → {self.post} ({self.get_status_display()})"


class TrainingEnrolment(models.Model):
    """R7: an unhired staff member in the teaching-research office's training class."""

    cycle = models.ForeignKey(Cycle, on_delete=models.CASCADE, related_name="trainees",
                              verbose_name=_("cycle"))
    staff = models.ForeignKey(Staff, on_delete=models.PROTECT, related_name="+",
                              verbose_name=_("staff member"))
    enrolled_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                    related_name="+", verbose_name=_("enrolled by"))
    enrolled_at = models.DateTimeField(_("enrolled at"), auto_now_add=True)
    score = models.PositiveSmallIntegerField(_("test score"), null=True, blank=True)
    scored_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                  null=True, blank=True, related_name="+",
                                  verbose_name=_("scored by"))
    scored_at = models.DateTimeField(_("scored at"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("training enrolment")
        verbose_name_plural = _("training enrolments")
        constraints = [
            models.UniqueConstraint(fields=["cycle", "staff"], name="trainee_once"),
        ]

    def __str__(self):
        return f"{self.staff} · {self.score}"


class UnhiredReason(models.Model):
    """R7: why someone unhired needs no post this cycle (retiring, long sick leave, …)."""

    cycle = models.ForeignKey(Cycle, on_delete=models.CASCADE, related_name="unhired_reasons",
                              verbose_name=_("cycle"))
    staff = models.ForeignKey(Staff, on_delete=models.PROTECT, related_name="+",
                              verbose_name=_("staff member"))
    reason = models.CharField(_("reason"), max_length=200)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                    related_name="+", verbose_name=_("recorded by"))
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("explained status")
        verbose_name_plural = _("explained statuses")
        constraints = [
            models.UniqueConstraint(fields=["cycle", "staff"], name="unhired_reason_once"),
        ]

    def __str__(self):
        return f"{self.staff}: {self.reason}"
