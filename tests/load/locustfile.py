"""Locust: signed-in members on the cluster, through nginx (tests/load/run.py
starts it; needs .venv-load, which has Locust, not Django).

The mix of issue 19 (by weight, in requests):
    search 40, resource pages 25, staffroom 10 (reads; 1 in 5 a reply),
    saves 5, reactions 5, messages 5, uploads 5, reports and other pages 5.

Every acknowledged write (the site's answer says it is done: a redirect to
what was written, or the "saved" button) is appended to LOAD_LEDGER as a JSON
line, with what identifies it in the database and the URL the site returned.
A refused or failed request is a failure in Locust's figures.

Environment: LOAD_SETUP (tests/load/seed.py's JSON), LOAD_LEDGER, LOAD_CA
(the cluster's CA certificate), and --host (the cluster's URL).
"""

from __future__ import annotations

import base64
import itertools
import json
import os
import random
import threading
import time
from typing import Any

from locust import HttpUser, between, task
from requests.adapters import HTTPAdapter

SETUP: dict[str, Any] = json.loads(open(os.environ["LOAD_SETUP"]).read())  # noqa: SIM115
LEDGER = open(os.environ["LOAD_LEDGER"], "a", buffering=1)  # noqa: SIM115
CA = os.environ.get("LOAD_CA", "")
PDF = base64.b64decode(SETUP["pdf"])
MEMBERS = itertools.count()
WRITES = itertools.count(1)
LOCK = threading.Lock()
QUERIES = sorted(
    {
        w.lower().strip(",.:;()")
        for r in SETUP["resources"]
        for w in r["title"].split()
        if len(w) > 4
    }
) or ["fractions"]
WORDS = [
    *("pupils", "liked", "the", "diagrams", "and", "questions", "worked", "well", "for"),
    *("group", "work", "in", "year", "seven", "although", "second", "page", "needed"),
    *("more", "time", "than", "planned", "today", "photosynthesis", "leaves"),
]


class FromAddress(HTTPAdapter):
    """Connects from a loopback address of its own: each simulated member is
    a client of its own to nginx ($remote_addr, then X-Forwarded-For), so
    per-IP limits (sign-in: 30 a minute per address) count it alone, as
    they would count teachers at their own schools."""

    def __init__(self, address: str) -> None:
        self.address = address
        super().__init__()

    def init_poolmanager(self, *args: Any, **kwargs: Any) -> None:
        kwargs["source_address"] = (self.address, 0)
        super().init_poolmanager(*args, **kwargs)


def ack(kind: str, **fields: Any) -> None:
    with LOCK:
        LEDGER.write(json.dumps({"kind": kind, **fields}) + "\n")


class Member(HttpUser):
    """One signed-in teacher: about one request every 5 s."""

    wait_time = between(2, 8)

    def on_start(self) -> None:
        number = next(MEMBERS) % len(SETUP["members"])
        self.me = SETUP["members"][number]
        # Each writes to the next member, and saves resources in an order of its own.
        self.peer = SETUP["members"][(number + 1) % len(SETUP["members"])]
        self.to_save = [r["id"] for r in SETUP["resources"]]
        random.Random(number).shuffle(self.to_save)
        self.client.verify = CA or False
        # REQUESTS_CA_BUNDLE (set on many machines) would win over `verify`
        # and refuse the cluster's own CA; nothing here needs a proxy either.
        self.client.trust_env = False
        self.client.mount("https://", FromAddress(f"127.0.{1 + number // 250}.{1 + number % 250}"))
        # A sign-in cut by a fault (a killed web process) is tried again,
        # as a person would; its failure stays in the figures.
        for attempt in range(5):
            self.client.get("/accounts/login/", name="sign in (page)")
            answer = self.post(
                "/accounts/login/",
                {"login": self.me["email"], "password": SETUP["password"]},
                name="sign in",
            )
            if answer.status_code == 302:
                return
            time.sleep(2 * (attempt + 1))
        raise RuntimeError(f"sign-in of {self.me['email']} answered {answer.status_code}")

    def post(self, path: str, fields: dict[str, Any], *, name: str, **kwargs: Any) -> Any:
        data = {"csrfmiddlewaretoken": self.client.cookies.get("csrftoken", ""), **fields}
        headers = {"Referer": f"{self.host}{path}", **kwargs.pop("headers", {})}
        return self.client.post(
            path, data=data, headers=headers, name=name, allow_redirects=False, **kwargs
        )

    def token(self) -> str:
        return f"{self.me['email'].split('@')[0]}-{next(WRITES)}"

    # --- reads ---------------------------------------------------------------

    @task(40)
    def search(self) -> None:
        words = random.sample(QUERIES, k=random.choice((1, 1, 2)))
        self.client.get("/search/", params={"q": " ".join(words)}, name="search")

    @task(25)
    def resource_page(self) -> None:
        self.client.get(random.choice(SETUP["resources"])["url"], name="resource page")

    @task(10)
    def staffroom(self) -> None:
        roll = random.random()
        if roll < 0.2 and SETUP["threads"]:
            thread = random.choice(SETUP["threads"])
            body = f"{self.token()} " + " ".join(random.sample(WORDS, 10))
            with self.post(
                f"/staffroom/t/{thread['id']}/reply/", {"body": body},
                name="staffroom reply", catch_response=True,
            ) as answer:  # fmt: skip
                if answer.status_code == 302:
                    ack("reply", member=self.me["email"], body=body,
                        url=answer.headers.get("Location"))  # fmt: skip
                else:
                    answer.failure(f"reply answered {answer.status_code}")
        elif roll < 0.6 and SETUP["threads"]:
            self.client.get(random.choice(SETUP["threads"])["url"], name="staffroom thread")
        elif roll < 0.8 and SETUP["categories"]:
            self.client.get(random.choice(SETUP["categories"]), name="staffroom category")
        else:
            self.client.get("/staffroom/", name="staffroom")

    # --- writes --------------------------------------------------------------

    @task(5)
    def save(self) -> None:
        if not self.to_save:
            self.client.get("/library/saved/", name="saved list")
            return
        resource = self.to_save.pop()
        with self.post(
            f"/library/saved/{resource}/save/", {}, name="save",
            headers={"HX-Request": "true"}, catch_response=True,
        ) as answer:  # fmt: skip
            if answer.status_code == 200 and f"/library/saved/{resource}/unsave/" in answer.text:
                ack("save", member=self.me["email"], resource=resource,
                    url=f"/library/saved/{resource}/unsave/")  # fmt: skip
            else:
                answer.failure(f"save answered {answer.status_code}")

    @task(5)
    def reaction(self) -> None:
        resource = random.choice(SETUP["resources"])
        # Different enough each time for the near-duplicate check (R20).
        body = f"{self.token()} " + " ".join(random.sample(WORDS, 9))
        with self.post(
            f"/resources/{resource['id']}/reactions/", {"body": body},
            name="reaction", catch_response=True,
        ) as answer:  # fmt: skip
            location = answer.headers.get("Location", "")
            if answer.status_code == 302 and "#reaction-" in location:
                ack("reaction", member=self.me["email"], body=body, url=location)
            else:
                answer.failure(f"reaction answered {answer.status_code}")

    @task(5)
    def message(self) -> None:
        body = f"{self.token()} " + " ".join(random.sample(WORDS, 9))
        with self.post(
            "/messages/new/", {"to": str(self.peer["id"]), "body": body},
            name="message", catch_response=True,
        ) as answer:  # fmt: skip
            location = answer.headers.get("Location", "")
            if answer.status_code == 302 and location.startswith("/messages/"):
                ack("message", member=self.me["email"], to=self.peer["email"], body=body,
                    url=location)  # fmt: skip
            else:
                answer.failure(f"message answered {answer.status_code}")

    @task(5)
    def upload(self) -> None:
        title = f"Load worksheet {self.token()}"
        fields = {
            "title": title, "description": "Pupils label the parts of a leaf.",
            "kind": str(SETUP["kind"]), "language": str(SETUP["language"]),
            "subjects": [str(SETUP["subject"])], "levels": [str(SETUP["level"])],
            "keywords": "leaf", "rights_confirmed": "on",
        }  # fmt: skip
        files = {"files": (f"{title.split()[-1]}.pdf", PDF, "application/pdf")}
        with self.post(
            "/resources/new/", fields, files=files, name="upload", catch_response=True
        ) as answer:
            location = answer.headers.get("Location", "")
            if answer.status_code == 302 and "/licence/" in location:
                ack("upload", member=self.me["email"], title=title, url=location)
            else:
                answer.failure(f"upload answered {answer.status_code}")

    @task(5)
    def other(self) -> None:
        roll = random.random()
        if roll < 0.2:
            resource = random.choice(SETUP["resources"])
            text = f"{self.token()} looks like spam to me"
            with self.post(
                f"/moderation/report/resource/{resource['id']}/",
                {"reason": "spam", "text": text}, name="report", catch_response=True,
            ) as answer:  # fmt: skip
                if answer.status_code == 302:
                    ack("report", member=self.me["email"], text=text, resource=resource["id"],
                        url=answer.headers.get("Location"))  # fmt: skip
                else:
                    answer.failure(f"report answered {answer.status_code}")
        else:
            path = random.choice(["/", "/feed/", "/library/saved/", "/messages/", "/resources/"])
            self.client.get(path, name=f"other {path}")
