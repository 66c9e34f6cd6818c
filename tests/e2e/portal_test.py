"""The customer portal's API against the real server, with mail going to a real SMTP sink:
sign-in links (the same answer for any address, single use, rate-limited, only a hash kept),
the contact form's limits, and what a signed-in customer can and cannot see.

The link's 15-minute expiry is tested on a fake clock (tests/storage/store_contract_test.cc and
tests/http/auth_test.cc): here the server runs on the real one.
"""

import datetime
import hashlib
import os
import re
import sqlite3
import sys
import tempfile
import time
import unittest
import uuid

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import harness  # noqa: E402
from mail_out_test import Sink  # noqa: E402

V1 = "/api/v1"
DUE = (datetime.datetime.now(datetime.timezone.utc) + datetime.timedelta(days=30)).strftime(
    "%Y-%m-%dT17:00:00")
LINK_RE = re.compile(r"(/portal/sign-in#token=([A-Za-z0-9_-]+))")


def unique(prefix):
    return "%s-%s@example.com" % (prefix, uuid.uuid4().hex[:8])


class PortalServer:
    """A server whose mail goes to an aiosmtpd sink."""

    def __init__(self, env=None):
        self.tmp = tempfile.mkdtemp(prefix="steadfast-portal-")
        self.sink = Sink(harness.free_port(), os.path.join(self.tmp, "Maildir"))
        self.sink.start()
        settings = {"STEADFAST_SMTP_URL": "smtp://127.0.0.1:%d" % self.sink.port,
                    "STEADFAST_SMTP_FROM": "support@help.example",
                    "STEADFAST_PUBLIC_URL": "https://help.example",
                    "STEADFAST_SMTP_RETRY_SECONDS": "1"}
        settings.update(env or {})
        self.server = harness.Server(env=settings).start()
        self.admin = self.server.client(self.server.token(agent=harness.ADMIN_EMAIL))

    def close(self):
        self.admin.close()
        self.server.cleanup()
        self.sink.stop()

    def mails_to(self, address, subject=None, want=1, timeout=20):
        """The messages to `address` (with `subject`), waiting until there are `want`."""
        deadline = time.monotonic() + timeout
        while True:
            found = [m for m in self.sink.messages()
                     if address in str(m["To"]) and (subject is None or m["Subject"] == subject)]
            if len(found) >= want or time.monotonic() > deadline:
                return found
            time.sleep(0.1)

    def customer(self, email, name="Pat Portal", subject="My order"):
        r = self.admin.post(V1 + "/tickets", {"subject": subject, "body": "Where is it?",
                                              "customer": {"email": email, "name": name}})
        assert r.status == 201, r
        return r.json()["ticket"]


def link_in(mail):
    text = mail.get_content()
    m = LINK_RE.search(text)
    assert m, text
    return text, m.group(2)


class MagicLinkTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.p = PortalServer()
        cls.anon = cls.p.server.client()

    @classmethod
    def tearDownClass(cls):
        cls.anon.close()
        cls.p.close()

    def ask(self, email):
        return self.anon.post(V1 + "/portal/magic-link", {"email": email})

    def sign_in(self, token):
        c = self.p.server.client()
        r = c.post(V1 + "/portal/session", {"token": token})
        if r.status == 200:
            c.cookie = r.headers["set-cookie"].split(";")[0]
            c.csrf = r.json()["csrf_token"]
        return c, r

    def test_known_and_unknown_addresses_get_the_same_answer(self):
        known = unique("known")
        self.p.customer(known)
        a = self.ask(known)
        b = self.ask(unique("stranger"))
        self.assertEqual(a.status, 202, a)
        self.assertEqual(b.status, 202, b)
        self.assertEqual(a.body, b.body)
        self.assertEqual(a.json()["status"], "sent_if_known")
        self.assertEqual(len(self.p.mails_to(known, "Your sign-in link")), 1)

    def test_the_link_signs_in_once_and_only_a_hash_is_kept(self):
        email = unique("once")
        t = self.p.customer(email, name="Olive Once")
        self.assertEqual(self.ask(email.upper()).status, 202)  # Addresses are not case-sensitive.
        mail = self.p.mails_to(email, "Your sign-in link")[0]
        self.assertEqual(mail["Auto-Submitted"], "auto-generated")
        text, token = link_in(mail)
        self.assertIn("https://help.example/portal/sign-in#token=", text)
        self.assertIn("Olive Once", text)

        c, r = self.sign_in(token)
        self.assertEqual(r.status, 200, r)
        self.assertEqual(r.json()["kind"], "customer")
        self.assertEqual(r.json()["customer"]["emails"], [email])
        self.assertEqual(r.json()["customer"]["notes"], "")
        cookie = r.headers["set-cookie"]
        self.assertIn("HttpOnly", cookie)
        self.assertIn("SameSite=Lax", cookie)
        me = c.get(V1 + "/auth/me")
        self.assertEqual(me.status, 200, me)
        self.assertEqual(me.json()["csrf_token"], c.csrf)
        mine = c.get(V1 + "/tickets").json()["items"]
        self.assertEqual([x["id"] for x in mine], [t["id"]])

        # Used up: the same answer as a token never issued.
        other, again = self.sign_in(token)
        other.close()
        self.assertEqual(again.status, 404, again)
        self.assertIn("used, or it expired", again.json()["detail"])
        other, never = self.sign_in("x" * 43)
        other.close()
        self.assertEqual(never.status, 404, never)

        # Sign-out is the ordinary logout.
        self.assertEqual(c.post(V1 + "/auth/logout").status, 204)
        self.assertEqual(c.get(V1 + "/auth/me").status, 401)
        c.close()

        # The database keeps the token's SHA-256, and once the mail is out, no copy of the link.
        db = sqlite3.connect(os.path.join(self.p.server.data_dir, "steadfast.db"))
        try:
            hashes = [h for (h,) in db.execute("SELECT token_hash FROM portal_links")]
            self.assertIn(hashlib.sha256(token.encode()).hexdigest(), hashes)
            deadline = time.monotonic() + 10
            while time.monotonic() < deadline:
                rows = db.execute("SELECT state, body FROM outbox WHERE ticket_id IS NULL"
                                  " AND body LIKE ?", ("%" + token + "%",)).fetchall()
                if not rows:
                    break
                time.sleep(0.1)
            self.assertEqual(rows, [])
            for (name,) in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'"):
                if name.startswith("sqlite_") or name.endswith(("_data", "_idx", "_docsize",
                                                                  "_config", "_content")):
                    continue
                for row in db.execute('SELECT * FROM "%s"' % name):
                    self.assertNotIn(token, " ".join(str(v) for v in row), name)
        finally:
            db.close()

    def test_bad_requests_name_the_field(self):
        for body, field in (({}, "email"), ({"email": "not-an-address"}, "email"),
                            ({"email": "a" * 250 + "@example.com"}, "email"),
                            ({"email": "a@example.com", "extra": 1}, "extra")):
            r = self.anon.post(V1 + "/portal/magic-link", body)
            self.assertEqual(r.status, 422, r)
            self.assertEqual(r.json()["errors"][0]["field"], field)
        r = self.anon.post(V1 + "/portal/session", {"token": ""})
        self.assertEqual(r.status, 422, r)
        self.assertEqual(r.json()["errors"][0]["field"], "token")

    def test_links_per_email_are_limited_known_or_not(self):
        for email in (unique("limited"), unique("limited-stranger")):
            if "stranger" not in email:
                self.p.customer(email)
            for _ in range(3):
                self.assertEqual(self.ask(email).status, 202)
            r = self.ask(email)
            self.assertEqual(r.status, 429, r)
            self.assertEqual(r.headers["content-type"], "application/problem+json")
            self.assertIn("this email address", r.json()["detail"])


class AddressLimitTest(unittest.TestCase):
    """One client address asking for links and sending contact forms again and again."""

    def test_per_address_limits(self):
        p = PortalServer()
        anon = p.server.client()
        try:
            for i in range(20):
                r = anon.post(V1 + "/portal/magic-link", {"email": unique("spray")})
                self.assertEqual(r.status, 202, (i, r))
            r = anon.post(V1 + "/portal/magic-link", {"email": unique("spray")})
            self.assertEqual(r.status, 429, r)
            self.assertIn("from this address", r.json()["detail"])
            for i in range(20):
                r = anon.post(V1 + "/portal/contact", {"email": unique("walk"), "subject": "Hi",
                                                       "message": "Hello %d" % i})
                self.assertEqual(r.status, 202, (i, r))
            r = anon.post(V1 + "/portal/contact", {"email": unique("walk"), "subject": "Hi",
                                                   "message": "One more"})
            self.assertEqual(r.status, 429, r)
            self.assertIn("from this address", r.json()["detail"])
        finally:
            anon.close()
            p.close()


class ContactFormTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.p = PortalServer()
        cls.anon = cls.p.server.client()

    @classmethod
    def tearDownClass(cls):
        cls.anon.close()
        cls.p.close()

    def contact(self, **fields):
        body = {"email": unique("contact"), "subject": "Broken zipper", "message": "It broke."}
        body.update(fields)
        return self.anon.post(V1 + "/portal/contact", body), body

    def test_opens_an_acknowledged_ticket_without_echoing_it(self):
        r, sent = self.contact(name="Walk In", subject="Broken zipper on the red bag")
        self.assertEqual(r.status, 202, r)
        self.assertEqual(set(r.json()), {"status", "message"})
        self.assertEqual(r.json()["status"], "received")
        self.assertNotIn(b"Broken zipper", r.body)
        found = self.p.admin.get(V1 + "/customers?email=" + sent["email"]).json()["items"]
        self.assertEqual(len(found), 1)
        self.assertEqual(found[0]["name"], "Walk In")
        tickets = self.p.admin.get("%s/tickets?customer=%d" % (V1, found[0]["id"])).json()
        self.assertEqual(len(tickets["items"]), 1)
        t = tickets["items"][0]
        self.assertEqual(t["channel"], "portal")
        self.assertEqual(t["subject"], "Broken zipper on the red bag")
        ack = self.p.mails_to(sent["email"])
        self.assertEqual(len(ack), 1)
        self.assertIn("Broken zipper on the red bag", ack[0].get_content())

        # A known customer writing again gets a second ticket on the same record.
        r, _ = self.contact(email=sent["email"], subject="And the strap")
        self.assertEqual(r.status, 202, r)
        tickets = self.p.admin.get("%s/tickets?customer=%d" % (V1, found[0]["id"])).json()
        self.assertEqual(len(tickets["items"]), 2)

    def test_each_refusal_names_the_field_or_the_limit(self):
        cases = (
            ({"website": "http://spam.example"}, 422, "website"),
            ({"email": "nope"}, 422, "email"),
            ({"email": "x" * 250 + "@example.com"}, 422, "email"),
            ({"name": "n" * 201}, 422, "name"),
            ({"name": "two\nlines"}, 422, "name"),
            ({"subject": ""}, 422, "subject"),
            ({"subject": "s" * 201}, 422, "subject"),
            ({"message": ""}, 422, "message"),
            ({"message": "m" * (20 * 1024 + 1)}, 422, "message"),
            ({"priority": "urgent"}, 422, "priority"),
        )
        for fields, status, field in cases:
            r, body = self.contact(**fields)
            self.assertEqual(r.status, status, (fields, r))
            self.assertEqual(r.headers["content-type"], "application/problem+json")
            self.assertEqual(r.json()["errors"][0]["field"], field, fields)
            self.assertEqual(
                self.p.admin.get(V1 + "/customers?email=" + body["email"]).json()["items"], [])
        r = self.anon.post(V1 + "/portal/contact", raw=b"{not json",
                           headers={"Content-Type": "application/json"})
        self.assertEqual(r.status, 400, r)

    def test_per_email_limit(self):
        email = unique("chatty")
        for i in range(3):
            r, _ = self.contact(email=email, message="Message %d" % i)
            self.assertEqual(r.status, 202, r)
        r, _ = self.contact(email=email, message="Message 4")
        self.assertEqual(r.status, 429, r)
        self.assertIn("this email address", r.json()["detail"])


class CustomerViewTest(unittest.TestCase):
    """What a signed-in customer sees through the ordinary ticket routes."""

    @classmethod
    def setUpClass(cls):
        cls.p = PortalServer()
        s = cls.p.server
        admin = cls.p.admin
        cls.agent_id = admin.post(V1 + "/agents", {"name": "Ben Okafor", "email": "ben@example.com"}
                                  ).json()["id"]
        cls.ben = s.client(s.token(agent="ben@example.com"))
        cls.shared = admin.post(V1 + "/companies", {"name": "Sharing Co", "shares_tickets": True}
                                ).json()["id"]
        cls.private = admin.post(V1 + "/companies", {"name": "Private Co",
                                                     "shares_tickets": False}).json()["id"]
        cls.t = {}
        for who, company in (("sam", cls.shared), ("sue", cls.shared), ("pia", cls.private),
                             ("pete", cls.private), ("lone", None)):
            email = "%s@example.com" % who
            # The company first: a ticket belongs to the company its customer had when it opened.
            r = admin.post(V1 + "/customers", {"name": who.title(), "email": email,
                                               "company_id": company})
            assert r.status == 201, r
            cls.t[who] = cls.p.customer(email, name=who.title(), subject="%s's ticket" % who)
        tid = cls.t["sam"]["id"]
        admin.patch("%s/tickets/%d" % (V1, tid), {"version": cls.t["sam"]["version"],
                                                  "tags": ["vip", "angry"]})
        r = cls.ben.post("%s/tickets/%d/messages" % (V1, tid),
                         {"kind": "reply", "body": "I will sort it today.",
                          "promise": {"text": "Send the new label", "due_at": DUE + "Z"}})
        assert r.status == 201, r
        cls.ben.post("%s/tickets/%d/messages" % (V1, tid),
                     {"kind": "note", "body": "INTERNAL: customer is difficult"})
        cls.clients = {}

    @classmethod
    def tearDownClass(cls):
        for c in cls.clients.values():
            c.close()
        cls.ben.close()
        cls.p.close()

    def as_customer(self, who):
        if who not in self.clients:
            email = "%s@example.com" % who
            asker = self.p.server.client()
            self.assertEqual(asker.post(V1 + "/portal/magic-link", {"email": email}).status, 202)
            asker.close()
            mails = self.p.mails_to(email, "Your sign-in link")
            _, token = link_in(mails[-1])
            c = self.p.server.client()
            r = c.post(V1 + "/portal/session", {"token": token})
            self.assertEqual(r.status, 200, r)
            c.cookie = r.headers["set-cookie"].split(";")[0]
            c.csrf = r.json()["csrf_token"]
            self.clients[who] = c
        return self.clients[who]

    def visible(self, who):
        return sorted(t["id"] for t in self.as_customer(who).get(V1 + "/tickets").json()["items"])

    def test_own_tickets_only_and_a_sharing_company_s(self):
        t = self.t
        self.assertEqual(self.visible("sam"), sorted([t["sam"]["id"], t["sue"]["id"]]))
        self.assertEqual(self.visible("pia"), [t["pia"]["id"]])
        self.assertEqual(self.visible("lone"), [t["lone"]["id"]])
        for who, other in (("pia", "pete"), ("lone", "sam"), ("sam", "pia")):
            c = self.as_customer(who)
            tid = t[other]["id"]
            for path in ("/tickets/%d", "/tickets/%d/messages"):
                r = c.get(V1 + path % tid)
                self.assertEqual(r.status, 404, (who, other, path, r))
            r = c.post("%s/tickets/%d/messages" % (V1, tid), {"body": "Let me in"})
            self.assertEqual(r.status, 404, r)
        # A colleague in a sharing company reads, but writes only on their own tickets.
        sue = self.as_customer("sue")
        self.assertEqual(sue.get("%s/tickets/%d" % (V1, t["sam"]["id"])).status, 200)
        self.assertEqual(sue.post("%s/tickets/%d/messages" % (V1, t["sam"]["id"]),
                                  {"body": "Me too"}).status, 403)
        self.assertEqual(sue.get("%s/tickets/%d/events" % (V1, t["sam"]["id"])).status, 403)

    def test_the_ticket_as_the_customer_sees_it(self):
        sam = self.as_customer("sam")
        tid = self.t["sam"]["id"]
        got = sam.get("%s/tickets/%d" % (V1, tid)).json()
        self.assertEqual(got["owner"], self.agent_id)
        self.assertEqual(got["owner_name"], "Ben Okafor")
        self.assertEqual(got["tags"], [])  # The team's labels ("vip", "angry") are theirs.
        self.assertIsNone(got["team_id"])
        self.assertIsNone(got["pending_handoff"])
        self.assertEqual([p["text"] for p in got["promises"]], ["Send the new label"])
        self.assertEqual(got["promises"][0]["due_at"], DUE + ".000Z")
        self.assertEqual(self.ben.get("%s/tickets/%d" % (V1, tid)).json()["tags"],
                         ["angry", "vip"])
        listed = [x for x in sam.get(V1 + "/tickets").json()["items"] if x["id"] == tid][0]
        self.assertEqual(listed["tags"], [])
        self.assertEqual(listed["owner_name"], "Ben Okafor")
        messages = sam.get("%s/tickets/%d/messages" % (V1, tid)).json()["items"]
        self.assertNotIn("note", {m["kind"] for m in messages})
        self.assertNotIn(b"INTERNAL", sam.get("%s/tickets/%d/messages" % (V1, tid)).body)

    def test_names_not_emails_of_the_team_in_lists_and_replies(self):
        sam = self.as_customer("sam")
        tid = self.t["sam"]["id"]
        by_id = {x["id"]: x for x in sam.get(V1 + "/tickets").json()["items"]}
        self.assertEqual(by_id[tid]["owner_name"], "Ben Okafor")
        self.assertIsNone(by_id[self.t["sue"]["id"]]["owner_name"])  # Nobody owns it yet.
        r = sam.get("%s/tickets/%d/messages" % (V1, tid))
        authors = [(m["kind"], m["author_name"]) for m in r.json()["items"]]
        self.assertIn(("reply", "Ben Okafor"), authors)
        self.assertIn(("customer", None), authors)
        for path in ("/tickets", "/tickets/%d/messages" % tid, "/tickets/%d" % tid):
            self.assertNotIn(b"ben@example.com", sam.get(V1 + path).body, path)
        # The team sees the same names, on every list of tickets.
        listed = self.ben.get("%s/customers/%d/tickets" % (V1, self.t["sam"]["customer_id"]))
        self.assertEqual([x["owner_name"] for x in listed.json()["items"]], ["Ben Okafor"])
        r = self.ben.post("%s/tickets/%d/messages" % (V1, self.t["pete"]["id"]),
                          {"kind": "reply", "body": "Done."})
        self.assertEqual(r.status, 201, r)
        self.assertEqual([m["author_name"] for m in r.json()["messages"]], ["Ben Okafor"])

    def test_the_customer_replies_with_an_attachment_and_sees_the_outcome(self):
        sam = self.as_customer("sam")
        tid = self.t["sam"]["id"]
        ctype, body = harness.multipart(fields=[("body", "Here is a photo.")],
                                        files=[("files", "label.png", "image/png", b"\x89PNG..")])
        r = sam.post("%s/tickets/%d/messages" % (V1, tid), raw=body,
                     headers={"Content-Type": ctype})
        self.assertEqual(r.status, 201, r)
        w = r.json()
        self.assertEqual(w["ticket"]["tags"], [])
        self.assertEqual([m["kind"] for m in w["messages"]], ["customer"])
        att = w["messages"][0]["attachments"][0]
        self.assertEqual(sam.get(att["url"]).body, b"\x89PNG..")
        self.assertEqual(self.as_customer("pia").get(att["url"]).status, 404)

        r = self.ben.post("%s/tickets/%d/resolve" % (V1, tid),
                          {"outcome": "cannot_do",
                           "statement": "We cannot print labels for parcels already sent."})
        self.assertEqual(r.status, 200, r)
        got = sam.get("%s/tickets/%d" % (V1, tid)).json()
        self.assertEqual(got["status"], "resolved")
        self.assertEqual(got["resolution"]["outcome"], "cannot_do")
        self.assertEqual(got["resolution"]["statement"],
                         "We cannot print labels for parcels already sent.")


if __name__ == "__main__":
    harness.main()
