"""How long the allocation engine takes at county scale, against reading its input.

    .venv/bin/python benchmarks/allocation.py [--teachers 20000] [--prefs 10] [--repeat 3]

Generates ``--teachers`` teachers with ``--prefs`` preferences each over posts of about
ten seats, each post's committee ranking every applicant (seeded, repeatable), then
times, best of ``--repeat``:

  floor    touching every preference and every priority once in Python (building the
           per-post rank dictionaries the engine needs): the size of the input;
  engine   ``recruitment.allocation.allocate`` (own_staff_first off and on).

spec/matching.md asks for well under a second of engine time at 20,000 × 10.
"""

import argparse
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from recruitment.allocation import Post, Problem, Teacher, allocate  # noqa: E402


def build(teachers: int, prefs: int, seed: int = 7) -> Problem:
    rng = random.Random(seed)
    schools = [f"S{i:03d}" for i in range(max(teachers // 100, 2))]
    n_posts = max(teachers // 10, prefs)
    posts = [Post(f"P{i:05d}", schools[i % len(schools)], rng.randint(5, 15))
             for i in range(n_posts)]
    # Popular posts: preferences skew towards the first third (the town's schools).
    weights = [3 if i < n_posts // 3 else 1 for i in range(n_posts)]
    staff = []
    applicants: dict[str, list[str]] = {p.id: [] for p in posts}
    for i in range(teachers):
        chosen: list[str] = []
        seen = set()
        while len(chosen) < prefs:
            post = posts[rng.choices(range(n_posts), weights)[0]].id
            if post not in seen:
                seen.add(post)
                chosen.append(post)
        tid = f"T{i:06d}"
        staff.append(Teacher(tid, rng.choice(schools), tuple(chosen)))
        for post in chosen:
            applicants[post].append(tid)
    priorities = {}
    for post, names in applicants.items():
        rng.shuffle(names)
        priorities[post] = tuple(names)
    return Problem(tuple(posts), tuple(staff), priorities)


def floor(problem: Problem) -> None:
    rank = {post: {t: r for r, t in enumerate(order)} for post, order in problem.priorities.items()}
    total = 0
    for teacher in problem.teachers:
        for post in teacher.preferences:
            total += rank[post].get(teacher.id, 0)


def best(fn, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return min(times)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--teachers", type=int, default=20000)
    parser.add_argument("--prefs", type=int, default=10)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    problem = build(args.teachers, args.prefs)
    own_first = Problem(problem.posts, problem.teachers, problem.priorities, True)
    base = best(lambda: floor(problem), args.repeat)
    engine = best(lambda: allocate(problem), args.repeat)
    engine_own = best(lambda: allocate(own_first), args.repeat)
    result = allocate(problem)
    placed = sum(1 for post in result.assignment.values() if post)
    print(f"{args.teachers} teachers × {args.prefs} preferences, {len(problem.posts)} posts, "
          f"{sum(p.seats for p in problem.posts)} seats; {placed} placed")
    print(f"floor (read input once)      {base:7.3f} s   1.00")
    print(f"engine                       {engine:7.3f} s   {engine / base:5.2f}")
    print(f"engine, own staff first      {engine_own:7.3f} s   {engine_own / base:5.2f}")


if __name__ == "__main__":
    main()
