"""GET /api/v1/openapi.json must describe the API the server really has: the same routes as
AddRoutes in src/http/api.cc, and response schemas whose properties are exactly the keys that
render.cc produces. A route or field added without updating docs/openapi.json fails here."""

import os
import re
import sys
import unittest
import uuid

sys.path.insert(0, os.path.dirname(__file__))
import harness  # noqa: E402

API_CC = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "src", "http",
                      "api.cc")
METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")


def source_routes():
    """{(METHOD, path): is_public} from the AddRoutes body of api.cc."""
    with open(API_CC, encoding="utf-8") as f:
        text = f.read()
    start = text.index("void Api::AddRoutes()")
    end = text.index("\n}\n", start)
    body = text[start:end]
    prefix = re.search(r'const std::string v1 = "([^"]+)";', body).group(1)
    found = re.findall(r'\b(AddPublic|Add)\(\s*"([A-Z]+)"\s*,\s*v1\s*\+\s*"([^"]+)"', body)
    # Every Add/AddPublic call must have been understood; a new spelling must update the regex.
    calls = re.findall(r"\b(?:AddPublic|Add)\(", body)
    if len(found) != len(calls) or not found:
        raise AssertionError("parsed %d of %d route registrations in api.cc" %
                             (len(found), len(calls)))
    return {(method, prefix + path): kind == "AddPublic" for kind, method, path in found}


class OpenApiTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.server = harness.Server().start()
        cls.anon = cls.server.client()
        r = cls.anon.get("/api/v1/openapi.json")
        if r.status != 200:
            raise AssertionError("GET /api/v1/openapi.json: %r" % r)
        cls.response = r
        cls.doc = r.json()
        cls.schemas = cls.doc["components"]["schemas"]
        cls.api = cls.server.client(cls.server.token(agent=harness.ADMIN_EMAIL))

    @classmethod
    def tearDownClass(cls):
        cls.anon.close()
        cls.api.close()
        cls.server.cleanup()

    def props(self, name):
        schema = self.schemas[name]
        self.assertEqual(schema.get("type"), "object", name)
        return set(schema["properties"])

    def assert_shape(self, name, value):
        """`value` has exactly the properties of schema `name`, all of them required."""
        self.assertIsInstance(value, dict, name)
        self.assertEqual(set(value), self.props(name),
                         "%s: response keys differ from the schema properties" % name)
        self.assertEqual(set(self.schemas[name].get("required", [])), self.props(name),
                         "%s: every property render.cc always writes must be required" % name)

    def test_served_as_json_openapi_3(self):
        self.assertTrue(self.response.headers["content-type"].startswith("application/json"))
        self.assertTrue(str(self.doc["openapi"]).startswith("3."), self.doc["openapi"])
        self.assertIn("title", self.doc["info"])
        schemes = self.doc["components"]["securitySchemes"]
        self.assertEqual(schemes["bearerAuth"]["scheme"], "bearer")
        self.assertEqual(schemes["cookieAuth"]["name"], "sf_session")
        self.assertEqual(schemes["csrfToken"]["name"], "X-CSRF-Token")

    def test_paths_equal_routes(self):
        routes = source_routes()
        documented = set()
        for path, item in self.doc["paths"].items():
            for method in item:
                if method in METHODS:
                    documented.add((method.upper(), path))
        self.assertEqual(documented - set(routes), set(), "documented but not routed")
        self.assertEqual(set(routes) - documented, set(), "routed but not documented")

    def test_public_routes_need_no_auth(self):
        for (method, path), public in source_routes().items():
            op = self.doc["paths"][path][method.lower()]
            if public:
                self.assertEqual(op.get("security"), [], "%s %s is public" % (method, path))
            else:
                self.assertNotEqual(op.get("security", self.doc["security"]), [],
                                    "%s %s needs auth" % (method, path))

    def test_every_operation_documents_its_responses(self):
        for path, item in self.doc["paths"].items():
            for method, op in item.items():
                if method not in METHODS:
                    continue
                codes = set(op["responses"])
                self.assertTrue(any(c.startswith("2") for c in codes), (method, path))
                if "{id}" in path:
                    self.assertIn("422", codes, "%s %s: a bad id is a 422" % (method, path))
                    params = op.get("parameters", []) + item.get("parameters", [])
                    self.assertTrue(params, "%s %s: the id parameter" % (method, path))

    def test_refs_resolve(self):
        def walk(node):
            if isinstance(node, dict):
                for k, v in node.items():
                    if k == "$ref":
                        self.assertTrue(v.startswith("#/"), v)
                        target = self.doc
                        for part in v[2:].split("/"):
                            self.assertIn(part, target, "dangling $ref " + v)
                            target = target[part]
                    else:
                        walk(v)
            elif isinstance(node, list):
                for v in node:
                    walk(v)
        walk(self.doc)

    def test_shapes_match_render(self):
        email = "openapi-%s@example.com" % uuid.uuid4().hex[:8]
        r = self.api.post("/api/v1/tickets", {
            "subject": "Schema check", "body": "Does the document match?",
            "customer": {"email": email, "name": "Schema Person"}, "tags": ["docs"]})
        self.assertEqual(r.status, 201, r)
        created = r.json()
        self.assert_shape("TicketWrite", created)
        ticket = created["ticket"]
        self.assert_shape("Ticket", ticket)
        self.assert_shape("Message", created["messages"][0])
        self.assert_shape("Actor", created["messages"][0]["author"])

        r = self.api.get("/api/v1/tickets?limit=1")
        self.assertEqual(r.status, 200, r)
        self.assert_shape("TicketPage", r.json())
        self.assert_shape("TicketListItem", r.json()["items"][0])

        r = self.api.post("/api/v1/views", {"name": "Schema view " + email, "query": "sort=sla_due"})
        self.assertEqual(r.status, 201, r)
        self.assert_shape("SavedView", r.json())
        r = self.api.get("/api/v1/views")
        self.assertEqual(r.status, 200, r)
        self.assert_shape("SavedViewList", r.json())

        r = self.api.get("/api/v1/tickets?limit=1&sort=priority")
        self.assert_shape("TicketPage", r.json())

        r = self.api.get("/api/v1/queues/counts")
        self.assertEqual(r.status, 200, r)
        self.assert_shape("QueueCounts", r.json())

        r = self.api.get("/api/v1/stats/follow-through?days=7")
        self.assertEqual(r.status, 200, r)
        self.assert_shape("FollowThroughStats", r.json())
        self.assert_shape("ChaseCounts", r.json()["chases"])

        r = self.api.get("/api/v1/digest")
        self.assertEqual(r.status, 200, r)
        self.assert_shape("Digest", r.json())

        r = self.api.get("/api/v1/customers/%d" % ticket["customer_id"])
        self.assertEqual(r.status, 200, r)
        self.assert_shape("Customer", r.json())

        r = self.api.get("/api/v1/agents/1")
        self.assertEqual(r.status, 200, r)
        self.assert_shape("Agent", r.json())

        r = self.api.get("/api/v1/auth/me")
        self.assertEqual(r.status, 200, r)
        self.assert_shape("MeAgent", r.json())

        r = self.api.post("/api/v1/teams", {"name": "Schema team " + uuid.uuid4().hex[:6]})
        self.assertEqual(r.status, 201, r)
        self.assert_shape("Team", r.json())

        r = self.api.post("/api/v1/companies", {"name": "Schema Ltd"})
        self.assertEqual(r.status, 201, r)
        self.assert_shape("Company", r.json())

        r = self.api.post("/api/v1/agents", {"name": "Second", "email": "second-" + email})
        self.assertEqual(r.status, 201, r)
        second = r.json()["id"]

        tid = ticket["id"]
        r = self.api.post("/api/v1/tickets/%d/take" % tid)
        self.assertEqual(r.status, 200, r)
        r = self.api.post("/api/v1/tickets/%d/handoffs" % tid,
                          {"to_agent_id": second, "note": "You know this customer."})
        self.assertEqual(r.status, 201, r)
        self.assert_shape("Handoff", r.json())
        r = self.api.get("/api/v1/tickets/%d" % tid)
        self.assert_shape("Handoff", r.json()["pending_handoff"])

        r = self.api.get("/api/v1/tickets/%d/events" % tid)
        self.assertEqual(r.status, 200, r)
        self.assert_shape("Event", r.json()["items"][0])
        self.assert_shape("FieldChange", r.json()["items"][0]["changes"][0])

        r = self.api.post("/api/v1/tickets/%d/resolve" % tid,
                          {"outcome": "cannot_do", "statement": "We cannot do that.",
                           "alternatives": ["Try this instead"]})
        self.assertEqual(r.status, 200, r)
        self.assert_shape("Resolution", r.json()["resolution"])

        boundary = "openapi-test-boundary"
        multipart = (
            "--%(b)s\r\nContent-Disposition: form-data; name=\"kind\"\r\n\r\nnote\r\n"
            "--%(b)s\r\nContent-Disposition: form-data; name=\"body\"\r\n\r\nWith a file\r\n"
            "--%(b)s\r\nContent-Disposition: form-data; name=\"files\"; filename=\"a.txt\"\r\n"
            "Content-Type: text/plain\r\n\r\nhello\r\n--%(b)s--\r\n" % {"b": boundary})
        r = self.api.post("/api/v1/tickets/%d/messages" % tid, raw=multipart.encode(),
                          headers={"Content-Type": "multipart/form-data; boundary=" + boundary})
        self.assertEqual(r.status, 201, r)
        self.assert_shape("Attachment", r.json()["messages"][0]["attachments"][0])

        r = self.api.get("/api/v1/tickets?status=nonsense")
        self.assertEqual(r.status, 422, r)
        problem = r.json()
        self.assertLessEqual(set(problem), self.props("Problem"))
        self.assertLessEqual(set(self.schemas["Problem"]["required"]), set(problem))
        self.assertEqual(problem["errors"][0]["field"], "status")

    def test_live_shapes_match(self):
        email = "live-%s@example.com" % uuid.uuid4().hex[:8]
        r = self.api.post("/api/v1/agents", {"name": "Receiver", "email": email})
        self.assertEqual(r.status, 201, r)
        receiver_id = r.json()["id"]
        receiver = self.server.client(self.server.token(agent=email))
        try:
            r = self.api.post("/api/v1/tickets", {"subject": "Live shapes", "body": "Hi",
                                                  "customer": {"email": "c-" + email}})
            tid = r.json()["ticket"]["id"]
            self.assertEqual(self.api.post("/api/v1/tickets/%d/take" % tid).status, 200)
            r = self.api.post("/api/v1/tickets/%d/handoffs" % tid,
                              {"to_agent_id": receiver_id, "note": "Yours"})
            self.assertEqual(r.status, 201, r)
            r = receiver.get("/api/v1/notifications")
            self.assertEqual(r.status, 200, r)
            self.assert_shape("NotificationList", r.json())
            self.assert_shape("Notification", r.json()["items"][0])
            r = receiver.post("/api/v1/notifications/seen", {"up_to": r.json()["items"][0]["id"]})
            self.assertEqual(r.status, 200, r)
            self.assert_shape("NotificationMark", r.json())
            r = receiver.post("/api/v1/tickets/%d/presence" % tid, {"state": "viewing"})
            self.assertEqual(r.status, 200, r)
            self.assert_shape("PresenceList", r.json())
            r = self.api.get("/api/v1/tickets/%d/presence" % tid)
            self.assertEqual(r.status, 200, r)
            self.assert_shape("PresenceList", r.json())
            self.assert_shape("Presence", r.json()["items"][0])
        finally:
            receiver.close()

    def test_request_bodies_reject_what_the_document_does_not_allow(self):
        # The request schemas are closed (additionalProperties: false), like the handlers.
        for name in ("NewTicket", "TicketPatch", "NewMessage", "NewCustomer", "NewAgent"):
            self.assertIs(self.schemas[name].get("additionalProperties"), False, name)
        r = self.api.post("/api/v1/teams", {"name": "x", "colour": "red"})
        self.assertEqual(r.status, 422, r)
        self.assertNotIn("colour", self.props("NewTeam"))


if __name__ == "__main__":
    harness.main()
