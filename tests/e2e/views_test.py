"""Saved views and the deadline sort over HTTP: an agent saves, renames, changes and deletes
their own views of the ticket list (another agent's are not found, nothing of them changes), a
view's query passes the list's own parser (bad input names the field as query.<parameter>),
names are unique per agent and limited in number; sort=sla_due lists running SLA clocks by
deadline, then tickets without one, through keyset cursors."""

import os
import sys
import tempfile
import unittest
from urllib.parse import quote

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import harness  # noqa: E402

V1 = "/api/v1"

# Only tickets tagged "sla" run a clock; 24/7 so the deadlines follow the priorities.
CONFIG = """
[business_hours]
time_zone = "UTC"
hours = "24/7"

[[sla_policy]]
name = "Tagged"
tags = ["sla"]
first_reply = { urgent = "30m", high = "1h", normal = "4h", low = "8h" }
"""


def field_of(response):
    return response.json()["errors"][0]["field"]


class ViewsTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.dir = tempfile.mkdtemp(prefix="steadfast-views-")
        config = os.path.join(cls.dir, "steadfast.toml")
        with open(config, "w") as f:
            f.write(CONFIG)
        cls.server = harness.Server(serve_args=["--config", config]).start()
        cls.api = cls.server.client(cls.server.token(agent=harness.ADMIN_EMAIL))
        for name in ("Ada", "Bea"):
            r = cls.api.post(V1 + "/agents", {"name": name, "email": name.lower() + "@help.example",
                                              "role": "agent"})
            assert r.status == 201, r
        cls.ada = cls.server.client(cls.server.token(agent="ada@help.example"))
        cls.bea = cls.server.client(cls.server.token(agent="bea@help.example"))

    @classmethod
    def tearDownClass(cls):
        for c in (cls.api, cls.ada, cls.bea):
            c.close()
        cls.server.cleanup()

    def views(self, client):
        r = client.get(V1 + "/views")
        self.assertEqual(r.status, 200, r)
        return r.json()["items"]

    def save(self, client, name, query, status=201):
        r = client.post(V1 + "/views", {"name": name, "query": query})
        self.assertEqual(r.status, status, r)
        return r

    def test_an_agent_saves_renames_changes_and_deletes_a_view(self):
        v = self.save(self.ada, "  Mine by deadline ", "?owner=me&sort=sla_due").json()
        self.assertEqual(sorted(v), ["created_at", "id", "name", "query", "updated_at"])
        self.assertEqual(v["name"], "Mine by deadline")  # Trimmed.
        self.assertEqual(v["query"], "owner=me&sort=sla_due")  # Without the '?'.
        self.assertIn(v, self.views(self.ada))
        # The list takes the saved query as it is.
        r = self.ada.get(V1 + "/tickets?" + v["query"])
        self.assertEqual(r.status, 200, r)

        r = self.ada.patch(V1 + "/views/%d" % v["id"], {"name": "Deadlines"})
        self.assertEqual(r.status, 200, r)
        self.assertEqual((r.json()["name"], r.json()["query"]), ("Deadlines", v["query"]))
        r = self.ada.patch(V1 + "/views/%d" % v["id"], {"query": "status=open&sort=priority"})
        self.assertEqual(r.status, 200, r)
        self.assertEqual((r.json()["name"], r.json()["query"]),
                         ("Deadlines", "status=open&sort=priority"))

        r = self.ada.request("DELETE", V1 + "/views/%d" % v["id"])
        self.assertEqual(r.status, 204, r)
        self.assertNotIn(v["id"], [x["id"] for x in self.views(self.ada)])
        r = self.ada.request("DELETE", V1 + "/views/%d" % v["id"])
        self.assertEqual(r.status, 404, r)

    def test_another_agents_view_is_not_found_and_stays_as_it_was(self):
        mine = self.save(self.ada, "Ada's urgent", "sort=priority").json()
        self.assertNotIn(mine["id"], [x["id"] for x in self.views(self.bea)])
        r = self.bea.patch(V1 + "/views/%d" % mine["id"], {"name": "Bea's now"})
        self.assertEqual(r.status, 404, r)
        r = self.bea.request("DELETE", V1 + "/views/%d" % mine["id"])
        self.assertEqual(r.status, 404, r)
        self.assertIn(mine, self.views(self.ada))
        # The same name is Bea's to use.
        self.save(self.bea, "Ada's urgent", "sort=oldest")

    def test_bad_input_names_the_field_and_stores_nothing(self):
        self.save(self.ada, "Kept", "sort=oldest")
        before = self.views(self.ada)
        cases = [
            ({"query": "sort=oldest"}, "name"),
            ({"name": "", "query": ""}, "name"),
            ({"name": "x" * 81, "query": ""}, "name"),
            ({"name": "two\nlines", "query": ""}, "name"),
            ({"name": "No query"}, "query"),
            ({"name": "Bad status", "query": "status=bogus"}, "query.status"),
            ({"name": "Bad sort", "query": "sort=sideways"}, "query.sort"),
            ({"name": "Bad owner", "query": "owner=-3"}, "query.owner"),
            ({"name": "Paged", "query": "status=open&limit=5"}, "query.limit"),
            ({"name": "Cursor", "query": "cursor=12"}, "query.cursor"),
            ({"name": "Unknown", "query": "colour=red"}, "query.colour"),
            ({"name": "No words", "query": "q=" + quote("!!! ...")}, "query.q"),
            ({"name": "Broken escape", "query": "q=%zz"}, "query"),
            ({"name": "Long", "query": "q=" + "a" * 2001}, "query"),
            ({"name": "Colour", "query": "", "colour": "red"}, "colour"),
            ({"name": 7, "query": ""}, "name"),
        ]
        for body, field in cases:
            r = self.ada.post(V1 + "/views", body)
            self.assertEqual(r.status, 422, (body, r))
            self.assertEqual(field_of(r), field, body)
        kept = before[-1]["id"]
        for body, field in [({}, "name"), ({"query": "sort=up"}, "query.sort"),
                            ({"name": " "}, "name"), ({"owner": 1}, "owner")]:
            r = self.ada.patch(V1 + "/views/%d" % kept, body)
            self.assertEqual(r.status, 422, (body, r))
            self.assertEqual(field_of(r), field, body)
        r = self.ada.patch(V1 + "/views/%d" % kept, raw=b"{not json",
                           headers={"Content-Type": "application/json"})
        self.assertEqual(r.status, 400, r)
        self.assertEqual(self.views(self.ada), before)

    def test_names_are_unique_per_agent_and_views_are_limited(self):
        self.save(self.bea, "Limit 1", "")
        r = self.save(self.bea, "LIMIT 1", "sort=oldest", status=409)
        self.assertEqual(r.headers["content-type"], "application/problem+json")
        other = self.save(self.bea, "Limit 2", "").json()
        r = self.bea.patch(V1 + "/views/%d" % other["id"], {"name": "limit 1"})
        self.assertEqual(r.status, 409, r)
        have = len(self.views(self.bea))
        for i in range(have, 50):
            self.save(self.bea, "Filler %d" % i, "sort=newest")
        self.save(self.bea, "One too many", "", status=409)
        self.assertEqual(len(self.views(self.bea)), 50)
        # Ada's views are counted apart.
        self.save(self.ada, "Still room", "")

    def test_sla_due_lists_deadlines_first_then_the_rest_in_pages(self):
        customer = "deadline@views.example"

        def ticket(priority, tags):
            r = self.api.post(V1 + "/tickets", {"subject": "Deadline %s" % priority,
                                                "body": "Hello", "priority": priority,
                                                "tags": tags, "customer": {"email": customer}})
            self.assertEqual(r.status, 201, r)
            self.customer_id = r.json()["ticket"]["customer_id"]
            return r.json()["ticket"]["id"]

        plain1 = ticket("urgent", [])  # No clock: after every running one, oldest first.
        low = ticket("low", ["sla"])
        urgent = ticket("urgent", ["sla"])
        plain2 = ticket("normal", [])
        high = ticket("high", ["sla"])
        cust = self.customer_id
        want = [urgent, high, low, plain1, plain2]
        for limit in (1, 2, 3, 10):
            ids, cursor = [], None
            for _ in range(10):
                url = V1 + "/tickets?customer=%d&sort=sla_due&limit=%d" % (cust, limit)
                if cursor:
                    url += "&cursor=" + quote(cursor)
                r = self.api.get(url)
                self.assertEqual(r.status, 200, r)
                ids += [t["id"] for t in r.json()["items"]]
                cursor = r.json()["next_cursor"]
                if not cursor:
                    break
            self.assertEqual(ids, want, limit)
        for bad in ("x", "12", "-1.5", "1.x"):
            r = self.api.get(V1 + "/tickets?sort=sla_due&cursor=" + quote(bad))
            self.assertEqual(r.status, 422, r)
            self.assertEqual(field_of(r), "cursor")
        r = self.api.get(V1 + "/tickets?sort=deadline")
        self.assertEqual(r.status, 422, r)
        self.assertIn("sla_due", r.json()["errors"][0]["message"])


if __name__ == "__main__":
    harness.main()
