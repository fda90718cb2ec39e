"""Official documents that gather several apps: the departure-ceremony pack, and the
registry of document kinds the background jobs render."""
