"""evaluation's models, one module per part:

- ``exams``: exams, their class results and the county averages (shared/spec/exam-scores.md);
  the awards that follow (R9) and the further grounds for the standard award.
- ``ballots``: rounds of duty reports and democratic evaluation, kept secret.
- ``letters``: target-responsibility letters (R10).
- ``recommendations``: recommendation lists with a quota and an award threshold.
- ``researchers``: part-time researchers (R11).
- ``titles``: the county's title evaluation (R12): year, table, quotas, candidates, scores,
  acknowledgements, shared by the title parts; each title part adds its own module.
- ``qualifications``: teacher-qualification certification (R13): applications and their
  three checks.
- ``title_years``: the county office's year around the table: ratios, extra quotas, policy
  documents, published materials and results, public objections, the final decision.
- ``title_review``: the public scoring's objections and the changes their answers made;
  the exceptional (破格) candidates' review by the county committee.

Each part adds its module here; other code imports from ``evaluation.models``.
"""

from .ballots import (
    Assessee,
    BallotInvitation,
    BallotParticipation,
    BallotRound,
    BallotTally,
    BallotWeights,
    Rating,
    RoundState,
    Term,
)
from .exams import (
    Award,
    AwardKind,
    CountyAverage,
    Exam,
    ExamImport,
    ExamLevel,
    ExamResult,
    ExamSettings,
    GroundKind,
    OtherGround,
)
from .letters import (
    Letter,
    LetterOutcome,
    LetterState,
    LetterTemplate,
    OutcomeResult,
    Resignation,
    Tier,
    VetoTriggered,
)
from .qualifications import (
    CertificateKind,
    QualificationApplication,
    QualificationCheck,
    QualificationIdView,
    QualificationImport,
    QualificationState,
    QualificationStep,
)
from .recommendations import (
    Candidate,
    CandidateStatus,
    ListKind,
    RecommendationList,
    RequiredAward,
)
from .researchers import ResearchApplication, ResearchRound
from .title_candidates import TitleScoreImport
from .title_review import (
    ExceptionalReview,
    ObjectionState,
    ReviewOutcome,
    ReviewStep,
    TitleObjection,
    TitleScoreChange,
)
from .title_years import (
    TitleDocument,
    TitleExtraAllocation,
    TitleExtraQuota,
    TitleFinalDecision,
    TitlePublication,
    TitlePublicObjection,
    TitleRatio,
    TitleSummary,
    TitleTableImport,
)
from .titles import (
    CandidateState,
    TieDecision,
    TitleAcknowledgement,
    TitleCandidate,
    TitleItem,
    TitleLevel,
    TitleQuota,
    TitleScore,
    TitleTable,
    TitleYear,
    YearState,
)

__all__ = [
    "Assessee",
    "BallotInvitation",
    "BallotParticipation",
    "BallotRound",
    "BallotTally",
    "BallotWeights",
    "Rating",
    "RoundState",
    "Term",
    "Award",
    "AwardKind",
    "CountyAverage",
    "Exam",
    "ExamImport",
    "ExamLevel",
    "ExamResult",
    "ExamSettings",
    "GroundKind",
    "OtherGround",
    "Candidate",
    "CandidateStatus",
    "ListKind",
    "RecommendationList",
    "RequiredAward",
    "ResearchApplication",
    "ResearchRound",
    "Letter",
    "LetterOutcome",
    "LetterState",
    "LetterTemplate",
    "OutcomeResult",
    "Resignation",
    "Tier",
    "VetoTriggered",
    "CandidateState",
    "TieDecision",
    "TitleAcknowledgement",
    "TitleCandidate",
    "TitleItem",
    "TitleLevel",
    "TitleQuota",
    "TitleScore",
    "TitleScoreImport",
    "TitleTable",
    "TitleYear",
    "YearState",
    "CertificateKind",
    "QualificationApplication",
    "QualificationCheck",
    "QualificationIdView",
    "QualificationImport",
    "QualificationState",
    "QualificationStep",
    "ExceptionalReview",
    "ObjectionState",
    "ReviewOutcome",
    "ReviewStep",
    "TitleObjection",
    "TitleScoreChange",
    "TitleDocument",
    "TitleExtraAllocation",
    "TitleExtraQuota",
    "TitleFinalDecision",
    "TitlePublication",
    "TitlePublicObjection",
    "TitleRatio",
    "TitleSummary",
    "TitleTableImport",
]
