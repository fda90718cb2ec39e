"""Personal-data duties (UU 27/2022) that gather several apps: the data-access archive,
retention (anonymisation) and backups. See docs/privacy.md."""
