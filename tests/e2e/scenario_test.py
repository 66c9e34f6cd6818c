"""One ticket through every follow-through rule, over HTTP and real email, with time moved by the
test clock (no waiting for real hours):

  a returning customer writes in → nobody takes it → after 15 minutes it is offered to the agent
  who helped them last (continuity), and he is notified → he accepts → he promises the corrected
  invoice within two hours → he is reminded, then the promise is missed: marked broken, with a
  note to write now, and both he and his team's lead are notified → he tells the customer
  honestly and renegotiates → he solves it → three days later the customer is asked whether it
  stayed solved → "no" reopens it to the same owner, urgent, top of his queue, and he is told.

Every email the customer gets is read from a real SMTP server (aiosmtpd), and the follow-up
answer goes through the link in that email.
"""

import os
import re
import subprocess
import sys
import tempfile
import time
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import harness  # noqa: E402
from mail_out_test import Sink  # noqa: E402

V1 = "/api/v1"
CUSTOMER = "cleo@scenario.example"
BEN = "ben@help.example"
PASSWORD = "correct-horse-battery-staple"
MINUTE = 60
HOUR = 3600
DAY = 86400


def until(what, probe, timeout=30):
    """Polls `probe` until it returns something truthy; fails naming `what` after `timeout` s."""
    deadline = time.time() + timeout
    while True:
        value = probe()
        if value:
            return value
        if time.time() > deadline:
            raise AssertionError("timed out waiting for: " + what)
        time.sleep(0.2)


class ScenarioTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.mkdtemp(prefix="steadfast-scenario-")
        cls.sink = Sink(harness.free_port(), os.path.join(cls.tmp, "Maildir"))
        cls.sink.start()
        env = {"STEADFAST_SMTP_URL": "smtp://127.0.0.1:%d" % cls.sink.port,
               "STEADFAST_SMTP_FROM": "support@help.example",
               "STEADFAST_MAIL_DOMAIN": "help.example",
               "STEADFAST_SMTP_RETRY_SECONDS": "1",
               "STEADFAST_OFFER_AFTER_MINUTES": "15",
               "STEADFAST_PROMISE_REMINDER_MINUTES": "30",
               "STEADFAST_FOLLOWUP_AFTER_SECONDS": str(3 * DAY),
               "STEADFAST_CLOSE_AFTER_SECONDS": str(7 * DAY)}
        cls.server = harness.Server(env=env, test_clock=True).start()
        cls.admin = cls.server.client(cls.server.token(agent=harness.ADMIN_EMAIL))
        cls.anon = cls.server.client()

    @classmethod
    def tearDownClass(cls):
        cls.admin.close()
        cls.anon.close()
        cls.server.cleanup()
        cls.sink.stop()

    def now_iso(self, seconds_from_now):
        """An ISO time relative to the server's clock (the system's plus the test offset)."""
        t = time.time() + self.server.clock_offset + seconds_from_now
        return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(t))

    def mails_to_customer(self, containing):
        found = []
        for m in self.sink.messages():
            if CUSTOMER not in str(m["To"]):
                continue
            body = m.get_body(preferencelist=("plain",))
            text = body.get_content() if body is not None else ""
            if containing in text:
                found.append(text)
        return found

    def ticket(self, client, tid):
        r = client.get(V1 + "/tickets/%d" % tid)
        self.assertEqual(r.status, 200, r)
        return r.json()

    def notified(self, client, tid, kind):
        items = client.get(V1 + "/notifications").json()["items"]
        return [n for n in items if n["ticket_id"] == tid and n["type"] == kind]

    def test_every_rule_in_one_ticket(self):
        # The Billing team: Ben and Ada, agents, and Lena, their lead.
        r = self.admin.post(V1 + "/teams", {"name": "Billing"})
        self.assertEqual(r.status, 201, r)
        billing = r.json()["id"]
        r = self.admin.post(V1 + "/agents", {"name": "Lena Fischer", "email": "lena@help.example",
                                             "role": "lead", "teams": [billing]})
        self.assertEqual(r.status, 201, r)
        lena = self.server.client(self.server.token(agent="lena@help.example"))

        # Ben, an agent signed in to the workspace (a session makes him present for offers).
        r = self.admin.post(V1 + "/agents", {"name": "Ben Okafor", "email": BEN, "role": "agent",
                                             "password": PASSWORD, "teams": [billing]})
        self.assertEqual(r.status, 201, r)
        ben_id = r.json()["id"]
        ben = self.server.client()
        self.assertEqual(ben.login(BEN, PASSWORD).status, 200)

        # Ada is signed in too, with fewer open tickets than Ben: load balancing alone would
        # offer her the ticket, so the offer to Ben can only come from continuity.
        r = self.admin.post(V1 + "/agents", {"name": "Ada Lind", "email": "ada@help.example",
                                             "role": "agent", "password": PASSWORD,
                                             "teams": [billing]})
        self.assertEqual(r.status, 201, r)
        ada = self.server.client()
        self.assertEqual(ada.login("ada@help.example", PASSWORD).status, 200)
        r = self.admin.post(V1 + "/tickets", {"subject": "Export to CSV", "body": "How?",
                                              "customer": {"email": "dan@scenario.example"}})
        self.assertEqual(ben.post(V1 + "/tickets/%d/take" % r.json()["ticket"]["id"], {}).status,
                         200)

        # Ben helped this customer before.
        r = self.admin.post(V1 + "/tickets", {"subject": "Password reset link expired",
                                              "body": "The link says expired.",
                                              "customer": {"email": CUSTOMER}})
        self.assertEqual(r.status, 201, r)
        earlier = r.json()["ticket"]["id"]
        self.assertEqual(ben.post(V1 + "/tickets/%d/messages" % earlier,
                                  {"kind": "reply", "body": "Here is a fresh link."}).status, 201)
        self.assertEqual(ben.post(V1 + "/tickets/%d/resolve" % earlier,
                                  {"outcome": "withdrawn"}).status, 200)

        # 1. A new ticket arrives by email. Nobody takes it.
        raw = ("From: Cleo Park <%s>\r\nTo: support@help.example\r\n"
               "Subject: Invoice shows the wrong VAT number\r\n"
               "Message-ID: <vat-1@scenario.example>\r\n\r\n"
               "Our invoice INV-2291 has last year's VAT number. Can you correct it?\r\n"
               % CUSTOMER).encode()
        r = self.admin.request("POST", V1 + "/mail/inbound", raw=raw,
                               headers={"Content-Type": "message/rfc822"})
        self.assertEqual(r.status, 201, r)
        tid = r.json()["ticket_id"]
        t = self.ticket(self.admin, tid)
        self.assertEqual((t["status"], t["owner"]), ("new", None))
        r = self.admin.patch(V1 + "/tickets/%d" % tid, {"version": t["version"], "team_id": billing})
        self.assertEqual(r.status, 200, r)
        until("the acknowledgement", lambda: self.mails_to_customer("VAT"))

        # 2. Fifteen minutes on, it is offered to Ben: he helped this customer last.
        self.assertEqual(ben.get(V1 + "/tickets?offered_to=me").json()["items"], [])
        self.server.advance(16 * MINUTE)
        offered = until("the offer to Ben", lambda: ben.get(
            V1 + "/tickets?offered_to=me").json()["items"])
        self.assertEqual([x["id"] for x in offered], [tid])
        self.assertEqual(ada.get(V1 + "/tickets?offered_to=me").json()["items"], [])
        handoff = self.ticket(ben, tid)["pending_handoff"]
        self.assertEqual(handoff["to_agent_id"], ben_id)
        self.assertEqual(len(self.notified(ben, tid, "offered")), 1)

        # 3. He accepts; the ticket is his.
        r = ben.post(V1 + "/handoffs/%d/accept" % handoff["id"], {})
        self.assertEqual(r.status, 200, r)
        self.assertEqual(self.ticket(ben, tid)["owner"], ben_id)

        # 4. He promises the corrected invoice within two hours; the customer gets the reply.
        r = ben.post(V1 + "/tickets/%d/messages" % tid, {
            "kind": "reply",
            "body": "Sorry about that. I will send you the corrected invoice within two hours.",
            "promise": {"text": "send the corrected invoice", "due_at": self.now_iso(2 * HOUR)}})
        self.assertEqual(r.status, 201, r)
        promise_id = r.json()["ticket"]["promises"][0]["id"]
        until("the reply with the promise", lambda: self.mails_to_customer("within two hours"))

        # 5. Half an hour before it is due, he is reminded.
        self.server.advance(HOUR + 40 * MINUTE)
        until("the reminder", lambda: any(
            e["type"] == "promise_due_soon"
            for e in ben.get(V1 + "/tickets/%d/events" % tid).json()["items"]))

        # 6. The time passes: the promise is broken, and he is told to write now.
        self.server.advance(30 * MINUTE)
        broken = until("the broken promise", lambda: ben.get(
            V1 + "/promises?owner=me&state=broken").json()["items"])
        self.assertEqual([p["id"] for p in broken], [promise_id])
        notes = [m for m in ben.get(V1 + "/tickets/%d/messages" % tid).json()["items"]
                 if m["kind"] == "note" and "promise was missed" in m["body"]]
        self.assertEqual(len(notes), 1)
        self.assertIn("Write to the customer now", notes[0]["body"])
        # He is alerted, and so is his lead; another agent of the team is not.
        self.assertEqual(len(self.notified(ben, tid, "promise_broken")), 1)
        self.assertTrue(self.notified(ben, tid, "promise_broken")[0]["urgent"])
        self.assertEqual(len(self.notified(lena, tid, "promise_broken")), 1)
        self.assertEqual(self.notified(ada, tid, "promise_broken"), [])
        # The customer was not told anything automatically: that is his job, in his words.
        self.assertEqual(self.mails_to_customer("missed"), [])

        # 7. He tells the customer honestly, and renegotiates the promise with that reply.
        r = ben.post(V1 + "/tickets/%d/messages" % tid, {
            "kind": "reply",
            "body": "I am late: finance must re-issue the invoice. You will have it tomorrow "
                    "by noon."})
        self.assertEqual(r.status, 201, r)
        told = r.json()["messages"][0]["id"]
        r = ben.post(V1 + "/promises/%d/renegotiate" % promise_id,
                     {"due_at": self.now_iso(DAY), "message_id": told})
        self.assertEqual(r.status, 200, r)
        self.assertEqual((r.json()["promise"]["state"], r.json()["promise"]["missed"]),
                         ("open", True))
        until("the honest update", lambda: self.mails_to_customer("finance must re-issue"))

        # 8. He sends the invoice (keeping the renegotiated promise) and solves the ticket.
        r = ben.post(V1 + "/tickets/%d/messages" % tid, {
            "kind": "reply", "body": "Attached is the corrected invoice INV-2291-R.",
            "keeps_promise": promise_id})
        self.assertEqual(r.status, 201, r)
        r = ben.post(V1 + "/tickets/%d/resolve" % tid, {"outcome": "solved"})
        self.assertEqual(r.status, 200, r)
        until("the outcome email", lambda: self.mails_to_customer("as solved"))
        stats = self.admin.get(V1 + "/stats/follow-through").json()
        ben_stats = [a for a in stats["agents"] if a["agent_id"] == ben_id]
        self.assertEqual(ben_stats[0]["missed"], 1)

        # 9. Three days later the customer is asked, once, whether it stayed solved.
        self.server.advance(3 * DAY + HOUR)
        asked = until("the follow-up question", lambda: self.mails_to_customer("stay solved"))
        self.assertEqual(len(asked), 1)
        links = dict((m.group(2), m.group(1)) for m in re.finditer(
            r"https?://[^\s]+(/api/v1/followup\?token=[^\s&]+&answer=(yes|no))", asked[0]))
        self.assertEqual(set(links), {"yes", "no"}, asked[0])

        # 10. The customer answers "no" through the link: it is Ben's again, urgent, on top.
        page = self.anon.get(links["no"])
        self.assertEqual(page.status, 200, page)
        token = links["no"].split("token=", 1)[1].split("&", 1)[0]
        r = self.anon.request("POST", V1 + "/followup", raw=("token=%s&answer=no" % token).encode(),
                              headers={"Content-Type": "application/x-www-form-urlencoded"})
        self.assertEqual(r.status, 200, r)
        t = self.ticket(ben, tid)
        self.assertEqual((t["status"], t["owner"], t["priority"]), ("open", ben_id, "urgent"))
        mine = ben.get(V1 + "/tickets?owner=me&status=open&sort=priority").json()["items"]
        self.assertEqual(mine[0]["id"], tid)
        self.assertEqual(len(self.notified(ben, tid, "followup_came_back")), 1)
        ben.close()
        ada.close()
        lena.close()


class TestClockTest(unittest.TestCase):
    def test_a_bad_clock_file_refuses_to_start_naming_the_variable(self):
        server = harness.Server(test_clock=True)
        try:
            with open(server.clock_file, "w") as f:
                f.write("-5")
            proc = subprocess.run(
                [harness.BINARY, "serve", "--data", server.data_dir, "--listen", "127.0.0.1:0"],
                capture_output=True, text=True, env=server.env, timeout=30)
            self.assertNotEqual(proc.returncode, 0)
            self.assertIn("STEADFAST_TEST_CLOCK_FILE", proc.stderr + proc.stdout)
        finally:
            server.cleanup()


if __name__ == "__main__":
    harness.main()
