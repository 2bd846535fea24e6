"""What partners send and what we learn from it: submissions, answers, attachments, intake,
theme tagging, tag review and analysis. Depends on ``consultations`` only."""

# Answers are kept through edits of their question from the moment any of this package is
# imported: consultations.questions cannot import it, so it lends the way in.
from evidence import question_answers as _question_answers  # noqa: F401
