"""Pages of the cohorts app, one module per subject."""
