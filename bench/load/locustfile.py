"""Load scenario: logged-in professionals searching, reading theme and thread pages and posting
replies. Targets and ready sessions come from ``prepare.py`` (``LOAD_TARGETS``)."""

from __future__ import annotations

import itertools
import json
import os
import random
import string

from locust import HttpUser, between, task

TARGETS = json.load(open(os.environ["LOAD_TARGETS"]))  # noqa: SIM115
_sessions = itertools.cycle(TARGETS["sessions"])


class Professional(HttpUser):
    wait_time = between(1, 3)

    def on_start(self):
        self.csrf = "".join(random.choices(string.ascii_letters + string.digits, k=32))
        self.client.cookies.set("sessionid", next(_sessions))
        self.client.cookies.set("csrftoken", self.csrf)

    @task(4)
    def search(self):
        q = random.choice(TARGETS["queries"])
        self.client.get(f"/zoeken/?q={q}", name="/zoeken/?q=[term]")

    @task(3)
    def theme_page(self):
        self.client.get(random.choice(TARGETS["themes"]), name="[theme page]")

    @task(3)
    def thread_page(self):
        self.client.get(random.choice(TARGETS["threads"]), name="[thread page]")

    @task(1)
    def home(self):
        self.client.get("/", name="/ (home)")

    @task(1)
    def post_reply(self):
        thread = random.choice(TARGETS["threads"])
        with self.client.post(
            thread + "reageren/",
            data={"body": "Belastingtest: dank voor het delen, wij zien hetzelfde patroon."},
            headers={"X-CSRFToken": self.csrf, "Referer": self.host + thread},
            allow_redirects=False,
            name="[reply POST]",
            catch_response=True,
        ) as response:
            if response.status_code == 302 and "#" in response.headers.get("Location", ""):
                response.success()
            else:
                response.failure(f"reply not stored: {response.status_code}")
