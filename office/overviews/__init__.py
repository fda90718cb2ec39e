"""Overview pages that gather several apps: programme and batch overviews, later the
dashboard and the participant profile."""
