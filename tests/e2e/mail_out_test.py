"""Email out: agent replies reach a real SMTP server (aiosmtpd from Debian) with threading
headers, the customer's answer threads back by those headers, and a refusing or absent server
means retries, not loss.
"""

import email
import email.policy
import mailbox
import os
import socket
import ssl
import subprocess
import sys
import tempfile
import time
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import harness  # noqa: E402

V1 = "/api/v1"
PYTHON = "/usr/bin/python3"


class Sink:
    """aiosmtpd storing every message it accepts in a Maildir."""

    def __init__(self, port, maildir):
        self.port, self.maildir, self.proc = port, maildir, None

    def start(self):
        self.proc = subprocess.Popen(
            [PYTHON, "-m", "aiosmtpd", "-n", "-l", "127.0.0.1:%d" % self.port,
             "-c", "aiosmtpd.handlers.Mailbox", self.maildir],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        for _ in range(200):  # Until it listens (bounded).
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=0.2).close()
                return
            except OSError:
                time.sleep(0.05)
        raise RuntimeError("SMTP sink did not start")

    def stop(self):
        if self.proc:
            self.proc.terminate()
            self.proc.wait(timeout=10)
            self.proc = None

    def messages(self):
        box = mailbox.Maildir(self.maildir, factory=None, create=True)
        out = []
        for key in box.keys():
            with box.get_file(key) as f:
                out.append(email.message_from_binary_file(f, policy=email.policy.default))
        return out


class MailOutTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.mkdtemp(prefix="steadfast-smtp-")
        cls.sink = Sink(harness.free_port(), os.path.join(cls.tmp, "Maildir"))
        cls.sink.start()
        env = {"STEADFAST_SMTP_URL": "smtp://127.0.0.1:%d" % cls.sink.port,
               "STEADFAST_SMTP_FROM": "support@help.example",
               "STEADFAST_SMTP_FROM_NAME": "Acme Support",
               "STEADFAST_MAIL_DOMAIN": "help.example",
               "STEADFAST_SMTP_RETRY_SECONDS": "1"}
        cls.server = harness.Server(env=env).start()
        cls.token = cls.server.token(agent=harness.ADMIN_EMAIL)
        cls.api = cls.server.client(cls.token)
        cls.token_file = os.path.join(cls.tmp, "token")
        with open(cls.token_file, "w") as f:
            f.write(cls.token)

    @classmethod
    def tearDownClass(cls):
        cls.api.close()
        cls.server.cleanup()
        cls.sink.stop()

    def mailgate(self, raw):
        env = {k: v for k, v in os.environ.items() if not k.startswith("STEADFAST_")}
        p = subprocess.run([harness.BINARY, "mailgate", "--url",
                            "http://127.0.0.1:%d" % self.server.port, "--token-file",
                            self.token_file], input=raw, capture_output=True, env=env)
        self.assertEqual(p.returncode, 0, p.stderr)

    def ticket_of(self, address):
        r = self.api.get(V1 + "/customers?email=" + address)
        cid = r.json()["items"][0]["id"]
        return self.api.get(V1 + "/customers/%d/tickets" % cid).json()["items"]

    def wait_for_mail(self, to, count, seconds=30, automatic=False):
        """Polls the sink (bounded) until `count` messages to `to` arrived: agent replies, or
        automatic mail (acknowledgements) when `automatic`."""
        deadline = time.time() + seconds
        while time.time() < deadline:
            got = [m for m in self.sink.messages() if to in str(m["To"]) and
                   (m["Auto-Submitted"] == "auto-replied") == automatic]
            if len(got) >= count:
                return got
            time.sleep(0.1)
        self.fail("no mail to %s after %d s" % (to, seconds))

    def test_a_new_ticket_is_acknowledged_by_automatic_mail(self):
        self.mailgate(b"From: Omar <omar@ack.example>\r\nSubject: Invoice copy\r\n"
                      b"Message-ID: <omar-1@ack.example>\r\n\r\nPlease send it again.\r\n")
        t = self.ticket_of("omar@ack.example")[0]
        ack = self.wait_for_mail("omar@ack.example", 1, automatic=True)[0]
        # RFC 3834: marked automatic, so a well-behaved auto-responder does not answer it.
        self.assertEqual(ack["Auto-Submitted"], "auto-replied")
        self.assertEqual(ack["X-Auto-Response-Suppress"], "All")
        self.assertEqual(ack["From"].addresses[0].display_name, "Acme Support")
        self.assertEqual(ack["In-Reply-To"], "<omar-1@ack.example>")
        self.assertIn("[#%d]" % t["number"], ack["Subject"])
        self.assertIn("opened ticket #%d" % t["number"], ack.get_content())
        # The reply that follows threads after the acknowledgement.
        self.api.post(V1 + "/tickets/%d/messages" % t["id"], {"kind": "reply", "body": "Sent."})
        reply = self.wait_for_mail("omar@ack.example", 1)[0]
        self.assertEqual(reply["Auto-Submitted"], "no")
        self.assertIn(ack["Message-ID"], reply["References"])

    def test_automatic_mail_is_never_acknowledged(self):
        for i, header in enumerate([b"Auto-Submitted: auto-replied", b"Precedence: bulk",
                                    b"X-Auto-Response-Suppress: All"]):
            address = "robot%d@auto.example" % i
            self.mailgate(b"From: " + address.encode() + b"\r\nSubject: Out of office\r\n" +
                          header + b"\r\nMessage-ID: <auto-%d@auto.example>\r\n\r\nAway.\r\n"
                          % i)
            t = self.ticket_of(address)[0]
            msgs = self.api.get(V1 + "/tickets/%d/messages" % t["id"]).json()["items"]
            self.assertEqual(msgs[-1]["kind"], "note")
            self.assertEqual(msgs[-1]["author"]["kind"], "system")
            self.assertIn("No acknowledgement was emailed", msgs[-1]["body"])
        # A person's mail after them is acknowledged: the sender thread is running.
        self.mailgate(b"From: person@auto.example\r\nSubject: Hi\r\n"
                      b"Message-ID: <person-1@auto.example>\r\n\r\nHello\r\n")
        self.wait_for_mail("person@auto.example", 1, automatic=True)
        self.assertEqual([m for m in self.sink.messages() if "auto.example" in str(m["To"]) and
                          "robot" in str(m["To"])], [])

    def test_reply_attachments_go_with_the_email(self):
        self.mailgate(b"From: lea@files.example\r\nSubject: Need the form\r\n"
                      b"Message-ID: <lea-1@files.example>\r\n\r\nCan you send it?\r\n")
        t = self.ticket_of("lea@files.example")[0]
        pdf = b"%PDF-1.4\n" + bytes(range(256)) * 40
        ctype, body = harness.multipart([("kind", "reply"), ("body", "Here it is.")],
                                        [("file", "Formulaire signé.pdf", "application/pdf", pdf),
                                         ("file", "notes.txt", "text/plain", b"one\ntwo\n")])
        r = self.api.request("POST", V1 + "/tickets/%d/messages" % t["id"], raw=body,
                             headers={"Content-Type": ctype})
        self.assertEqual(r.status, 201, r)
        mail = self.wait_for_mail("lea@files.example", 1)[0]
        self.assertTrue(mail.is_multipart())
        self.assertEqual(mail.get_body(("plain",)).get_content().strip(), "Here it is.")
        files = {p.get_filename(): (p.get_content_type(), p.get_content())
                 for p in mail.iter_attachments()}
        self.assertEqual(files["Formulaire signé.pdf"], ("application/pdf", pdf))
        self.assertEqual(files["notes.txt"][1].replace("\r\n", "\n"), "one\ntwo\n")

    def test_reply_is_mailed_with_threading_headers_and_the_answer_threads_back(self):
        self.mailgate(b"From: Rita Ora <rita@shop.example>\r\nSubject: Order 77 missing\r\n"
                      b"Message-ID: <rita-1@shop.example>\r\n\r\nWhere is it?\r\n")
        t = self.ticket_of("rita@shop.example")[0]
        r = self.api.post(V1 + "/tickets/%d/messages" % t["id"],
                          {"kind": "reply", "body": "Hi Rita, it left today.\nTracking: ZX9."})
        self.assertEqual(r.status, 201, r)
        mail = self.wait_for_mail("rita@shop.example", 1)[0]
        self.assertEqual(mail["To"].addresses[0].addr_spec, "rita@shop.example")
        self.assertEqual(mail["From"].addresses[0].addr_spec, "support@help.example")
        self.assertIn("Acme Support", mail["From"].addresses[0].display_name)
        self.assertIn("[#%d]" % t["id"], mail["Subject"])
        self.assertTrue(mail["Message-ID"].endswith("@help.example>"), mail["Message-ID"])
        self.assertEqual(mail["In-Reply-To"], "<rita-1@shop.example>")
        self.assertEqual(mail.get_content().replace("\r\n", "\n").strip(),
                         "Hi Rita, it left today.\nTracking: ZX9.")

        # Rita answers her mail client's way: no tag in the subject, only the headers.
        answer = ("From: Rita Ora <rita@shop.example>\r\nSubject: Re: Your order\r\n"
                  "Message-ID: <rita-2@shop.example>\r\nIn-Reply-To: %s\r\n\r\nThanks!\r\n"
                  % mail["Message-ID"]).encode()
        self.mailgate(answer)
        self.assertEqual(len(self.ticket_of("rita@shop.example")), 1)
        msgs = self.api.get(V1 + "/tickets/%d/messages" % t["id"]).json()["items"]
        self.assertEqual(msgs[-1]["body"].strip(), "Thanks!")

    def test_an_absent_server_means_retries_not_loss(self):
        self.mailgate(b"From: sam@later.example\r\nSubject: Retry me\r\n"
                      b"Message-ID: <sam-1@later.example>\r\n\r\nHello\r\n")
        t = self.ticket_of("sam@later.example")[0]
        self.sink.stop()
        try:
            r = self.api.post(V1 + "/tickets/%d/messages" % t["id"],
                              {"kind": "reply", "body": "We are on it."})
            self.assertEqual(r.status, 201, r)
            time.sleep(1.5)  # Let the sender fail at least once (not an assertion on timing).
        finally:
            self.sink.start()
        mail = self.wait_for_mail("sam@later.example", 1)
        self.assertEqual(len(mail), 1)

    def test_notes_are_never_mailed(self):
        self.mailgate(b"From: nina@quiet.example\r\nSubject: Private\r\n"
                      b"Message-ID: <nina-1@quiet.example>\r\n\r\nHi\r\n")
        t = self.ticket_of("nina@quiet.example")[0]
        self.api.post(V1 + "/tickets/%d/messages" % t["id"], {"kind": "note", "body": "internal"})
        self.api.post(V1 + "/tickets/%d/messages" % t["id"], {"kind": "reply", "body": "public"})
        mails = self.wait_for_mail("nina@quiet.example", 1)
        self.assertEqual(len(mails), 1)
        self.assertIn("public", mails[0].get_content())


class Relay:
    """An SMTP relay that requires STARTTLS and AUTH (aiosmtpd in this process), keeping what it
    accepts with how it arrived."""

    USER, PASSWORD = "relay", "relay-Pa55-word"

    def __init__(self, root):
        from aiosmtpd.controller import Controller
        from aiosmtpd.smtp import AuthResult
        self.cert, key = os.path.join(root, "cert.pem"), os.path.join(root, "key.pem")
        subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2",
                        "-keyout", key, "-out", self.cert, "-subj", "/CN=localhost",
                        "-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1"],
                       check=True, capture_output=True)
        context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        context.load_cert_chain(self.cert, key)
        self.received = []

        def authenticate(server, session, envelope, mechanism, auth_data):
            ok = (auth_data.login == self.USER.encode() and
                  auth_data.password == self.PASSWORD.encode())
            return AuthResult(success=ok, handled=False)

        self.port = harness.free_port()
        self.controller = Controller(self, hostname="127.0.0.1", port=self.port,
                                     tls_context=context, require_starttls=True,
                                     authenticator=authenticate, auth_required=True,
                                     auth_require_tls=True)

    async def handle_DATA(self, server, session, envelope):
        self.received.append((session.authenticated, session.ssl is not None,
                              email.message_from_bytes(envelope.content,
                                                       policy=email.policy.default)))
        return "250 OK"


class MailOutTlsTest(unittest.TestCase):
    """Replies go out over STARTTLS with SMTP AUTH, trusting a private CA from config."""

    def setUp(self):
        self.tmp = tempfile.mkdtemp(prefix="steadfast-smtp-tls-")
        self.relay = Relay(self.tmp)
        self.relay.controller.start()
        self.addCleanup(self.relay.controller.stop)
        password_file = os.path.join(self.tmp, "smtp-password")
        with open(password_file, "w") as f:
            f.write(Relay.PASSWORD + "\n")
        self.env = {"STEADFAST_SMTP_URL": "smtp://localhost:%d" % self.relay.port,
                    "STEADFAST_SMTP_STARTTLS": "true",
                    "STEADFAST_SMTP_USER": Relay.USER,
                    "STEADFAST_SMTP_PASSWORD_FILE": password_file,
                    "STEADFAST_SMTP_FROM": "support@help.example",
                    "STEADFAST_MAIL_DOMAIN": "help.example",
                    "STEADFAST_SMTP_RETRY_SECONDS": "1"}

    def start(self, env):
        server = harness.Server(env=env).start()
        self.addCleanup(server.cleanup)
        api = server.client(server.token(agent=harness.ADMIN_EMAIL))
        self.addCleanup(api.close)
        r = api.request("POST", V1 + "/mail/inbound", headers={"Content-Type": "message/rfc822"},
                        raw=b"From: tess@tls.example\r\nSubject: Secure?\r\n"
                            b"Message-ID: <tess-1@tls.example>\r\n\r\nHello\r\n")
        self.assertEqual(r.status, 201, r)
        return api

    def test_starttls_and_auth_with_a_private_ca(self):
        self.start(dict(self.env, STEADFAST_SMTP_CA_FILE=self.relay.cert))
        deadline = time.time() + 30
        while not self.relay.received and time.time() < deadline:
            time.sleep(0.1)
        self.assertTrue(self.relay.received, "the acknowledgement never arrived")
        authenticated, tls, mail = self.relay.received[0]
        self.assertTrue(authenticated)
        self.assertTrue(tls)
        self.assertEqual(mail["To"].addresses[0].addr_spec, "tess@tls.example")

    def test_an_untrusted_certificate_is_refused(self):
        api = self.start(self.env)  # The relay's certificate is signed by no CA we trust.
        t = api.get(V1 + "/tickets?limit=1").json()["items"][0]
        time.sleep(2)  # Let the sender try (and fail) at least once; not a timing assertion.
        self.assertEqual(self.relay.received, [])
        self.assertEqual(api.get(V1 + "/tickets/%d" % t["id"]).status, 200)


if __name__ == "__main__":
    harness.main()
