"""Which data set the benchmarks use: ``BENCH_SCALE`` (``100k``, the default, or ``1m``) and
the database that keeps it between runs (``BENCH_DATABASE_URL``; by default a database of its
own per scale on the local server). Read before Django starts, so it imports nothing of it."""

from __future__ import annotations

import os
from dataclasses import dataclass


@dataclass(frozen=True)
class Scale:
    name: str
    programmes: int  # the organisation's programmes; coordinators are given the first
    batches: int  # batches in each programme
    per_batch: int  # participants in each batch
    sessions: int  # sessions each participant attends (one module per batch)
    database: str

    @property
    def participants(self) -> int:
        return self.programmes * self.batches * self.per_batch

    @property
    def attendance(self) -> int:
        return self.participants * self.sessions


SCALES = {
    # One city office: one programme of 400 batches of 250 people.
    "100k": Scale("100k", 1, 400, 250, 20, "delegation_bench"),
    # A national placement agency: 20 programmes of 200 batches of 250 people.
    "1m": Scale("1m", 20, 200, 250, 20, "delegation_bench_1m"),
}


def scale() -> Scale:
    name = os.environ.get("BENCH_SCALE", "100k").lower()
    if name not in SCALES:
        raise SystemExit(f"BENCH_SCALE is {name!r}; use one of: {', '.join(SCALES)}.")
    return SCALES[name]


SCALE = scale()
BENCH_URL = os.environ.get(
    "BENCH_DATABASE_URL", f"postgres://postgres@127.0.0.1:5432/{SCALE.database}"
)
