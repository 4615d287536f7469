"""The pure core of R9 (shared/spec/exam-scores.md): from class results to awards, with no ORM."""
