"""End-to-end hostile-input tests against the real binary.

Every write endpoint gets malformed JSON, non-objects, invalid UTF-8, wrong types, unknown enum
values, unknown and missing fields; paths get bad ids, unknown routes and wrong methods; query
strings get broken escapes and invalid UTF-8; bodies and attachments go over their limits; text
fields get header-injection shapes. Every answer must be a 4xx problem+json (type, title, status,
detail; errors[0].field for a 422), never a 500, and what was stored before must be unchanged.

Standard library only. Run through ctest (`ctest -R e2e_bad_input`), or directly with
STEADFAST_BIN=/path/to/steadfast python3 bad_input_test.py
"""

import contextlib
import copy
import json
import os
import socket
import sys
import unittest
import uuid

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import harness  # noqa: E402

V1 = "/api/v1"
MAX_BODY = 65536
MAX_ATTACHMENT = 4096
MAX_MESSAGE = 16384
JSON = {"Content-Type": "application/json"}

MALFORMED_JSON = [
    b"{",
    b'{"subject": }',
    b"nope",
    b'{"a": 1} trailing',
    b"{'a': 1}",
    b'{"a": 1,}',
    b"",
    b"   ",
    b'{"a": "unterminated}',
    b'{"a": 01}',
    b'{"a": NaN}',
    b'{"a": "\\x41"}',
    b"[" * 200 + b"]" * 200,
    b'{"a":' * 100 + b"1" + b"}" * 100,
]
NOT_AN_OBJECT = [b"[]", b'[{"a": 1}]', b'"text"', b"42", b"null", b"true"]
INVALID_UTF8 = [
    b'{"name": "\xff\xfe"}',
    b'{"name": "\xc0\xaf"}',          # Overlong '/'.
    b'{"name": "\xed\xa0\x80"}',      # A UTF-16 surrogate encoded in UTF-8.
    b'{"name": "\xf4\x90\x80\x80"}',  # Above U+10FFFF.
    b'{"name": "caf\xe9"}',           # Latin-1.
    b'{"name": "\\ud800"}',           # A lone surrogate escape.
    b'{"\xff": 1}',
]
BAD_IDS = ["abc", "0", "-1", "00", "1.5", "1e3", "%31", "0x1", "9" * 19, "1a", "+1"]


def multipart(fields=(), files=(), boundary=None):
    """fields: (name, bytes|str); files: (name, raw Content-Disposition params, type, bytes)."""
    boundary = boundary or "sf-" + uuid.uuid4().hex
    out = bytearray()
    for name, value in fields:
        if isinstance(value, str):
            value = value.encode("utf-8")
        out += b"--" + boundary.encode() + b"\r\n"
        out += b'Content-Disposition: form-data; name="' + name.encode() + b'"\r\n\r\n'
        out += value + b"\r\n"
    for name, params, ctype, data in files:
        out += b"--" + boundary.encode() + b"\r\n"
        out += b'Content-Disposition: form-data; name="' + name.encode() + b'"; ' + params + b"\r\n"
        if ctype:
            out += b"Content-Type: " + ctype.encode() + b"\r\n"
        out += b"\r\n" + data + b"\r\n"
    out += b"--" + boundary.encode() + b"--\r\n"
    return "multipart/form-data; boundary=" + boundary, bytes(out)


def raw_http(port, request_bytes):
    """Sends bytes that http.client refuses to send; returns (status, headers, body)."""
    with socket.create_connection(("127.0.0.1", port), timeout=30) as sock:
        sock.sendall(request_bytes)
        data = b""
        while True:
            chunk = sock.recv(65536)
            if not chunk:
                break
            data += chunk
    head, _, body = data.partition(b"\r\n\r\n")
    lines = head.split(b"\r\n")
    status = int(lines[0].split()[1])
    headers = {}
    for line in lines[1:]:
        k, _, v = line.partition(b":")
        headers[k.decode("latin-1").strip().lower()] = v.decode("latin-1").strip()
    if "content-length" in headers:
        body = body[:int(headers["content-length"])]
    return harness.Response(status, headers, body)


class BadInputTest(unittest.TestCase):
    """One server with small body and attachment limits, a ticket with history to protect, and
    a barrage per test method, each wrapped in a before/after snapshot."""

    @classmethod
    def setUpClass(cls):
        cls.server = harness.Server(env={"STEADFAST_MAX_BODY_BYTES": str(MAX_BODY),
                                         "STEADFAST_MAX_ATTACHMENT_BYTES": str(MAX_ATTACHMENT),
                                         "STEADFAST_MAX_MESSAGE_BYTES": str(MAX_MESSAGE)})
        cls.clients = []
        try:
            cls.server.start()
            cls.token = cls.server.token(agent=harness.ADMIN_EMAIL)
            cls.admin = cls.client(cls.token)
            cls.anon = cls.client()
            cls.alice = cls.make_agent("Alice", "alice@example.com", "agent")
            cls.alice_c = cls.client(cls.server.token(agent="alice@example.com"))
            cls.lena = cls.make_agent("Lena", "lena@example.com", "lead")
            cls.lena_c = cls.client(cls.server.token(agent="lena@example.com"))
            r = cls.admin.post(V1 + "/teams", {"name": "Support"})
            assert r.status == 201, r
            cls.team = r.json()
            r = cls.admin.post(V1 + "/companies", {"name": "Acme"})
            assert r.status == 201, r
            cls.company = r.json()
        except BaseException:
            cls.tearDownClass()
            raise

    def setUp(self):
        # The ticket to protect, fresh for each test so that a request wrongly accepted by one
        # test cannot spill into the next: owned by alice, a reply, a note, a pending handoff.
        self.victim_email = "victim-%s@example.com" % uuid.uuid4().hex[:12]
        r = self.alice_c.post(V1 + "/tickets", {
            "subject": "Keep me intact", "body": "Original words.",
            "customer": {"email": self.victim_email, "name": "Vic Tim"},
            "tags": ["keep"], "priority": "high"})
        self.assertEqual(r.status, 201, r)
        self.ticket = r.json()["ticket"]
        self.tid = self.ticket["id"]
        self.customer_id = self.ticket["customer_id"]
        for kind, body in (("reply", "First answer."), ("note", "Internal.")):
            r = self.alice_c.post("%s/tickets/%d/messages" % (V1, self.tid),
                                  {"kind": kind, "body": body})
            self.assertEqual(r.status, 201, r)
        r = self.alice_c.post("%s/tickets/%d/handoffs" % (V1, self.tid),
                              {"to_agent_id": self.lena["id"], "note": "Over to you."})
        self.assertEqual(r.status, 201, r)
        self.handoff = r.json()
        self.victim_c = self.client(self.server.token(customer=self.victim_email))

    def customer_version(self):
        return self.admin.get("%s/customers/%d" % (V1, self.customer_id)).json()["version"]

    @classmethod
    def tearDownClass(cls):
        for c in cls.clients:
            c.close()
        cls.server.cleanup()

    @classmethod
    def client(cls, token=None):
        c = cls.server.client(token)
        cls.clients.append(c)
        return c

    @classmethod
    def make_agent(cls, name, email, role):
        r = cls.admin.post(V1 + "/agents", {"name": name, "email": email, "role": role,
                                            "password": name.lower() + "-password-123"})
        assert r.status == 201, r
        return r.json()

    # -- Snapshots ------------------------------------------------------------------------------

    def snapshot(self):
        paths = [
            "%s/tickets/%d" % (V1, self.tid),
            "%s/tickets/%d/messages" % (V1, self.tid),
            "%s/tickets/%d/events" % (V1, self.tid),
            V1 + "/tickets?limit=200",
            V1 + "/customers?limit=200",
            "%s/customers/%d" % (V1, self.customer_id),
            "%s/companies/%d" % (V1, self.company["id"]),
            V1 + "/agents",
            V1 + "/teams",
        ]
        out = {}
        for p in paths:
            r = self.admin.get(p)
            self.assertEqual(r.status, 200, (p, r))
            out[p] = r.json()
        return out

    @contextlib.contextmanager
    def unchanged(self):
        before = self.snapshot()
        yield
        r = self.anon.get(V1 + "/health")
        self.assertEqual(r.status, 200, "server no longer healthy: %r" % r)
        after = self.snapshot()
        changed = [p for p in before if after[p] != before[p]]
        self.assertEqual(changed, [], "a rejected request changed stored data, as seen by GET")

    # -- Checks ---------------------------------------------------------------------------------

    def assertProblem(self, r, status=None, field=None, what=None, body_status=True):
        """A 4xx RFC 9457 problem+json; `status` exact when given, `field` for a 422; the
        body's status equal to the HTTP status unless `body_status` is False."""
        ctx = "%s -> %r" % (what, r)
        self.assertTrue(400 <= r.status < 500, ctx)
        if status is not None:
            self.assertEqual(r.status, status, ctx)
        self.assertTrue(r.headers.get("content-type", "").startswith("application/problem+json"),
                        "%s content-type %r" % (what, r.headers.get("content-type")))
        try:
            p = json.loads(r.body.decode("utf-8"))
        except (UnicodeDecodeError, ValueError) as e:
            self.fail("%s: problem body is not UTF-8 JSON (%s)" % (ctx, e))
        self.assertIsInstance(p, dict, ctx)
        for key in ("type", "title", "detail"):
            self.assertIsInstance(p.get(key), str, "%s: %s missing" % (ctx, key))
            self.assertTrue(p[key], "%s: %s empty" % (ctx, key))
        self.assertIsInstance(p.get("status"), int, ctx)
        if body_status:
            self.assertEqual(p.get("status"), r.status, "%s: body status differs" % ctx)
        if field is not None:
            errors = p.get("errors")
            self.assertTrue(isinstance(errors, list) and errors, "%s: no errors[]" % ctx)
            self.assertEqual(errors[0].get("field"), field, ctx)
            self.assertIsInstance(errors[0].get("message"), str, ctx)
        return p

    def send(self, client, method, path, body):
        """body: dict/list (JSON-encoded), bytes (sent as JSON), or None."""
        if isinstance(body, (bytes, bytearray)):
            return client.request(method, path, raw=bytes(body), headers=dict(JSON))
        if body is None:
            return client.request(method, path)
        return client.request(method, path, raw=json.dumps(body).encode(), headers=dict(JSON))

    def expect(self, client, method, path, body, status, field=None):
        shown = repr(body)
        what = "%s %s %s" % (method, path, shown if len(shown) < 160 else shown[:150] + "...")
        with self.subTest(what=what):
            r = self.send(client, method, path, body)
            self.assertProblem(r, status, field, what)

    # -- The write endpoints --------------------------------------------------------------------

    def endpoints(self):
        """(name, client, method, path, valid body, required fields, wrong types, bad enums).

        Each valid body would succeed (or fail only on state) for the client given, so any 4xx
        below comes from validation. Wrong types and enums: (field path, value, field named)."""
        t, h = self.tid, self.handoff["id"]
        ticket_v = self.ticket_version()
        cust_v = self.admin.get("%s/customers/%d" % (V1, self.customer_id)).json()["version"]
        return [
            ("login", self.anon, "POST", V1 + "/auth/login",
             {"email": "nobody@example.com", "password": "whatever-it-is"},
             ["email", "password"],
             [("email", 5, "email"), ("password", ["x"], "password")], []),
            ("create ticket", self.alice_c, "POST", V1 + "/tickets",
             {"subject": "New", "body": "Words", "customer": {"email": "new@example.com"}},
             ["subject", "body", "customer", "customer.email"],
             [("subject", 5, "subject"), ("subject", ["x"], "subject"), ("body", {}, "body"),
              ("customer", "new@example.com", "customer"),
              ("customer.email", 5, "customer.email"), ("customer.name", 7, "customer.name"),
              ("priority", 1, "priority"), ("tags", "a,b", "tags"), ("tags", [1], "tags"),
              ("team_id", "1", "team_id"), ("team_id", 1.5, "team_id")],
             [("priority", "asap", "priority"), ("priority", "HIGH", "priority")]),
            ("patch ticket", self.alice_c, "PATCH", "%s/tickets/%d" % (V1, t),
             {"version": ticket_v, "subject": "Changed"},
             ["version"],
             [("version", str(ticket_v), "version"), ("version", 1.5, "version"),
              ("version", True, "version"), ("version", 18446744073709551615, "version"),
              ("subject", 5, "subject"), ("priority", 2, "priority"), ("tags", "x", "tags"),
              ("team_id", "x", "team_id"), ("status", 1, "status")],
             [("priority", "asap", "priority"), ("status", "done", "status"),
              ("status", "Open", "status")]),
            ("post message", self.alice_c, "POST", "%s/tickets/%d/messages" % (V1, t),
             {"kind": "reply", "body": "More words"},
             ["body", "kind"],
             [("body", 5, "body"), ("kind", 1, "kind"), ("status", True, "status")],
             [("kind", "memo", "kind"), ("kind", "customer", "kind"),
              ("status", "done", "status"), ("status", "resolved", "status")]),
            ("propose handoff", self.alice_c, "POST", "%s/tickets/%d/handoffs" % (V1, t),
             {"to_agent_id": self.admin_id(), "note": "Context"},
             ["to_agent_id", "note"],
             [("to_agent_id", str(self.lena["id"]), "to_agent_id"),
              ("to_agent_id", 2.5, "to_agent_id"), ("note", 5, "note")], []),
            ("assign", self.lena_c, "POST", "%s/tickets/%d/assign" % (V1, t),
             {"agent_id": self.lena["id"], "note": "Mine now"},
             ["agent_id", "note"],
             [("agent_id", "2", "agent_id"), ("note", [], "note")], []),
            ("resolve", self.alice_c, "POST", "%s/tickets/%d/resolve" % (V1, t),
             {"outcome": "solved"},
             ["outcome"],
             [("outcome", 1, "outcome"), ("statement", 5, "statement"),
              ("alternatives", "x", "alternatives"), ("alternatives", [1], "alternatives"),
              ("duplicate_of", "1", "duplicate_of")],
             [("outcome", "fixed", "outcome"), ("outcome", "Solved", "outcome"),
              ("outcome", "", "outcome")]),
            ("decline handoff", self.lena_c, "POST", "%s/handoffs/%d/decline" % (V1, h),
             {"reason": "Busy"},
             ["reason"],
             [("reason", 5, "reason")], []),
            ("create customer", self.alice_c, "POST", V1 + "/customers",
             {"name": "Newton", "email": "newton@example.com"},
             ["name", "email"],
             [("name", 5, "name"), ("email", 5, "email"), ("emails", "a@example.com", "emails"),
              ("company_id", "1", "company_id"), ("timezone", 5, "timezone"),
              ("language", 5, "language"), ("notes", 5, "notes")], []),
            ("patch customer", self.alice_c, "PATCH", "%s/customers/%d" % (V1, self.customer_id),
             {"version": cust_v, "name": "Renamed"},
             ["version"],
             [("version", str(cust_v), "version"), ("version", None, "version"),
              ("name", 5, "name"), ("company_id", "x", "company_id"), ("notes", 5, "notes"),
              ("emails", [5], "emails")], []),
            ("create company", self.alice_c, "POST", V1 + "/companies",
             {"name": "Initech"},
             ["name"],
             [("name", 5, "name"), ("shares_tickets", "yes", "shares_tickets"),
              ("shares_tickets", 1, "shares_tickets")], []),
            ("create agent", self.admin, "POST", V1 + "/agents",
             {"name": "Nora", "email": "nora@example.com"},
             ["name", "email"],
             [("name", 5, "name"), ("email", 5, "email"), ("role", 1, "role"),
              ("password", 1234567890123, "password"), ("teams", "1", "teams"),
              ("teams", ["1"], "teams")],
             [("role", "boss", "role"), ("role", "Admin", "role")]),
            ("create team", self.lena_c, "POST", V1 + "/teams",
             {"name": "Night shift"},
             ["name"],
             [("name", 5, "name"), ("name", None, "name")], []),
        ]

    def ticket_version(self):
        return self.admin.get("%s/tickets/%d" % (V1, self.tid)).json()["version"]

    def admin_id(self):
        return self.admin.get(V1 + "/auth/me").json()["agent"]["id"]

    @staticmethod
    def with_value(body, path, value):
        out = copy.deepcopy(body)
        node = out
        parts = path.split(".")
        for p in parts[:-1]:
            node = node.setdefault(p, {})
        node[parts[-1]] = value
        return out

    @staticmethod
    def without(body, path):
        out = copy.deepcopy(body)
        node = out
        parts = path.split(".")
        for p in parts[:-1]:
            node = node[p]
        node.pop(parts[-1], None)
        return out

    # -- Tests ----------------------------------------------------------------------------------

    def test_malformed_json(self):
        with self.unchanged():
            for name, client, method, path, *_ in self.endpoints():
                for raw in MALFORMED_JSON:
                    self.expect(client, method, path, raw, 400)

    def test_json_that_is_not_an_object(self):
        with self.unchanged():
            for name, client, method, path, *_ in self.endpoints():
                for raw in NOT_AN_OBJECT:
                    # There is no field to name; the shape must still be a 422 problem.
                    self.expect(client, method, path, raw, 422)

    def test_invalid_utf8_in_body(self):
        with self.unchanged():
            for name, client, method, path, valid, *_ in self.endpoints():
                for raw in INVALID_UTF8:
                    self.expect(client, method, path, raw, 400)
                # The same bytes inside an otherwise valid body.
                first = next(iter(valid))
                encoded = json.dumps(valid).encode()
                bad = encoded.replace(b'"%s"' % first.encode(), b'"%s\xff"' % first.encode(), 1)
                self.expect(client, method, path, bad, 400)

    def test_unknown_fields(self):
        with self.unchanged():
            for name, client, method, path, valid, *_ in self.endpoints():
                for field in ("bogus", "Subject", "id", "created_at", "owner"):
                    if field in valid:
                        continue
                    self.expect(client, method, path, self.with_value(valid, field, 1), 422,
                                field)
            # Nested objects too.
            body = {"subject": "x", "body": "y",
                    "customer": {"email": "n@example.com", "phone": "123"}}
            self.expect(self.alice_c, "POST", V1 + "/tickets", body, 422, "customer.phone")

    def test_missing_required_fields(self):
        with self.unchanged():
            for name, client, method, path, valid, required, *_ in self.endpoints():
                for field in required:
                    self.expect(client, method, path, self.without(valid, field), 422, field)
                self.expect(client, method, path, {}, 422)

    def test_wrong_types(self):
        with self.unchanged():
            for name, client, method, path, valid, _, wrong_types, _ in self.endpoints():
                for field, value, named in wrong_types:
                    self.expect(client, method, path, self.with_value(valid, field, value), 422,
                                named)

    def test_unknown_enum_values(self):
        with self.unchanged():
            for name, client, method, path, valid, _, _, enums in self.endpoints():
                for field, value, named in enums:
                    self.expect(client, method, path, self.with_value(valid, field, value), 422,
                                named)
            for q, field in (("status=done", "status"), ("status=OPEN", "status"),
                             ("status=", "status")):
                self.expect(self.alice_c, "GET", V1 + "/tickets?" + q, None, 422, field)
                self.expect(self.alice_c, "GET", V1 + "/search?q=keep&" + q, None, 422, field)

    def test_bad_values(self):
        t = self.tid
        long_subject = "x" * 256
        cases = [
            # (client, method, path, body, status, field)
            (self.alice_c, "POST", V1 + "/tickets",
             {"subject": "", "body": "b", "customer": {"email": "n@example.com"}}, 422,
             "subject"),
            (self.alice_c, "POST", V1 + "/tickets",
             {"subject": " \t ", "body": "b", "customer": {"email": "n@example.com"}}, 422,
             "subject"),
            (self.alice_c, "POST", V1 + "/tickets",
             {"subject": long_subject, "body": "b", "customer": {"email": "n@example.com"}}, 422,
             "subject"),
            (self.alice_c, "POST", V1 + "/tickets",
             {"subject": "s", "body": "   ", "customer": {"email": "n@example.com"}}, 422,
             "body"),
            (self.alice_c, "POST", V1 + "/tickets",
             {"subject": "s", "body": "b", "customer": {"email": "not-an-email"}}, 422,
             "customer.email"),
            (self.alice_c, "POST", V1 + "/tickets",
             {"subject": "s", "body": "b", "customer": {"email": "a@b"}}, 422, "customer.email"),
            (self.alice_c, "POST", V1 + "/tickets",
             {"subject": "s", "body": "b", "customer": {"email": "a b@example.com"}}, 422,
             "customer.email"),
            (self.alice_c, "POST", V1 + "/tickets",
             {"subject": "s", "body": "b", "customer": {"email": "n@example.com",
                                                         "name": "x" * 201}}, 422,
             "customer.name"),
            (self.alice_c, "POST", V1 + "/tickets",
             {"subject": "s", "body": "b", "customer": {"email": "n@example.com"},
              "team_id": 987654}, 422, "team_id"),
            (self.alice_c, "PATCH", "%s/tickets/%d" % (V1, t),
             {"version": self.ticket_version(), "team_id": 987654}, 422, "team_id"),
            (self.alice_c, "PATCH", "%s/tickets/%d" % (V1, t),
             {"version": self.ticket_version(), "subject": ""}, 422, "subject"),
            (self.alice_c, "PATCH", "%s/tickets/%d" % (V1, t),
             {"version": self.ticket_version(), "status": "resolved"}, 409, None),
            (self.alice_c, "PATCH", "%s/tickets/%d" % (V1, t),
             {"version": self.ticket_version() + 1, "subject": "Future"}, 409, None),
            (self.alice_c, "PATCH", "%s/tickets/%d" % (V1, t),
             {"version": 0, "subject": "Past"}, 409, None),
            (self.alice_c, "POST", "%s/tickets/%d/messages" % (V1, t),
             {"kind": "reply", "body": ""}, 422, "body"),
            (self.alice_c, "POST", "%s/tickets/%d/messages" % (V1, t),
             {"kind": "note", "body": "n", "status": "pending"}, 422, "status"),
            (self.alice_c, "POST", "%s/tickets/%d/handoffs" % (V1, t),
             {"to_agent_id": 0, "note": "x"}, 422, "to_agent_id"),
            (self.alice_c, "POST", "%s/tickets/%d/handoffs" % (V1, t),
             {"to_agent_id": 987654, "note": "x"}, 422, "to_agent_id"),
            (self.alice_c, "POST", "%s/tickets/%d/handoffs" % (V1, t),
             {"to_agent_id": self.lena["id"], "note": "\n\t "}, 422, "note"),
            (self.lena_c, "POST", "%s/tickets/%d/assign" % (V1, t),
             {"agent_id": 987654, "note": "x"}, 422, "agent_id"),
            (self.lena_c, "POST", "%s/tickets/%d/assign" % (V1, t),
             {"agent_id": self.lena["id"], "note": " "}, 422, "note"),
            (self.alice_c, "POST", "%s/tickets/%d/resolve" % (V1, t),
             {"outcome": "cannot_do"}, 422, "statement"),
            (self.alice_c, "POST", "%s/tickets/%d/resolve" % (V1, t),
             {"outcome": "duplicate"}, 422, "duplicate_of"),
            (self.alice_c, "POST", "%s/tickets/%d/resolve" % (V1, t),
             {"outcome": "duplicate", "duplicate_of": 987654}, 422, "duplicate_of"),
            (self.alice_c, "POST", "%s/tickets/%d/resolve" % (V1, t),
             {"outcome": "duplicate", "duplicate_of": t}, 422, "duplicate_of"),
            (self.alice_c, "POST", "%s/tickets/%d/resolve" % (V1, t),
             {"outcome": "withdrawn", "alternatives": ["x"]}, 422, "alternatives"),
            (self.lena_c, "POST", "%s/handoffs/%d/decline" % (V1, self.handoff["id"]),
             {"reason": "  "}, 422, "reason"),
            (self.alice_c, "POST", V1 + "/customers",
             {"name": "  ", "email": "n@example.com"}, 422, "name"),
            (self.alice_c, "POST", V1 + "/customers",
             {"name": "N", "emails": []}, 422, "emails"),
            (self.alice_c, "POST", V1 + "/customers",
             {"name": "N", "email": "a@example.com", "emails": ["b@example.com"]}, 422,
             "emails"),
            (self.alice_c, "POST", V1 + "/customers",
             {"name": "N", "emails": ["n%d@example.com" % i for i in range(21)]}, 422, "emails"),
            (self.alice_c, "POST", V1 + "/customers",
             {"name": "N", "email": "n@example.com", "company_id": 987654}, 422, "company_id"),
            (self.alice_c, "POST", V1 + "/customers",
             {"name": "Dup", "email": self.victim_email.upper()}, 409, None),
            (self.alice_c, "PATCH", "%s/customers/%d" % (V1, self.customer_id),
             {"version": self.customer_version(), "company_id": 987654}, 422, "company_id"),
            (self.alice_c, "PATCH", "%s/customers/%d" % (V1, self.customer_id),
             {"version": self.customer_version(), "emails": []}, 422, "emails"),
            (self.alice_c, "PATCH", "%s/customers/%d" % (V1, self.customer_id),
             {"version": 99, "name": "Stale"}, 409, None),
            (self.admin, "POST", V1 + "/agents",
             {"name": "N", "email": "n@example.com", "password": "short"}, 422, "password"),
            (self.admin, "POST", V1 + "/agents",
             {"name": "N", "email": "n@example.com", "teams": [987654]}, 422, "teams"),
            (self.admin, "POST", V1 + "/agents",
             {"name": "Dup", "email": "ALICE@example.com"}, 409, None),
            (self.lena_c, "POST", V1 + "/teams", {"name": "t" * 101}, 422, "name"),
            (self.lena_c, "POST", V1 + "/teams", {"name": ""}, 422, "name"),
            # Customers open tickets with subject and body only; the error names the field.
            (self.victim_c, "POST", V1 + "/tickets",
             {"subject": "s", "body": "b", "priority": "high"}, 422, "priority"),
            (self.victim_c, "POST", V1 + "/tickets",
             {"subject": "s", "body": "b", "team_id": self.team["id"]}, 422, "team_id"),
            (self.victim_c, "POST", "%s/tickets/%d/messages" % (V1, t),
             {"kind": "reply", "body": "b"}, 422, "kind"),
        ]
        with self.unchanged():
            for client, method, path, body, status, field in cases:
                self.expect(client, method, path, body, status, field)

    def test_header_injection_shapes(self):
        t = self.tid
        crlf = "\r\nBcc: attacker@example.com"
        cases = [
            (self.alice_c, "POST", V1 + "/tickets",
             {"subject": "Hello" + crlf, "body": "b", "customer": {"email": "n@example.com"}},
             "subject"),
            (self.alice_c, "POST", V1 + "/tickets",
             {"subject": "Line\nbreak", "body": "b", "customer": {"email": "n@example.com"}},
             "subject"),
            (self.alice_c, "POST", V1 + "/tickets",
             {"subject": "Nul\u0000byte", "body": "b", "customer": {"email": "n@example.com"}},
             "subject"),
            (self.alice_c, "POST", V1 + "/tickets",
             {"subject": "s", "body": "b", "customer": {"email": "n@example.com" + crlf}},
             "customer.email"),
            (self.alice_c, "POST", V1 + "/tickets",
             {"subject": "s", "body": "b", "customer": {"email": "n@exa\nmple.com"}},
             "customer.email"),
            (self.alice_c, "POST", V1 + "/tickets",
             {"subject": "s", "body": "b",
              "customer": {"email": "n@example.com", "name": "Eve" + crlf}},
             "customer.name"),
            (self.alice_c, "POST", V1 + "/tickets",
             {"subject": "s", "body": "b", "customer": {"email": "n@example.com"},
              "tags": ["two words"]}, "tags"),
            (self.alice_c, "POST", V1 + "/tickets",
             {"subject": "s", "body": "b", "customer": {"email": "n@example.com"},
              "tags": ["a,b"]}, "tags"),
            (self.alice_c, "POST", V1 + "/tickets",
             {"subject": "s", "body": "b", "customer": {"email": "n@example.com"},
              "tags": ["tab\there"]}, "tags"),
            (self.alice_c, "POST", V1 + "/tickets",
             {"subject": "s", "body": "b", "customer": {"email": "n@example.com"},
              "tags": ["ok", ""]}, "tags"),
            (self.alice_c, "POST", V1 + "/tickets",
             {"subject": "s", "body": "b", "customer": {"email": "n@example.com"},
              "tags": ["x" * 65]}, "tags"),
            (self.alice_c, "POST", V1 + "/tickets",
             {"subject": "s", "body": "b", "customer": {"email": "n@example.com"},
              "tags": ["t%d" % i for i in range(33)]}, "tags"),
            (self.alice_c, "PATCH", "%s/tickets/%d" % (V1, t),
             {"version": self.ticket_version(), "subject": "Re: x" + crlf}, "subject"),
            (self.alice_c, "PATCH", "%s/tickets/%d" % (V1, t),
             {"version": self.ticket_version(), "tags": ["has space"]}, "tags"),
            (self.alice_c, "POST", V1 + "/customers",
             {"name": "N", "email": "n@example.com" + crlf}, "email"),
            (self.alice_c, "POST", V1 + "/customers",
             {"name": "N", "emails": ["ok@example.com", "n@example.com" + crlf]}, "emails"),
            (self.alice_c, "POST", V1 + "/customers",
             {"name": "Eve" + crlf, "email": "eve@example.com"}, "name"),
            (self.alice_c, "PATCH", "%s/customers/%d" % (V1, self.customer_id),
             {"version": self.customer_version(), "name": "Eve" + crlf}, "name"),
            (self.alice_c, "PATCH", "%s/customers/%d" % (V1, self.customer_id),
             {"version": self.customer_version(), "email": "v@example.com" + crlf}, "email"),
            (self.alice_c, "POST", V1 + "/companies", {"name": "Acme" + crlf}, "name"),
            (self.admin, "POST", V1 + "/agents",
             {"name": "Mallory" + crlf, "email": "mallory@example.com"}, "name"),
            (self.admin, "POST", V1 + "/agents",
             {"name": "Mallory", "email": "mallory@example.com" + crlf}, "email"),
            (self.lena_c, "POST", V1 + "/teams", {"name": "Night\r\nshift"}, "name"),
        ]
        with self.unchanged():
            for client, method, path, body, field in cases:
                self.expect(client, method, path, body, 422, field)

    def test_path_ids(self):
        routes = [
            ("GET", "/tickets/%s"), ("PATCH", "/tickets/%s"), ("GET", "/tickets/%s/messages"),
            ("POST", "/tickets/%s/messages"), ("GET", "/tickets/%s/events"),
            ("POST", "/tickets/%s/handoffs"), ("POST", "/tickets/%s/take"),
            ("POST", "/tickets/%s/assign"), ("POST", "/tickets/%s/resolve"),
            ("POST", "/tickets/%s/reopen"), ("POST", "/handoffs/%s/accept"),
            ("POST", "/handoffs/%s/decline"), ("GET", "/attachments/%s"),
            ("GET", "/customers/%s"), ("PATCH", "/customers/%s"), ("GET", "/customers/%s/tickets"),
            ("GET", "/companies/%s"), ("GET", "/agents/%s"),
        ]
        with self.unchanged():
            for method, pattern in routes:
                body = None if method == "GET" else {}
                for bad in BAD_IDS:
                    self.expect(self.admin, method, V1 + pattern % bad, body, 422, "id")
                    self.expect(self.anon, method, V1 + pattern % bad, body, 422, "id")
            # Well-formed ids of things that do not exist.
            bodies = {
                "/tickets/%s": {"version": 1, "subject": "x"},
                "/tickets/%s/messages": {"kind": "reply", "body": "x"},
                "/tickets/%s/handoffs": {"to_agent_id": self.lena["id"], "note": "x"},
                "/tickets/%s/assign": {"agent_id": self.lena["id"], "note": "x"},
                "/tickets/%s/resolve": {"outcome": "solved"},
                "/handoffs/%s/decline": {"reason": "x"},
                "/customers/%s": {"version": 1, "name": "x"},
            }
            for method, pattern in routes:
                body = bodies.get(pattern) if method != "GET" else None
                for missing in ("987654", "999999999999999999"):
                    self.expect(self.admin, method, V1 + pattern % missing, body, 404)

    def test_unknown_paths(self):
        paths = ["/", "/api", "/api/v1", "/api/v1/", "/api/v2/tickets", "/api/v1/ticket",
                 "/API/V1/TICKETS", "/api/v1/tickets/1/foo", "/api/v1/tickets/abc/foo",
                 "/api/v1/tickets/1/messages/1", "/api/v1/handoffs", "/api/v1/handoffs/1",
                 "/api/v1/teams/1", "/api/v1/<script>alert(1)</script>",
                 "/api/v1/%00", "/api/v1/%FF", "/api/v1/tickets%2F1", "/.env",
                 "/api/v1/../../etc/passwd"]
        with self.unchanged():
            for p in paths:
                for client in (self.admin, self.anon):
                    for method in ("GET", "POST"):
                        self.expect(client, method, p, {} if method == "POST" else None, 404)
            # Raw bytes that are not UTF-8 in the path: a 400 saying so, whose body is valid JSON.
            for target in (b"/api/v1/tick\xffets", b"/api/v1/\xc3\x28"):
                with self.subTest(target=target):
                    r = raw_http(self.server.port, b"GET " + target + b" HTTP/1.1\r\nHost: t\r\n"
                                 b"Connection: close\r\n\r\n")
                    self.assertProblem(r, 400, what=target)

    def test_wrong_methods(self):
        cases = [
            ("DELETE", "/tickets/1", {"GET", "PATCH"}),
            ("PUT", "/tickets", {"GET", "POST"}),
            ("PATCH", "/tickets", {"GET", "POST"}),
            ("GET", "/auth/login", {"POST"}),
            ("POST", "/health", {"GET"}),
            ("PATCH", "/tickets/1/messages", {"GET", "POST"}),
            ("GET", "/tickets/1/resolve", {"POST"}),
            ("PUT", "/tickets/1/take", {"POST"}),
            ("DELETE", "/customers/1", {"GET", "PATCH"}),
            ("PUT", "/teams", {"GET", "POST"}),
            ("PATCH", "/agents", {"GET", "POST"}),
            ("GET", "/handoffs/1/accept", {"POST"}),
            ("POST", "/search", {"GET"}),
            ("DELETE", "/attachments/1", {"GET"}),
            ("OPTIONS", "/tickets", {"GET", "POST"}),
            ("DELETE", "/tickets/abc", {"GET", "PATCH"}),
        ]
        body_status_wrong = []
        with self.unchanged():
            for method, path, allowed in cases:
                for client in (self.admin, self.anon):
                    with self.subTest(method=method, path=path):
                        r = client.request(method, V1 + path)
                        self.assertEqual(r.status, 405, (method, path, r))
                        allow = {m.strip() for m in r.headers.get("allow", "").split(",")}
                        self.assertTrue(allowed <= allow, (method, path, allow))
                        self.assertNotIn(method, allow)
                        p = self.assertProblem(r, 405, what="%s %s" % (method, path),
                                               body_status=False)
                        if p["status"] != 405:
                            body_status_wrong.append("%s %s -> %s" % (method, path, r.body))
        # Reported once rather than per route: the problem body must agree with the HTTP status.
        self.assertEqual(body_status_wrong, [], "405 answered with a problem body of another status")

    def test_query_strings(self):
        t = self.tid
        broken = ["q=%", "q=%Z1", "q=%1", "q=%G0", "q=a%", "%=1", "q=%FF", "q=%C3%28",
                  "q=%ED%A0%80", "q=%F4%90%80%80", "q=caf%E9", "%FF=1", "status=%C0%AF"]
        lists = [V1 + "/tickets", V1 + "/search", V1 + "/customers",
                 "%s/customers/%d/tickets" % (V1, self.customer_id),
                 "%s/tickets/%d" % (V1, t), V1 + "/agents", V1 + "/health"]
        writes = [("POST", V1 + "/tickets",
                   {"subject": "s", "body": "b", "customer": {"email": "q@example.com"}}),
                  ("PATCH", "%s/tickets/%d" % (V1, t),
                   {"version": self.ticket_version(), "subject": "Via a bad query"}),
                  ("POST", "%s/tickets/%d/messages" % (V1, t), {"kind": "reply", "body": "x"}),
                  ("POST", "%s/tickets/%d/resolve" % (V1, t), {"outcome": "solved"})]
        bad_params = [
            (V1 + "/tickets?bogus=1", "bogus"), (V1 + "/tickets?limit=0", "limit"),
            (V1 + "/tickets?limit=-1", "limit"), (V1 + "/tickets?limit=abc", "limit"),
            (V1 + "/tickets?limit=1.5", "limit"), (V1 + "/tickets?limit=", "limit"),
            (V1 + "/tickets?limit=201", "limit"), (V1 + "/tickets?limit=" + "9" * 30, "limit"),
            (V1 + "/tickets?cursor=0", "cursor"), (V1 + "/tickets?cursor=x", "cursor"),
            (V1 + "/tickets?owner=bob", "owner"), (V1 + "/tickets?owner=0", "owner"),
            (V1 + "/tickets?customer=x", "customer"), (V1 + "/tickets?team=0", "team"),
            (V1 + "/tickets?q=%21%21%21", "q"),
            (V1 + "/search?q=keep&bogus=1", "bogus"), (V1 + "/search?q=keep&limit=0", "limit"),
            (V1 + "/search?q=%2A%2A", "q"), (V1 + "/search?q=", "q"), (V1 + "/search", "q"),
            (V1 + "/customers?bogus=1", "bogus"), (V1 + "/customers?limit=0", "limit"),
            (V1 + "/customers?cursor=x", "cursor"),
            ("%s/customers/%d/tickets?limit=x" % (V1, self.customer_id), "limit"),
            ("%s/customers/%d/tickets?status=open" % (V1, self.customer_id), "status"),
        ]
        with self.unchanged():
            for base in lists:
                for q in broken:
                    self.expect(self.admin, "GET", base + "?" + q, None, 400)
            for method, path, body in writes:
                for q in broken:
                    self.expect(self.alice_c, method, path + "?" + q, body, 400)
            for path, field in bad_params:
                self.expect(self.admin, "GET", path, None, 422, field)
            # Raw non-UTF-8 bytes in the query, which http.client will not send.
            for target in (b"/api/v1/tickets?q=\xff", b"/api/v1/search?q=caf\xe9"):
                with self.subTest(target=target):
                    r = raw_http(self.server.port, b"GET " + target + b" HTTP/1.1\r\nHost: t\r\n"
                                 b"Authorization: Bearer " + self.token.encode() +
                                 b"\r\nConnection: close\r\n\r\n")
                    self.assertProblem(r, 400, what=target)

    def test_oversized_body(self):
        t = self.tid
        big = json.dumps({"subject": "s", "body": "x" * (MAX_BODY + 10),
                          "customer": {"email": "big@example.com"}}).encode()
        with self.unchanged():
            for client, method, path in (
                    (self.alice_c, "POST", V1 + "/tickets"),
                    (self.alice_c, "PATCH", "%s/tickets/%d" % (V1, t)),
                    (self.alice_c, "POST", "%s/tickets/%d/messages" % (V1, t)),
                    (self.admin, "POST", V1 + "/customers"),
                    (self.anon, "POST", V1 + "/auth/login")):
                self.expect(client, method, path, big, 413)
            ctype, data = multipart([("kind", "reply"), ("body", "x")],
                                    [("file", b'filename="big.bin"', "application/octet-stream",
                                      b"\x00" * (MAX_BODY + 1))])
            with self.subTest(what="multipart over the body limit"):
                r = self.alice_c.post("%s/tickets/%d/messages" % (V1, t), raw=data,
                                      headers={"Content-Type": ctype})
                self.assertProblem(r, 413, what="multipart over the body limit")
        # Just under the limit is accepted (a fresh ticket, outside the snapshot).
        body = json.dumps({"subject": "s", "body": "y" * MAX_MESSAGE,
                           "customer": {"email": "big@example.com"}}).encode()
        body = body[:-1] + b" " * (MAX_BODY - len(body)) + b"}"
        self.assertEqual(len(body), MAX_BODY)
        r = self.alice_c.post(V1 + "/tickets", raw=body, headers=dict(JSON))
        self.assertEqual(r.status, 201, r)

    def test_multipart_bad_input(self):
        t = self.tid
        url = "%s/tickets/%d/messages" % (V1, t)

        def post(ctype, data, client=None):
            return (client or self.alice_c).post(url, raw=data, headers={"Content-Type": ctype})

        ok_fields = [("kind", "reply"), ("body", "Here.")]
        cases = []  # (what, content type, body, status, field)
        ctype, data = multipart(ok_fields, [("file", b'filename="big.bin"', "application/zip",
                                             b"\x00" * (MAX_ATTACHMENT + 1))])
        cases.append(("attachment over the limit", ctype, data, 413, None))
        ctype, data = multipart(ok_fields + [("color", "red")])
        cases.append(("unknown field", ctype, data, 422, "color"))
        ctype, data = multipart([("kind", "reply")])
        cases.append(("no body", ctype, data, 422, "body"))
        ctype, data = multipart([("body", "x")])
        cases.append(("no kind", ctype, data, 422, "kind"))
        ctype, data = multipart([("kind", "memo"), ("body", "x")])
        cases.append(("unknown kind", ctype, data, 422, "kind"))
        ctype, data = multipart(ok_fields + [("status", "done")])
        cases.append(("unknown status", ctype, data, 422, "status"))
        ctype, data = multipart([("kind", "reply"), ("body", b"caf\xe9")])
        cases.append(("body not UTF-8", ctype, data, 400, None))
        ctype, data = multipart(ok_fields, [("file", b'filename=""', None, b"x")])
        cases.append(("empty file name", ctype, data, 422, "file"))
        ctype, data = multipart(ok_fields, [("file", b'filename="\xff.bin"', None, b"x")])
        cases.append(("file name not UTF-8", ctype, data, 422, "file"))
        ctype, data = multipart(ok_fields, [("file", b'filename="a\x01b.txt"', None, b"x")])
        cases.append(("control character in file name", ctype, data, 422, "file"))
        ctype, data = multipart(ok_fields, [
            ("file", b"filename*=UTF-8''a%0D%0ASet-Cookie%3A%20x%3D1.txt", None, b"x")])
        cases.append(("CRLF in file name", ctype, data, 422, "file"))
        _, data = multipart(ok_fields)
        cases.append(("no boundary", "multipart/form-data", data, 400, None))
        cases.append(("wrong boundary", "multipart/form-data; boundary=nope", data, 400, None))
        cases.append(("not multipart at all", "multipart/form-data; boundary=x", b"hello", 400,
                      None))
        cases.append(("unclosed", "multipart/form-data; boundary=x",
                      b'--x\r\nContent-Disposition: form-data; name="body"\r\n\r\nhi', 400, None))
        cases.append(("text/plain", "text/plain", b"kind=reply&body=x", 415, None))
        cases.append(("form-urlencoded", "application/x-www-form-urlencoded",
                      b"kind=reply&body=x", 415, None))
        with self.unchanged():
            for what, ctype, data, status, field in cases:
                with self.subTest(what=what):
                    self.assertProblem(post(ctype, data), status, field, what)
            ctype, data = multipart([("kind", "reply"), ("body", "x")])
            with self.subTest(what="customer sends kind=reply"):
                self.assertProblem(post(ctype, data, self.victim_c), 422, "kind", "customer")
        # Exactly at the limit is fine (a fresh ticket, outside the snapshot).
        r = self.alice_c.post(V1 + "/tickets", {"subject": "Limit", "body": "b",
                                                "customer": {"email": "limit@example.com"}})
        self.assertEqual(r.status, 201, r)
        ctype, data = multipart(ok_fields, [("file", b'filename="edge.bin"', None,
                                             b"\x01" * MAX_ATTACHMENT)])
        r = self.alice_c.post("%s/tickets/%d/messages" % (V1, r.json()["ticket"]["id"]),
                              raw=data, headers={"Content-Type": ctype})
        self.assertEqual(r.status, 201, r)
        self.assertEqual(r.json()["messages"][0]["attachments"][0]["size"], MAX_ATTACHMENT)

    def test_unauthenticated_and_forbidden_writes(self):
        t = self.tid
        writes = [("POST", V1 + "/tickets", {"subject": "s", "body": "b",
                                             "customer": {"email": "a@example.com"}}),
                  ("PATCH", "%s/tickets/%d" % (V1, t), {"version": 1, "subject": "x"}),
                  ("POST", "%s/tickets/%d/messages" % (V1, t), {"kind": "reply", "body": "x"}),
                  ("POST", "%s/tickets/%d/resolve" % (V1, t), {"outcome": "solved"}),
                  ("POST", "%s/tickets/%d/reopen" % (V1, t), None),
                  ("POST", "%s/tickets/%d/take" % (V1, t), None),
                  ("POST", "%s/handoffs/%d/accept" % (V1, self.handoff["id"]), None),
                  ("POST", V1 + "/customers", {"name": "n", "email": "n@example.com"}),
                  ("POST", V1 + "/agents", {"name": "n", "email": "n@example.com"}),
                  ("POST", V1 + "/teams", {"name": "n"})]
        with self.unchanged():
            for method, path, body in writes:
                self.expect(self.anon, method, path, body, 401)
                r = self.anon.request(method, path, raw=json.dumps(body).encode(),
                                      headers={"Authorization": "Bearer sf_forged",
                                               "Content-Type": "application/json"})
                self.assertProblem(r, 401, what="forged token " + path)
            self.expect(self.alice_c, "POST", V1 + "/agents", {"name": "n",
                                                              "email": "n@example.com"}, 403)
            self.expect(self.alice_c, "POST", V1 + "/teams", {"name": "n"}, 403)
            self.expect(self.alice_c, "POST", "%s/tickets/%d/assign" % (V1, t),
                        {"agent_id": self.lena["id"], "note": "x"}, 403)
            self.expect(self.alice_c, "POST", "%s/handoffs/%d/accept" % (V1, self.handoff["id"]),
                        None, 403)
            self.expect(self.victim_c, "POST", "%s/tickets/%d/resolve" % (V1, t),
                        {"outcome": "withdrawn"}, 403)
            self.expect(self.victim_c, "PATCH", "%s/tickets/%d" % (V1, t),
                        {"version": self.ticket_version(), "subject": "Mine"}, 403)
            self.expect(self.victim_c, "GET", V1 + "/search?q=keep", None, 403)

    def test_text_over_the_message_limit(self):
        # Free text anywhere is bounded by max_message_bytes (STEADFAST_MAX_MESSAGE_BYTES).
        t = self.tid
        long = "w" * (MAX_MESSAGE + 1)
        cases = [
            (self.alice_c, "POST", V1 + "/tickets",
             {"subject": "s", "body": long, "customer": {"email": "n@example.com"}}, "body"),
            (self.alice_c, "POST", "%s/tickets/%d/messages" % (V1, t),
             {"kind": "reply", "body": long}, "body"),
            (self.alice_c, "POST", "%s/tickets/%d/messages" % (V1, t),
             {"kind": "note", "body": long}, "body"),
            (self.victim_c, "POST", "%s/tickets/%d/messages" % (V1, t), {"body": long}, "body"),
            (self.alice_c, "POST", "%s/tickets/%d/handoffs" % (V1, t),
             {"to_agent_id": self.admin_id(), "note": long}, "note"),
            (self.lena_c, "POST", "%s/tickets/%d/assign" % (V1, t),
             {"agent_id": self.lena["id"], "note": long}, "note"),
            (self.alice_c, "POST", "%s/tickets/%d/resolve" % (V1, t),
             {"outcome": "cannot_do", "statement": long}, "statement"),
            (self.lena_c, "POST", "%s/handoffs/%d/decline" % (V1, self.handoff["id"]),
             {"reason": long}, "reason"),
            (self.alice_c, "POST", V1 + "/customers",
             {"name": "N", "email": "n@example.com", "notes": long}, "notes"),
            (self.alice_c, "PATCH", "%s/customers/%d" % (V1, self.customer_id),
             {"version": self.customer_version(), "notes": long}, "notes"),
        ]
        with self.unchanged():
            for client, method, path, body, field in cases:
                self.expect(client, method, path, body, 422, field)

    def test_customer_cannot_probe_handoffs(self):
        # A customer must not learn that a handoff exists on their ticket (api_tickets.cc says
        # so): answering a real one must look the same as answering one that does not exist.
        real, missing = self.handoff["id"], 987654
        with self.unchanged():
            for action, body in (("accept", None), ("decline", {"reason": "no"})):
                with self.subTest(action=action):
                    r1 = self.send(self.victim_c, "POST",
                                   "%s/handoffs/%d/%s" % (V1, missing, action), body)
                    r2 = self.send(self.victim_c, "POST",
                                   "%s/handoffs/%d/%s" % (V1, real, action), body)
                    self.assertProblem(r1, 404, what="missing handoff")
                    self.assertProblem(r2, 404, what="real handoff on the customer's ticket")

    def test_nul_in_message_body_round_trips_or_is_rejected(self):
        # Bodies are free text; a NUL must not silently truncate what was stored.
        r = self.alice_c.post(V1 + "/tickets", {"subject": "Nul", "body": "before\u0000after",
                                                "customer": {"email": "nul@example.com"}})
        if r.status == 201:
            tid = r.json()["ticket"]["id"]
            r = self.alice_c.get("%s/tickets/%d/messages" % (V1, tid))
            self.assertEqual(r.json()["items"][0]["body"], "before\u0000after")
        else:
            self.assertProblem(r, 422, "body")


if __name__ == "__main__":
    harness.main()
