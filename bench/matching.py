"""Matching benchmark: ranking mentors for one woman, and a batch of proposals, on synthetic data.

A benchmark, not a test: it prints figures and exits 0 even when a target is missed.

    .venv/bin/python bench/matching.py
    .venv/bin/python bench/matching.py --mentors 4000 --mentees 1000 --seed 7

The data is shaped like a large organisation (14 need areas, 10 languages, 4 meeting modes,
21 weekly slots, 15 areas, 20 interests; mentors with 1-3 places, some already taken, about
10% not eligible; a few recorded relationships), built by `synthetic()` from a fixed seed, so
every run times the same problem. It times:

(a) ranking every mentor for one woman: score row, hard rules, top 20 with their reasons;
(b) a batch: proposals for the women waiting (scores, hard rules, choosing the women, solver);
(c) the solver alone (scipy's linear_sum_assignment) on the batch's prepared matrix;
(d) batches with fewer places than women (1,200 women and 400 mentors; 2,000 and 1,000),
    where the fairness rule decides who is left out: the longest waits that can be placed are
    chosen first, then the solver shares the places among them.

Targets: ranking under 50 ms median; batch under 500 ms median, (d) included.
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import sys
import time
from collections.abc import Callable
from importlib.metadata import version
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from scipy.optimize import linear_sum_assignment  # noqa: E402

from bench.machine import cores_line, cpu_model  # noqa: E402
from mentoring.matching.engine import (  # noqa: E402
    Effect,
    MenteeNeeds,
    MentorPool,
    PairConstraint,
    Vocabulary,
    Weights,
    assignment_problem,
    batch_assign,
    feasible,
    rank,
)

TARGET_RANK_MS = 50.0
TARGET_BATCH_MS = 500.0

VOCAB = Vocabulary(
    need_areas=[
        "housing",
        "homelessness",
        "domestic abuse",
        "sexual violence",
        "mental health",
        "substance use",
        "criminal justice",
        "debt and benefits",
        "children and social care",
        "immigration status",
        "physical health",
        "education and work",
        "isolation",
        "bereavement",
    ],
    languages=[
        "English",
        "Polish",
        "Urdu",
        "Punjabi",
        "Arabic",
        "Romanian",
        "Bengali",
        "Somali",
        "Portuguese",
        "Tigrinya",
    ],
    meeting_modes=["in person", "by phone", "by video", "walk and talk"],
    slots=[
        f"{day} {part}"
        for day in ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
        for part in ("morning", "afternoon", "evening")
    ],
    areas=[
        "Harbourside",
        "Old Town",
        "North Quay",
        "Millbrook",
        "St Anne's",
        "Westfield",
        "Castle Hill",
        "Riverside",
        "Eastgate",
        "Fairmead",
        "Longmoor",
        "Southcote",
        "Greenbank",
        "Ashby",
        "Kingsmere",
    ],
    interests=[
        "gardening",
        "cooking",
        "music",
        "walking",
        "reading",
        "crafts",
        "faith",
        "football",
        "art",
        "swimming",
        "films",
        "dance",
        "yoga",
        "volunteering",
        "photography",
        "knitting",
        "baking",
        "history",
        "animals",
        "languages",
    ],
)


def _some(
    rng: np.random.Generator, rows: int, cols: int, low: int, high: int, p: np.ndarray | None = None
) -> np.ndarray:
    """Each row gets between low and high columns, drawn with probabilities p (popular columns more often)."""
    table = np.zeros((rows, cols), dtype=bool)
    counts = rng.integers(low, high + 1, size=rows)
    for row, count in enumerate(counts):  # building the data is not what is timed
        table[row, rng.choice(cols, size=count, replace=False, p=p)] = True
    return table


def synthetic(
    n_mentees: int, n_mentors: int, seed: int
) -> tuple[MenteeNeeds, MentorPool, Vocabulary, list[PairConstraint]]:
    """A large organisation's matching problem, the same every time for the same seed."""
    rng = np.random.default_rng(seed)
    a, s, r, i = len(VOCAB.need_areas), len(VOCAB.slots), len(VOCAB.areas), len(VOCAB.interests)
    need_popularity = rng.dirichlet(np.full(a, 2.0))
    area_popularity = rng.dirichlet(np.full(r, 3.0))

    def languages(rows: int) -> np.ndarray:
        # Nearly everyone speaks English; about a fifth speak one of the other languages too.
        table = np.zeros((rows, len(VOCAB.languages)), dtype=bool)
        table[:, 0] = rng.random(rows) < 0.95
        other = rng.random(rows) < 0.2
        table[np.flatnonzero(other), rng.integers(1, len(VOCAB.languages), size=int(other.sum()))] = True
        table[~table.any(axis=1), 0] = True
        return table

    capacity = rng.integers(1, 4, size=n_mentors)
    pool = MentorPool(
        ids=np.arange(10_001, 10_001 + n_mentors, dtype=np.int64),
        lived=_some(rng, n_mentors, a, 1, 4, need_popularity),
        languages=languages(n_mentors),
        modes=_some(rng, n_mentors, 4, 1, 3),
        availability=_some(rng, n_mentors, s, 3, 9),
        areas=_some(rng, n_mentors, r, 1, 4, area_popularity),
        interests=_some(rng, n_mentors, i, 2, 5),
        capacity=capacity,
        taken=np.where(rng.random(n_mentors) < 0.6, rng.integers(0, capacity + 1), 0),
        eligible=rng.random(n_mentors) >= 0.1,
    )

    priority = _some(rng, n_mentees, a, 1, 3, need_popularity)
    mentee_languages = languages(n_mentees)
    # About one in twelve asks for a mentor who speaks a language other than English she speaks.
    required = np.full(n_mentees, -1, dtype=np.int64)
    for row in np.flatnonzero(rng.random(n_mentees) < 1 / 12):
        spoken = np.flatnonzero(mentee_languages[row, 1:]) + 1
        if spoken.size:
            required[row] = spoken[0]
    needs = MenteeNeeds(
        ids=np.arange(1, n_mentees + 1, dtype=np.int64),
        priority=priority,
        wanted=priority & (rng.random((n_mentees, a)) < 0.4),
        languages=mentee_languages,
        required_language=required,
        modes=_some(rng, n_mentees, 4, 1, 3),
        availability=_some(rng, n_mentees, s, 2, 8),
        areas=_some(rng, n_mentees, r, 1, 3, area_popularity),
        interests=_some(rng, n_mentees, i, 1, 5),
        waited_days=rng.integers(0, 365, size=n_mentees),
    )

    # About one woman in ten has a recorded relationship with a mentor; a third of them flag only.
    constraints = [
        PairConstraint(
            mentee=int(mentee),
            mentor=int(rng.integers(n_mentors)),
            effect=Effect.FLAG if rng.random() < 1 / 3 else Effect.EXCLUDE,
            label="Already know each other",
        )
        for mentee in rng.choice(n_mentees, size=n_mentees // 10, replace=False)
    ]
    return needs, pool, VOCAB, constraints


# --- figures ---


def percentile(samples: list[float], q: float) -> float:
    """Nearest-rank percentile."""
    ordered = sorted(samples)
    return ordered[max(0, int(np.ceil(q / 100 * len(ordered))) - 1)]


def timed(work: Callable[[int], object], repeats: int, warmup: int = 2) -> list[float]:
    """Milliseconds per call; `work` gets the repeat number (e.g. to pick a different woman)."""
    for number in range(warmup):
        work(number)
    samples = []
    for number in range(repeats):
        started = time.perf_counter()
        work(number)
        samples.append((time.perf_counter() - started) * 1000)
    return samples


def machine() -> list[str]:
    return [
        f"cpu:      {cpu_model()}",
        f"cores:    {cores_line()}",
        f"os:       {platform.platform()}",
        f"python:   {platform.python_version()}; numpy {version('numpy')}, scipy {version('scipy')}",
    ]


def line(label: str, samples: list[float], target: float | None) -> str:
    median, p90 = statistics.median(samples), percentile(samples, 90)
    result = "" if target is None else f"target < {target:g} ms: {'PASS' if median < target else 'MISS'}"
    return f"{label:44} {len(samples):>4} {median:9.1f} {p90:9.1f}  {result}"


def section(
    title: str,
    needs: MenteeNeeds,
    pool: MentorPool,
    vocab: Vocabulary,
    constraints: list[PairConstraint],
    weights: Weights,
    rank_repeats: int,
    batch_repeats: int,
) -> list[str]:
    """Time (a), (b) and (c) on one data set; print the figures; return the targets missed."""
    free = pool.free_places()
    print(f"\n{title}")
    print(
        f"data:     {len(needs):,} women waiting, {len(pool):,} mentors ({int(pool.eligible.sum()):,} eligible, "
        f"{int(free.sum()):,} free places), {len(constraints):,} recorded relationships"
    )

    women = np.linspace(0, len(needs) - 1, num=max(rank_repeats, 1), dtype=np.intp)
    ranking = timed(lambda n: rank(needs, int(women[n % len(women)]), pool, weights, vocab, constraints), rank_repeats)
    batch = timed(lambda n: batch_assign(needs, pool, weights, constraints), batch_repeats)
    problem = assignment_problem(needs, pool, weights, constraints)
    solver = timed(lambda n: linear_sum_assignment(problem.weight, maximize=True), batch_repeats)
    proposals = batch_assign(needs, pool, weights, constraints)

    print(
        f"batch:    solver matrix {problem.weight.shape[0]:,} women who can be matched x "
        f"{problem.weight.shape[1]:,} free places; {len(proposals):,} proposals"
    )
    print()
    header = f"{'timed':44} {'runs':>4} {'median ms':>9} {'p90 ms':>9}  result"
    print(header)
    print("-" * len(header))
    print(line(f"(a) rank {len(pool):,} mentors for one woman, top 20", ranking, TARGET_RANK_MS))
    print(line(f"(b) batch: {len(needs):,} women, {len(pool):,} mentors", batch, TARGET_BATCH_MS))
    print(line("(c) the solver alone (linear_sum_assignment)", solver, None))
    missed = []
    if statistics.median(ranking) >= TARGET_RANK_MS:
        missed.append(f"{title}: ranking")
    if statistics.median(batch) >= TARGET_BATCH_MS:
        missed.append(f"{title}: batch")
    return missed


def scarce_section(women: int, mentors: int, seed: int, repeats: int) -> list[str]:
    """(d): a batch where not every woman who could be matched gets a place; returns the target missed."""
    needs, pool, _, constraints = synthetic(women, mentors, seed)
    weights = Weights()
    could_be = int(feasible(needs, pool, constraints).any(axis=1).sum())
    problem = assignment_problem(needs, pool, weights, constraints)
    batch = timed(lambda n: batch_assign(needs, pool, weights, constraints), repeats, 1)
    solver = timed(lambda n: linear_sum_assignment(problem.weight, maximize=True), repeats, 1)
    print(
        f"\ndata:     {len(needs):,} women ({could_be:,} could be matched), {len(pool):,} mentors, "
        f"{int(pool.free_places().sum()):,} free places; {len(problem.women):,} placed; solver matrix "
        f"{problem.weight.shape[0]:,} x {problem.weight.shape[1]:,}"
    )
    header = f"{'timed':44} {'runs':>4} {'median ms':>9} {'p90 ms':>9}  result"
    print(f"\n{header}\n{'-' * len(header)}")
    print(line(f"(d) batch: {len(needs):,} women, {len(pool):,} mentors", batch, TARGET_BATCH_MS))
    print(line("    of which the solver", solver, None))
    if statistics.median(batch) >= TARGET_BATCH_MS:
        return [f"fewer places than women, {len(needs):,} women: batch"]
    return []


def database_section(rank_repeats: int, batch_repeats: int) -> list[str]:
    """The same timings through the real path: load from PostgreSQL (`seed_demo --size large`,
    in bench/pages.py's database), then rank or batch. Loading is part of what a coordinator waits for."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")
    url = os.environ.get("BENCH_DATABASE_URL") or "postgres://postgres@127.0.0.1:5432/alongside_bench"
    os.environ["DATABASE_URL"] = url
    import django

    django.setup()
    from django.db import OperationalError

    from mentoring.matching.loader import load
    from mentoring.models import Hub, Mentee, MenteeStatus, Mentor

    try:
        hub_ids = list(Hub.objects.filter(slug__startswith="bench-").values_list("pk", flat=True))
        mentors = Mentor.objects.filter(hub_id__in=hub_ids).count()
    except OperationalError as exc:
        print(f"\ndatabase: skipped ({exc.__class__.__name__}); run bench/pages.py once to seed it")
        return []
    if not mentors:
        print("\ndatabase: skipped: no benchmark mentors; run `manage.py seed_demo --size large` on it")
        return []
    waiting = list(
        Mentee.objects.filter(hub_id__in=hub_ids, status=MenteeStatus.WAITING)
        .order_by("status_changed_at", "pk")
        .values_list("pk", flat=True)[:500]
    )
    weights = Weights()
    print(f"\nfrom PostgreSQL (the large seed; all {len(hub_ids)} benchmark hubs' mentors in one pool)")
    print(f"data:     {len(waiting):,} women waiting, {mentors:,} mentors")

    def rank_one(n: int) -> object:
        data = load(hub_ids=hub_ids, mentee_ids=[waiting[n % len(waiting)]])
        return rank(data.needs, 0, data.pool, weights, data.vocab, data.constraints)

    def batch(n: int) -> object:
        data = load(hub_ids=hub_ids, mentee_ids=waiting)
        return batch_assign(data.needs, data.pool, weights, data.constraints)

    loading = timed(lambda n: load(hub_ids=hub_ids, mentee_ids=waiting), batch_repeats)
    ranking = timed(rank_one, rank_repeats)
    batches = timed(batch, batch_repeats)
    header = f"{'timed':44} {'runs':>4} {'median ms':>9} {'p90 ms':>9}  result"
    print()
    print(header)
    print("-" * len(header))
    print(line(f"(a) load + rank {mentors:,} mentors for one woman", ranking, TARGET_RANK_MS))
    print(line(f"(b) load + batch: {len(waiting):,} women", batches, TARGET_BATCH_MS))
    print(line("    of which loading the batch's data", loading, None))
    missed = []
    if statistics.median(ranking) >= TARGET_RANK_MS:
        missed.append("database: ranking")
    if statistics.median(batches) >= TARGET_BATCH_MS:
        missed.append("database: batch")
    return missed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("--mentees", type=int, default=500, help="women waiting (default 500)")
    parser.add_argument("--mentors", type=int, default=2000, help="mentors (default 2,000)")
    parser.add_argument("--seed", type=int, default=20240611, help="random seed for the synthetic data")
    parser.add_argument("--rank-repeats", type=int, default=30, help="timed rankings (default 30)")
    parser.add_argument("--batch-repeats", type=int, default=10, help="timed batches (default 10)")
    parser.add_argument("--scarce-mentees", type=int, default=1200, help="women in (d) (default 1,200)")
    parser.add_argument("--scarce-mentors", type=int, default=400, help="mentors in (d) (default 400)")
    parser.add_argument("--scarce-larger-mentees", type=int, default=2000, help="women in (d)'s second (default 2,000)")
    parser.add_argument(
        "--scarce-larger-mentors", type=int, default=1000, help="mentors in (d)'s second (default 1,000)"
    )
    parser.add_argument(
        "--no-database", action="store_true", help="skip the section that loads the large seed from PostgreSQL"
    )
    args = parser.parse_args()
    sizes = [
        args.mentees,
        args.mentors,
        args.rank_repeats,
        args.batch_repeats,
        args.scarce_mentees,
        args.scarce_mentors,
        args.scarce_larger_mentees,
        args.scarce_larger_mentors,
    ]
    if min(sizes) < 1:
        parser.error("the numbers of women, mentors and repeats must be at least 1")

    print("Alongside matching benchmark")
    print("\n".join(machine()))

    started = time.perf_counter()
    needs, pool, vocab, constraints = synthetic(args.mentees, args.mentors, args.seed)
    print(f"built:    synthetic data, seed {args.seed}, in {time.perf_counter() - started:.1f} s")
    missed = section(
        "synthetic data",
        needs,
        pool,
        vocab,
        constraints,
        Weights(),
        args.rank_repeats,
        args.batch_repeats,
    )

    print("\nfewer places than women (same seed)")
    for women, mentors in [
        (args.scarce_mentees, args.scarce_mentors),
        (args.scarce_larger_mentees, args.scarce_larger_mentors),
    ]:
        missed += scarce_section(women, mentors, args.seed, args.batch_repeats)

    if not args.no_database:
        missed += database_section(args.rank_repeats, args.batch_repeats)

    print()
    if missed:
        print(f"TARGETS MISSED: {len(missed)}")
        for label in missed:
            print(f"  - {label}")
    else:
        print(f"ALL TARGETS MET: ranking under {TARGET_RANK_MS:g} ms and batch under {TARGET_BATCH_MS:g} ms (medians).")


if __name__ == "__main__":
    main()
