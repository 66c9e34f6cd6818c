"""Live updates over HTTP: the event stream (server-sent events) read with a raw socket as a
browser's EventSource would, presence on tickets, and in-app notifications.

A new ticket's event arrives on an agent's stream; a customer's stream carries only their own
tickets' customer-visible events (and a colleague's only where their company shares tickets);
a stream resumed with Last-Event-ID replays what it missed;
the server stops promptly with streams open."""

import json
import os
import socket
import sys
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import harness  # noqa: E402

V1 = "/api/v1"


class Stream:
    """One GET /api/v1/stream over a raw socket; parses events as they come."""

    def __init__(self, port, token=None, cookie=None, last_event_id=None):
        self.sock = socket.create_connection(("127.0.0.1", port), timeout=30)
        headers = ["GET %s/stream HTTP/1.1" % V1, "Host: test", "Accept: text/event-stream"]
        if token:
            headers.append("Authorization: Bearer " + token)
        if cookie:
            headers.append("Cookie: " + cookie)
        if last_event_id is not None:
            headers.append("Last-Event-ID: %s" % last_event_id)
        self.sock.sendall(("\r\n".join(headers) + "\r\n\r\n").encode())
        self.buf = b""
        while b"\r\n\r\n" not in self.buf:
            self._fill()
        head, self.buf = self.buf.split(b"\r\n\r\n", 1)
        lines = head.decode().split("\r\n")
        self.status = int(lines[0].split()[1])
        self.headers = {k.lower(): v.strip() for k, v in
                        (line.split(":", 1) for line in lines[1:])}

    def _fill(self):
        chunk = self.sock.recv(65536)
        if not chunk:
            raise EOFError("stream closed")
        self.buf += chunk

    def next_event(self):
        """The next event as (id, event, data) — comments and retry lines skipped."""
        while True:
            while b"\n\n" not in self.buf:
                self._fill()
            block, self.buf = self.buf.split(b"\n\n", 1)
            fields = {}
            for line in block.decode().split("\n"):
                if line.startswith(":") or ":" not in line:
                    continue
                name, value = line.split(":", 1)
                fields[name] = value[1:] if value.startswith(" ") else value
            if "event" in fields:
                return fields.get("id"), fields["event"], json.loads(fields.get("data", "{}"))

    def until(self, predicate, limit=200):
        """Events up to and including the first for which predicate(id, event, data) holds."""
        seen = []
        for _ in range(limit):
            e = self.next_event()
            seen.append(e)
            if predicate(*e):
                return seen
        raise AssertionError("no such event among %r" % seen)

    def close(self):
        self.sock.close()


class LiveTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.server = harness.Server().start()
        s = cls.server
        cls.admin_token = s.token(agent=harness.ADMIN_EMAIL)
        cls.api = s.client(cls.admin_token)
        for name in ("ana", "ben"):
            r = cls.api.post(V1 + "/agents", {"name": name.title(), "email": name + "@live.example",
                                              "role": "agent", "password": "password-" + name})
            assert r.status == 201, r
            setattr(cls, name, r.json())
        cls.ana_token = s.token(agent="ana@live.example")
        cls.ben_token = s.token(agent="ben@live.example")

    @classmethod
    def tearDownClass(cls):
        cls.api.close()
        cls.server.cleanup()

    def new_ticket(self, email, client=None):
        r = (client or self.api).post(V1 + "/tickets", {
            "subject": "Live", "body": "Hello", "customer": {"email": email}})
        self.assertEqual(r.status, 201, r)
        return r.json()["ticket"]

    def test_a_new_ticket_arrives_on_an_agents_stream(self):
        stream = Stream(self.server.port, token=self.ana_token)
        try:
            self.assertEqual(stream.status, 200)
            self.assertTrue(stream.headers["content-type"].startswith("text/event-stream"))
            t = self.new_ticket("new@live.example")
            seen = stream.until(lambda i, e, d: e == "ticket" and d["ticket_id"] == t["id"])
            event_id, _, data = seen[-1]
            self.assertEqual(data["type"], "ticket_created")
            self.assertTrue(int(event_id) > 0)
            self.assertIn("at", data)
            self.assertIn("actor", data)
        finally:
            stream.close()

    def test_a_customer_hears_only_their_own_tickets_and_no_internal_events(self):
        self.new_ticket("pia@live.example")  # Creates the customer.
        pia_token = self.server.token(customer="pia@live.example")
        pia_api = self.server.client(pia_token)
        stream = Stream(self.server.port, token=pia_token)
        try:
            self.assertEqual(stream.status, 200)
            other = self.new_ticket("someone-else@live.example")
            mine = self.new_ticket("pia@live.example")
            r = self.api.post(V1 + "/tickets/%d/messages" % mine["id"],
                              {"kind": "note", "body": "internal: she is a VIP"})
            self.assertEqual(r.status, 201, r)
            r = self.api.post(V1 + "/tickets/%d/messages" % mine["id"],
                              {"kind": "reply", "body": "We are on it."})
            self.assertEqual(r.status, 201, r)
            seen = stream.until(lambda i, e, d: d.get("type") == "reply_added")
            for _, event, data in seen:
                self.assertEqual(event, "ticket")
                self.assertEqual(data["ticket_id"], mine["id"], data)
                self.assertNotEqual(data["ticket_id"], other["id"])
                self.assertNotIn(data["type"], ("note_added", "owner_taken_internal"))
            self.assertNotIn("note_added", [d["type"] for _, _, d in seen])
            # Customers have no presence nor notifications.
            self.assertEqual(pia_api.get(V1 + "/notifications").status, 403)
            self.assertEqual(pia_api.get(V1 + "/tickets/%d/presence" % mine["id"]).status, 403)
        finally:
            stream.close()
            pia_api.close()

    def test_a_company_s_tickets_reach_colleagues_only_where_the_company_shares_them(self):
        customers = {}
        for company, shares, people in (("Sharing Live", True, ("sam", "sue")),
                                        ("Private Live", False, ("pia2", "pete"))):
            r = self.api.post(V1 + "/companies", {"name": company, "shares_tickets": shares})
            self.assertEqual(r.status, 201, r)
            company_id = r.json()["id"]
            for who in people:
                customers[who] = "%s@co.live.example" % who
                r = self.api.post(V1 + "/customers", {"name": who, "email": customers[who],
                                                      "company_id": company_id})
                self.assertEqual(r.status, 201, r)
        sue = Stream(self.server.port, token=self.server.token(customer=customers["sue"]))
        pete = Stream(self.server.port, token=self.server.token(customer=customers["pete"]))
        try:
            sams = self.new_ticket(customers["sam"])
            pias = self.new_ticket(customers["pia2"])
            # Each stream's own ticket comes last: everything before it has been sent or not.
            sues = self.new_ticket(customers["sue"])
            petes = self.new_ticket(customers["pete"])
            heard = {d["ticket_id"] for _, _, d in
                     sue.until(lambda i, e, d: d.get("ticket_id") == sues["id"])}
            self.assertIn(sams["id"], heard)  # A colleague's, in a company that shares.
            self.assertNotIn(pias["id"], heard)
            self.assertNotIn(petes["id"], heard)
            heard = {d["ticket_id"] for _, _, d in
                     pete.until(lambda i, e, d: d.get("ticket_id") == petes["id"])}
            self.assertEqual(heard, {petes["id"]})  # Not pia2's: this company does not share.
        finally:
            sue.close()
            pete.close()

    def test_resume_with_last_event_id_replays_what_was_missed(self):
        stream = Stream(self.server.port, token=self.ana_token)
        t = self.new_ticket("resume@live.example")
        last_id, _, _ = stream.until(lambda i, e, d: d.get("ticket_id") == t["id"])[-1]
        stream.close()
        missed = self.new_ticket("resume2@live.example")
        resumed = Stream(self.server.port, token=self.ana_token, last_event_id=last_id)
        try:
            seen = resumed.until(lambda i, e, d: d.get("ticket_id") == missed["id"])
            self.assertTrue(all(int(i) > int(last_id) for i, e, _ in seen if e == "ticket"))
        finally:
            resumed.close()
        bad = self.api.get(V1 + "/stream", headers={"Last-Event-ID": "yesterday"})
        self.assertEqual(bad.status, 422)
        self.assertIn("Last-Event-ID", bad.body.decode())

    def test_presence_and_collision_warning_between_two_agents(self):
        ana = self.server.client(self.ana_token)
        ben = self.server.client(self.ben_token)
        t = self.new_ticket("presence@live.example")
        path = V1 + "/tickets/%d/presence" % t["id"]
        stream = Stream(self.server.port, token=self.ben_token)
        try:
            r = ana.post(path, {"state": "typing"})
            self.assertEqual(r.status, 200, r)
            self.assertEqual(r.json()["items"], [])
            _, _, data = stream.until(lambda i, e, d: e == "presence")[-1]
            self.assertEqual(data["ticket_id"], t["id"])
            self.assertEqual(data["agent"]["name"], "Ana")
            self.assertEqual(data["state"], "typing")
            items = ben.get(path).json()["items"]
            self.assertEqual([(p["agent"]["name"], p["state"]) for p in items], [("Ana", "typing")])
            self.assertEqual(ana.post(path, {"state": "left"}).status, 200)
            self.assertEqual(ben.get(path).json()["items"], [])
            bad = ana.post(path, {"state": "dancing"})
            self.assertEqual(bad.status, 422)
            self.assertIn("state", bad.body.decode())
        finally:
            stream.close()
            ana.close()
            ben.close()

    def test_a_handoff_notifies_the_receiver_live_and_in_the_list(self):
        ana = self.server.client(self.ana_token)
        ben = self.server.client(self.ben_token)
        stream = Stream(self.server.port, token=self.ben_token)
        try:
            t = self.new_ticket("handoff@live.example")
            r = ana.post(V1 + "/tickets/%d/messages" % t["id"], {"kind": "reply", "body": "Mine."})
            self.assertEqual(r.status, 201, r)
            r = ana.post(V1 + "/tickets/%d/handoffs" % t["id"],
                         {"to_agent_id": self.ben["id"], "note": "You know the courier."})
            self.assertEqual(r.status, 201, r)
            _, _, data = stream.until(lambda i, e, d: e == "notification")[-1]
            self.assertEqual(data["type"], "handoff_proposed")
            self.assertEqual(data["ticket_id"], t["id"])
            listed = ben.get(V1 + "/notifications").json()
            self.assertGreaterEqual(listed["unread"], 1)
            top = listed["items"][0]
            self.assertEqual((top["type"], top["ticket_id"], top["unread"]),
                             ("handoff_proposed", t["id"], True))
            seen = ben.post(V1 + "/notifications/seen", {"up_to": top["id"]})
            self.assertEqual(seen.status, 200, seen)
            self.assertEqual(seen.json()["unread"], 0)
            self.assertFalse(ben.get(V1 + "/notifications").json()["items"][0]["unread"])
            self.assertEqual(ben.post(V1 + "/notifications/seen", {"up_to": 0}).status, 422)
            self.assertEqual(ben.get(V1 + "/notifications?limit=0").status, 422)
            # Ana proposed it: nothing for her.
            self.assertEqual(ana.get(V1 + "/notifications").json()["items"], [])
        finally:
            stream.close()
            ana.close()
            ben.close()

    def test_zz_stop_ends_open_streams_promptly(self):
        streams = [Stream(self.server.port, token=self.ana_token) for _ in range(3)]
        rc = self.server.stop()  # SIGTERM; a server that hangs is killed after 30 s (rc -9).
        self.assertEqual(rc, 0)
        for s in streams:
            with self.assertRaises((EOFError, ConnectionResetError)):
                while True:
                    s._fill()
            s.close()


if __name__ == "__main__":
    harness.main()
