"""`make run` = scripts/run-demo BIN DATA LISTEN: on first run it creates a data folder with demo
content and a generated admin password, prints the login, and serves; on later runs it serves
the same folder without initializing it again. Drives the script as a developer would.
"""

import os
import queue
import shutil
import signal
import stat
import subprocess
import sys
import tempfile
import threading
import time
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import harness  # noqa: E402

BINARY = harness.BINARY
SCRIPT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "scripts",
                      "run-demo")
# `serve` rejects unknown STEADFAST_* variables; STEADFAST_BIN is only how CTest names the binary.
ENV = {k: v for k, v in os.environ.items() if not k.startswith("STEADFAST_")}
DEMO_AGENTS = ["ana@example.com", "ben@example.com", "chloe@example.com"]


class Demo:
    """One run of scripts/run-demo; stdout is read by a thread so reads can time out."""

    def __init__(self, data_dir, port, log_dir):
        self.listen = "127.0.0.1:%d" % port
        self.port = port
        self.stderr_path = os.path.join(log_dir, "run-demo-%d.stderr" % time.monotonic_ns())
        self.stderr = open(self.stderr_path, "wb")
        self.proc = subprocess.Popen([SCRIPT, BINARY, data_dir, self.listen],
                                     stdout=subprocess.PIPE, stderr=self.stderr, env=ENV,
                                     start_new_session=True)
        self.lines = []
        self.q = queue.Queue()
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self):
        for raw in self.proc.stdout:
            self.q.put(raw.decode("utf-8", "replace").rstrip("\n"))
        self.q.put(None)

    def wait_for_listening(self, timeout=60):
        """All stdout lines up to and including 'listening on …'; None if the run ended first."""
        deadline = time.monotonic() + timeout
        while True:
            left = deadline - time.monotonic()
            if left <= 0:
                return None
            try:
                line = self.q.get(timeout=left)
            except queue.Empty:
                return None
            if line is None:
                return None
            self.lines.append(line)
            if line.startswith("listening on http://"):
                return self.lines

    def stderr_text(self):
        if not self.stderr.closed:
            self.stderr.flush()
        with open(self.stderr_path, "rb") as f:
            return f.read().decode("utf-8", "replace")

    def stop(self, sig=signal.SIGTERM, timeout=30):
        if self.proc is None:
            return None
        if self.proc.poll() is None:
            self.proc.send_signal(sig)
        try:
            rc = self.proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            os.killpg(self.proc.pid, signal.SIGKILL)
            self.proc.wait()
            rc = "still running %d s after signal %d" % (timeout, sig)
        self.proc.stdout.close()
        self.stderr.close()
        self.proc = None
        return rc


class RunDemoTest(unittest.TestCase):

    def setUp(self):
        if not BINARY:
            self.fail("set STEADFAST_BIN to the steadfast binary")
        self.assertTrue(os.access(SCRIPT, os.X_OK), "%s must be executable" % SCRIPT)
        self.tmp = tempfile.mkdtemp(prefix="steadfast-run-demo-")
        self.addCleanup(shutil.rmtree, self.tmp, True)
        self.demos = []
        self.addCleanup(self.kill_all)

    def kill_all(self):
        for d in self.demos:
            if d.proc is not None:
                d.stop(signal.SIGKILL)

    def start(self, data_dir):
        """Runs the script on a free port; retries if another process took the port meanwhile."""
        for attempt in range(3):
            d = Demo(data_dir, harness.free_port(), self.tmp)
            self.demos.append(d)
            lines = d.wait_for_listening()
            if lines is not None:
                return d, lines
            rc = d.stop(signal.SIGKILL)
            err = d.stderr_text()
            if "address" not in err.lower() or attempt == 2:
                self.fail("run-demo did not start (exit %r)\nstdout: %s\nstderr: %s" %
                          (rc, "\n".join(d.lines), err))
        raise AssertionError("unreachable")

    def login_line(self, lines):
        found = [l for l in lines if l.startswith("Admin login:")]
        self.assertEqual(len(found), 1, "one admin login line in:\n" + "\n".join(lines))
        who = found[0][len("Admin login:"):].strip()
        email, _, password = who.partition(" / ")
        return email.strip(), password.strip()

    def logged_in(self, port, email, password):
        c = harness.Client(port)
        r = c.login(email, password)
        self.assertEqual(r.status, 200, "login %s: %r" % (email, r))
        return c

    def all_tickets(self, c):
        r = c.get("/api/v1/tickets?limit=200")
        self.assertEqual(r.status, 200, r)
        page = r.json()
        self.assertIsNone(page["next_cursor"], "the demo has fewer than 200 tickets")
        return page["items"]

    def check_demo_data(self, c):
        tickets = self.all_tickets(c)
        statuses = {t["status"] for t in tickets}
        for s in ("new", "open", "pending", "resolved"):
            self.assertIn(s, statuses, "a demo ticket in status %r" % s)

        full = []
        for t in tickets:
            r = c.get("/api/v1/tickets/%d" % t["id"])
            self.assertEqual(r.status, 200, r)
            full.append(r.json())
        handoffs = [t["pending_handoff"] for t in full if t.get("pending_handoff")]
        # A handoff awaiting an answer is in state "proposed" (then accepted or declined).
        pending = [h for h in handoffs if h["state"] == "proposed"]
        self.assertTrue(pending, "a demo ticket with a pending handoff: %r" % handoffs)
        h = pending[0]
        self.assertIsNone(h["answered_at"])
        self.assertNotEqual(h["from_agent_id"], h["to_agent_id"])
        self.assertTrue(h["note"].strip())

        cannot = [t for t in full if t.get("resolution") and
                  t["resolution"]["outcome"] == "cannot_do"]
        self.assertTrue(cannot, "a demo ticket resolved as cannot_do")
        res = cannot[0]["resolution"]
        self.assertTrue(res["statement"].strip(), "the cannot_do resolution has a statement")
        self.assertEqual(cannot[0]["status"], "resolved")

        # Every demo ticket has its customer's first message.
        for t in tickets:
            r = c.get("/api/v1/tickets/%d/messages" % t["id"])
            self.assertEqual(r.status, 200, r)
            self.assertTrue(r.json()["items"], "ticket %d has messages" % t["id"])
        return tickets

    def test_first_run_initializes_and_second_run_reuses(self):
        data = os.path.join(self.tmp, "nested", "data")  # run-demo creates missing folders.

        # --- first run: init with demo content, login printed, serving ---
        d, lines = self.start(data)
        out = "\n".join(lines)
        self.assertTrue(os.path.isfile(os.path.join(data, "steadfast.db")))
        self.assertIn("Steadfast: http://" + d.listen, out)
        email, password = self.login_line(lines)
        self.assertEqual(email, harness.ADMIN_EMAIL)
        self.assertGreaterEqual(len(password), 10, "a usable generated password: %r" % password)
        self.assertNotIn("set at init", password)
        self.assertEqual(lines[-1], "listening on http://" + d.listen)
        pw_file = os.path.join(data, "admin-password.txt")
        mode = stat.S_IMODE(os.stat(pw_file).st_mode)
        self.assertEqual(mode & 0o077, 0, "the password file is private (mode %o)" % mode)

        c = self.logged_in(d.port, email, password)
        r = c.get("/api/v1/health")
        self.assertEqual(r.status, 200, r)
        tickets = self.check_demo_data(c)
        c.close()
        bad = harness.Client(d.port)
        self.assertEqual(bad.login(email, password + "x").status, 401)
        bad.close()
        for agent in DEMO_AGENTS:  # "use the admin password", as init prints.
            self.logged_in(d.port, agent, password).close()

        rc = d.stop(signal.SIGTERM)
        self.assertEqual(rc, 0, "run-demo after SIGTERM; stderr:\n" + d.stderr_text())

        # --- second run: same folder, no init, same login, same data ---
        d2, lines2 = self.start(data)
        out2 = "\n".join(lines2)
        self.assertNotIn("Initialized", out2, "the second run must not initialize again")
        email2, password2 = self.login_line(lines2)
        self.assertEqual((email2, password2), (email, password))
        c = self.logged_in(d2.port, email2, password2)
        again = self.check_demo_data(c)
        self.assertEqual(sorted(t["id"] for t in again), sorted(t["id"] for t in tickets),
                         "the demo content is neither lost nor seeded twice")
        r = c.post("/api/v1/tickets", {"subject": "after the second start", "body": "hello",
                                       "customer": {"email": "someone@example.com"}})
        self.assertEqual(r.status, 201, r)
        c.close()
        rc = d2.stop(signal.SIGTERM)
        self.assertEqual(rc, 0, "second run after SIGTERM; stderr:\n" + d2.stderr_text())


if __name__ == "__main__":
    harness.main()
