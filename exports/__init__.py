"""The regional response: draft assembly, editing and versions, board review, Word and Excel
output. Depends on ``consultations`` and ``evidence``."""
