"""One request at a time: the load test's pages, their queries and time, as the people of
the load test (benchmarks/load/users.json, written by users.py) — where a page's time
goes, without the load. ``--profile PAGE`` prints cProfile's top functions for one.

    DATABASE_URL=postgres://… .venv/bin/python benchmarks/load/pages.py USERS.json
        [--repeat 5] [--profile "principal: committee page"]
"""

import argparse
import cProfile
import json
import os
import pstats
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "staffing.settings")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("users")
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--profile", default="")
    args = parser.parse_args()
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    people = json.loads(Path(args.users).read_text())
    office, principal = people["offices"][0], people["principals"][0]
    teacher = next(t for t in people["teachers"] if not t["submit"])
    cycle, school = principal["cycle"], principal["school"]
    pages = [
        ("home (teacher)", teacher, "/"),
        ("teacher: posts", teacher, f"/cycle/{teacher['cycle']}/posts/"),
        ("teacher: intention", teacher, f"/cycle/{teacher['cycle']}/intention/"),
        ("home (principal)", principal, "/"),
        ("principal: committee page", principal, f"/cycle/{cycle}/selection/schools/{school}/"),
        ("home (office)", office, "/"),
        ("office: dashboard", office, f"/cycle/{office['cycle']}/"),
        ("office: selection overview", office, f"/cycle/{office['cycle']}/selection/"),
        ("office: intentions export", office, f"/cycle/{office['cycle']}/intentions/export.xlsx"),
    ]
    print("| page | queries | median ms |")
    print("|---|---:|---:|")
    for name, person, path in pages:
        client = Client(SERVER_NAME="127.0.0.1")
        client.force_login(get_user_model().objects.get(username=person["username"]))
        client.get(path)  # warm
        times = []
        for _ in range(args.repeat):
            with CaptureQueriesContext(connection) as queries:
                started = time.perf_counter()
                response = client.get(path)
                times.append(time.perf_counter() - started)
            assert response.status_code == 200, (path, response.status_code)
        print(f"| {name} | {len(queries)} | {statistics.median(times) * 1000:.0f} |")
        if name == args.profile:
            profile = cProfile.Profile()
            profile.runcall(client.get, path)
            pstats.Stats(profile).sort_stats("cumulative").print_stats(40)


if __name__ == "__main__":
    main()
