"""Durability across `kill -9`: every write the server acknowledged (2xx) must be there after a
restart on the same data folder.

Several client threads write as fast as they can (create a ticket with a unique subject, reply to
it, change its priority with its version); at a random moment (seeded, printed) the server is
killed with SIGKILL, restarted on the same folder, and every acknowledged write is checked.
Three rounds on one folder, so earlier rounds' writes are checked again after later crashes.
Writes that got no answer (connection reset or refused) may or may not be there.

Set STEADFAST_E2E_SEED to replay a run's kill timings.
"""

import http.client
import json
import os
import random
import sqlite3
import sys
import threading
import time
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import harness  # noqa: E402

# `serve` rejects unknown STEADFAST_* variables; STEADFAST_BIN only tells this test where the
# binary is (harness.BINARY has read it already).
os.environ.pop("STEADFAST_BIN", None)

THREADS = 8
ROUNDS = 3
MAX_ITERATIONS_PER_THREAD = 500  # Bounds each round even if the kill never lands.
MAX_WRITE_SECONDS = 10.0  # Hard time bound per round for the writers.
PRIORITIES = ["low", "normal", "high", "urgent"]


class Unanswered(Exception):
    """The request got no HTTP response (connection reset, refused, timed out)."""


class RawClient:
    """One keep-alive connection, no retries: a write either gets a response or is 'unanswered'."""

    def __init__(self, port, token):
        self.port = port
        self.token = token
        self.conn = None

    def request(self, method, path, body=None):
        if self.conn is None:
            self.conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=15)
        headers = {"Authorization": "Bearer " + self.token}
        data = None
        if body is not None:
            data = json.dumps(body).encode("utf-8")
            headers["Content-Type"] = "application/json"
        try:
            self.conn.request(method, path, body=data, headers=headers)
            r = self.conn.getresponse()
            payload = r.read()
        except (OSError, http.client.HTTPException) as e:
            self.close()
            raise Unanswered(repr(e))
        if r.getheader("Connection", "").lower() == "close":
            self.close()
        return r.status, payload

    def close(self):
        if self.conn is not None:
            self.conn.close()
            self.conn = None


class Acks:
    """What the server acknowledged, shared by the writer threads."""

    def __init__(self):
        self.mu = threading.Lock()
        self.tickets = {}  # ticket id -> subject
        self.replies = []  # (ticket id, body)
        self.priority = {}  # ticket id -> (version, priority) of the last acknowledged PATCH
        self.unanswered = 0
        self.errors = []  # unexpected non-2xx answers

    def count(self):
        with self.mu:
            return len(self.tickets) + len(self.replies) + len(self.priority)


def writer(port, token, round_no, thread_no, acks, stop, deadline):
    c = RawClient(port, token)
    try:
        for i in range(MAX_ITERATIONS_PER_THREAD):
            if stop.is_set() or time.monotonic() > deadline:
                return
            marker = "dur-r%d-t%d-i%d-%08x" % (round_no, thread_no, i, random.getrandbits(32))
            subject = "Durability " + marker
            # 1. Create a ticket.
            try:
                status, payload = c.request(
                    "POST", "/api/v1/tickets",
                    {"subject": subject, "body": "body of " + marker,
                     "customer": {"email": "dur-t%d@example.com" % thread_no}})
            except Unanswered:
                with acks.mu:
                    acks.unanswered += 1
                return  # The server is gone (or broke the connection): this writer is done.
            if status != 201:
                with acks.mu:
                    acks.errors.append(("create", status, payload[:300]))
                continue
            created = json.loads(payload)
            tid = created["ticket"]["id"]
            version = created["ticket"]["version"]
            with acks.mu:
                acks.tickets[tid] = subject
            # 2. Reply to it.
            reply = "reply " + marker
            try:
                status, payload = c.request("POST", "/api/v1/tickets/%d/messages" % tid,
                                            {"kind": "reply", "body": reply})
            except Unanswered:
                with acks.mu:
                    acks.unanswered += 1
                return
            if status != 201:
                with acks.mu:
                    acks.errors.append(("reply", status, payload[:300]))
                continue
            version = json.loads(payload)["ticket"]["version"]
            with acks.mu:
                acks.replies.append((tid, reply))
            # 3. Two priority changes, each with the version it read.
            for k in range(2):
                prio = PRIORITIES[(i + k + thread_no) % len(PRIORITIES)]
                if prio == "normal" and k == 0:
                    prio = "urgent"  # The first change must be a change.
                try:
                    status, payload = c.request("PATCH", "/api/v1/tickets/%d" % tid,
                                                {"version": version, "priority": prio})
                except Unanswered:
                    with acks.mu:
                        acks.unanswered += 1
                    return
                if status != 200:
                    with acks.mu:
                        acks.errors.append(("patch", status, payload[:300]))
                    break
                t = json.loads(payload)
                if t["priority"] != prio:
                    with acks.mu:
                        acks.errors.append(("patch echoed", prio, payload[:300]))
                    break
                version = t["version"]
                with acks.mu:
                    acks.priority[tid] = (version, prio)
    finally:
        c.close()


class DurabilityTest(unittest.TestCase):

    def setUp(self):
        seed_text = os.environ.get("STEADFAST_E2E_SEED")
        self.seed = int(seed_text) if seed_text else int(time.time() * 1000) % 1000000007
        print("\nSTEADFAST_E2E_SEED=%d" % self.seed, flush=True)
        self.rng = random.Random(self.seed)
        self.server = harness.Server()
        self.addCleanup(self.server.cleanup)

    def check_healthy_and_writable(self, token, label):
        c = harness.Client(self.server.port, token)
        try:
            r = c.get("/api/v1/health")
            self.assertEqual(r.status, 200, "%s: health %r" % (label, r))
            self.assertEqual(r.json().get("status"), "ok", label)
            r = c.post("/api/v1/tickets",
                       {"subject": "after restart " + label, "body": "still writable",
                        "customer": {"email": "probe@example.com"}})
            self.assertEqual(r.status, 201, "%s: new write after restart: %r" % (label, r))
            tid = r.json()["ticket"]["id"]
            r = c.get("/api/v1/tickets/%d" % tid)
            self.assertEqual(r.status, 200, "%s: read back new write: %r" % (label, r))
            self.assertEqual(r.json()["subject"], "after restart " + label)
        finally:
            c.close()

    def verify(self, token, acks, label):
        """Every acknowledged write of every round so far is in the restarted server."""
        c = harness.Client(self.server.port, token)
        try:
            missing = []
            for tid, subject in sorted(acks.tickets.items()):
                r = c.get("/api/v1/tickets/%d" % tid)
                if r.status != 200:
                    missing.append("ticket %d (%s): %r" % (tid, subject, r))
                    continue
                t = r.json()
                if t["subject"] != subject:
                    missing.append("ticket %d subject %r, acknowledged %r" %
                                   (tid, t["subject"], subject))
                if tid in acks.priority:
                    v, prio = acks.priority[tid]
                    # Only this test's thread wrote this ticket, one request at a time: the state
                    # is the acknowledged one, or at most one unanswered write later.
                    if t["version"] < v or (t["version"] == v and t["priority"] != prio):
                        missing.append("ticket %d priority %r version %d; acknowledged %r at "
                                       "version %d" % (tid, t["priority"], t["version"], prio, v))
                    if t["version"] > v + 1:
                        missing.append("ticket %d at version %d, last acknowledged %d: more "
                                       "writes than were sent" % (tid, t["version"], v))
            by_ticket = {}
            for tid, body in acks.replies:
                by_ticket.setdefault(tid, []).append(body)
            for tid, bodies in sorted(by_ticket.items()):
                r = c.get("/api/v1/tickets/%d/messages" % tid)
                if r.status != 200:
                    missing.append("messages of ticket %d: %r" % (tid, r))
                    continue
                present = {m["body"] for m in r.json()["items"]}
                for b in bodies:
                    if b not in present:
                        missing.append("reply %r on ticket %d" % (b, tid))
            self.assertEqual(missing, [], "%s: acknowledged writes lost after kill -9:\n%s" %
                             (label, "\n".join(missing[:40])))
        finally:
            c.close()

    def test_acknowledged_writes_survive_kill9(self):
        self.server.start()
        token = self.server.token(agent=harness.ADMIN_EMAIL)
        acks = Acks()  # Cumulative over the rounds: earlier rounds are re-checked each time.
        for round_no in range(1, ROUNDS + 1):
            before = acks.count()
            stop = threading.Event()
            deadline = time.monotonic() + MAX_WRITE_SECONDS
            threads = [threading.Thread(target=writer,
                                        args=(self.server.port, token, round_no, n, acks, stop,
                                              deadline), daemon=True)
                       for n in range(THREADS)]
            for t in threads:
                t.start()
            delay = self.rng.uniform(0.3, 1.5)
            print("round %d: kill -9 after %.3f s" % (round_no, delay), flush=True)
            time.sleep(delay)
            self.server.kill9()
            stop.set()
            for t in threads:
                t.join(timeout=60)
                self.assertFalse(t.is_alive(), "a writer thread hung after the kill")
            with acks.mu:
                errors = list(acks.errors)
            self.assertEqual(errors, [], "round %d: unexpected answers" % round_no)
            print("round %d: %d acknowledged writes (%d in all), %d unanswered in all" %
                  (round_no, acks.count() - before, acks.count(), acks.unanswered), flush=True)
            self.assertGreater(acks.count(), before,
                               "round %d: no write was acknowledged before the kill" % round_no)

            self.server.start()  # Same data folder.
            label = "round %d" % round_no
            self.verify(token, acks, label)
            self.check_healthy_and_writable(token, label)

        # A clean stop, then the file itself must pass SQLite's own check.
        rc = self.server.stop()
        self.assertEqual(rc, 0, "SIGTERM after the rounds: exit %r" % rc)
        db = sqlite3.connect(os.path.join(self.server.data_dir, "steadfast.db"))
        try:
            result = db.execute("PRAGMA integrity_check").fetchall()
        finally:
            db.close()
        self.assertEqual(result, [("ok",)], "integrity_check after the rounds")


if __name__ == "__main__":
    harness.main()
