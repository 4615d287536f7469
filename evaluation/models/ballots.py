"""Duty reports (述职) and democratic evaluation (民主测评), kept secret by design.

- ``BallotRound``: a round of a township's school-level leaders (the office's) or of one
  school's middle cadres and teachers (its principal's), in one term.
- ``Assessee``: a person assessed in a round, with their duty report and the
  work-assessment score (考核分) the organiser enters.
- ``BallotInvitation``: who may vote (staff logins, bureau guests).
- ``BallotParticipation``: WHO VOTED — (round, voter), nothing else: no timestamp.
- ``BallotTally``: THE CHOICES, only as counts per (round, person, rating), created at
  zero for every person and rating when the round opens and incremented in place. No
  voter, no participation, no time, no history: nothing joins a choice to a voter
  (docs/decisions.md, "Issue 12: ballots").
- ``BallotWeights``: a township's weights of evaluation and assessment in the composite.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from schools.models import School, Staff, Township


class Rating(models.TextChoices):
    """The four ratings of a democratic evaluation."""

    EXCELLENT = "excellent", _("excellent")  # 优秀
    COMPETENT = "competent", _("competent")  # 称职
    BASIC = "basic", _("basically competent")  # 基本称职
    INCOMPETENT = "incompetent", _("incompetent")  # 不称职


class RoundState(models.TextChoices):
    DRAFT = "draft", _("being prepared")
    OPEN = "open", _("open for voting")
    CLOSED = "closed", _("closed")


class Term(models.IntegerChoices):
    FIRST = 1, _("first term")  # 第一学期
    SECOND = 2, _("second term")  # 第二学期


class BallotRound(models.Model):
    """A round of duty reports and democratic evaluation. ``school`` empty: the office's
    round of the township's school-level leaders; set: that school's round."""

    township = models.ForeignKey(Township, on_delete=models.PROTECT, related_name="ballot_rounds",
                                 verbose_name=_("township"))
    school = models.ForeignKey(School, on_delete=models.PROTECT, null=True, blank=True,
                               related_name="ballot_rounds", verbose_name=_("school"))
    title = models.CharField(_("title"), max_length=100)
    school_year = models.PositiveSmallIntegerField(_("school year"))
    term = models.PositiveSmallIntegerField(_("term"), choices=Term.choices)
    state = models.CharField(_("state"), max_length=10, choices=RoundState.choices,
                             default=RoundState.DRAFT)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                   related_name="+", verbose_name=_("created by"))
    opened_at = models.DateTimeField(_("opened at"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("evaluation round")
        verbose_name_plural = _("evaluation rounds")
        ordering = ["-school_year", "-term", "school_id", "-pk"]

    def __str__(self):
        return self.title

    @property
    def is_leaders(self) -> bool:
        return self.school_id is None


class Assessee(models.Model):
    """A person assessed in a round: their duty report (written or uploaded) and their
    work-assessment score (考核分, 0–100) for the composite rating."""

    round = models.ForeignKey(BallotRound, on_delete=models.CASCADE, related_name="assessees",
                              verbose_name=_("evaluation round"))
    staff = models.ForeignKey(Staff, on_delete=models.PROTECT, related_name="assessments",
                              verbose_name=_("staff member"))
    position = models.CharField(_("position"), max_length=30, blank=True)
    report_text = models.TextField(_("duty report"), blank=True)
    report_file = models.FileField(_("duty report file"), upload_to="ballots/reports/%Y/",
                                   blank=True)
    report_name = models.CharField(_("file name"), max_length=255, blank=True)
    report_at = models.DateTimeField(_("report written at"), null=True, blank=True)
    assessment_score = models.DecimalField(_("work-assessment score"), max_digits=5,
                                           decimal_places=2, null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("person assessed")
        verbose_name_plural = _("people assessed")
        ordering = ["staff__school_id", "staff__name", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["round", "staff"], name="assessee_once_per_round"),
            models.CheckConstraint(
                condition=Q(assessment_score__isnull=True)
                | Q(assessment_score__gte=0, assessment_score__lte=100),
                name="assessee_score_0_100"),
        ]

    def __str__(self):
        return f"{self.round} · {self.staff.name}"

    @property
    def has_report(self) -> bool:
        return bool(self.report_text.strip() or self.report_file)


class BallotInvitation(models.Model):
    """A login invited to vote in a round: a staff member's or a bureau guest's."""

    round = models.ForeignKey(BallotRound, on_delete=models.CASCADE, related_name="invitations",
                              verbose_name=_("evaluation round"))
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                             related_name="ballot_invitations", verbose_name=_("voter"))
    guest = models.BooleanField(_("guest voter"), default=False)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("voter invited")
        verbose_name_plural = _("voters invited")
        constraints = [
            models.UniqueConstraint(fields=["round", "user"], name="ballot_invited_once"),
        ]

    def __str__(self):
        return f"{self.round} · {self.user.get_username()}"


class BallotParticipation(models.Model):
    """Who voted: one row per (round, voter), the database refuses a second. No time
    is kept, and nothing here points at a choice."""

    round = models.ForeignKey(BallotRound, on_delete=models.CASCADE,
                              related_name="participations",
                              verbose_name=_("evaluation round"))
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                             related_name="ballot_participations", verbose_name=_("voter"))

    class Meta:
        verbose_name = _("participation")
        verbose_name_plural = _("participations")
        constraints = [
            models.UniqueConstraint(fields=["round", "user"], name="ballot_votes_once"),
        ]

    def __str__(self):
        return f"{self.round} · {self.user.get_username()}"


class BallotTally(models.Model):
    """The choices, only as a count per (round, person assessed, rating). The rows are
    created at zero when the round opens, so their ids follow the people and ratings,
    never the order of the votes; a vote adds one to a count in place."""

    round = models.ForeignKey(BallotRound, on_delete=models.CASCADE, related_name="tallies",
                              verbose_name=_("evaluation round"))
    assessee = models.ForeignKey(Assessee, on_delete=models.CASCADE, related_name="tallies",
                                 verbose_name=_("person assessed"))
    rating = models.CharField(_("rating"), max_length=12, choices=Rating.choices)
    count = models.PositiveIntegerField(_("votes"), default=0)

    class Meta:
        verbose_name = _("tally")
        verbose_name_plural = _("tallies")
        constraints = [
            models.UniqueConstraint(fields=["round", "assessee", "rating"],
                                    name="ballot_tally_one_per_rating"),
            models.CheckConstraint(condition=Q(count__gte=0), name="ballot_tally_count_positive"),
            models.CheckConstraint(condition=Q(count__lte=1_000_000),
                                   name="ballot_tally_count_bounded"),
        ]

    def __str__(self):
        return f"{self.assessee} · {self.get_rating_display()}"


class BallotWeights(models.Model):
    """A township's weights in the composite rating: evaluation + assessment = 100."""

    township = models.OneToOneField(Township, on_delete=models.CASCADE,
                                    related_name="ballot_weights", verbose_name=_("township"))
    evaluation = models.PositiveSmallIntegerField(_("weight of the evaluation (%)"), default=40)
    assessment = models.PositiveSmallIntegerField(_("weight of the assessment (%)"), default=60)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("composite weights")
        verbose_name_plural = _("composite weights")
        constraints = [
            models.CheckConstraint(condition=Q(evaluation__lte=100) & Q(assessment__lte=100)
                                   & Q(evaluation=100 - F("assessment")),
                                   name="ballot_weights_sum_100"),
        ]

    def __str__(self):
        return f"{self.township} {self.evaluation}/{self.assessment}"
