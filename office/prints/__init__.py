"""Prints: the official documents the office generates from several apps' data (the
departure-ceremony pack, certificates, the programme report), the registry of the kinds the
background jobs render, and the jobs page that lists them. Uploaded papers are
``participants``' documents; these are made here."""
