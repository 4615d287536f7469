"""Forms of exam results and teaching-quality awards (质量积分制, R9,
shared/spec/exam-scores.md)."""
