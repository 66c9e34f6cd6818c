"""Follow-through over HTTP: a promise is made in a reply, listed, kept by a reply that says so,
broken by the engine when its time passes (with a note to write to the customer), renegotiated
with the reply that told the customer, and counted; a customer's "any update?" is a chase."""

import os
import sys
import time
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import harness  # noqa: E402

V1 = "/api/v1"


def iso(seconds_from_now):
    t = time.time() + seconds_from_now
    return time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(t)) + ".%03dZ" % (int(t * 1000) % 1000)


class FollowThroughTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.server = harness.Server().start()
        cls.api = cls.server.client(cls.server.token(agent=harness.ADMIN_EMAIL))

    @classmethod
    def tearDownClass(cls):
        cls.api.close()
        cls.server.cleanup()

    def new_ticket(self, email):
        r = self.api.post(V1 + "/tickets", {"subject": "Parcel lost", "body": "Where is it?",
                                            "customer": {"email": email}})
        self.assertEqual(r.status, 201, r)
        return r.json()["ticket"]

    def reply(self, ticket, body, **extra):
        r = self.api.post(V1 + "/tickets/%d/messages" % ticket["id"],
                          dict({"kind": "reply", "body": body}, **extra))
        self.assertEqual(r.status, 201, r)
        return r.json()

    def promise(self, pid):
        items = self.api.get(V1 + "/promises?limit=200").json()["items"]
        return next(p for p in items if p["id"] == pid)

    def test_a_promise_kept_one_broken_and_renegotiated_and_the_figures(self):
        t = self.new_ticket("pia@follow.example")
        made = self.reply(t, "I will ask the courier and write back by tomorrow.",
                          promise={"text": "ask the courier", "due_at": iso(3600)})
        kept_id = made["ticket"]["promises"][0]["id"]
        self.assertEqual(made["ticket"]["promises"][0]["message_id"], made["messages"][0]["id"])
        soon = self.reply(t, "And I will send the label in a moment.",
                          promise={"text": "send the return label", "due_at": iso(2)})
        broken_id = [p for p in soon["ticket"]["promises"] if p["id"] != kept_id][0]["id"]
        mine = self.api.get(V1 + "/promises?owner=me&state=open").json()["items"]
        self.assertEqual({p["id"] for p in mine} >= {kept_id, broken_id}, True)

        # Kept by a reply that says so.
        done = self.reply(t, "The courier found it: it arrives Monday.", keeps_promise=kept_id)
        self.assertEqual([p["id"] for p in done["ticket"]["promises"]], [broken_id])
        kept = self.promise(kept_id)
        self.assertEqual(kept["state"], "kept")
        self.assertEqual(kept["kept_by"], done["messages"][0]["id"])

        # The other one's time passes: the engine breaks it and tells the team to write.
        deadline = time.time() + 30
        while self.promise(broken_id)["state"] != "broken":
            self.assertLess(time.time(), deadline, "the engine never broke the promise")
            time.sleep(0.2)
        notes = [m["body"] for m in
                 self.api.get(V1 + "/tickets/%d/messages" % t["id"]).json()["items"]
                 if m["kind"] == "note"]
        self.assertTrue(any("A promise was missed" in n for n in notes), notes)

        # Renegotiated with the reply that told the customer: owed again, still counted missed.
        told = self.reply(t, "Sorry, the label comes by Friday.")
        r = self.api.post(V1 + "/promises/%d/renegotiate" % broken_id,
                          {"due_at": iso(3 * 86400), "message_id": told["messages"][0]["id"]})
        self.assertEqual(r.status, 200, r)
        self.assertEqual(r.json()["promise"]["state"], "open")
        self.assertTrue(r.json()["promise"]["missed"])

        stats = self.api.get(V1 + "/stats/follow-through").json()
        self.assertEqual(stats["promises"]["kept"], 1)
        self.assertEqual(stats["promises"]["missed"], 1)
        self.assertEqual(stats["promises"]["kept_rate"], 0.5)
        self.assertEqual(len(stats["agents"]), 1)

    def test_tickets_offered_to_me_are_listed_for_me_only(self):
        r = self.api.post(V1 + "/agents", {"name": "Una", "email": "una@help.example",
                                           "role": "agent"})
        self.assertEqual(r.status, 201, r)
        una_id = r.json()["id"]
        una = self.server.client(self.server.token(agent="una@help.example"))
        try:
            t = self.new_ticket("vic@follow.example")
            self.reply(t, "Taking a look.")
            r = self.api.post(V1 + "/tickets/%d/handoffs" % t["id"],
                              {"to_agent_id": una_id, "note": "Billing question; yours."})
            self.assertEqual(r.status, 201, r)
            mine = una.get(V1 + "/tickets?offered_to=me").json()["items"]
            self.assertEqual([x["id"] for x in mine], [t["id"]])
            self.assertEqual(self.api.get(V1 + "/tickets?offered_to=me").json()["items"], [])
            self.assertEqual(
                self.api.get(V1 + "/tickets?offered_to=%d" % una_id).json()["items"][0]["id"],
                t["id"])
        finally:
            una.close()

    def test_bad_promises_name_the_field_and_change_nothing(self):
        t = self.new_ticket("quinn@follow.example")
        url = V1 + "/tickets/%d/messages" % t["id"]
        for body, field in (
                ({"kind": "note", "body": "x", "promise": {"text": "a", "due_at": iso(60)}},
                 "promise"),
                ({"kind": "reply", "body": "x", "promise": {"text": "a", "due_at": iso(-60)}},
                 "promise.due_at"),
                ({"kind": "reply", "body": "x", "promise": {"text": "", "due_at": iso(60)}},
                 "promise.text"),
                ({"kind": "reply", "body": "x", "promise": {"text": "a"}}, "promise.due_at"),
                ({"kind": "reply", "body": "x", "promise": {"text": "a", "due_at": "soon"}},
                 "promise.due_at"),
                ({"kind": "reply", "body": "x", "promise": {"text": "a", "due_at": iso(60),
                                                             "who": "me"}}, "promise.who")):
            r = self.api.post(url, body)
            self.assertEqual(r.status, 422, (body, r))
            self.assertEqual(r.json()["errors"][0]["field"], field, r.json())
        r = self.api.post(url, {"kind": "reply", "body": "x", "keeps_promise": 999999})
        self.assertEqual(r.status, 404, r)
        msgs = self.api.get(url).json()["items"]
        self.assertEqual(len(msgs), 1)  # Only the customer's first message.
        r = self.api.post(V1 + "/promises/999999/kept", {"message_id": 1})
        self.assertEqual(r.status, 404, r)

    def test_a_customer_asking_only_for_news_is_a_chase(self):
        t = self.new_ticket("rosa@follow.example")
        customer = self.server.client(self.server.token(customer="rosa@follow.example"))
        try:
            for body in ("Hi, any update on this??", "Following up: the box came but it is dented."):
                r = customer.post(V1 + "/tickets/%d/messages" % t["id"], {"body": body})
                self.assertEqual(r.status, 201, r)
            self.assertEqual(customer.get(V1 + "/promises").status, 403)
        finally:
            customer.close()
        msgs = self.api.get(V1 + "/tickets/%d/messages" % t["id"]).json()["items"]
        self.assertEqual([m["chase"] for m in msgs], [False, True, False])
        ticket = self.api.get(V1 + "/tickets/%d" % t["id"]).json()
        self.assertEqual(ticket["chases"], 1)
        self.assertIsNotNone(ticket["waiting_since"])


class FollowUpTest(unittest.TestCase):
    """ "Did it stay solved?" asked a second after solving (the setting), answered by the links."""

    @classmethod
    def setUpClass(cls):
        cls.server = harness.Server(env={"STEADFAST_FOLLOWUP_AFTER_SECONDS": "1"}).start()
        cls.api = cls.server.client(cls.server.token(agent=harness.ADMIN_EMAIL))
        cls.anon = cls.server.client()

    @classmethod
    def tearDownClass(cls):
        cls.api.close()
        cls.anon.close()
        cls.server.cleanup()

    def solved_and_asked(self, email):
        r = self.api.post(V1 + "/tickets", {"subject": "Wifi drops", "body": "Every hour.",
                                            "customer": {"email": email}})
        t = r.json()["ticket"]
        self.assertEqual(self.api.post(V1 + "/tickets/%d/messages" % t["id"],
                                       {"kind": "reply", "body": "New router firmware."}).status,
                         201)
        r = self.api.post(V1 + "/tickets/%d/resolve" % t["id"], {"outcome": "solved"})
        self.assertEqual(r.status, 200, r)
        deadline = time.time() + 30
        while True:
            msgs = self.api.get(V1 + "/tickets/%d/messages" % t["id"]).json()["items"]
            asked = [m for m in msgs if "stay solved?" in m["body"]]
            if asked:
                break
            self.assertLess(time.time(), deadline, "the customer was never asked")
            time.sleep(0.2)
        # The customer was told the outcome before being asked.
        self.assertTrue(any("as solved" in m["body"] for m in msgs if m["kind"] == "system"))
        links = [w for w in asked[0]["body"].split() if "/api/v1/followup?" in w]
        self.assertEqual(len(links), 2, asked[0]["body"])
        return t, {w.rsplit("answer=", 1)[1]: w[w.index("/api/v1/"):] for w in links}

    def answer(self, link, answer):
        token = link.split("token=", 1)[1].split("&", 1)[0]
        return self.anon.request("POST", V1 + "/followup",
                                 raw=("token=%s&answer=%s" % (token, answer)).encode(),
                                 headers={"Content-Type": "application/x-www-form-urlencoded"})

    def test_no_reopens_it_to_the_same_owner_at_top_priority(self):
        t, links = self.solved_and_asked("sam@followup.example")
        page = self.anon.get(links["no"])
        self.assertEqual(page.status, 200)
        self.assertIn(b"No, it came back", page.body)
        self.assertNotIn(b"Yes, it stayed solved", page.body)
        self.assertNotIn(b"<script", page.body)
        r = self.answer(links["no"], "no")
        self.assertEqual(r.status, 200, r)
        after = self.api.get(V1 + "/tickets/%d" % t["id"]).json()
        self.assertEqual(after["status"], "open")
        self.assertEqual(after["priority"], "urgent")
        me = self.api.get(V1 + "/auth/me").json()["agent"]["id"]
        self.assertEqual(after["owner"], me)  # The agent who solved it has it back.
        # The same link again: answered already, nothing changes.
        self.assertIn(b"already", self.answer(links["yes"], "yes").body)
        self.assertEqual(self.api.get(V1 + "/tickets/%d" % t["id"]).json()["status"], "open")

    def test_yes_closes_it_and_a_forged_link_does_nothing(self):
        t, links = self.solved_and_asked("tia@followup.example")
        token = links["yes"].split("token=", 1)[1].split("&", 1)[0]
        forged = token[:-1] + ("0" if token[-1] != "0" else "1")
        r = self.anon.request("POST", V1 + "/followup", raw=("token=%s&answer=no" % forged).encode(),
                              headers={"Content-Type": "application/x-www-form-urlencoded"})
        self.assertEqual(r.status, 404)
        self.assertEqual(self.anon.get(V1 + "/followup?token=" + forged).status, 404)
        self.assertEqual(self.answer(links["yes"], "yes").status, 200)
        self.assertEqual(self.api.get(V1 + "/tickets/%d" % t["id"]).json()["status"], "closed")


if __name__ == "__main__":
    harness.main()
