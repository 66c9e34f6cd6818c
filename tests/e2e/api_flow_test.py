"""End-to-end API flows against the real binary: authentication, the whole life of a ticket
(ownership, handoffs, honest outcomes, reopening), optimistic concurrency, search, keyset
pagination, attachments, and the people endpoints.

Standard library only. Run through ctest (`ctest -R e2e_api_flow`), or directly with
STEADFAST_BIN=/path/to/steadfast python3 api_flow_test.py
"""

import hashlib
import json
import os
import sys
import unittest
import urllib.parse

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import harness  # noqa: E402

V1 = "/api/v1"


# ---------------------------------------------------------------------------------------------
# Helpers


def expected_disposition(filename):
    """What the server promises: an ASCII fallback plus the RFC 5987 UTF-8 name."""
    ascii_name, encoded = "", ""
    for b in filename.encode("utf-8"):
        ch = chr(b)
        plain = ch.isascii() and (ch.isalnum() or ch in ".-_")
        ascii_name += ch if plain else "_"
        encoded += ch if plain else "%%%02X" % b
    return 'attachment; filename="%s"; filename*=UTF-8\'\'%s' % (ascii_name or "attachment",
                                                                   encoded)


class ApiTestCase(unittest.TestCase):
    """One server per subclass; helpers to make the common calls and check problem bodies."""

    server_env = None

    @classmethod
    def setUpClass(cls):
        cls.server = harness.Server(env=cls.server_env)
        try:
            cls.server.start()
            cls.admin = cls.server.client(cls.server.token(agent=harness.ADMIN_EMAIL))
            cls.clients = [cls.admin]
            cls.setUpServer()
        except BaseException:
            cls.server.cleanup()
            raise

    @classmethod
    def setUpServer(cls):
        pass

    @classmethod
    def tearDownClass(cls):
        for c in getattr(cls, "clients", []):
            c.close()
        cls.server.cleanup()

    @classmethod
    def new_client(cls, token=None):
        c = cls.server.client(token)
        cls.clients.append(c)
        return c

    @classmethod
    def make_agent(cls, name, email, role="agent", password=None, teams=None):
        body = {"name": name, "email": email, "role": role,
                "password": password or (name.lower() + "-password-123")}
        if teams is not None:
            body["teams"] = teams
        r = cls.admin.post(V1 + "/agents", body)
        assert r.status == 201, r
        agent = r.json()
        client = cls.new_client(cls.server.token(agent=email))
        return agent, client

    @classmethod
    def customer_client(cls, email):
        return cls.new_client(cls.server.token(customer=email))

    def create_ticket(self, client, email="carol@example.com", subject="Printer is on fire",
                      body="Smoke everywhere.", name=None, **extra):
        payload = {"subject": subject, "body": body, "customer": {"email": email}}
        if name is not None:
            payload["customer"]["name"] = name
        payload.update(extra)
        r = client.post(V1 + "/tickets", payload)
        self.assertEqual(r.status, 201, r)
        return r.json()["ticket"]

    def get_ticket(self, client, tid):
        r = client.get("%s/tickets/%d" % (V1, tid))
        self.assertEqual(r.status, 200, r)
        return r.json()

    def reply(self, client, tid, body="On it.", kind="reply", status=None):
        payload = {"kind": kind, "body": body}
        if status is not None:
            payload["status"] = status
        r = client.post("%s/tickets/%d/messages" % (V1, tid), payload)
        self.assertEqual(r.status, 201, r)
        return r.json()

    def resolve(self, client, tid, **body):
        return client.post("%s/tickets/%d/resolve" % (V1, tid), body)

    def events(self, client, tid):
        r = client.get("%s/tickets/%d/events" % (V1, tid))
        self.assertEqual(r.status, 200, r)
        return r.json()["items"]

    def messages(self, client, tid):
        r = client.get("%s/tickets/%d/messages" % (V1, tid))
        self.assertEqual(r.status, 200, r)
        return r.json()["items"]

    def assertProblem(self, r, status, field=None, detail=None):
        """An RFC 9457 problem+json with the given status (and field for a 422)."""
        self.assertEqual(r.status, status, r)
        self.assertTrue(r.headers.get("content-type", "").startswith("application/problem+json"),
                        r.headers)
        p = r.json()
        for key in ("type", "title", "detail"):
            self.assertIsInstance(p.get(key), str, p)
        self.assertEqual(p.get("status"), status, p)
        if field is not None:
            self.assertEqual(p["errors"][0]["field"], field, p)
        if detail is not None:
            self.assertEqual(p["detail"], detail, p)
        return p


# ---------------------------------------------------------------------------------------------
# Authentication


class AuthTest(ApiTestCase):

    def test_health_needs_no_auth(self):
        anon = self.new_client()
        r = anon.get(V1 + "/health")
        self.assertEqual(r.status, 200, r)
        self.assertTrue(r.headers["content-type"].startswith("application/json"))
        self.assertEqual(r.json(), {"status": "ok"})

    def test_missing_or_bad_credentials_are_401(self):
        anon = self.new_client()
        r = anon.get(V1 + "/tickets")
        self.assertProblem(r, 401)
        self.assertIn("Bearer", r.headers.get("www-authenticate", ""))
        self.assertProblem(anon.get(V1 + "/tickets", headers={"Authorization": "Bearer nope"}),
                           401)
        self.assertProblem(anon.get(V1 + "/tickets", headers={"Authorization": "Basic YTpi"}), 401)

    def test_cookie_login_csrf_and_logout(self):
        browser = self.new_client()
        r = browser.login(harness.ADMIN_EMAIL, harness.ADMIN_PASSWORD)
        self.assertEqual(r.status, 200, r)
        set_cookie = r.headers["set-cookie"]
        attrs = [a.strip() for a in set_cookie.split(";")]
        self.assertTrue(attrs[0].startswith("sf_session=") and len(attrs[0]) > 20, set_cookie)
        self.assertIn("HttpOnly", attrs)
        self.assertIn("SameSite=Lax", attrs)
        self.assertIn("Path=/", attrs)
        body = r.json()
        self.assertEqual(body["agent"]["email"], harness.ADMIN_EMAIL)
        self.assertEqual(body["agent"]["role"], "admin")
        self.assertTrue(isinstance(body["csrf_token"], str) and len(body["csrf_token"]) >= 16)
        self.assertNotIn(body["csrf_token"], set_cookie)

        r = browser.get(V1 + "/auth/me")
        self.assertEqual(r.status, 200, r)
        self.assertEqual(r.json()["kind"], "agent")
        self.assertEqual(r.json()["agent"]["email"], harness.ADMIN_EMAIL)
        # A reloaded page gets the session's CSRF token back; an API token has none.
        self.assertEqual(r.json()["csrf_token"], body["csrf_token"])
        self.assertIsNone(self.admin.get(V1 + "/auth/me").json()["csrf_token"])

        before = self.admin.get(V1 + "/tickets").json()["items"]
        payload = {"subject": "Via the browser", "body": "Hello",
                   "customer": {"email": "browser@example.com"}}
        csrf, browser.csrf = browser.csrf, None
        self.assertProblem(browser.post(V1 + "/tickets", payload), 403)
        self.assertProblem(
            browser.post(V1 + "/tickets", payload, headers={"X-CSRF-Token": "x" + csrf}), 403)
        browser.csrf = csrf
        self.assertEqual(self.admin.get(V1 + "/tickets").json()["items"], before)
        r = browser.post(V1 + "/tickets", payload)
        self.assertEqual(r.status, 201, r)
        self.assertEqual(r.json()["ticket"]["subject"], "Via the browser")

        r = browser.post(V1 + "/auth/logout")
        self.assertEqual(r.status, 204, r)
        self.assertIn("Max-Age=0", r.headers.get("set-cookie", ""))
        self.assertProblem(browser.get(V1 + "/auth/me"), 401)
        self.assertProblem(browser.post(V1 + "/tickets", payload), 401)

    def test_wrong_password_and_unknown_email_look_the_same(self):
        anon = self.new_client()
        wrong = anon.post(V1 + "/auth/login",
                          {"email": harness.ADMIN_EMAIL, "password": "not-the-password"})
        unknown = anon.post(V1 + "/auth/login",
                            {"email": "nobody@example.com", "password": "not-the-password"})
        p1 = self.assertProblem(wrong, 401)
        p2 = self.assertProblem(unknown, 401)
        self.assertEqual(p1, p2)
        self.assertNotIn("set-cookie", wrong.headers)

    def test_too_many_failed_logins_is_429(self):
        self.make_agent("Locked", "locked@example.com", password="locked-password-123")
        anon = self.new_client()
        for _ in range(5):
            self.assertProblem(anon.post(V1 + "/auth/login", {"email": "locked@example.com",
                                                             "password": "guess-guess-guess"}),
                               401)
        r = anon.post(V1 + "/auth/login",
                      {"email": "locked@example.com", "password": "locked-password-123"})
        self.assertProblem(r, 429)
        self.assertNotIn("set-cookie", r.headers)
        # The limit is per account: others still sign in from the same address.
        other = self.new_client()
        self.assertEqual(other.login(harness.ADMIN_EMAIL, harness.ADMIN_PASSWORD).status, 200)


# ---------------------------------------------------------------------------------------------
# The life of a ticket


class TicketLifeTest(ApiTestCase):

    @classmethod
    def setUpServer(cls):
        cls.alice, cls.alice_c = cls.make_agent("Alice", "alice@example.com")
        cls.bob, cls.bob_c = cls.make_agent("Bob", "bob@example.com")
        cls.lena, cls.lena_c = cls.make_agent("Lena", "lena@example.com", role="lead")

    def test_create_ticket_finds_or_creates_customer(self):
        r = self.alice_c.post(V1 + "/tickets", {
            "subject": "  Invoice is wrong  ", "body": "I was charged twice.",
            "customer": {"email": " Dora@Example.COM ", "name": "Dora"},
            "priority": "high", "tags": ["Billing", "invoice", "billing"]})
        self.assertEqual(r.status, 201, r)
        self.assertTrue(r.headers["content-type"].startswith("application/json"))
        body = r.json()
        t = body["ticket"]
        self.assertIsInstance(t["id"], int)
        self.assertIsInstance(t["number"], int)
        self.assertGreater(t["number"], 0)
        self.assertEqual(t["subject"], "Invoice is wrong")
        self.assertEqual(t["status"], "new")
        self.assertIsNone(t["owner"])
        self.assertEqual(t["version"], 1)
        self.assertEqual(t["priority"], "high")
        self.assertEqual(t["tags"], ["billing", "invoice"])
        self.assertEqual(t["channel"], "api")
        self.assertIsNone(t["resolution"])
        self.assertIsNone(t["pending_handoff"])
        self.assertEqual(len(body["messages"]), 1)
        self.assertEqual(body["messages"][0]["body"], "I was charged twice.")
        self.assertEqual(body["messages"][0]["kind"], "customer")

        r = self.admin.get("%s/customers/%d" % (V1, t["customer_id"]))
        self.assertEqual(r.status, 200, r)
        self.assertEqual(r.json()["emails"], ["dora@example.com"])
        self.assertEqual(r.json()["name"], "Dora")

        t2 = self.create_ticket(self.bob_c, email="dora@example.com", subject="Another one")
        self.assertEqual(t2["customer_id"], t["customer_id"])
        self.assertNotEqual(t2["id"], t["id"])
        self.assertGreater(t2["number"], t["number"])
        self.assertEqual(t2["priority"], "normal")
        self.assertEqual(self.get_ticket(self.admin, t["id"]), t)

        # The customer opens one through the portal, for themselves.
        dora = self.customer_client("dora@example.com")
        r = dora.post(V1 + "/tickets", {"subject": "From the portal", "body": "Hi"})
        self.assertEqual(r.status, 201, r)
        self.assertEqual(r.json()["ticket"]["customer_id"], t["customer_id"])
        self.assertEqual(r.json()["ticket"]["channel"], "portal")

    def test_full_life_with_handoffs_and_event_history(self):
        t = self.create_ticket(self.alice_c, email="erin@example.com", subject="Sync broken")
        tid = t["id"]

        # First agent reply: alice owns it, it opens.
        w = self.reply(self.alice_c, tid, "Looking into it today.")
        self.assertEqual(w["ticket"]["owner"], self.alice["id"])
        self.assertEqual(w["ticket"]["status"], "open")
        self.assertEqual(w["ticket"]["version"], 2)
        self.assertEqual([m["kind"] for m in w["messages"]], ["reply"])
        self.assertEqual(w["messages"][0]["author"], {"kind": "agent", "id": self.alice["id"]})

        # A handoff needs a note that carries the context.
        url = "%s/tickets/%d/handoffs" % (V1, tid)
        self.assertProblem(self.alice_c.post(url, {"to_agent_id": self.bob["id"]}), 422, "note")
        self.assertProblem(self.alice_c.post(url, {"to_agent_id": self.bob["id"], "note": "   "}),
                           422, "note")
        self.assertProblem(self.alice_c.post(url, {"to_agent_id": self.alice["id"],
                                                   "note": "to myself"}), 422, "to_agent_id")
        self.assertProblem(self.alice_c.post(url, {"to_agent_id": 99999, "note": "ghost"}), 422,
                           "to_agent_id")
        # Only the owner (or a lead) may hand it off.
        self.assertProblem(self.bob_c.post(url, {"to_agent_id": self.bob["id"], "note": "mine"}),
                           403)
        r = self.alice_c.post(url, {"to_agent_id": self.bob["id"],
                                    "note": "Customer is on v2.3; logs attached in thread."})
        self.assertEqual(r.status, 201, r)
        h = r.json()
        self.assertEqual(h["ticket_id"], tid)
        self.assertEqual(h["from_agent_id"], self.alice["id"])
        self.assertEqual(h["to_agent_id"], self.bob["id"])
        self.assertEqual(h["note"], "Customer is on v2.3; logs attached in thread.")
        self.assertEqual(h["state"], "proposed")
        self.assertIsNone(h["answered_at"])
        self.assertIsNone(h["decline_reason"])
        t = self.get_ticket(self.admin, tid)
        self.assertEqual(t["pending_handoff"], h)
        self.assertEqual(t["owner"], self.alice["id"])
        self.assertProblem(self.alice_c.post(url, {"to_agent_id": self.lena["id"],
                                                   "note": "or you"}), 409)

        # Only the receiver answers it.
        accept = "%s/handoffs/%d/accept" % (V1, h["id"])
        self.assertProblem(self.alice_c.post(accept), 403)
        self.assertProblem(self.lena_c.post(accept), 403)
        r = self.bob_c.post(accept)
        self.assertEqual(r.status, 200, r)
        self.assertEqual(r.json()["handoff"]["state"], "accepted")
        self.assertIsNotNone(r.json()["handoff"]["answered_at"])
        self.assertEqual(r.json()["ticket"]["owner"], self.bob["id"])
        self.assertIsNone(r.json()["ticket"]["pending_handoff"])
        self.assertProblem(self.bob_c.post(accept), 409)

        # A declined handoff keeps the owner.
        r = self.bob_c.post(url, {"to_agent_id": self.alice["id"], "note": "Back to you?"})
        self.assertEqual(r.status, 201, r)
        h2 = r.json()
        decline = "%s/handoffs/%d/decline" % (V1, h2["id"])
        self.assertProblem(self.alice_c.post(decline, {}), 422, "reason")
        self.assertProblem(self.alice_c.post(decline, {"reason": " "}), 422, "reason")
        r = self.alice_c.post(decline, {"reason": "I am out tomorrow."})
        self.assertEqual(r.status, 200, r)
        self.assertEqual(r.json()["handoff"]["state"], "declined")
        self.assertEqual(r.json()["handoff"]["decline_reason"], "I am out tomorrow.")
        self.assertEqual(r.json()["ticket"]["owner"], self.bob["id"])
        self.assertIsNone(r.json()["ticket"]["pending_handoff"])

        self.reply(self.bob_c, tid, "Internal: checked the logs.", kind="note")

        r = self.resolve(self.bob_c, tid, outcome="solved")
        self.assertEqual(r.status, 200, r)
        self.assertEqual(r.json()["status"], "resolved")
        self.assertEqual(r.json()["resolution"]["outcome"], "solved")
        self.assertEqual(r.json()["resolution"]["resolved_by"], self.bob["id"])

        r = self.alice_c.post("%s/tickets/%d/reopen" % (V1, tid))
        self.assertEqual(r.status, 200, r)
        t = r.json()
        self.assertEqual(t["status"], "open")
        self.assertIsNone(t["resolution"])
        self.assertEqual(t["owner"], self.bob["id"])
        self.assertProblem(self.alice_c.post("%s/tickets/%d/reopen" % (V1, tid)), 409)
        # create, reply, propose, accept, propose, decline, note, resolve, reopen; failures
        # wrote nothing.
        self.assertEqual(t["version"], 9)

        ev = self.events(self.admin, tid)
        self.assertEqual([e["type"] for e in ev], [
            "ticket_created", "owner_taken", "reply_added", "handoff_proposed",
            "handoff_accepted", "handoff_proposed", "handoff_declined", "note_added", "resolved",
            "reopened"])
        ids = [e["id"] for e in ev]
        self.assertEqual(ids, sorted(ids))
        self.assertEqual(len(set(ids)), len(ids))
        a, b = str(self.alice["id"]), str(self.bob["id"])
        changes = [[(c["field"], c["before"], c["after"]) for c in e["changes"]] for e in ev]
        self.assertEqual(changes[0], [("status", "", "new"), ("priority", "", "normal")])
        self.assertEqual(changes[1], [("owner", "", a)])
        self.assertEqual(changes[2], [("status", "new", "open")])
        self.assertEqual(changes[3], [("to_agent_id", "", b)])
        self.assertEqual(changes[4], [("owner", a, b)])
        self.assertEqual(changes[5], [("to_agent_id", "", a)])
        self.assertEqual(changes[6], [("handoff_id", str(h2["id"]), "")])
        self.assertEqual(changes[7], [])
        self.assertEqual(changes[8], [("status", "open", "resolved"), ("outcome", "", "solved")])
        self.assertEqual(changes[9], [("status", "resolved", "open"), ("outcome", "solved", "")])
        self.assertEqual(ev[3]["note"], "Customer is on v2.3; logs attached in thread.")
        self.assertEqual(ev[6]["note"], "I am out tomorrow.")
        actors = [(e["actor"]["kind"], e["actor"]["id"]) for e in ev]
        al, bo = ("agent", self.alice["id"]), ("agent", self.bob["id"])
        self.assertEqual(actors, [al, al, al, al, bo, bo, al, bo, bo, al])
        for e in ev:
            self.assertEqual(e["ticket_id"], tid)

    def test_resolve_with_each_outcome(self):
        def owned_ticket(subject):
            t = self.create_ticket(self.alice_c, email="fred@example.com", subject=subject)
            self.reply(self.alice_c, t["id"])
            return t["id"]

        solved = owned_ticket("Outcome solved")
        r = self.resolve(self.alice_c, solved, outcome="solved")
        self.assertEqual(r.status, 200, r)
        res = r.json()["resolution"]
        self.assertEqual(res["outcome"], "solved")
        self.assertEqual(res["statement"], "")
        self.assertEqual(res["alternatives"], [])
        self.assertIsNone(res["duplicate_of"])
        self.assertEqual(res["resolved_by"], self.alice["id"])
        self.assertIsInstance(res["resolved_at"], str)

        wa = owned_ticket("Outcome workaround")
        r = self.resolve(self.alice_c, wa, outcome="workaround",
                         statement="Use the web app until the fix ships.")
        self.assertEqual(r.status, 200, r)
        self.assertEqual(r.json()["resolution"]["outcome"], "workaround")
        self.assertEqual(r.json()["resolution"]["statement"],
                         "Use the web app until the fix ships.")

        cd = owned_ticket("Outcome cannot_do")
        r = self.resolve(self.alice_c, cd, outcome="cannot_do",
                         statement="We cannot export to that format.",
                         alternatives=["Export CSV", " Use the API "])
        self.assertEqual(r.status, 200, r)
        res = r.json()["resolution"]
        self.assertEqual(res["outcome"], "cannot_do")
        self.assertEqual(res["statement"], "We cannot export to that format.")
        self.assertEqual(res["alternatives"], ["Export CSV", "Use the API"])
        self.assertEqual(self.get_ticket(self.bob_c, cd)["resolution"], res)

        dup = owned_ticket("Outcome duplicate")
        r = self.resolve(self.alice_c, dup, outcome="duplicate", duplicate_of=solved)
        self.assertEqual(r.status, 200, r)
        self.assertEqual(r.json()["resolution"]["outcome"], "duplicate")
        self.assertEqual(r.json()["resolution"]["duplicate_of"], solved)

        # Withdrawn on a ticket nobody owned yet: the resolver becomes the owner.
        wd = self.create_ticket(self.alice_c, email="fred@example.com", subject="Never mind")["id"]
        r = self.resolve(self.bob_c, wd, outcome="withdrawn")
        self.assertEqual(r.status, 200, r)
        self.assertEqual(r.json()["resolution"]["outcome"], "withdrawn")
        self.assertEqual(r.json()["owner"], self.bob["id"])
        self.assertEqual(r.json()["status"], "resolved")

        self.assertProblem(self.resolve(self.alice_c, solved, outcome="solved"), 409)
        ev = self.events(self.admin, cd)
        self.assertEqual(ev[-1]["type"], "resolved")
        self.assertEqual(ev[-1]["note"], "We cannot export to that format.")

    def test_resolve_validation_changes_nothing(self):
        t = self.create_ticket(self.alice_c, email="gina@example.com", subject="Validate me")
        tid = t["id"]
        self.reply(self.alice_c, tid)
        before = self.get_ticket(self.admin, tid)
        events_before = self.events(self.admin, tid)
        cases = [
            ({"outcome": "cannot_do"}, "statement"),
            ({"outcome": "cannot_do", "statement": "   "}, "statement"),
            ({"outcome": "duplicate"}, "duplicate_of"),
            ({"outcome": "duplicate", "duplicate_of": tid}, "duplicate_of"),
            ({"outcome": "duplicate", "duplicate_of": 987654}, "duplicate_of"),
            ({"outcome": "fixed"}, "outcome"),
            ({}, "outcome"),
            ({"outcome": "solved", "alternatives": ["x"]}, "alternatives"),
            ({"outcome": "solved", "duplicate_of": tid}, "duplicate_of"),
            ({"outcome": "cannot_do", "statement": "No.", "alternatives": [" "]}, "alternatives"),
        ]
        for body, field in cases:
            with self.subTest(body=body):
                self.assertProblem(self.resolve(self.alice_c, tid, **body), 422, field)
        # Not the owner, not a lead.
        self.assertProblem(self.resolve(self.bob_c, tid, outcome="solved"), 403)
        self.assertEqual(self.get_ticket(self.admin, tid), before)
        self.assertEqual(self.events(self.admin, tid), events_before)
        # A lead may resolve someone else's ticket.
        r = self.resolve(self.lena_c, tid, outcome="solved")
        self.assertEqual(r.status, 200, r)
        self.assertEqual(r.json()["owner"], self.alice["id"])

    def test_take_ownership(self):
        tid = self.create_ticket(self.alice_c, email="hank@example.com", subject="Take me")["id"]
        r = self.alice_c.post("%s/tickets/%d/take" % (V1, tid))
        self.assertEqual(r.status, 200, r)
        self.assertEqual(r.json()["owner"], self.alice["id"])
        self.assertEqual(r.json()["status"], "open")
        self.assertEqual(r.json()["version"], 2)
        before = self.get_ticket(self.admin, tid)
        self.assertProblem(self.bob_c.post("%s/tickets/%d/take" % (V1, tid)), 409)
        self.assertProblem(self.alice_c.post("%s/tickets/%d/take" % (V1, tid)), 409)
        self.assertEqual(self.get_ticket(self.admin, tid), before)
        ev = self.events(self.admin, tid)
        self.assertEqual(ev[-1]["type"], "owner_taken")
        self.assertEqual([(c["field"], c["before"], c["after"]) for c in ev[-1]["changes"]],
                         [("owner", "", str(self.alice["id"])), ("status", "new", "open")])

    def test_lead_reassigns_plain_agent_cannot(self):
        tid = self.create_ticket(self.alice_c, email="iris@example.com", subject="Reassign")["id"]
        self.reply(self.alice_c, tid)
        url = "%s/tickets/%d/assign" % (V1, tid)
        # A pending handoff is withdrawn by the reassignment.
        r = self.alice_c.post("%s/tickets/%d/handoffs" % (V1, tid),
                              {"to_agent_id": self.lena["id"], "note": "for the lead"})
        self.assertEqual(r.status, 201, r)
        before = self.get_ticket(self.admin, tid)
        self.assertProblem(self.alice_c.post(url, {"agent_id": self.bob["id"], "note": "go"}), 403)
        self.assertProblem(self.bob_c.post(url, {"agent_id": self.bob["id"], "note": "mine"}), 403)
        self.assertProblem(self.lena_c.post(url, {"agent_id": self.bob["id"]}), 422, "note")
        self.assertProblem(self.lena_c.post(url, {"agent_id": 424242, "note": "x"}), 422,
                           "agent_id")
        self.assertProblem(self.lena_c.post(url, {"agent_id": self.alice["id"], "note": "x"}),
                           422, "agent_id")
        self.assertEqual(self.get_ticket(self.admin, tid), before)
        r = self.lena_c.post(url, {"agent_id": self.bob["id"], "note": "Bob knows this customer."})
        self.assertEqual(r.status, 200, r)
        self.assertEqual(r.json()["owner"], self.bob["id"])
        self.assertIsNone(r.json()["pending_handoff"])
        ev = self.events(self.admin, tid)
        self.assertEqual([e["type"] for e in ev[-2:]], ["handoff_withdrawn", "reassigned"])
        self.assertEqual(ev[-1]["note"], "Bob knows this customer.")
        self.assertEqual(ev[-1]["actor"], {"kind": "agent", "id": self.lena["id"]})
        self.assertEqual([(c["field"], c["before"], c["after"]) for c in ev[-1]["changes"]],
                         [("owner", str(self.alice["id"]), str(self.bob["id"]))])

    def test_customer_message_reopens_resolved_ticket(self):
        t = self.create_ticket(self.alice_c, email="jane@example.com", subject="Keeps crashing")
        tid = t["id"]
        self.reply(self.alice_c, tid, "Fixed in 4.1.")
        self.assertEqual(self.resolve(self.alice_c, tid, outcome="solved").status, 200)
        jane = self.customer_client("jane@example.com")
        # Customers write as themselves, and cannot act as agents.
        self.assertProblem(jane.post("%s/tickets/%d/messages" % (V1, tid),
                                     {"kind": "note", "body": "x"}), 422, "kind")
        self.assertProblem(self.resolve(jane, tid, outcome="withdrawn"), 403)
        self.assertProblem(jane.post("%s/tickets/%d/reopen" % (V1, tid)), 403)
        r = jane.post("%s/tickets/%d/messages" % (V1, tid), {"body": "It crashed again."})
        self.assertEqual(r.status, 201, r)
        w = r.json()
        self.assertEqual(w["ticket"]["status"], "open")
        self.assertIsNone(w["ticket"]["resolution"])
        self.assertEqual(w["ticket"]["owner"], self.alice["id"])
        self.assertEqual(w["messages"][0]["kind"], "customer")
        self.assertEqual(w["messages"][0]["author"], {"kind": "customer",
                                                      "id": t["customer_id"]})
        ev = self.events(self.admin, tid)
        self.assertEqual(ev[-1]["type"], "reopened_by_customer")
        self.assertEqual(ev[-1]["actor"], {"kind": "customer", "id": t["customer_id"]})
        self.assertEqual([(c["field"], c["before"], c["after"]) for c in ev[-1]["changes"]],
                         [("status", "resolved", "open"), ("outcome", "solved", "")])
        # Another customer learns nothing about this ticket.
        self.create_ticket(self.admin, email="kim@example.com", subject="Kim's own")
        kim = self.customer_client("kim@example.com")
        self.assertProblem(kim.get("%s/tickets/%d" % (V1, tid)), 404)
        self.assertProblem(kim.post("%s/tickets/%d/messages" % (V1, tid), {"body": "hi"}), 404)
        self.assertEqual([x["id"] for x in kim.get(V1 + "/tickets").json()["items"]
                          if x["id"] == tid], [])

    def test_notes_are_invisible_to_the_customer(self):
        t = self.create_ticket(self.alice_c, email="liam@example.com", subject="Notes")
        tid = t["id"]
        self.reply(self.alice_c, tid, "Public answer.")
        w = self.reply(self.bob_c, tid, "Internal: customer is grumpy.", kind="note")
        self.assertEqual(w["ticket"]["version"], 3)
        self.assertEqual(w["ticket"]["owner"], self.alice["id"])  # Notes take nothing.
        agent_view = self.messages(self.alice_c, tid)
        self.assertEqual([m["kind"] for m in agent_view], ["customer", "reply", "note"])
        self.assertEqual(agent_view[2]["body"], "Internal: customer is grumpy.")
        liam = self.customer_client("liam@example.com")
        customer_view = self.messages(liam, tid)
        self.assertEqual([m["kind"] for m in customer_view], ["customer", "reply"])
        self.assertEqual(customer_view, agent_view[:2])
        self.assertNotIn(b"grumpy", liam.get("%s/tickets/%d/messages" % (V1, tid)).body)
        self.assertProblem(liam.get("%s/tickets/%d/events" % (V1, tid)), 403)

    def test_patch_with_version(self):
        tid = self.create_ticket(self.alice_c, email="mia@example.com", subject="Old subject")["id"]
        self.reply(self.alice_c, tid)
        before = self.get_ticket(self.admin, tid)
        self.assertEqual(before["version"], 2)
        url = "%s/tickets/%d" % (V1, tid)
        r = self.bob_c.patch(url, {"version": 1, "subject": "Stale write", "priority": "urgent"})
        self.assertProblem(r, 409)
        self.assertEqual(self.get_ticket(self.admin, tid), before)
        events_before = self.events(self.admin, tid)

        r = self.bob_c.patch(url, {"version": 2, "subject": "New subject", "priority": "urgent",
                                   "tags": ["VIP"], "status": "pending"})
        self.assertEqual(r.status, 200, r)
        t = r.json()
        self.assertEqual(t["version"], 3)
        self.assertEqual(t["subject"], "New subject")
        self.assertEqual(t["priority"], "urgent")
        self.assertEqual(t["tags"], ["vip"])
        self.assertEqual(t["status"], "pending")
        self.assertEqual(self.get_ticket(self.admin, tid), t)
        ev = self.events(self.admin, tid)
        self.assertEqual(ev[:-1], events_before)
        self.assertEqual(ev[-1]["type"], "ticket_updated")
        self.assertEqual({(c["field"], c["before"], c["after"]) for c in ev[-1]["changes"]},
                         {("subject", "Old subject", "New subject"),
                          ("priority", "normal", "urgent"), ("tags", "", "vip"),
                          ("status", "open", "pending")})
        # The old version is stale now too.
        self.assertProblem(self.alice_c.patch(url, {"version": 2, "subject": "Again"}), 409)
        # Resolving is not an edit.
        self.assertProblem(self.alice_c.patch(url, {"version": 3, "status": "resolved"}), 409)
        self.assertEqual(self.get_ticket(self.admin, tid), t)
        # A patch that changes nothing is fine and bumps nothing.
        r = self.alice_c.patch(url, {"version": 3, "subject": "New subject"})
        self.assertEqual(r.status, 200, r)
        self.assertEqual(r.json()["version"], 3)
        self.assertEqual(len(self.events(self.admin, tid)), len(ev))

    def test_search(self):
        t1 = self.create_ticket(self.alice_c, email="nina@example.com", subject="Login trouble",
                                body="I cannot sign in since Monday.")
        self.reply(self.alice_c, t1["id"], "Try the quokkafjord reset <script>x</script> link.")
        t2 = self.create_ticket(self.alice_c, email="nina@example.com", subject="Coffee machine",
                                body="The Café Zwölfbrunnen order never arrived.")
        t3 = self.create_ticket(self.alice_c, email="nina@example.com", subject="Plain one",
                                body="resumequux was attached")

        def search(query):
            r = self.alice_c.get(V1 + "/search?" + urllib.parse.urlencode(query))
            self.assertEqual(r.status, 200, r)
            return r.json()["items"]

        hits = search({"q": "quokkafjord"})
        self.assertEqual([h["ticket"]["id"] for h in hits], [t1["id"]])
        self.assertIn("<mark>quokkafjord</mark>", hits[0]["snippet_html"])
        self.assertNotIn("<script>", hits[0]["snippet_html"])
        self.assertIn("&lt;script&gt;", hits[0]["snippet_html"])
        self.assertIn("quokkafjord", hits[0]["snippet"])
        self.assertNotIn("[[", hits[0]["snippet"])
        self.assertIsInstance(hits[0]["score"], (int, float))

        # Accents fold both ways, case does not matter.
        for q in ("cafe zwolfbrunnen", "CAFÉ Zwölfbrunnen", "zwölfbrunnen"):
            with self.subTest(q=q):
                hits = search({"q": q})
                self.assertEqual([h["ticket"]["id"] for h in hits], [t2["id"]])
                self.assertIn("<mark>", hits[0]["snippet_html"])
        self.assertEqual([h["ticket"]["id"] for h in search({"q": "résuméquux"})], [t3["id"]])

        # Status filter.
        self.assertEqual(search({"q": "quokkafjord", "status": "resolved"}), [])
        self.assertEqual(len(search({"q": "quokkafjord", "status": "open"})), 1)
        self.assertEqual(self.resolve(self.alice_c, t1["id"], outcome="solved").status, 200)
        self.assertEqual(search({"q": "quokkafjord", "status": "open"}), [])
        self.assertEqual([h["ticket"]["id"] for h in search({"q": "quokkafjord",
                                                             "status": "resolved"})], [t1["id"]])
        # The list endpoint's text filter finds the same ticket.
        r = self.alice_c.get(V1 + "/tickets?q=quokkafjord")
        self.assertEqual([x["id"] for x in r.json()["items"]], [t1["id"]])

        for q in ("!!!", "  ", "*", "\"()\"", ""):
            with self.subTest(q=q):
                self.assertProblem(self.alice_c.get(V1 + "/search?" +
                                                    urllib.parse.urlencode({"q": q})), 422, "q")
        self.assertProblem(self.alice_c.get(V1 + "/search"), 422, "q")
        self.assertProblem(self.alice_c.get(V1 + "/tickets?q=%21%21"), 422, "q")
        # Search is for agents.
        nina = self.customer_client("nina@example.com")
        self.assertProblem(nina.get(V1 + "/search?q=quokkafjord"), 403)


# ---------------------------------------------------------------------------------------------
# Keyset pagination and list filters


class PaginationTest(ApiTestCase):

    @classmethod
    def setUpServer(cls):
        cls.alice, cls.alice_c = cls.make_agent("Alice", "alice@example.com")
        cls.bob, cls.bob_c = cls.make_agent("Bob", "bob@example.com")

    def list_ids(self, client, query):
        r = client.get(V1 + "/tickets?" + query)
        self.assertEqual(r.status, 200, r)
        return [t["id"] for t in r.json()["items"]]

    def test_pages_and_filters(self):
        originals = []
        for i in range(25):
            email = ["pat@example.com", "quinn@example.com", "ray@example.com"][i % 3]
            tags = ["billing"] if i % 4 == 0 else ["other"]
            t = self.create_ticket(self.admin, email=email, subject="Ticket %d" % i,
                                   body="Body %d" % i, tags=tags)
            originals.append(t)
        ids = [t["id"] for t in originals]
        self.assertEqual(len(set(ids)), 25)

        # Walk the pages while new tickets keep arriving: none of the originals is skipped or
        # repeated, and the walk is newest first.
        seen, sizes, cursor, created_meanwhile = [], [], None, []
        for _ in range(10):
            path = V1 + "/tickets?limit=7" + ("&cursor=" + cursor if cursor else "")
            r = self.admin.get(path)
            self.assertEqual(r.status, 200, r)
            page = r.json()
            sizes.append(len(page["items"]))
            seen += [t["id"] for t in page["items"]]
            for _ in range(2):
                created_meanwhile.append(self.create_ticket(self.admin, email="sam@example.com",
                                                            subject="Meanwhile")["id"])
            cursor = page["next_cursor"]
            if cursor is None:
                break
            self.assertIsInstance(cursor, str)
        self.assertEqual(sizes, [7, 7, 7, 4])
        self.assertEqual(seen, sorted(ids, reverse=True))
        self.assertFalse(set(seen) & set(created_meanwhile))

        # A fresh walk sees everything, each once.
        everything = self.list_ids(self.admin, "limit=200")
        self.assertEqual(len(everything), len(set(everything)))
        self.assertEqual(set(everything), set(ids) | set(created_meanwhile))

        # Last page exactly full: no cursor to an empty page.
        sam = self.list_ids(self.admin, "customer=%d&limit=200" % self.customer_id("sam"))
        self.assertEqual(len(sam), 8)
        r = self.admin.get(V1 + "/tickets?customer=%d&limit=4" % self.customer_id("sam"))
        self.assertIsNotNone(r.json()["next_cursor"])
        r = self.admin.get(V1 + "/tickets?customer=%d&limit=4&cursor=%s" %
                           (self.customer_id("sam"), r.json()["next_cursor"]))
        self.assertEqual(len(r.json()["items"]), 4)
        self.assertIsNone(r.json()["next_cursor"])

        # Shape the statuses and owners: 0-3 taken by alice, 4-6 resolved by bob.
        for t in originals[0:4]:
            self.assertEqual(self.alice_c.post("%s/tickets/%d/take" % (V1, t["id"])).status, 200)
        for t in originals[4:7]:
            self.assertEqual(self.resolve(self.bob_c, t["id"], outcome="withdrawn").status, 200)
        taken = {t["id"] for t in originals[0:4]}
        resolved = {t["id"] for t in originals[4:7]}
        untouched = set(ids) - taken - resolved

        self.assertEqual(set(self.list_ids(self.admin, "status=open&limit=200")), taken)
        self.assertEqual(set(self.list_ids(self.admin, "status=resolved&limit=200")), resolved)
        self.assertEqual(set(self.list_ids(self.admin, "status=new&limit=200")),
                         untouched | set(created_meanwhile))
        self.assertEqual(self.list_ids(self.admin, "status=closed"), [])
        self.assertEqual(set(self.list_ids(self.alice_c, "owner=me&limit=200")), taken)
        self.assertEqual(set(self.list_ids(self.bob_c, "owner=me&limit=200")), resolved)
        self.assertEqual(self.list_ids(self.admin, "owner=me"), [])
        self.assertEqual(set(self.list_ids(self.admin, "owner=%d&limit=200" % self.bob["id"])),
                         resolved)
        self.assertEqual(set(self.list_ids(self.admin, "owner=none&limit=200")),
                         untouched | set(created_meanwhile))
        pat = {t["id"] for t in originals if t["customer_id"] == self.customer_id("pat")}
        self.assertEqual(len(pat), 9)
        self.assertEqual(set(self.list_ids(self.admin, "customer=%d&limit=200" %
                                           self.customer_id("pat"))), pat)
        billing = {t["id"] for i, t in enumerate(originals) if i % 4 == 0}
        self.assertEqual(set(self.list_ids(self.admin, "tag=billing&limit=200")), billing)
        self.assertEqual(set(self.list_ids(self.admin, "tag=BILLING&limit=200")), billing)
        self.assertEqual(self.list_ids(self.admin, "tag=nosuchtag"), [])
        self.assertEqual(set(self.list_ids(self.admin, "tag=billing&status=open&limit=200")),
                         billing & taken)
        # Filters page too.
        walked, cursor = [], None
        while True:
            q = "tag=other&limit=5" + ("&cursor=" + cursor if cursor else "")
            r = self.admin.get(V1 + "/tickets?" + q)
            walked += [t["id"] for t in r.json()["items"]]
            cursor = r.json()["next_cursor"]
            if cursor is None:
                break
        self.assertEqual(walked, sorted(set(ids) - billing, reverse=True))

        # A customer lists only their own tickets.
        pat_c = self.customer_client("pat@example.com")
        self.assertEqual(set(self.list_ids(pat_c, "limit=200")), pat)
        self.assertProblem(pat_c.get(V1 + "/tickets?owner=me"), 422, "owner")

    def customer_id(self, name):
        r = self.admin.get(V1 + "/customers?email=%s@example.com" % name)
        self.assertEqual(r.status, 200, r)
        items = r.json()["items"]
        self.assertEqual(len(items), 1, items)
        return items[0]["id"]


# ---------------------------------------------------------------------------------------------
# Attachments


class AttachmentTest(ApiTestCase):

    @classmethod
    def setUpServer(cls):
        cls.alice, cls.alice_c = cls.make_agent("Alice", "alice@example.com")

    def post_files(self, client, tid, kind, body, files):
        fields = [("body", body)] + ([("kind", kind)] if kind else [])
        ctype, data = harness.multipart(fields, files)
        return client.post("%s/tickets/%d/messages" % (V1, tid), raw=data,
                           headers={"Content-Type": ctype})

    def test_upload_and_download(self):
        t = self.create_ticket(self.alice_c, email="olga@example.com", subject="Files")
        tid = t["id"]
        data = b"\x00\x01\x02PK\x03\x04" + bytes(range(256)) * 8 + b"\x00\r\n--\x00"
        name = "résumé 📎 \"q\".bin"
        r = self.post_files(self.alice_c, tid, "reply", "See attached.",
                            [("file", name, "application/x-steadfast-test", data)])
        self.assertEqual(r.status, 201, r)
        msg = r.json()["messages"][0]
        self.assertEqual(msg["kind"], "reply")
        self.assertEqual(msg["body"], "See attached.")
        self.assertEqual(len(msg["attachments"]), 1)
        att = msg["attachments"][0]
        self.assertEqual(att["filename"], name)
        self.assertEqual(att["content_type"], "application/x-steadfast-test")
        self.assertEqual(att["size"], len(data))
        self.assertEqual(att["sha256"], hashlib.sha256(data).hexdigest())
        self.assertEqual(att["url"], "%s/attachments/%d" % (V1, att["id"]))
        self.assertEqual(r.json()["ticket"]["owner"], self.alice["id"])
        self.assertEqual(self.messages(self.admin, tid)[-1], msg)

        r = self.alice_c.get(att["url"])
        self.assertEqual(r.status, 200, r)
        self.assertEqual(r.body, data)
        self.assertEqual(r.headers["content-type"], "application/x-steadfast-test")
        self.assertEqual(r.headers["content-disposition"], expected_disposition(name))
        self.assertTrue(r.headers["content-disposition"].startswith("attachment; "))
        self.assertEqual(r.headers["x-content-type-options"], "nosniff")
        disp = r.headers["content-disposition"]
        star = disp.split("filename*=UTF-8''", 1)[1]
        self.assertEqual(urllib.parse.unquote(star), name)

        # The customer sees files on replies to them.
        olga = self.customer_client("olga@example.com")
        r = olga.get(att["url"])
        self.assertEqual(r.status, 200, r)
        self.assertEqual(r.body, data)

        # A file on an internal note stays internal.
        r = self.post_files(self.alice_c, tid, "note", "Internal copy.",
                            [("file", "secret.txt", "text/plain", b"internal only\x00")])
        self.assertEqual(r.status, 201, r)
        note_att = r.json()["messages"][0]["attachments"][0]
        self.assertProblem(olga.get(note_att["url"]), 404)
        r = self.alice_c.get(note_att["url"])
        self.assertEqual(r.status, 200, r)
        self.assertEqual(r.body, b"internal only\x00")
        self.assertEqual(r.headers["content-type"], "text/plain")

        # The customer uploads too; with no type given, it is stored as octet-stream.
        r = self.post_files(olga, tid, None, "Here is my log.",
                            [("upload", "log.txt", None, b"line1\nline2\n")])
        self.assertEqual(r.status, 201, r)
        cust_att = r.json()["messages"][0]["attachments"][0]
        self.assertEqual(cust_att["content_type"], "application/octet-stream")
        r = self.alice_c.get(cust_att["url"])
        self.assertEqual(r.body, b"line1\nline2\n")
        self.assertEqual(r.headers["content-type"], "application/octet-stream")

        # Someone else's customer learns nothing; unknown ids are 404.
        self.create_ticket(self.alice_c, email="pete@example.com", subject="Pete's")
        pete = self.customer_client("pete@example.com")
        self.assertProblem(pete.get(att["url"]), 404)
        self.assertProblem(self.alice_c.get(V1 + "/attachments/999999"), 404)

    def test_several_files_in_one_message(self):
        tid = self.create_ticket(self.alice_c, email="quentin@example.com")["id"]
        files = [("a", "one.bin", "application/octet-stream", b"\x00" * 10),
                 ("b", "two.png", "image/png", b"\x89PNG\r\n\x1a\n" + b"\x00" * 30)]
        r = self.post_files(self.alice_c, tid, "reply", "Two files.", files)
        self.assertEqual(r.status, 201, r)
        atts = r.json()["messages"][0]["attachments"]
        self.assertEqual([a["filename"] for a in atts], ["one.bin", "two.png"])
        for a, f in zip(atts, files):
            r = self.alice_c.get(a["url"])
            self.assertEqual(r.body, f[3])
            self.assertEqual(r.headers["content-type"], f[2])


# ---------------------------------------------------------------------------------------------
# Customers, companies, agents, teams


class PeopleTest(ApiTestCase):

    @classmethod
    def setUpServer(cls):
        cls.lena, cls.lena_c = cls.make_agent("Lena", "lena@example.com", role="lead")
        cls.alice, cls.alice_c = cls.make_agent("Alice", "alice@example.com")

    def test_agents(self):
        r = self.admin.post(V1 + "/agents", {"name": " Victor ", "email": "Victor@Example.com",
                                             "role": "lead", "password": "victor-password-1"})
        self.assertEqual(r.status, 201, r)
        v = r.json()
        self.assertEqual(v["name"], "Victor")
        self.assertEqual(v["email"], "victor@example.com")
        self.assertEqual(v["role"], "lead")
        self.assertTrue(v["active"])
        self.assertEqual(v["teams"], [])
        self.assertNotIn("password", v)
        self.assertNotIn("password_hash", v)
        r = self.alice_c.get("%s/agents/%d" % (V1, v["id"]))
        self.assertEqual(r.status, 200, r)
        self.assertEqual(r.json(), v)
        listed = self.alice_c.get(V1 + "/agents").json()["items"]
        self.assertIn(v, listed)
        # The new agent can sign in with the password set.
        c = self.new_client()
        self.assertEqual(c.login("victor@example.com", "victor-password-1").status, 200)
        # Default role is agent.
        r = self.admin.post(V1 + "/agents", {"name": "Wendy", "email": "wendy@example.com"})
        self.assertEqual(r.status, 201, r)
        self.assertEqual(r.json()["role"], "agent")

        self.assertProblem(self.admin.post(V1 + "/agents", {"name": "Dup",
                                                            "email": "victor@example.com"}), 409)
        self.assertProblem(self.lena_c.post(V1 + "/agents", {"name": "X",
                                                             "email": "x1@example.com"}), 403)
        self.assertProblem(self.alice_c.post(V1 + "/agents", {"name": "X",
                                                              "email": "x2@example.com"}), 403)
        self.assertProblem(self.admin.post(V1 + "/agents", {"name": "Short", "password": "short",
                                                            "email": "x3@example.com"}),
                           422, "password")
        self.assertProblem(self.alice_c.get(V1 + "/agents/99999"), 404)
        emails = [a["email"] for a in self.admin.get(V1 + "/agents").json()["items"]]
        for e in ("x1@example.com", "x2@example.com", "x3@example.com"):
            self.assertNotIn(e, emails)

    def test_teams(self):
        r = self.lena_c.post(V1 + "/teams", {"name": "Billing"})
        self.assertEqual(r.status, 201, r)
        team = r.json()
        self.assertEqual(team["name"], "Billing")
        self.assertIsInstance(team["id"], int)
        self.assertProblem(self.alice_c.post(V1 + "/teams", {"name": "Rogue"}), 403)
        self.assertProblem(self.lena_c.post(V1 + "/teams", {}), 422, "name")
        teams = self.alice_c.get(V1 + "/teams").json()["items"]
        self.assertIn(team, teams)
        self.assertNotIn("Rogue", [t["name"] for t in teams])
        # Admin adds an agent to the team; tickets can be filed under it.
        r = self.admin.post(V1 + "/agents", {"name": "Tess", "email": "tess@example.com",
                                             "teams": [team["id"]]})
        self.assertEqual(r.status, 201, r)
        self.assertEqual(r.json()["teams"], [team["id"]])
        t = self.create_ticket(self.alice_c, email="team-case@example.com",
                               team_id=team["id"])
        self.assertEqual(t["team_id"], team["id"])
        r = self.alice_c.get(V1 + "/tickets?team=%d" % team["id"])
        self.assertEqual([x["id"] for x in r.json()["items"]], [t["id"]])
        r = self.alice_c.patch("%s/tickets/%d" % (V1, t["id"]), {"version": 1, "team_id": None})
        self.assertEqual(r.status, 200, r)
        self.assertIsNone(r.json()["team_id"])
        self.assertEqual(r.json()["version"], 2)

    def test_companies(self):
        r = self.alice_c.post(V1 + "/companies", {"name": "Acme", "shares_tickets": True})
        self.assertEqual(r.status, 201, r)
        co = r.json()
        self.assertEqual(co["name"], "Acme")
        self.assertTrue(co["shares_tickets"])
        r = self.alice_c.get("%s/companies/%d" % (V1, co["id"]))
        self.assertEqual(r.status, 200, r)
        self.assertEqual(r.json(), co)
        r = self.alice_c.post(V1 + "/companies", {"name": "Solo"})
        self.assertEqual(r.status, 201, r)
        self.assertFalse(r.json()["shares_tickets"])
        self.assertProblem(self.alice_c.get(V1 + "/companies/99999"), 404)

        # Colleagues at a company that shares tickets see each other's tickets.
        for email in ("una@acme.example", "vic@acme.example"):
            r = self.alice_c.post(V1 + "/customers", {"name": email.split("@")[0],
                                                      "email": email, "company_id": co["id"]})
            self.assertEqual(r.status, 201, r)
            self.assertEqual(r.json()["company_id"], co["id"])
        t = self.create_ticket(self.alice_c, email="una@acme.example", subject="Shared")
        self.assertEqual(t["company_id"], co["id"])
        vic = self.customer_client("vic@acme.example")
        r = vic.get("%s/tickets/%d" % (V1, t["id"]))
        self.assertEqual(r.status, 200, r)
        self.assertIn(t["id"], [x["id"] for x in vic.get(V1 + "/tickets").json()["items"]])
        # ...but only read it.
        self.assertProblem(vic.post("%s/tickets/%d/messages" % (V1, t["id"]), {"body": "me too"}),
                           403)

    def test_customers(self):
        r = self.alice_c.post(V1 + "/customers", {
            "name": "Xena Warrior", "emails": ["Xena@Example.com", "xena@work.example"],
            "timezone": "Europe/Paris", "language": "fr", "notes": "Prefers email."})
        self.assertEqual(r.status, 201, r)
        c = r.json()
        self.assertEqual(c["name"], "Xena Warrior")
        self.assertEqual(c["emails"], ["xena@example.com", "xena@work.example"])
        self.assertEqual(c["timezone"], "Europe/Paris")
        self.assertEqual(c["language"], "fr")
        self.assertEqual(c["notes"], "Prefers email.")
        self.assertIsNone(c["company_id"])
        self.assertEqual(c["version"], 1)
        url = "%s/customers/%d" % (V1, c["id"])
        self.assertEqual(self.alice_c.get(url).json(), c)
        r = self.alice_c.get(V1 + "/customers?email=xena@work.example")
        self.assertEqual(r.json()["items"], [c])
        self.assertProblem(self.alice_c.post(V1 + "/customers", {"name": "Clone",
                                                                 "email": "XENA@example.com"}),
                           409)
        # A ticket for one of her addresses lands on her record.
        t = self.create_ticket(self.alice_c, email="xena@work.example", subject="Hers")
        self.assertEqual(t["customer_id"], c["id"])
        r = self.alice_c.get(url + "/tickets")
        self.assertEqual([x["id"] for x in r.json()["items"]], [t["id"]])

        r = self.alice_c.patch(url, {"version": 1, "name": "Xena W.", "language": "de"})
        self.assertEqual(r.status, 200, r)
        c2 = r.json()
        self.assertEqual(c2["version"], 2)
        self.assertEqual(c2["name"], "Xena W.")
        self.assertEqual(c2["language"], "de")
        self.assertEqual(c2["emails"], c["emails"])
        self.assertEqual(c2["timezone"], "Europe/Paris")
        self.assertProblem(self.alice_c.patch(url, {"version": 1, "name": "Stale"}), 409)
        self.assertEqual(self.alice_c.get(url).json(), c2)
        # An address that belongs to someone else.
        self.create_ticket(self.alice_c, email="yuri@example.com")
        self.assertProblem(self.alice_c.patch(url, {"version": 2, "email": "yuri@example.com"}),
                           409)
        self.assertEqual(self.alice_c.get(url).json(), c2)

        # The customer sees their own record (without the team's notes about them), nobody
        # else's, and edits nothing here.
        xena = self.customer_client("xena@example.com")
        self.assertEqual(xena.get(url).json(), dict(c2, notes=""))
        yuri_id = self.admin.get(V1 + "/customers?email=yuri@example.com").json()["items"][0]["id"]
        self.assertProblem(xena.get("%s/customers/%d" % (V1, yuri_id)), 404)
        self.assertProblem(xena.patch(url, {"version": 2, "name": "Me"}), 403)
        self.assertProblem(xena.get(V1 + "/customers"), 403)
        r = xena.get(V1 + "/auth/me")
        self.assertEqual(r.json(), {"kind": "customer", "customer": dict(c2, notes=""),
                                    "csrf_token": None})


if __name__ == "__main__":
    harness.main()
