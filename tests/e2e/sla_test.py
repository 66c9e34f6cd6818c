"""SLAs over HTTP: the config tables ([business_hours], [sla], [[sla_policy]]) and their errors,
the SLA clocks on every ticket, pending shown as paused, the engine's warning as an event and an
SLA queue, GET /sla/policies, and promises "in N business hours"."""

import os
import subprocess
import sys
import tempfile
import time
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import harness  # noqa: E402

V1 = "/api/v1"

# 24/7 so that deadlines over the wall clock are predictable; 1 % warning so a 1-minute target
# warns within a second.
CONFIG = """
[business_hours]
time_zone = "UTC"
hours = "24/7"
holidays = ["2030-12-25"]

[sla]
warning_percent = 1

[[sla_policy]]
name = "Fast"
tags = ["fast"]
first_reply = 1

[[sla_policy]]
name = "Standard"
first_reply = { urgent = "30m", high = "1h", normal = "4h", low = "8h" }
next_reply = "2h"
resolution = "1h30m"
"""


def ms(iso):
    return int(time.mktime(time.strptime(iso[:19], "%Y-%m-%dT%H:%M:%S")) - time.timezone) * 1000


class SlaTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.dir = tempfile.mkdtemp(prefix="steadfast-sla-")
        cls.config = os.path.join(cls.dir, "steadfast.toml")
        with open(cls.config, "w") as f:
            f.write(CONFIG)
        cls.server = harness.Server(serve_args=["--config", cls.config]).start()
        cls.api = cls.server.client(cls.server.token(agent=harness.ADMIN_EMAIL))

    @classmethod
    def tearDownClass(cls):
        cls.api.close()
        cls.server.cleanup()

    def new_ticket(self, email, **extra):
        r = self.api.post(V1 + "/tickets", dict({"subject": "Parcel lost", "body": "Where is it?",
                                                 "customer": {"email": email}}, **extra))
        self.assertEqual(r.status, 201, r)
        return r.json()["ticket"]

    def reply(self, ticket, **extra):
        return self.api.post(V1 + "/tickets/%d/messages" % ticket["id"],
                             dict({"kind": "reply", "body": "Looking at it now."}, **extra))

    def test_a_new_ticket_shows_its_clocks_and_pending_pauses_them(self):
        t = self.new_ticket("sam@sla.example", priority="high")
        sla = t["sla"]
        self.assertEqual(sla["policy"], "Standard")
        self.assertEqual(sorted(sla), ["clocks", "next", "policy"])
        self.assertEqual([c["kind"] for c in sla["clocks"]], ["first_reply", "resolution"])
        self.assertEqual(sla["next"]["kind"], "first_reply")
        self.assertEqual(sla["next"]["state"], "ok")
        due = ms(sla["next"]["due_at"]) - ms(t["created_at"])
        self.assertTrue(3599_000 <= due <= 3601_000, due)  # High: 1 hour, 24/7.
        for c in sla["clocks"]:
            self.assertEqual(sorted(c), ["due_at", "kind", "remaining_minutes", "state", "warn_at"])

        r = self.reply(t, status="pending")
        self.assertEqual(r.status, 201, r)
        sla = r.json()["ticket"]["sla"]
        self.assertEqual([c["kind"] for c in sla["clocks"]], ["resolution"])  # First reply met.
        self.assertEqual(sla["next"], {"kind": "resolution", "due_at": None, "state": "paused"})
        self.assertIsNone(sla["clocks"][0]["due_at"])
        self.assertGreater(sla["clocks"][0]["remaining_minutes"], 85)

        # The customer answers: the resolution clock runs again, and a next reply is owed.
        customer = self.server.client(self.server.token(customer="sam@sla.example"))
        r = customer.post(V1 + "/tickets/%d/messages" % t["id"], {"body": "Still nothing here."})
        customer.close()
        self.assertEqual(r.status, 201, r)
        sla = self.api.get(V1 + "/tickets/%d" % t["id"]).json()["sla"]
        self.assertEqual([c["kind"] for c in sla["clocks"]], ["next_reply", "resolution"])
        self.assertTrue(all(c["due_at"] is not None for c in sla["clocks"]))
        self.assertEqual(sla["next"]["kind"], "resolution")  # 1h30m in all, some used.

    def test_a_tag_picks_its_policy_and_the_engine_warns_once(self):
        t = self.new_ticket("fay@sla.example", tags=["fast"])
        self.assertEqual(t["sla"]["policy"], "Fast")
        self.assertEqual([c["kind"] for c in t["sla"]["clocks"]], ["first_reply"])
        deadline = time.time() + 20
        while time.time() < deadline:
            got = self.api.get(V1 + "/tickets/%d" % t["id"]).json()
            if got["sla"]["next"]["state"] != "ok":
                break
            time.sleep(0.2)
        self.assertEqual(got["sla"]["next"]["state"], "warning")
        events = self.api.get(V1 + "/tickets/%d/events" % t["id"]).json()["items"]
        warnings = [e for e in events if e["type"] == "sla_warning"]
        self.assertEqual(len(warnings), 1)
        changes = {c["field"]: c["after"] for c in warnings[0]["changes"]}
        self.assertEqual(changes["kind"], "first_reply")
        self.assertEqual(changes["due_at"], got["sla"]["next"]["due_at"])
        queue = self.api.get(V1 + "/tickets?sla=warning").json()["items"]
        self.assertIn(t["id"], [x["id"] for x in queue])
        at_risk = self.api.get(V1 + "/tickets?sla=at_risk").json()["items"]
        self.assertIn(t["id"], [x["id"] for x in at_risk])
        self.assertEqual(self.api.get(V1 + "/tickets?sla=breached").status, 200)
        bad = self.api.get(V1 + "/tickets?sla=late")
        self.assertEqual(bad.status, 422)
        self.assertIn("sla", bad.body.decode())

    def test_the_policies_in_force(self):
        r = self.api.get(V1 + "/sla/policies")
        self.assertEqual(r.status, 200, r)
        body = r.json()
        self.assertEqual(body["business_hours"],
                         {"time_zone": "UTC", "hours": "24/7", "holidays": ["2030-12-25"]})
        self.assertEqual(body["warning"], {"minutes": None, "percent": 1})
        self.assertEqual(body["silence_minutes"]["urgent"], 60)
        self.assertEqual([p["name"] for p in body["policies"]], ["Fast", "Standard"])
        std = body["policies"][1]
        self.assertEqual(std["targets"]["urgent"],
                         {"first_reply_minutes": 30, "next_reply_minutes": 120,
                          "resolution_minutes": 90})
        self.assertEqual(body["policies"][0]["tags"], ["fast"])
        self.assertIsNone(body["policies"][0]["targets"]["low"]["next_reply_minutes"])

    def test_a_promise_in_business_hours(self):
        t = self.new_ticket("pat@sla.example")
        before = time.time()
        r = self.reply(t, promise={"text": "call the courier", "in_business_hours": 3})
        self.assertEqual(r.status, 201, r)
        due = ms(r.json()["ticket"]["promises"][0]["due_at"]) / 1000
        self.assertTrue(before + 3 * 3600 - 2 <= due <= time.time() + 3 * 3600 + 2, due)
        for promise, field in [
                ({"text": "x", "in_business_hours": 2, "due_at": "2031-01-01T00:00:00Z"},
                 "promise.in_business_hours"),
                ({"text": "x"}, "promise.due_at"),
                ({"text": "x", "in_business_hours": 0}, "promise.in_business_hours"),
                ({"text": "x", "in_business_hours": "two"}, "promise.in_business_hours")]:
            r = self.reply(t, promise=promise)
            self.assertEqual(r.status, 422, (promise, r))
            self.assertIn(field, r.body.decode(), promise)


class PromiseOutsideHoursTest(unittest.TestCase):
    """A promise "in 2 business hours" made while the team is closed counts from the next
    opening: the calendar is open only tomorrow (UTC), 09:00-17:00."""

    def test_it_counts_from_the_next_opening(self):
        days = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
        now = time.time()
        tomorrow = time.gmtime(now + 86400)
        config = os.path.join(tempfile.mkdtemp(prefix="steadfast-sla-"), "steadfast.toml")
        with open(config, "w") as f:
            f.write('[business_hours]\nhours = "%s 09:00-17:00"\n' % days[tomorrow.tm_wday])
        server = harness.Server(serve_args=["--config", config]).start()
        try:
            api = server.client(server.token(agent=harness.ADMIN_EMAIL))
            r = api.post(V1 + "/tickets", {"subject": "Late", "body": "Hello?",
                                          "customer": {"email": "nia@sla.example"}})
            self.assertEqual(r.status, 201, r)
            r = api.post(V1 + "/tickets/%d/messages" % r.json()["ticket"]["id"],
                         {"kind": "reply", "body": "Tomorrow first thing.",
                          "promise": {"text": "check the depot", "in_business_hours": 2}})
            self.assertEqual(r.status, 201, r)
            due = r.json()["ticket"]["promises"][0]["due_at"]
            if time.gmtime(time.time()).tm_yday == time.gmtime(now).tm_yday:  # Not past midnight.
                self.assertEqual(due, time.strftime("%Y-%m-%dT11:00:00.000Z", tomorrow))
            api.close()
        finally:
            server.cleanup()


class SlaConfigErrorTest(unittest.TestCase):
    """A bad SLA table stops `serve` with an error naming the key; nothing starts."""

    CASES = [
        ('[business_hours]\nhours = "mon-fri 9-25"\n', "business_hours.hours"),
        ('[business_hours]\ntime_zone = "Mars/Olympus"\n', "business_hours.time_zone"),
        ('[business_hours]\nholidays = "2030-02-30"\n', "business_hours.holidays"),
        ('[business_hours]\nopen = "always"\n', "business_hours.open"),
        ('[sla]\nwarning_percent = 0\n', "sla.warning_percent"),
        ('[sla]\nwarning_percent = 80\nwarning_minutes = 10\n', "sla.warning_percent"),
        ('[[sla_policy]]\nfirst_reply = "1h"\n', "sla_policy[0].name"),
        ('[[sla_policy]]\nname = "A"\nfirst_reply = "soon"\n', "sla_policy[0].first_reply"),
        ('[[sla_policy]]\nname = "A"\nfirst_reply = { asap = "1h" }\n',
         "sla_policy[0].first_reply.asap"),
        ('[[sla_policy]]\nname = "A"\n', "sla_policy[0]"),
        ('[[sla_policy]]\nname = "A"\nfirst_reply = 60\n[[sla_policy]]\nname = "B"\n'
         'tags = ["vip"]\nfirst_reply = 30\n', "sla_policy[1]"),
        ('[[sla_policy]]\nname = "A"\ncolour = "red"\nfirst_reply = 60\n', "sla_policy[0].colour"),
    ]

    def test_each_bad_table_is_named(self):
        server = harness.Server()
        try:
            for text, key in self.CASES:
                path = os.path.join(server.data_dir, "bad.toml")
                with open(path, "w") as f:
                    f.write(text)
                p = subprocess.run([harness.BINARY, "serve", "--data", server.data_dir,
                                    "--listen", "127.0.0.1:0", "--config", path],
                                   capture_output=True, text=True, env=server.env, timeout=30)
                self.assertNotEqual(p.returncode, 0, text)
                self.assertIn(key, p.stderr, (text, p.stderr))
        finally:
            server.cleanup()


if __name__ == "__main__":
    harness.main()
