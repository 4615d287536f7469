"""evaluation's models, one module per part:

- ``exams``: exams, their class results and the county averages (shared/spec/exam-scores.md);
  the awards that follow (R9) and the further grounds for the standard award.
- ``ballots``: rounds of duty reports and democratic evaluation, kept secret.
- ``letters``: target-responsibility letters (R10).
- ``recommendations``: recommendation lists with a quota and an award threshold.
- ``researchers``: part-time researchers (R11).
- ``titles``: the county's title evaluation (R12): year, table, quotas, candidates, scores,
  acknowledgements, shared by the title parts; each title part adds its own module.

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
from .recommendations import (
    Candidate,
    CandidateStatus,
    ListKind,
    RecommendationList,
    RequiredAward,
)
from .researchers import ResearchApplication, ResearchRound
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
    "TitleTable",
    "TitleYear",
    "YearState",
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
