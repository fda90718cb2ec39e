"""The office's pages and documents that gather several apps: the overviews (dashboard,
programme and batch overviews, participant profile), the official documents (ceremony pack,
certificates, programme report) and the jobs that make them, the daily reminders and the
personal-data duties (retention, data access, backups). It has no models of its own and sits
above every app: it imports them, none imports it."""
