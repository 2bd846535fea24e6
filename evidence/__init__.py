"""What partners send and what we learn from it: submissions, answers, attachments, intake,
theme tagging, tag review and analysis. Depends on ``consultations`` only."""
