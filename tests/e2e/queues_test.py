"""Queues and the leads' follow-through over HTTP: ticket lists carry their customer and sort
four ways with keyset cursors, bad sorts and cursors are 422s naming the parameter, the queue
counts match the queues, agents see only their own figures, and a lead's digest arrives by email
once (through a real SMTP sink) and reads the same as GET /digest."""

import datetime
import os
import sys
import tempfile
import time
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import harness  # noqa: E402
from mail_out_test import Sink  # noqa: E402

V1 = "/api/v1"


def field_of(response):
    return response.json()["errors"][0]["field"]


class QueuesTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.mkdtemp(prefix="steadfast-digest-")
        cls.sink = Sink(harness.free_port(), os.path.join(cls.tmp, "Maildir"))
        cls.sink.start()
        # The digest hour is midnight, so yesterday's digest is due as soon as the server runs.
        env = {"STEADFAST_SMTP_URL": "smtp://127.0.0.1:%d" % cls.sink.port,
               "STEADFAST_SMTP_FROM": "support@help.example",
               "STEADFAST_MAIL_DOMAIN": "help.example",
               "STEADFAST_MAIL_AUTO_ACK": "false",
               "STEADFAST_DIGEST_HOUR": "0",
               "STEADFAST_PUBLIC_URL": "https://help.example"}
        try:
            cls.server = harness.Server(env=env).start()
        except Exception:
            cls.sink.stop()
            raise
        cls.api = cls.server.client(cls.server.token(agent=harness.ADMIN_EMAIL))
        r = cls.api.post(V1 + "/teams", {"name": "Billing"})
        cls.team = r.json()["id"]
        for name, role in (("Lena", "lead"), ("Abe", "agent")):
            r = cls.api.post(V1 + "/agents", {"name": name, "email": name.lower() + "@help.example",
                                              "role": role, "teams": [cls.team]})
            assert r.status == 201, r
        cls.lead = cls.server.client(cls.server.token(agent="lena@help.example"))
        cls.agent = cls.server.client(cls.server.token(agent="abe@help.example"))

    @classmethod
    def tearDownClass(cls):
        for c in (cls.api, cls.lead, cls.agent):
            c.close()
        cls.server.cleanup()
        cls.sink.stop()

    def new_ticket(self, subject, email, name="", priority="normal"):
        r = self.api.post(V1 + "/tickets", {"subject": subject, "body": "Hello",
                                            "customer": {"email": email, "name": name},
                                            "priority": priority, "team_id": self.team})
        self.assertEqual(r.status, 201, r)
        return r.json()["ticket"]

    def walk(self, client, query, limit):
        ids, cursor = [], None
        for _ in range(50):
            path = V1 + "/tickets?limit=%d&%s" % (limit, query)
            if cursor:
                path += "&cursor=" + cursor
            r = client.get(path)
            self.assertEqual(r.status, 200, r)
            ids += [t["id"] for t in r.json()["items"]]
            cursor = r.json()["next_cursor"]
            if cursor is None:
                return ids
        self.fail("pagination did not end")

    def test_lists_carry_the_customer_and_sort_with_cursors(self):
        low = self.new_ticket("Sort low", "sort-low@example.com", "Lou Low", "low")
        urgent = self.new_ticket("Sort urgent", "sort-urgent@example.com", "", "urgent")
        high = self.new_ticket("Sort high", "sort-high@example.com", "", "high")
        items = self.api.get(V1 + "/tickets?q=sort").json()["items"]
        by_id = {t["id"]: t for t in items}
        self.assertEqual(by_id[low["id"]]["customer"],
                         {"id": low["customer_id"], "name": "Lou Low",
                          "email": "sort-low@example.com"})
        q = "q=sort"
        for limit in (1, 2, 10):
            self.assertEqual(self.walk(self.api, q, limit), [high["id"], urgent["id"], low["id"]])
            self.assertEqual(self.walk(self.api, q + "&sort=oldest", limit),
                             [low["id"], urgent["id"], high["id"]])
            self.assertEqual(self.walk(self.api, q + "&sort=priority", limit),
                             [urgent["id"], high["id"], low["id"]])
        # Activity moves a ticket to the top of last_activity.
        self.api.post(V1 + "/tickets/%d/messages" % low["id"], {"kind": "note", "body": "Seen."})
        self.assertEqual(self.walk(self.api, q + "&sort=last_activity", 1)[0], low["id"])

    def test_bad_sorts_and_cursors_are_422s_naming_the_parameter(self):
        for query, field in (("sort=age", "sort"), ("sort=", "sort"), ("cursor=abc", "cursor"),
                             ("sort=priority&cursor=5", "cursor"),
                             ("sort=priority&cursor=9.5", "cursor"),
                             ("sort=last_activity&cursor=1.0", "cursor"),
                             ("cursor=-3", "cursor"), ("silent=yes", "silent")):
            r = self.api.get(V1 + "/tickets?" + query)
            self.assertEqual(r.status, 422, (query, r))
            self.assertEqual(field_of(r), field, query)
        r = self.lead.get(V1 + "/digest?date=2030-02-30")
        self.assertEqual(r.status, 422, r)
        self.assertEqual(field_of(r), "date")

    def test_queue_counts_match_the_queues(self):
        self.new_ticket("Count me", "count@example.com")
        counts = self.agent.get(V1 + "/queues/counts").json()
        unowned = self.walk(self.agent, "owner=none&status=new", 200)
        self.assertEqual(counts["unowned"], len(unowned))
        mine_before = counts["mine"]
        r = self.agent.post(V1 + "/tickets/%d/take" % unowned[0])
        self.assertEqual(r.status, 200, r)
        after = self.agent.get(V1 + "/queues/counts").json()
        self.assertEqual(after["mine"], mine_before + 1)
        self.assertEqual(after["unowned"], counts["unowned"] - 1)
        team = [t for t in after["teams"] if t["team_id"] == self.team][0]
        self.assertEqual(team["name"], "Billing")
        self.assertGreaterEqual(team["count"], 1)
        self.assertEqual(self.server.client().get(V1 + "/queues/counts").status, 401)

    def test_agents_see_only_their_own_figures(self):
        mine = self.agent.get(V1 + "/stats/follow-through?days=7").json()
        self.assertEqual(mine["scope"], "self")
        self.assertEqual(mine["teams"], [])
        self.assertTrue(all(a["name"] == "Abe" for a in mine["agents"]), mine["agents"])
        everyone = self.lead.get(V1 + "/stats/follow-through?days=7").json()
        self.assertEqual(everyone["scope"], "everyone")
        self.assertIn("chase_rate", everyone["chases"])
        self.assertEqual(self.agent.get(V1 + "/digest").status, 403)

    def test_the_lead_gets_one_digest_email_saying_nothing_broke(self):
        deadline = time.time() + 30
        got = []
        while time.time() < deadline and not got:
            got = [m for m in self.sink.messages() if "lena@help.example" in str(m["To"])]
            time.sleep(0.2)
        self.assertEqual(len(got), 1, "no digest for the lead")
        mail = got[0]
        yesterday = mail["Subject"][len("Follow-through "):len("Follow-through ") + 10]
        today = datetime.datetime.now(datetime.timezone.utc).date()
        self.assertIn(yesterday, [(today - datetime.timedelta(days=n)).isoformat() for n in (1, 2)])
        self.assertEqual(mail["Subject"], "Follow-through %s: nothing broke" % yesterday)
        self.assertEqual(mail["Auto-Submitted"], "auto-generated")
        self.assertIn("Nothing broke yesterday", mail.get_content())
        # Never to agents, and never twice: a few more engine passes change nothing.
        time.sleep(2.5)
        to = [str(m["To"]) for m in self.sink.messages()]
        self.assertEqual(sum("lena@help.example" in t for t in to), 1, to)
        self.assertFalse(any("abe@help.example" in t for t in to), to)
        # The panel reads the same day.
        d = self.lead.get(V1 + "/digest?date=" + yesterday).json()
        self.assertEqual(d["date"], yesterday)
        self.assertTrue(d["nothing_broke"])
        self.assertEqual(d["teams"], [self.team])


if __name__ == "__main__":
    harness.main()
