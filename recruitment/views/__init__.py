"""Pages of the selection, one module per subject: calls, the committee, applications,
scores and results."""
