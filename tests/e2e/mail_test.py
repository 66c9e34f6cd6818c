"""Email in: `steadfast mailgate` and POST /api/v1/mail/inbound against the real server.

Each message goes through the whole path: the MTA pipe client, HTTP, GMime parsing, the
de-duplication key, threading, sanitizing, and the store's commit.
"""

import base64
import os
import subprocess
import sys
import tempfile
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import harness  # noqa: E402

V1 = "/api/v1"
EX_OK, EX_DATAERR, EX_TEMPFAIL = 0, 65, 75


def message(sender, subject, body, message_id=None, extra="", content_type=None):
    lines = ["From: %s" % sender, "To: support@help.example", "Subject: %s" % subject]
    if message_id:
        lines.append("Message-ID: <%s>" % message_id)
    if content_type:
        lines.append("MIME-Version: 1.0")
        lines.append("Content-Type: %s" % content_type)
    if extra:
        lines.append(extra.rstrip("\r\n"))
    return ("\r\n".join(lines) + "\r\n\r\n" + body).encode("utf-8")


class MailTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.server = harness.Server().start()
        cls.admin_token = cls.server.token(agent=harness.ADMIN_EMAIL)
        cls.admin = cls.server.client(cls.admin_token)
        cls.tmp = tempfile.mkdtemp(prefix="steadfast-mail-")
        cls.token_file = os.path.join(cls.tmp, "mailgate.token")
        with open(cls.token_file, "w") as f:
            f.write(cls.admin_token + "\n")

    @classmethod
    def tearDownClass(cls):
        cls.admin.close()
        cls.server.cleanup()

    def mailgate(self, raw, url=None, token_file=None):
        env = {k: v for k, v in os.environ.items() if not k.startswith("STEADFAST_")}
        return subprocess.run(
            [harness.BINARY, "mailgate", "--url", url or "http://127.0.0.1:%d" % self.server.port,
             "--token-file", token_file or self.token_file, "--timeout", "10"],
            input=raw, capture_output=True, env=env)

    def tickets_of(self, email):
        r = self.admin.get(V1 + "/customers?email=" + email)
        self.assertEqual(r.status, 200, r)
        items = r.json()["items"]
        if not items:
            return []
        r = self.admin.get(V1 + "/customers/%d/tickets" % items[0]["id"])
        return r.json()["items"]

    def messages(self, ticket_id):
        r = self.admin.get(V1 + "/tickets/%d/messages" % ticket_id)
        self.assertEqual(r.status, 200, r)
        return r.json()["items"]

    def words(self, ticket_id):
        """The ticket's messages without the system's lines (acknowledgements, notes)."""
        return [m for m in self.messages(ticket_id) if m["author"]["kind"] != "system"]

    def test_new_message_opens_a_ticket_once(self):
        raw = message("Inês Ferreira <ines@cafe.example>", "=?UTF-8?Q?Caf=C3=A9_menu?= broken",
                      "The prices do not update.\r\n", message_id="first-1@cafe.example")
        p = self.mailgate(raw)
        self.assertEqual(p.returncode, EX_OK, p.stderr)
        tickets = self.tickets_of("ines@cafe.example")
        self.assertEqual(len(tickets), 1)
        t = tickets[0]
        self.assertEqual(t["subject"], "Café menu broken")
        self.assertEqual(t["channel"], "email")
        self.assertEqual(t["status"], "new")
        msgs = self.messages(t["id"])
        self.assertEqual(msgs[0]["kind"], "customer")
        self.assertEqual(msgs[0]["body"].strip(), "The prices do not update.")
        self.assertEqual(msgs[0]["from_address"], "ines@cafe.example")
        # Acknowledged by email, and the ticket says so.
        self.assertEqual(len(msgs), 2)
        self.assertEqual(msgs[1]["kind"], "system")
        self.assertIn("opened ticket #%d" % t["number"], msgs[1]["body"])
        r = self.admin.get(V1 + "/customers?email=ines@cafe.example")
        self.assertEqual(r.json()["items"][0]["name"], "Inês Ferreira")

        # The MTA retries: nothing new.
        p = self.mailgate(raw)
        self.assertEqual(p.returncode, EX_OK, p.stderr)
        self.assertEqual(len(self.tickets_of("ines@cafe.example")), 1)
        self.assertEqual(len(self.messages(t["id"])), 2)

    def test_message_without_message_id_is_deduplicated_by_content(self):
        raw = message("nomid@example.org", "No id", "Hello?\r\n")
        self.assertEqual(self.mailgate(raw).returncode, EX_OK)
        self.assertEqual(self.mailgate(raw).returncode, EX_OK)
        self.assertEqual(len(self.tickets_of("nomid@example.org")), 1)

    def test_reply_with_subject_tag_threads_and_strips_quote(self):
        self.mailgate(message("tom@depot.example", "Scanner stuck", "It beeps.\r\n",
                              message_id="scan-1@depot.example"))
        t = self.tickets_of("tom@depot.example")[0]
        reply = ("Still beeping after the restart.\r\n\r\n"
                 "On Mon, 23 Nov 2026 at 10:00, Support <support@help.example> wrote:\r\n"
                 "> We restarted it.\r\n")
        p = self.mailgate(message("Tom <TOM@depot.example>", "Re: [#%d] Scanner stuck" % t["id"],
                                  reply, message_id="scan-2@depot.example"))
        self.assertEqual(p.returncode, EX_OK, p.stderr)
        self.assertEqual(len(self.tickets_of("tom@depot.example")), 1)
        msgs = self.words(t["id"])
        self.assertEqual(len(msgs), 2)
        self.assertEqual(msgs[1]["body"].strip(), "Still beeping after the restart.")
        self.assertIn("We restarted it.", msgs[1]["quoted"])

    def test_a_forged_tag_never_lands_in_another_customers_ticket(self):
        self.mailgate(message("victim@bank.example", "My statement", "Private details.\r\n",
                              message_id="v-1@bank.example"))
        victim = self.tickets_of("victim@bank.example")[0]
        p = self.mailgate(message("mallory@evil.example", "Re: [#%d] My statement" % victim["id"],
                                  "Add this to their ticket.\r\n", message_id="m-1@evil.example",
                                  extra="In-Reply-To: <v-1@bank.example>"))
        self.assertEqual(p.returncode, EX_OK, p.stderr)
        self.assertEqual(len(self.words(victim["id"])), 1)
        own = self.tickets_of("mallory@evil.example")
        self.assertEqual(len(own), 1)
        bodies = [m["body"] for m in self.messages(own[0]["id"])]
        self.assertTrue(any("#%d" % victim["id"] in b for b in bodies), bodies)

    def test_html_is_sanitized(self):
        html = ('<html><body><p onclick="steal()">Hi <b>team</b></p>'
                '<script>alert(1)</script><img src="https://tracker.example/p.gif">'
                '<a href="javascript:alert(2)">x</a></body></html>')
        raw = message("html@example.org", "HTML mail", html, message_id="h-1@example.org",
                      content_type="text/html; charset=utf-8")
        self.assertEqual(self.mailgate(raw).returncode, EX_OK)
        t = self.tickets_of("html@example.org")[0]
        m = self.messages(t["id"])[0]
        self.assertIn("<b>team</b>", m["html"])
        for bad in ("<script", "onclick", "javascript:", ' src="https://tracker'):
            self.assertNotIn(bad, m["html"])
        # The remote image waits for the agent to ask for it.
        self.assertIn('data-remote-src="https://tracker.example/p.gif"', m["html"])
        self.assertIn("Hi team", m["body"])

    def test_inline_images_show_from_their_attachments(self):
        png = base64.b64decode(
            "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==")
        body = ("--rel\r\nContent-Type: text/html; charset=utf-8\r\n\r\n"
                '<p>The error:</p><img src="cid:shot-1@mua.example" alt="screenshot">'
                '<img src="cid:missing@mua.example">'
                '<img src="data:image/png;base64,AAAA">\r\n'
                "--rel\r\nContent-Type: image/png\r\nContent-ID: <shot-1@mua.example>\r\n"
                "Content-Transfer-Encoding: base64\r\n\r\n%s\r\n--rel--\r\n"
                % base64.b64encode(png).decode())
        raw = message("pix@example.org", "Screenshot", body, message_id="pix-1@example.org",
                      content_type='multipart/related; boundary="rel"')
        self.assertEqual(self.mailgate(raw).returncode, EX_OK)
        m = self.messages(self.tickets_of("pix@example.org")[0]["id"])[0]
        self.assertEqual(len(m["attachments"]), 1, m)
        url = m["attachments"][0]["url"]
        self.assertIn('src="%s"' % url, m["html"])
        self.assertNotIn("cid:", m["html"])
        self.assertNotIn("data:", m["html"])
        r = self.admin.get(url)
        self.assertEqual(r.status, 200)
        self.assertEqual(r.body, png)

    def test_attachments_are_kept(self):
        boundary = "b0undary"
        body = ("--%s\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nSee attached.\r\n"
                "--%s\r\nContent-Type: application/pdf; name=\"invoice.pdf\"\r\n"
                "Content-Disposition: attachment; filename=\"invoice.pdf\"\r\n"
                "Content-Transfer-Encoding: base64\r\n\r\nJVBERi0xLjQKJcOkw7w=\r\n--%s--\r\n"
                % (boundary, boundary, boundary))
        raw = message("att@example.org", "Invoice", body, message_id="a-1@example.org",
                      content_type='multipart/mixed; boundary="%s"' % boundary)
        self.assertEqual(self.mailgate(raw).returncode, EX_OK)
        t = self.tickets_of("att@example.org")[0]
        m = self.messages(t["id"])[0]
        self.assertEqual([a["filename"] for a in m["attachments"]], ["invoice.pdf"])
        r = self.admin.get(m["attachments"][0]["url"])
        self.assertEqual(r.body, b"%PDF-1.4\n%\xc3\xa4\xc3\xbc")

    def test_exit_codes(self):
        # Not a message at all, or no sender: never retryable.
        self.assertEqual(self.mailgate(b"").returncode, EX_DATAERR)
        p = self.mailgate(b"Subject: who?\r\n\r\nno sender\r\n")
        self.assertEqual(p.returncode, EX_DATAERR, p.stderr)
        self.assertIn(b"sender", p.stderr)
        # Temporary: a bad token, or a server that is not there. The MTA keeps the mail.
        bad = os.path.join(self.tmp, "bad.token")
        with open(bad, "w") as f:
            f.write("sf_not-a-real-token\n")
        raw = message("temp@example.org", "Later", "Hi\r\n", message_id="t-1@example.org")
        self.assertEqual(self.mailgate(raw, token_file=bad).returncode, EX_TEMPFAIL)
        self.assertEqual(self.mailgate(raw, url="http://127.0.0.1:9").returncode, EX_TEMPFAIL)
        self.assertEqual(self.tickets_of("temp@example.org"), [])
        # Once the server is reachable, the retried message goes in.
        self.assertEqual(self.mailgate(raw).returncode, EX_OK)
        self.assertEqual(len(self.tickets_of("temp@example.org")), 1)

    def test_only_an_admin_token_may_hand_in_mail(self):
        self.server.cli("user", "add", "--data", self.server.data_dir, "--email",
                        "plain@example.com", "--name", "Plain Agent")
        token = self.server.token(agent="plain@example.com")
        c = self.server.client(token)
        r = c.request("POST", V1 + "/mail/inbound", raw=message("x@example.org", "x", "y\r\n"),
                      headers={"Content-Type": "message/rfc822"})
        self.assertEqual(r.status, 403, r)


if __name__ == "__main__":
    harness.main()
