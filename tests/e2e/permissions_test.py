"""The HTTP permission matrix: every API route x every kind of principal, over real HTTP.

The policy lives in src/domain/permissions.cc (unit matrix: tests/domain/permissions_test.cc).
This test checks that the handlers in src/http/ apply it: one row per route (some routes have
more than one row, for targets that the policy treats differently), one expected status per
principal. State-changing cells get a fresh target from the row's factory, so cells do not
depend on each other.

Principals:
  anon   no credentials at all
  bad    'Authorization: Bearer' with a token that does not exist
  admin  the admin created by `init`
  lead   an agent with role lead
  owner  a plain agent who owns the target tickets
  other  a plain agent; pending handoffs on the target tickets are offered to them
  A1     the customer of the target tickets (company "Shares", shares_tickets true)
  A2     A1's colleague at "Shares"
  B      a customer at "Private" (shares_tickets false)
  C      a customer without a company
"""

import itertools
import os
import re
import sys
import time
import unittest

sys.path.insert(0, os.path.dirname(__file__))

import harness  # noqa: E402

V1 = "/api/v1"
API_CC = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "src", "http",
                      "api.cc")

PRINCIPALS = ["anon", "bad", "admin", "lead", "owner", "other", "A1", "A2", "B", "C"]
AGENTS = ["admin", "lead", "owner", "other"]
CUSTOMERS = ["A1", "A2", "B", "C"]

EMAILS = {
    "admin": harness.ADMIN_EMAIL,
    "lead": "lead@example.com",
    "owner": "owner@example.com",
    "other": "other@example.com",
    "A1": "a1@shares.example",
    "A2": "a2@shares.example",
    "B": "b@private.example",
    "C": "c@nowhere.example",
}

# Which customers may see a ticket of which customer (their own; A1 and A2 share a company).
VISIBLE = {
    "A1": {"A1", "A2"},
    "A2": {"A1", "A2"},
    "B": {"B"},
    "C": {"C"},
}

_counter = itertools.count(1)


def unique(prefix):
    return "%s-%d" % (prefix, next(_counter))


def expect(admin, lead, owner, other, a1, a2, b, c, anon=401, bad=401):
    return {"anon": anon, "bad": bad, "admin": admin, "lead": lead, "owner": owner,
            "other": other, "A1": a1, "A2": a2, "B": b, "C": c}


def everyone(status):
    return expect(status, status, status, status, status, status, status, status,
                  anon=status, bad=status)


def agents_only(agent_status):
    """Agents get agent_status; every customer 403."""
    return expect(agent_status, agent_status, agent_status, agent_status, 403, 403, 403, 403)


def multipart(fields, files):
    """A multipart/form-data body: fields {name: value}, files [(name, filename, type, data)]."""
    boundary = "sfpermissionsboundary7MA4YWxk"
    out = []
    for name, value in fields.items():
        out.append(("--%s\r\nContent-Disposition: form-data; name=\"%s\"\r\n\r\n%s\r\n" %
                    (boundary, name, value)).encode())
    for name, filename, ctype, data in files:
        out.append(("--%s\r\nContent-Disposition: form-data; name=\"%s\"; filename=\"%s\"\r\n"
                    "Content-Type: %s\r\n\r\n" % (boundary, name, filename, ctype)).encode())
        out.append(data + b"\r\n")
    out.append(("--%s--\r\n" % boundary).encode())
    return b"".join(out), "multipart/form-data; boundary=" + boundary


class Row:
    """One line of the matrix.

    setup(who) returns the request for principal `who`: a dict with optional keys
    id (path parameter), query (string after '?'), body (JSON), raw + content_type.
    """

    def __init__(self, method, template, setup, expected, label=""):
        self.method = method
        self.template = template
        self.setup = setup
        self.expected = expected
        self.label = label
        assert set(expected) == set(PRINCIPALS), (method, template)

    def name(self):
        s = "%s %s" % (self.method, self.template[len(V1):])
        return s + (" [%s]" % self.label if self.label else "")


class PermissionMatrixTest(unittest.TestCase):
    server = None

    # ----------------------------------------------------------------- fixture
    @classmethod
    def setUpClass(cls):
        cls.server = harness.Server()
        try:
            for who, role in (("lead", "lead"), ("owner", "agent"), ("other", "agent")):
                cls.server.cli("user", "add", "--data", cls.server.data_dir, "--email",
                               EMAILS[who], "--name", who.capitalize(), "--role", role)
            cls.server.start()
            cls._build_fixture()
        except BaseException:
            cls.server.cleanup()
            raise

    @classmethod
    def tearDownClass(cls):
        if cls.server is not None:
            cls.server.cleanup()

    @classmethod
    def ok(cls, r, status, what):
        if r.status != status:
            raise AssertionError("fixture: %s answered %r, wanted %d" % (what, r, status))
        return r.json() if r.body else None

    @classmethod
    def _build_fixture(cls):
        s = cls.server
        cls.clients = {"anon": s.client(), "bad": s.client("sf_this-token-does-not-exist")}
        for who in AGENTS:
            cls.clients[who] = s.client(s.token(agent=EMAILS[who]))
        admin = cls.clients["admin"]
        cls.admin = admin

        agents = cls.ok(admin.get(V1 + "/agents"), 200, "list agents")["items"]
        cls.agent_id = {}
        for who in AGENTS:
            cls.agent_id[who] = next(a["id"] for a in agents if a["email"] == EMAILS[who])

        cls.company = {}
        for name, shares in (("Shares", True), ("Private", False)):
            co = cls.ok(admin.post(V1 + "/companies", {"name": name, "shares_tickets": shares}),
                        201, "create company " + name)
            cls.company[name] = co["id"]
        company_of = {"A1": "Shares", "A2": "Shares", "B": "Private", "C": None}
        cls.customer_id = {}
        for who in CUSTOMERS:
            body = {"name": "Customer " + who, "email": EMAILS[who]}
            if company_of[who]:
                body["company_id"] = cls.company[company_of[who]]
            cu = cls.ok(admin.post(V1 + "/customers", body), 201, "create customer " + who)
            cls.customer_id[who] = cu["id"]
            cls.clients[who] = s.client(s.token(customer=EMAILS[who]))

        # One base ticket per customer: owned by `owner`, a pending handoff to `other`,
        # a reply with an attachment and an internal note with an attachment.
        cls.base = {who: cls._base_ticket(who) for who in CUSTOMERS}

    @classmethod
    def new_ticket(cls, customer="A1", owned=True, pending_handoff=False, resolved=False):
        """A fresh ticket of `customer`, created by the admin; owned by `owner` if asked."""
        admin = cls.admin
        w = cls.ok(admin.post(V1 + "/tickets", {
            "subject": unique("Printer on fire for " + customer),
            "body": "It is still on fire.",
            "customer": {"email": EMAILS[customer]}}), 201, "create ticket")
        t = w["ticket"]
        if owned:
            t = cls.ok(admin.post(V1 + "/tickets/%d/assign" % t["id"], {
                "agent_id": cls.agent_id["owner"], "note": "yours"}), 200, "assign to owner")
        handoff = None
        if pending_handoff:
            handoff = cls.ok(cls.clients["owner"].post(V1 + "/tickets/%d/handoffs" % t["id"], {
                "to_agent_id": cls.agent_id["other"], "note": "you know printers"}),
                201, "propose handoff")
        if resolved:
            t = cls.ok(admin.post(V1 + "/tickets/%d/resolve" % t["id"], {"outcome": "solved"}),
                       200, "resolve")
        t = cls.ok(admin.get(V1 + "/tickets/%d" % t["id"]), 200, "reload ticket")
        return {"ticket": t, "id": t["id"], "version": t["version"],
                "handoff_id": handoff["id"] if handoff else None}

    @classmethod
    def _base_ticket(cls, customer):
        t = cls.new_ticket(customer, owned=True, pending_handoff=True)
        owner = cls.clients["owner"]
        out = dict(t)
        for kind in ("reply", "note"):
            raw, ctype = multipart(
                {"kind": kind, "body": "%s for %s" % (kind, customer)},
                [("file", "%s-%s.txt" % (kind, customer), "text/plain",
                  ("%s attachment of %s" % (kind, customer)).encode())])
            w = cls.ok(owner.request("POST", V1 + "/tickets/%d/messages" % t["id"], raw=raw,
                                     headers={"Content-Type": ctype}), 201, "post " + kind)
            msg = w["messages"][-1]
            assert msg["kind"] == kind and len(msg["attachments"]) == 1, msg
            out[kind + "_message_id"] = msg["id"]
            out[kind + "_attachment_id"] = msg["attachments"][0]["id"]
        out["ticket"] = cls.ok(cls.admin.get(V1 + "/tickets/%d" % t["id"]), 200, "reload")
        out["version"] = out["ticket"]["version"]
        return out

    # ------------------------------------------------------------------- rows
    def rows(self):
        cls = type(self)
        base = cls.base["A1"]
        login = {"email": harness.ADMIN_EMAIL, "password": harness.ADMIN_PASSWORD}

        def fixed(**req):
            return lambda who: dict(req)

        def fresh(**kw):
            def make(who):
                t = cls.new_ticket("A1", **kw)
                return {"id": t["id"], "ticket": t}
            return make

        def view_of(agent):
            v = cls.ok(cls.clients[agent].post(V1 + "/views", {"name": unique("Mine"),
                                                               "query": "owner=me"}),
                       201, "save a view")
            return v["id"]

        def own_view(body):
            """A fresh view of the caller's own (customers get one of the owner agent's)."""
            def make(who):
                req = {"id": view_of(who if who in AGENTS else "owner")}
                if body is not None:
                    req["body"] = body
                return req
            return make

        def owners_view(who):
            return {"id": view_of("owner"), "body": {"query": "sort=oldest"}}

        def new_ticket_body(who):
            if who in CUSTOMERS:
                return {"body": {"subject": unique("Portal ticket"), "body": "Help, please."}}
            return {"body": {"subject": unique("API ticket"), "body": "Help, please.",
                             "customer": {"email": EMAILS["A1"]}}}

        def patch_ticket(who):
            t = cls.new_ticket("A1")
            return {"id": t["id"], "body": {"version": t["version"], "priority": "high"}}

        def post_message(who):
            t = cls.new_ticket("A1")
            if who in CUSTOMERS:
                return {"id": t["id"], "body": {"body": "Any news? " + who}}
            return {"id": t["id"], "body": {"kind": "reply", "body": "On it, from " + who}}

        def post_note(who):
            t = cls.new_ticket("A1")
            return {"id": t["id"], "body": {"kind": "note", "body": "Internal, from " + who}}

        def with_body(factory, body):
            def make(who):
                req = factory(who)
                req["body"] = body(req) if callable(body) else body
                return req
            return make

        def handoff(who):
            t = cls.new_ticket("A1", pending_handoff=True)
            return {"id": t["handoff_id"]}

        def decline(who):
            req = handoff(who)
            req["body"] = {"reason": "on holiday"}
            return req

        def patch_customer(who):
            cu = cls.ok(cls.admin.get(V1 + "/customers/%d" % cls.customer_id["A1"]), 200,
                        "reload customer")
            return {"id": cu["id"], "body": {"version": cu["version"], "notes": unique("note")}}

        def promise_change(renegotiate):
            def make(who):
                t = cls.new_ticket("A1")
                due = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(time.time() + 86400))
                w = cls.ok(cls.clients["owner"].post(V1 + "/tickets/%d/messages" % t["id"], {
                    "kind": "reply", "body": "I will call the courier.",
                    "promise": {"text": "call the courier", "due_at": due}}), 201, "promise")
                body = {"message_id": w["messages"][0]["id"]}
                if renegotiate:
                    body["due_at"] = time.strftime("%Y-%m-%dT%H:%M:%SZ",
                                                   time.gmtime(time.time() + 2 * 86400))
                return {"id": w["ticket"]["promises"][0]["id"], "body": body}
            return make

        ticket_read = expect(200, 200, 200, 200, 200, 200, 404, 404)
        ticket_internal = expect(200, 200, 200, 200, 403, 403, 404, 404)
        any_agent_write = expect(200, 200, 200, 200, 403, 403, 404, 404)
        owner_or_lead = expect(200, 200, 200, 403, 403, 403, 404, 404)
        # Handoffs are internal: customers learn nothing about them, not even that they exist.
        only_receiver = expect(403, 403, 403, 200, 404, 404, 404, 404)
        own_customer = expect(200, 200, 200, 200, 200, 404, 404, 404)

        return [
            # Public.
            Row("GET", V1 + "/health", fixed(), everyone(200)),
            Row("GET", V1 + "/openapi.json", fixed(), everyone(200)),
            Row("POST", V1 + "/auth/login", fixed(body=login), everyone(200)),
            Row("POST", V1 + "/auth/logout", fixed(), everyone(204)),
            Row("GET", V1 + "/auth/me", fixed(), expect(200, 200, 200, 200, 200, 200, 200, 200)),
            # Tickets.
            Row("GET", V1 + "/tickets", fixed(), expect(200, 200, 200, 200, 200, 200, 200, 200)),
            Row("POST", V1 + "/tickets", new_ticket_body,
                expect(201, 201, 201, 201, 201, 201, 201, 201)),
            Row("GET", V1 + "/tickets/{id}", fixed(id=base["id"]), ticket_read),
            Row("PATCH", V1 + "/tickets/{id}", patch_ticket, any_agent_write),
            Row("GET", V1 + "/tickets/{id}/messages", fixed(id=base["id"]), ticket_read),
            Row("POST", V1 + "/tickets/{id}/messages", post_message,
                expect(201, 201, 201, 201, 201, 403, 404, 404), "reply / customer message"),
            # A customer's kind is always 'customer': 'note' is refused as invalid input before
            # the ticket is even looked up, so the answer is the same for every customer.
            Row("POST", V1 + "/tickets/{id}/messages", post_note,
                expect(201, 201, 201, 201, 422, 422, 422, 422), "kind note"),
            Row("GET", V1 + "/tickets/{id}/events", fixed(id=base["id"]), ticket_internal),
            Row("POST", V1 + "/tickets/{id}/handoffs",
                with_body(fresh(), {"to_agent_id": cls.agent_id["other"], "note": "over to you"}),
                expect(201, 201, 201, 403, 403, 403, 404, 404)),
            Row("POST", V1 + "/tickets/{id}/take", fresh(owned=False), any_agent_write,
                "unowned ticket"),
            Row("POST", V1 + "/tickets/{id}/assign",
                with_body(fresh(), {"agent_id": cls.agent_id["other"], "note": "reassigned"}),
                expect(200, 200, 403, 403, 403, 403, 404, 404)),
            Row("POST", V1 + "/tickets/{id}/resolve",
                with_body(fresh(), {"outcome": "solved"}), owner_or_lead, "owned by owner"),
            Row("POST", V1 + "/tickets/{id}/resolve",
                with_body(fresh(owned=False), {"outcome": "solved"}), any_agent_write,
                "unowned"),
            Row("POST", V1 + "/tickets/{id}/reopen", fresh(resolved=True), any_agent_write),
            Row("POST", V1 + "/handoffs/{id}/accept", handoff, only_receiver),
            Row("POST", V1 + "/handoffs/{id}/decline", decline, only_receiver),
            Row("GET", V1 + "/search", fixed(query="q=printer"), agents_only(200)),
            Row("GET", V1 + "/attachments/{id}", fixed(id=base["reply_attachment_id"]),
                ticket_read, "of a reply"),
            Row("GET", V1 + "/attachments/{id}", fixed(id=base["note_attachment_id"]),
                expect(200, 200, 200, 200, 404, 404, 404, 404), "of a note"),
            # People.
            Row("GET", V1 + "/customers", fixed(), agents_only(200)),
            Row("POST", V1 + "/customers",
                lambda who: {"body": {"name": "New", "email": unique("new") + "@example.com"}},
                agents_only(201)),
            Row("GET", V1 + "/customers/{id}", fixed(id=cls.customer_id["A1"]), own_customer),
            Row("PATCH", V1 + "/customers/{id}", patch_customer,
                expect(200, 200, 200, 200, 403, 404, 404, 404)),
            Row("GET", V1 + "/customers/{id}/tickets", fixed(id=cls.customer_id["A1"]),
                own_customer),
            Row("POST", V1 + "/companies",
                lambda who: {"body": {"name": unique("Company")}}, agents_only(201)),
            Row("GET", V1 + "/companies/{id}", fixed(id=cls.company["Shares"]), agents_only(200)),
            Row("GET", V1 + "/agents", fixed(), agents_only(200)),
            Row("POST", V1 + "/agents",
                lambda who: {"body": {"name": "New agent",
                                      "email": unique("agent") + "@example.com"}},
                expect(201, 403, 403, 403, 403, 403, 403, 403)),
            Row("GET", V1 + "/agents/{id}", fixed(id=cls.agent_id["owner"]), agents_only(200)),
            Row("GET", V1 + "/teams", fixed(), agents_only(200)),
            Row("GET", V1 + "/sla/policies", fixed(), agents_only(200)),
            Row("POST", V1 + "/teams", lambda who: {"body": {"name": unique("Team")}},
                expect(201, 201, 403, 403, 403, 403, 403, 403)),
            # The mail gateway's endpoint: an admin's token only.
            Row("POST", V1 + "/mail/inbound",
                lambda who: {"raw": ("From: Walk In <walk.in@example.org>\r\n"
                                     "Subject: Hello\r\nMessage-ID: <%s@example.org>\r\n\r\n"
                                     "Is anyone there?\r\n" % unique("mail")).encode(),
                             "content_type": "message/rfc822"},
                expect(201, 403, 403, 403, 403, 403, 403, 403)),
            # "Did it stay solved?": public pages; a token that is not ours is 404 for anyone.
            Row("GET", V1 + "/followup", fixed(query="token=1.2.abc"), everyone(404)),
            Row("POST", V1 + "/followup", fixed(raw=b"token=1.2.abc&answer=yes",
                                                 content_type="application/x-www-form-urlencoded"),
                everyone(404)),
            # The portal's public endpoints: the same answer for everyone (signed in or not);
            # a token that was never issued signs nobody in.
            Row("POST", V1 + "/portal/magic-link",
                lambda who: {"body": {"email": unique("nobody") + "@example.com"}},
                everyone(202)),
            Row("POST", V1 + "/portal/session", fixed(body={"token": "never-issued"}),
                everyone(404)),
            Row("POST", V1 + "/portal/contact",
                lambda who: {"body": {"email": unique("walkin") + "@example.com",
                                      "subject": "Hello", "message": "Is anyone there?"}},
                everyone(202)),
            # Follow-through: promise lists and figures for agents; changing a promise for its
            # maker, the ticket's owner or a lead.
            Row("GET", V1 + "/promises", fixed(query="owner=me"),
                expect(200, 200, 200, 200, 403, 403, 403, 403)),
            Row("GET", V1 + "/stats/follow-through", fixed(),
                expect(200, 200, 200, 200, 403, 403, 403, 403)),
            # The queue counts: agents. The day's digest: leads and admins.
            Row("GET", V1 + "/queues/counts", fixed(), agents_only(200)),
            Row("GET", V1 + "/digest", fixed(query="date=2030-01-07"),
                expect(200, 200, 403, 403, 403, 403, 403, 403)),
            Row("POST", V1 + "/promises/{id}/kept", promise_change(False), owner_or_lead),
            Row("POST", V1 + "/promises/{id}/renegotiate", promise_change(True), owner_or_lead),
            # Live updates: every principal signed in may open the stream (it carries only what
            # they may see; tests/e2e/live_test.py reads it). An open stream never ends, so the
            # row asks with a bad Last-Event-ID: past authorization, everyone gets the 422.
            Row("GET", V1 + "/stream", fixed(query="last_event_id=x"), expect(422, 422, 422, 422, 422, 422, 422, 422)),
            # Presence on a ticket (collision warnings): agents only.
            Row("GET", V1 + "/tickets/{id}/presence", fixed(id=base["id"]), ticket_internal),
            Row("POST", V1 + "/tickets/{id}/presence",
                fixed(id=base["id"], body={"state": "viewing"}), ticket_internal),
            # In-app notifications: one's own, agents only.
            Row("GET", V1 + "/notifications", fixed(),
                expect(200, 200, 200, 200, 403, 403, 403, 403)),
            Row("POST", V1 + "/notifications/seen", fixed(body={"up_to": 1}),
                expect(200, 200, 200, 200, 403, 403, 403, 403)),
            # Saved views: each agent's own (another agent's view is not found); not customers.
            Row("GET", V1 + "/views", fixed(), agents_only(200)),
            Row("POST", V1 + "/views",
                lambda who: {"body": {"name": unique("View"), "query": "sort=sla_due"}},
                agents_only(201)),
            Row("PATCH", V1 + "/views/{id}", own_view({"name": unique("Renamed")}),
                agents_only(200)),
            Row("DELETE", V1 + "/views/{id}", own_view(None), agents_only(204)),
            Row("PATCH", V1 + "/views/{id}", owners_view, expect(404, 404, 200, 404, 403, 403, 403, 403),
                label="the owner agent's view"),
            Row("DELETE", V1 + "/views/{id}", owners_view, expect(404, 404, 204, 404, 403, 403, 403, 403),
                label="the owner agent's view"),
            # The IMAP pollers' status: leads and admins (no mailbox is configured here).
            Row("GET", V1 + "/mail/mailboxes", fixed(),
                expect(200, 200, 403, 403, 403, 403, 403, 403)),
        ]

    def send(self, who, method, template, req):
        path = template.replace("{id}", str(req.get("id", "")))
        if req.get("query"):
            path += "?" + req["query"]
        client = self.clients[who]
        if "raw" in req:
            return client.request(method, path, raw=req["raw"],
                                  headers={"Content-Type": req["content_type"]})
        body = req.get("body")
        if body is None and method in ("POST", "PATCH"):
            return client.request(method, path, raw=b"", headers={})
        return client.request(method, path, body=body)

    # ------------------------------------------------------------------ tests
    def test_matrix(self):
        rows = self.rows()
        results = []  # (row, {who: (got, response)})
        failures = 0
        for row in rows:
            got = {}
            for who in PRINCIPALS:
                req = row.setup(who)
                r = self.send(who, row.method, row.template, req)
                got[who] = (r.status, r)
                if r.status != row.expected[who]:
                    failures += 1
            results.append((row, got))
        cells = len(rows) * len(PRINCIPALS)
        print("\npermission matrix: %d rows x %d principals = %d cells, %d wrong" %
              (len(rows), len(PRINCIPALS), cells, failures), file=sys.stderr)
        if failures:
            self.fail("%d of %d cells differ from the policy:\n%s" %
                      (failures, cells, self.render(results)))

    @staticmethod
    def render(results):
        width = max(len(row.name()) for row, _ in results)
        col = 10
        lines = ["%-*s %s" % (width, "", "".join("%-*s" % (col, p) for p in PRINCIPALS))]
        details = []
        for row, got in results:
            cells = []
            for who in PRINCIPALS:
                status, r = got[who]
                want = row.expected[who]
                if status == want:
                    cells.append("%-*d" % (col, status))
                else:
                    cells.append("%-*s" % (col, "%d!=%d" % (status, want)))
                    details.append("  %s as %s: got %r, expected %d" %
                                   (row.name(), who, r, want))
            lines.append("%-*s %s" % (width, row.name(), "".join(cells)))
        lines.append("(cells 'got!=expected' are wrong)")
        return "\n".join(lines + [""] + details)

    def test_matrix_covers_every_route(self):
        with open(API_CC, encoding="utf-8") as f:
            source = f.read()
        routes = set(re.findall(r'Add(?:Public)?\(\s*"([A-Z]+)"\s*,\s*v1\s*\+\s*"([^"]+)"',
                                source))
        self.assertGreaterEqual(len(routes), 30, "could not parse the routes of api.cc")
        covered = {(row.method, row.template[len(V1):]) for row in self.rows()}
        missing = sorted(routes - covered)
        self.assertFalse(missing, "routes in src/http/api.cc without a row in the permission "
                                  "matrix: %s" % ["%s %s" % m for m in missing])
        stale = sorted(covered - routes)
        self.assertFalse(stale, "matrix rows for routes that no longer exist: %s" %
                         ["%s %s" % m for m in stale])

    def list_all(self, client, path):
        """Every ticket id of a paginated ticket list."""
        ids = []
        cursor = None
        while True:
            url = path + ("&" if "?" in path else "?") + "limit=200"
            if cursor:
                url += "&cursor=" + cursor
            r = client.get(url)
            self.assertEqual(r.status, 200, r)
            page = r.json()
            ids.extend(t["id"] for t in page["items"])
            cursor = page["next_cursor"]
            if not cursor:
                return ids

    def test_customers_list_only_what_they_may_see(self):
        everything = {}
        for tid in self.list_all(self.admin, V1 + "/tickets"):
            everything[tid] = None
        owner_of = {}
        for who in CUSTOMERS:
            for tid in self.list_all(self.admin, V1 + "/customers/%d/tickets" %
                                     self.customer_id[who]):
                owner_of[tid] = who
        self.assertTrue(set(owner_of) <= set(everything))
        for who in CUSTOMERS:
            with self.subTest(customer=who):
                expected = {t for t, c in owner_of.items() if c in VISIBLE[who]}
                self.assertIn(self.base[who]["id"], expected)
                listed = self.list_all(self.clients[who], V1 + "/tickets")
                self.assertEqual(len(listed), len(set(listed)), "duplicates in the list")
                self.assertEqual(set(listed), expected)
                # Filters cannot widen the view.
                for other in CUSTOMERS:
                    filtered = self.list_all(self.clients[who], V1 + "/tickets?customer=%d" %
                                             self.customer_id[other])
                    want = {t for t in expected if owner_of[t] == other}
                    self.assertEqual(set(filtered), want, "customer=%s" % other)
                # Their own customer record's tickets: only their own.
                mine = self.list_all(self.clients[who], V1 + "/customers/%d/tickets" %
                                     self.customer_id[who])
                self.assertEqual(set(mine), {t for t, c in owner_of.items() if c == who})

    def forbidden_attempts(self, who):
        """Every request of customer `who` that names an id they may not see.

        Yields (victim, method, path template with {id}, the id, JSON body or None)."""
        for victim in CUSTOMERS:
            t = self.base[victim]
            if victim not in VISIBLE[who]:
                tid = t["id"]
                yield from [
                    (victim, "GET", "/tickets/{id}", tid, None),
                    (victim, "PATCH", "/tickets/{id}", tid,
                     {"version": t["version"], "subject": "mine now"}),
                    (victim, "GET", "/tickets/{id}/messages", tid, None),
                    (victim, "POST", "/tickets/{id}/messages", tid, {"body": "hello"}),
                    (victim, "GET", "/tickets/{id}/events", tid, None),
                    (victim, "POST", "/tickets/{id}/handoffs", tid,
                     {"to_agent_id": self.agent_id["lead"], "note": "x"}),
                    (victim, "POST", "/tickets/{id}/take", tid, None),
                    (victim, "POST", "/tickets/{id}/assign", tid,
                     {"agent_id": self.agent_id["lead"], "note": "x"}),
                    (victim, "POST", "/tickets/{id}/resolve", tid, {"outcome": "solved"}),
                    (victim, "POST", "/tickets/{id}/reopen", tid, None),
                    (victim, "POST", "/handoffs/{id}/accept", t["handoff_id"], None),
                    (victim, "POST", "/handoffs/{id}/decline", t["handoff_id"], {"reason": "no"}),
                    (victim, "GET", "/attachments/{id}", t["reply_attachment_id"], None),
                    (victim, "GET", "/attachments/{id}", t["note_attachment_id"], None),
                ]
            if victim != who:
                cid = self.customer_id[victim]
                yield from [
                    (victim, "GET", "/customers/{id}", cid, None),
                    (victim, "PATCH", "/customers/{id}", cid, {"version": 1, "notes": "x"}),
                    (victim, "GET", "/customers/{id}/tickets", cid, None),
                ]

    def attempt(self, who, method, template, id_, body):
        path = V1 + template.replace("{id}", str(id_))
        if body is None and method != "GET":
            return self.clients[who].request(method, path, raw=b"")
        return self.clients[who].request(method, path, body=body)

    def test_other_customers_ids_are_not_found(self):
        """Every id of a ticket (or customer) a customer may not see answers 404, never 403."""
        wrong = []
        count = 0
        for who in CUSTOMERS:
            for victim, method, template, id_, body in self.forbidden_attempts(who):
                count += 1
                r = self.attempt(who, method, template, id_, body)
                leaked = self.base[victim]["ticket"]["subject"].encode() in r.body
                if r.status != 404 or leaked:
                    wrong.append("%s %s %s (id %d, %s's): got %r%s" %
                                 (who, method, template, id_, victim, r,
                                  " and it leaks the subject" if leaked else ""))
        self.assertGreater(count, 100)
        # The victims' tickets are untouched.
        for victim in CUSTOMERS:
            t = self.admin.get(V1 + "/tickets/%d" % self.base[victim]["id"]).json()
            if t["version"] != self.base[victim]["version"]:
                wrong.append("%s's ticket changed: %r" % (victim, t))
        if wrong:
            self.fail("customers reached what they may not see:\n  " + "\n  ".join(wrong))

    def test_other_customers_ids_read_like_ids_that_do_not_exist(self):
        """'Learns nothing': the 404 for an id that exists but is not theirs is the same
        answer (the id aside) as the 404 for an id that does not exist at all."""
        missing = 987654321
        wrong = {}  # (method, template) -> [example, count]
        for who in CUSTOMERS:
            for victim, method, template, id_, body in self.forbidden_attempts(who):
                hidden = self.attempt(who, method, template, id_, body)
                absent = self.attempt(who, method, template, missing, body)
                a = (hidden.status, re.sub(rb"(?<!\d)%d(?!\d)" % id_, b"{id}", hidden.body))
                b = (absent.status, re.sub(rb"(?<!\d)%d(?!\d)" % missing, b"{id}", absent.body))
                if a != b:
                    key = (method, template)
                    if key not in wrong:
                        wrong[key] = ["e.g. %s on %s's id %d -> %d %s; no such id -> %d %s" % (
                            who, victim, id_, hidden.status, hidden.body.decode(errors="replace"),
                            absent.status, absent.body.decode(errors="replace")), 0]
                    wrong[key][1] += 1
        if wrong:
            self.fail("answers that tell another customer's id from a missing one:\n" +
                      "\n".join("  %s %s (%d cases), %s" % (m, t, n, ex)
                                 for (m, t), (ex, n) in sorted(wrong.items())))

    def test_customers_never_see_internal_notes_or_events(self):
        t = self.base["A1"]
        for who in ("A1", "A2"):
            with self.subTest(customer=who):
                c = self.clients[who]
                r = c.get(V1 + "/tickets/%d/messages" % t["id"])
                self.assertEqual(r.status, 200, r)
                items = r.json()["items"]
                kinds = [m["kind"] for m in items]
                self.assertNotIn("note", kinds)
                ids = [m["id"] for m in items]
                self.assertIn(t["reply_message_id"], ids)
                self.assertNotIn(t["note_message_id"], ids)
                self.assertNotIn(b"note for A1", r.body)
                self.assertNotIn(b"note-A1.txt", r.body)
                r = c.get(V1 + "/tickets/%d/events" % t["id"])
                self.assertIn(r.status, (403, 404), r)
                self.assertNotIn(b"handoff", r.body)
                r = c.get(V1 + "/attachments/%d" % t["note_attachment_id"])
                self.assertEqual(r.status, 404, r)
                self.assertNotIn(b"note attachment", r.body)
                r = c.get(V1 + "/attachments/%d" % t["reply_attachment_id"])
                self.assertEqual(r.status, 200, r)
                self.assertEqual(r.body, b"reply attachment of A1")
                # A pending handoff (and its note for the next owner) is internal too:
                # the ticket as a customer reads it must not carry it.
                r = c.get(V1 + "/tickets/%d" % t["id"])
                self.assertEqual(r.status, 200, r)
                self.assertNotIn(b"you know printers", r.body)
        for who in AGENTS:
            r = self.clients[who].get(V1 + "/tickets/%d/messages" % t["id"])
            self.assertEqual(r.status, 200, r)
            self.assertIn(t["note_message_id"], [m["id"] for m in r.json()["items"]])


if __name__ == "__main__":
    harness.main()
