"""The county load test (issue 14, item 5): teachers, principals and offices of the
``seed_demo --county`` database, against gunicorn on loopback. Started by run.sh.

Each simulated person logs in once (a real login: the form, its CSRF token, the password
hash) and then, between think times of LOAD_WAIT seconds (default 3–7), does what their
role does in phase 5 and 6:

- a teacher opens the home page, the township's posts and their intention; where
  intentions are open (the seed's last townships) they also submit it (GET + POST);
- a principal opens the school's committee page and ranks one post's applicants in its
  form (at the centres, which select first, one of them hired) and confirms that hire;
- an office opens the cycle's dashboard, the selection overview and downloads the
  intentions export (xlsx).

The statistics start once every simulated person has logged in (the logins' own times
are printed apart): steady use, not a morning's rush of password hashing. A request
fails on an HTTP error, on a page other than the one expected, or when the page it lands
on shows an error message (``class="message error"``).
"""

import json
import os
import re
import statistics
import time
from pathlib import Path

import gevent.event
from locust import HttpUser, between, events, task

PASSWORD = "demo-2026"
USERS = json.loads(Path(os.environ.get("LOAD_USERS", "var/load/users.json")).read_text())
WAIT = tuple(float(x) for x in os.environ.get("LOAD_WAIT", "3,7").split(","))
ERROR = re.compile(r'class="message error"[^>]*>([^<]*)<')

all_logged_in = gevent.event.Event()
login_seconds: list[float] = []
pools = {"offices": 0, "principals": 0, "submit": 0, "view": 0}


def take(pool: str, people: list[dict]) -> dict:
    """The next unused person of a pool: each simulated user is a different login."""
    person = people[pools[pool] % len(people)]
    pools[pool] += 1
    return person


class Person(HttpUser):
    abstract = True
    wait_time = between(*WAIT)

    def on_start(self):
        self.client.get("/accounts/login/", name="login page")
        started = time.monotonic()
        response = self.client.post("/accounts/login/", name="login", data={
            "username": self.person["username"], "password": PASSWORD,
            "csrfmiddlewaretoken": self.client.cookies.get("csrftoken", ""),
        }, allow_redirects=False)
        if response.status_code != 302:
            raise RuntimeError(f"{self.person['username']} cannot log in: "
                               f"{response.status_code}")
        login_seconds.append(time.monotonic() - started)
        if len(login_seconds) >= self.environment.runner.target_user_count:
            self.environment.runner.stats.reset_all()
            all_logged_in.set()
        all_logged_in.wait()

    def page(self, path: str, name: str) -> None:
        with self.client.get(path, name=name, catch_response=True) as response:
            if response.status_code != 200:
                response.failure(f"status {response.status_code}")
            elif response.history:
                response.failure(f"redirected to {response.url}")

    def post(self, path: str, name: str, data: dict, lands: str) -> None:
        """A form's POST with the CSRF token, its redirect followed; it must land on
        ``lands`` without an error message."""
        data = {"csrfmiddlewaretoken": self.client.cookies.get("csrftoken", ""), **data}
        with self.client.post(path, name=name, data=data, catch_response=True) as response:
            error = ERROR.search(response.text or "")
            if response.status_code != 200:
                response.failure(f"status {response.status_code}")
            elif not response.history or lands not in response.url:
                response.failure(f"landed on {response.url}")
            elif error:
                response.failure(f"refused: {error.group(1).strip()[:80]}")


class Teacher(Person):
    weight = 15

    def on_start(self):
        submitters = [t for t in USERS["teachers"] if t["submit"]]
        viewers = [t for t in USERS["teachers"] if not t["submit"]]
        # Half where intentions are open, half in phase 6 (when there are any).
        if submitters and (pools["submit"] <= pools["view"] or not viewers):
            self.person = take("submit", submitters)
        else:
            self.person = take("view", viewers)
        self.cycle = f"/cycle/{self.person['cycle']}"
        super().on_start()

    @task(1)
    def home(self):
        self.page("/", "home")

    @task(2)
    def posts(self):
        self.page(f"{self.cycle}/posts/", "teacher: posts")

    @task(2)
    def intention(self):
        self.page(f"{self.cycle}/intention/", "teacher: intention")

    @task(2)
    def submit(self):
        choice = self.person["submit"]
        if choice is None:
            return
        school = self.person["school"]
        data = {"action": "save", "choice-1-school": school, "choice-1-shown": school,
                "choice-1-auxiliary": choice["auxiliary"]}
        if choice["teaching"]:
            data["choice-1-teaching"] = choice["teaching"]
        self.post(f"{self.cycle}/intention/", "teacher: intention submit", data,
                  lands="/intention/")


class Principal(Person):
    weight = 4

    def on_start(self):
        self.person = take("principals", USERS["principals"])
        self.school_page = (f"/cycle/{self.person['cycle']}/selection/schools/"
                            f"{self.person['school']}/")
        self.confirmed = False
        super().on_start()

    @task(1)
    def home(self):
        self.page("/", "home")

    @task(4)
    def committee(self):
        self.page(self.school_page, "principal: committee page")

    @task(2)
    def rank(self):
        post, hire = self.person["post"], self.person["hire"]
        prefix = f"post{post}"
        applicants = self.person["applicants"]
        data = {f"{prefix}-TOTAL_FORMS": len(applicants), f"{prefix}-INITIAL_FORMS": 0,
                f"{prefix}-MIN_NUM_FORMS": 0, f"{prefix}-MAX_NUM_FORMS": 500}
        for index, staff in enumerate(applicants):
            data[f"{prefix}-{index}-staff"] = staff
            data[f"{prefix}-{index}-rank"] = index + 1
            data[f"{prefix}-{index}-decision"] = "hire" if staff == hire else "pending"
        self.post(f"{self.school_page}posts/{post}/rankings/", "principal: rank a post", data,
                  lands=self.school_page)
        if hire is not None and not self.confirmed:
            self.confirmed = True  # once: a second confirm of the same hire is refused
            self.client.get(f"{self.school_page}posts/{post}/confirm/?staff={hire}",
                            name="principal: confirm page")
            self.post(f"{self.school_page}posts/{post}/confirm/", "principal: confirm hire",
                      {"staff": hire}, lands=self.school_page)


class Office(Person):
    weight = 1

    def on_start(self):
        self.person = take("offices", USERS["offices"])
        self.cycle = f"/cycle/{self.person['cycle']}"
        super().on_start()

    @task(1)
    def home(self):
        self.page("/", "home")

    @task(3)
    def dashboard(self):
        self.page(f"{self.cycle}/", "office: dashboard")

    @task(2)
    def selection(self):
        self.page(f"{self.cycle}/selection/", "office: selection overview")

    @task(1)
    def export(self):
        self.page(f"{self.cycle}/intentions/export.xlsx", "office: intentions export")


@events.quitting.add_listener
def _(environment, **_kw):
    if login_seconds:
        ordered = sorted(login_seconds)
        print(f"logins: {len(ordered)}, median {statistics.median(ordered) * 1000:.0f} ms, "
              f"slowest {ordered[-1] * 1000:.0f} ms (before the statistics began)")
