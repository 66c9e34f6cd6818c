"""Mail loops: two Steadfast instances that acknowledge each other's mail stop by themselves.

Each instance sends through a relay (aiosmtpd, in this process) that hands what it receives to
the other instance's POST /api/v1/mail/inbound. With the headers intact, RFC 3834 ends the loop at
once: the acknowledgement is marked Auto-Submitted and never answered. Through a relay that strips
every marker (Auto-Submitted, threading headers, subject tags, our Message-IDs) — a help desk that
ignores the standards — the rate cap ends it: at most mail_auto_limit acknowledgements each way.
"""

import asyncio
import os
import re
import sys
import threading
import time
import unittest
import uuid

from aiosmtpd.controller import Controller

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import harness  # noqa: E402

V1 = "/api/v1"
LIMIT = 4  # mail_auto_limit for both instances: the loop must stop within it.
STRIPPED = ("auto-submitted", "x-auto-response-suppress", "precedence", "in-reply-to",
            "references", "message-id")


def strip_markers(raw):
    """The message as a standards-ignoring help desk would pass it on."""
    head, _, body = raw.partition(b"\r\n\r\n")
    lines = []
    for line in head.split(b"\r\n"):
        name = line.split(b":", 1)[0].strip().lower().decode("latin-1")
        if name in STRIPPED:
            continue
        if name == "subject":
            line = re.sub(rb"\[[A-Z]*#\d+\]\s*", b"", line).replace(b"Re: ", b"")
        lines.append(line)
    lines.append(b"Message-ID: <%s@relay.example>" % uuid.uuid4().hex.encode())
    return b"\r\n".join(lines) + b"\r\n\r\n" + body


class Relay:
    """An SMTP server whose every message is handed to `target`'s inbound mail endpoint."""

    def __init__(self, target_port, token, naive):
        self.target_port, self.token, self.naive = target_port, token, naive
        self.count = 0
        self.lock = threading.Lock()
        self.port = harness.free_port()
        self.controller = Controller(self, hostname="127.0.0.1", port=self.port)
        self.running = False

    def start(self):
        self.controller.start()
        self.running = True
        return self.port

    def stop(self):
        if self.running:
            self.controller.stop()
            self.running = False

    async def handle_DATA(self, server, session, envelope):
        raw = envelope.original_content or envelope.content
        if self.naive:
            raw = strip_markers(raw)
        status = await asyncio.get_running_loop().run_in_executor(None, self.deliver, raw)
        if status != 200 and status != 201:
            return "451 inbound answered %d" % status
        with self.lock:
            self.count += 1
        return "250 OK"

    def deliver(self, raw):
        client = harness.Client(self.target_port, token=self.token)
        try:
            return client.request("POST", V1 + "/mail/inbound", raw=raw,
                                  headers={"Content-Type": "message/rfc822"}).status
        finally:
            client.close()


class MailLoopTest(unittest.TestCase):
    def start_pair(self, naive):
        # The relays first (their ports go in the servers' settings); each learns its target's
        # port once that server listens.
        self.to_b = Relay(None, None, naive)  # What A sends arrives at B.
        self.to_a = Relay(None, None, naive)
        port_to_b, port_to_a = self.to_b.start(), self.to_a.start()

        def server(domain, tag, relay_port):
            return harness.Server(env={"STEADFAST_MAIL_DOMAIN": domain,
                                       "STEADFAST_MAIL_SUBJECT_TAG": tag,
                                       "STEADFAST_SMTP_FROM": "support@" + domain,
                                       "STEADFAST_SMTP_URL": "smtp://127.0.0.1:%d" % relay_port,
                                       "STEADFAST_SMTP_RETRY_SECONDS": "1",
                                       "STEADFAST_MAIL_AUTO_LIMIT": str(LIMIT)})
        self.a = server("a.example", "[#", port_to_b)
        self.b = server("b.example", "[B#", port_to_a)
        token_a = self.a.token(agent=harness.ADMIN_EMAIL)
        token_b = self.b.token(agent=harness.ADMIN_EMAIL)
        self.a.start()
        self.b.start()
        self.to_b.target_port, self.to_b.token = self.b.port, token_b
        self.to_a.target_port, self.to_a.token = self.a.port, token_a
        self.api_a = self.a.client(token_a)
        self.api_b = self.b.client(token_b)

    def tearDown(self):
        for name in ("api_a", "api_b"):
            if hasattr(self, name):
                getattr(self, name).close()
        for name in ("a", "b"):
            if hasattr(self, name):
                getattr(self, name).cleanup()
        for name in ("to_a", "to_b"):
            if hasattr(self, name):
                getattr(self, name).stop()

    def wait_until_quiet(self, quiet_seconds=5, limit_seconds=120):
        """Waits until neither relay has carried a message for `quiet_seconds` (bounded)."""
        deadline = time.time() + limit_seconds
        last, since = None, time.time()
        while time.time() < deadline:
            now = (self.to_a.count, self.to_b.count)
            if now != last:
                last, since = now, time.time()
            elif time.time() - since >= quiet_seconds:
                return now
            time.sleep(0.2)
        self.fail("the mail loop did not stop within %d s: %r" % (limit_seconds, last))

    def system_lines(self, api):
        lines = []
        for t in api.get(V1 + "/tickets?limit=100").json()["items"]:
            for m in api.get(V1 + "/tickets/%d/messages" % t["id"]).json()["items"]:
                if m["author"]["kind"] == "system":
                    lines.append(m["body"])
        return lines

    def kick_off(self):
        """B's support address writes to A, as a desk's notification would."""
        raw = (b"From: Desk B <support@b.example>\r\nTo: support@a.example\r\n"
               b"Subject: We received your request\r\nMessage-ID: <start@b.example>\r\n\r\n"
               b"Thank you for writing to us.\r\n")
        r = self.api_a.request("POST", V1 + "/mail/inbound", raw=raw,
                               headers={"Content-Type": "message/rfc822"})
        self.assertEqual(r.status, 201, r)

    def test_auto_submitted_ends_the_loop_at_once(self):
        self.start_pair(naive=False)
        self.kick_off()
        to_a, to_b = self.wait_until_quiet()
        # A acknowledged once; B saw Auto-Submitted and did not answer.
        self.assertEqual((to_a, to_b), (0, 1))
        self.assertTrue(any("Auto-Submitted: auto-replied" in line
                            for line in self.system_lines(self.api_b)))

    def test_the_rate_cap_ends_a_loop_that_ignores_the_standards(self):
        self.start_pair(naive=True)
        self.kick_off()
        to_a, to_b = self.wait_until_quiet()
        # Each side acknowledged up to the cap, then stopped and said why.
        # A opened the first ticket, so A reaches the cap first: B's last acknowledgement opens a
        # ticket at A that says why it was not acknowledged, and nothing more is sent.
        self.assertEqual((to_a, to_b), (LIMIT, LIMIT))
        lines = self.system_lines(self.api_a)
        capped = [line for line in lines
                  if "%d automatic emails to support@b.example" % LIMIT in line]
        self.assertEqual(len(capped), 1, lines)
        self.assertEqual(len(self.api_a.get(V1 + "/tickets?limit=100").json()["items"]), LIMIT + 1)


if __name__ == "__main__":
    harness.main()
