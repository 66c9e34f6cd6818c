"""Email in over IMAP: the real binary polls a real Dovecot (Debian's dovecot-imapd).

What it proves: messages delivered into a mailbox become tickets and are flagged \\Seen only
after their ticket change has committed; a crash between fetch and commit leaves the message
unflagged and it is taken in exactly once after a restart; a crash between commit and flag does
not duplicate it; a server that goes down shows as failing on GET /api/v1/mail/mailboxes with
backoff and recovers; a dead mailbox does not hold up another one (nor shutdown);
processed_folder moves instead of flagging; imaps:// and STARTTLS work with a private CA, and
certificates are verified.

Dovecot runs from a generated config in a temporary folder, as the current user, or as
'nobody' when the tests run as root (Dovecot refuses root for its login processes).
"""

import datetime
import grp
import imaplib
import json
import os
import pwd
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import harness  # noqa: E402

V1 = "/api/v1"
DOVECOT = shutil.which("dovecot") or "/usr/sbin/dovecot"
OPENSSL = shutil.which("openssl") or "/usr/bin/openssl"
IMAP_PASSWORD = "imap-secret-Pa55"
OPENAPI = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "docs",
                       "openapi.json")


def wait_for(what, predicate, seconds=60, detail=lambda: ""):
    """Polls `predicate` until it returns something true; fails with `what` at the deadline."""
    deadline = time.monotonic() + seconds
    while True:
        value = predicate()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError("%s: not within %d s. %s" % (what, seconds, detail()))
        time.sleep(0.1)


class Dovecot:
    """A Dovecot on a free loopback port, one Maildir per user, all in `root`."""

    def __init__(self, root, users, tls=False, extra=""):
        self.root = root
        self.users = users
        self.tls = tls
        self.port = harness.free_port()
        self.tls_port = harness.free_port() if tls else 0
        self.proc = None
        if os.geteuid() == 0:
            self.run_as = pwd.getpwnam("nobody")
            group = grp.getgrgid(self.run_as.pw_gid).gr_name
        else:
            self.run_as = pwd.getpwuid(os.geteuid())
            group = grp.getgrgid(os.getegid()).gr_name
        # The mail processes run as run_as: they must reach `root` (a folder in a private
        # temporary folder) and own the mail under it.
        os.makedirs(root)
        os.chmod(os.path.dirname(root), 0o711)
        os.chmod(root, 0o711)
        for d in ("mail", "home"):
            os.makedirs(os.path.join(root, d), exist_ok=True)
            os.chown(os.path.join(root, d), self.run_as.pw_uid, self.run_as.pw_gid)
        with open(os.path.join(root, "passwd"), "w") as f:
            for u in users:
                f.write("%s:{PLAIN}%s\n" % (u, IMAP_PASSWORD))
        if tls:
            self.cert = os.path.join(root, "cert.pem")
            subprocess.run([OPENSSL, "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2",
                            "-keyout", os.path.join(root, "key.pem"), "-out", self.cert,
                            "-subj", "/CN=localhost",
                            "-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1"],
                           check=True, capture_output=True)
        ssl = ("ssl = yes\nssl_cert = <%s\nssl_key = <%s/key.pem\n" % (self.cert, root)
               if tls else "ssl = no\n")
        self.conf = os.path.join(root, "dovecot.conf")
        with open(self.conf, "w") as f:
            f.write("""base_dir = {root}/run
state_dir = {root}/state
log_path = {root}/dovecot.log
protocols = imap
listen = 127.0.0.1
{ssl}disable_plaintext_auth = no
auth_mechanisms = plain login
default_internal_user = {user}
default_internal_group = {group}
default_login_user = {user}
first_valid_uid = 1
first_valid_gid = 1
mail_location = maildir:{root}/mail/%u
passdb {{
  driver = passwd-file
  args = scheme=PLAIN username_format=%u {root}/passwd
}}
userdb {{
  driver = static
  args = uid={uid} gid={gid} home={root}/home/%u
}}
service imap-login {{
  chroot =
  inet_listener imap {{
    address = 127.0.0.1
    port = {port}
  }}
  inet_listener imaps {{
    address = 127.0.0.1
    port = {tls_port}
  }}
}}
service anvil {{
  chroot =
}}
{extra}
""".format(extra=extra, root=root, ssl=ssl, user=self.run_as.pw_name, group=group, uid=self.run_as.pw_uid,
           gid=self.run_as.pw_gid, port=self.port, tls_port=self.tls_port))

    def start(self):
        self.proc = subprocess.Popen([DOVECOT, "-F", "-c", self.conf],
                                     stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        wait_for("dovecot listening on %d" % self.port, self._answers, 30, self.log)

    def _answers(self):
        if self.proc.poll() is not None:
            raise AssertionError("dovecot exited: %s %s" % (self.proc.stderr.read(), self.log()))
        try:
            m = imaplib.IMAP4("127.0.0.1", self.port, timeout=2)
            m.logout()
            return True
        except OSError:
            return False

    def stop(self):
        if self.proc is not None:
            self.proc.terminate()
            self.proc.wait(timeout=30)
            self.proc.stderr.close()
            self.proc = None

    def log(self):
        try:
            with open(os.path.join(self.root, "dovecot.log"), errors="replace") as f:
                return "dovecot.log:\n" + f.read()[-3000:]
        except OSError:
            return ""

    # --- the test's own IMAP client (imaplib) ---------------------------------------------
    def session(self, user):
        m = imaplib.IMAP4("127.0.0.1", self.port, timeout=10)
        m.login(user, IMAP_PASSWORD)
        return m

    def deliver(self, user, raw, folder="INBOX"):
        """APPENDs `raw` unflagged; returns its UID."""
        m = self.session(user)
        try:
            typ, data = m.append(folder, None, None, raw)
            assert typ == "OK", data
            return int(re.search(rb"APPENDUID \d+ (\d+)", data[0]).group(1))
        finally:
            m.logout()

    def flags(self, user, folder="INBOX"):
        """{uid: set of flags} of `folder`, read without changing anything (EXAMINE)."""
        m = self.session(user)
        try:
            typ, _ = m.select(folder, readonly=True)
            if typ != "OK":
                return {}
            typ, data = m.uid("FETCH", "1:*", "(UID FLAGS)")
            out = {}
            for item in data:
                if not item:
                    continue
                line = item if isinstance(item, bytes) else item[0]
                uid = re.search(rb"UID (\d+)", line)
                flags = re.search(rb"FLAGS \(([^)]*)\)", line)
                if uid and flags:
                    out[int(uid.group(1))] = set(flags.group(1).decode().split())
            return out
        finally:
            m.logout()

    def uidvalidity(self, user, folder="INBOX"):
        m = self.session(user)
        try:
            typ, data = m.status(folder, "(UIDVALIDITY)")
            return int(re.search(rb"UIDVALIDITY (\d+)", data[0]).group(1))
        finally:
            m.logout()


class Steadfast(harness.Server):
    """harness.Server started with a config file of [[mailbox]] tables."""

    def start_with(self, config_text):
        self.config = os.path.join(self.data_dir, "steadfast.toml")
        with open(self.config, "w") as f:
            f.write(config_text)
        self.log = open(os.path.join(self.data_dir, "server.log"), "ab")
        self.proc = subprocess.Popen(
            [harness.BINARY, "serve", "--data", self.data_dir, "--listen", "127.0.0.1:0",
             "--config", self.config], stdout=subprocess.PIPE, stderr=self.log, env=self.env)
        line = self.proc.stdout.readline().decode()
        if not line.startswith("listening on http://"):
            self.proc.kill()
            raise RuntimeError("server did not start: %r\n%s" % (line, self.log_text()))
        self.port = int(line.strip().rsplit(":", 1)[1])
        return self

    def cleanup(self):
        if getattr(self, "api", None) is not None:
            self.api.close()
        super().cleanup()

    def log_text(self):
        with open(os.path.join(self.data_dir, "server.log"), errors="replace") as f:
            return "server.log:\n" + f.read()[-4000:]


def millis(iso):
    """Milliseconds since the epoch of "2026-11-23T17:30:00.123Z"."""
    t = datetime.datetime.strptime(iso, "%Y-%m-%dT%H:%M:%S.%fZ")
    return round(t.replace(tzinfo=datetime.timezone.utc).timestamp() * 1000)


def mailbox(name, url, user, password_file, **extra):
    lines = ["[[mailbox]]", 'name = "%s"' % name, 'url = "%s"' % url, 'user = "%s"' % user,
             'password_file = "%s"' % password_file]
    extra.setdefault("poll_seconds", 1)
    for key, value in extra.items():
        lines.append("%s = %s" % (key, json.dumps(value)))
    return "\n".join(lines) + "\n\n"


def message(sender, subject, body, message_id=None):
    head = "From: %s\r\nTo: support@help.example\r\nSubject: %s\r\n" % (sender, subject)
    if message_id:
        head += "Message-ID: <%s>\r\n" % message_id
    return (head + "\r\n" + body).encode("utf-8")


class MailImapTest(unittest.TestCase):
    USERS = ["basic", "flaky", "crash1", "crash2", "pair", "mover", "big"]

    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.mkdtemp(prefix="steadfast-imap-")
        cls.dovecot = Dovecot(os.path.join(cls.tmp, "dovecot"), cls.USERS)
        cls.dovecot.start()
        cls.password_file = os.path.join(cls.tmp, "imap-password")
        with open(cls.password_file, "w") as f:
            f.write(IMAP_PASSWORD + "\n")
        with open(OPENAPI) as f:
            cls.openapi = json.load(f)

    @classmethod
    def tearDownClass(cls):
        cls.dovecot.stop()
        shutil.rmtree(cls.tmp, ignore_errors=True)

    def setUp(self):
        self.servers = []

    def tearDown(self):
        for s in reversed(self.servers):
            s.cleanup()

    # --- helpers --------------------------------------------------------------------------
    def url(self, dovecot=None):
        return "imap://127.0.0.1:%d" % (dovecot or self.dovecot).port

    def serve(self, config, env=None, data_dir=None):
        s = Steadfast(env=env, data_dir=data_dir)
        self.servers.append(s)
        s.start_with(config)
        s.api = s.client(s.token(agent=harness.ADMIN_EMAIL))
        return s

    def statuses(self, server):
        r = server.api.get(V1 + "/mail/mailboxes")
        self.assertEqual(r.status, 200, r)
        return {m["name"]: m for m in r.json()["items"]}

    def tickets_of(self, server, email):
        r = server.api.get(V1 + "/customers?email=" + email)
        self.assertEqual(r.status, 200, r)
        items = r.json()["items"]
        if not items:
            return []
        r = server.api.get(V1 + "/customers/%d/tickets" % items[0]["id"])
        self.assertEqual(r.status, 200, r)
        return r.json()["items"]

    def seen(self, user, uid, folder="INBOX"):
        return "\\Seen" in self.dovecot.flags(user, folder).get(uid, set())

    # --- tests ----------------------------------------------------------------------------
    def test_messages_become_tickets_flagged_only_after_commit(self):
        s = self.serve(mailbox("support", self.url(), "basic", self.password_file))
        wait_for("the mailbox polled", lambda: self.statuses(s)["support"]["state"] == "ok", 30,
                 s.log_text)
        # A body full of lines that look like IMAP protocol, and a 100 kB line.
        tricky = ("S5 OK FETCH completed\r\n+ go ahead\r\n* 9 FETCH (UID 9 BODY[] {4}\r\n"
                  + "x" * 100000 + "\r\nThe end.\r\n")
        mails = {
            "ana@one.example": message("Ana <ana@one.example>", "Printer offline", "Help.\r\n",
                                       "ana-1@one.example"),
            "bo@two.example": message("bo@two.example", "=?UTF-8?Q?Caf=C3=A9?= menu", tricky),
        }
        uids = {addr: self.dovecot.deliver("basic", raw) for addr, raw in mails.items()}
        junk_uid = self.dovecot.deliver("basic", b"this is not an email at all\r\n")

        def all_seen_and_each_seen_one_committed():
            flags = self.dovecot.flags("basic")
            for addr, uid in uids.items():
                if "\\Seen" in flags.get(uid, set()):
                    # Flagged only after the commit: a flagged message has its ticket.
                    self.assertEqual(len(self.tickets_of(s, addr)), 1, addr)
            return all("\\Seen" in flags.get(u, set()) for u in list(uids.values()) + [junk_uid])

        wait_for("every message flagged", all_seen_and_each_seen_one_committed, 60, s.log_text)
        t = self.tickets_of(s, "bo@two.example")[0]
        self.assertEqual(t["subject"], "Café menu")
        self.assertEqual(t["channel"], "email")
        msgs = s.api.get(V1 + "/tickets/%d/messages" % t["id"]).json()["items"]
        body = msgs[0]["body"]
        self.assertIn("S5 OK FETCH completed", body)
        self.assertIn("* 9 FETCH (UID 9 BODY[] {4}", body)
        self.assertIn("x" * 1000, body)
        self.assertIn("The end.", body)

        st = wait_for("the counts", lambda: (lambda m: m if m["messages_rejected"] == 1 else None)(
            self.statuses(s)["support"]), 30)
        self.assertEqual(st["state"], "ok")
        self.assertEqual(st["messages_ingested"], 2)
        self.assertEqual(st["uidvalidity"], self.dovecot.uidvalidity("basic"))
        self.assertEqual(st["last_uid"], junk_uid)
        self.assertEqual(st["consecutive_failures"], 0)
        self.assertIsNone(st["last_error"])
        self.assertEqual(st["folder"], "INBOX")
        self.assertIsNone(st["processed_folder"])
        self.assertEqual(st["url"], self.url())
        # The documented shape, and no secret in it.
        schema = self.openapi["components"]["schemas"]["MailboxStatus"]
        self.assertEqual(set(st), set(schema["properties"]))
        self.assertEqual(set(schema["required"]), set(schema["properties"]))
        self.assertNotIn(IMAP_PASSWORD.encode(), s.api.get(V1 + "/mail/mailboxes").body)
        # Nothing is taken in twice by the polls that follow.
        polled = st["last_poll_at"]
        wait_for("two more polls", lambda: self.statuses(s)["support"]["last_poll_at"] > polled)
        self.assertEqual(len(self.tickets_of(s, "ana@one.example")), 1)
        self.assertEqual(self.statuses(s)["support"]["messages_ingested"], 2)

    def test_a_server_that_goes_down_fails_with_backoff_then_recovers(self):
        s = self.serve(mailbox("flaky", self.url(), "flaky", self.password_file))
        wait_for("the mailbox polled", lambda: self.statuses(s)["flaky"]["state"] == "ok", 30,
                 s.log_text)
        self.dovecot.stop()
        try:
            st = wait_for("failing twice", lambda: (lambda m: m if m["consecutive_failures"] >= 2
                                                    else None)(self.statuses(s)["flaky"]), 60,
                          s.log_text)
            self.assertEqual(st["state"], "failing")
            self.assertTrue(st["last_error"], st)
            self.assertIsNotNone(st["last_error_at"])
            # Backoff: poll_seconds (1) doubled per failure.
            wait_ms = millis(st["next_poll_at"]) - millis(st["last_poll_at"])
            self.assertEqual(wait_ms, 1000 * 2 ** st["consecutive_failures"], st)
        finally:
            self.dovecot.start()
        uid = self.dovecot.deliver("flaky", message("cy@three.example", "After the outage", "Hi"))
        wait_for("recovered and taken in", lambda: self.seen("flaky", uid), 90, s.log_text)
        st = self.statuses(s)["flaky"]
        self.assertEqual(st["state"], "ok")
        self.assertEqual(st["consecutive_failures"], 0)
        self.assertEqual(len(self.tickets_of(s, "cy@three.example")), 1)

    def crash(self, user, fault, raw):
        """Delivers `raw`, lets a server with `fault` die on it; returns (uid, data_dir)."""
        uid = self.dovecot.deliver(user, raw)
        s = self.serve(mailbox("m", self.url(), user, self.password_file),
                       env={"STEADFAST_FAULT": fault})
        try:
            rc = s.proc.wait(timeout=60)
        except subprocess.TimeoutExpired:
            self.fail("the server did not crash on %s\n%s" % (fault, s.log_text()))
        self.assertEqual(rc, 9, s.log_text())
        self.assertIn("STEADFAST_FAULT", s.log_text())
        self.assertNotIn("\\Seen", self.dovecot.flags(user)[uid], "flagged before the crash")
        return uid, s.data_dir

    def test_crash_between_fetch_and_commit_then_taken_in_exactly_once(self):
        raw = message("di@four.example", "Crash after fetch", "Once only.\r\n", "di-1@four")
        uid, data = self.crash("crash1", "imap_crash_after_fetch", raw)
        s = self.serve(mailbox("m", self.url(), "crash1", self.password_file), data_dir=data)
        wait_for("taken in after the restart", lambda: self.seen("crash1", uid), 60, s.log_text)
        self.assertEqual(len(self.tickets_of(s, "di@four.example")), 1)
        st = self.statuses(s)["m"]
        self.assertEqual(st["messages_ingested"], 1)  # Not committed before the crash.

    def test_crash_between_commit_and_flag_is_not_duplicated(self):
        # No Message-ID: de-duplication by the hash of the bytes.
        raw = message("ed@five.example", "Crash after commit", "Committed, not flagged.\r\n")
        uid, data = self.crash("crash2", "imap_crash_after_commit", raw)
        s = self.serve(mailbox("m", self.url(), "crash2", self.password_file), data_dir=data)
        wait_for("flagged after the restart", lambda: self.seen("crash2", uid), 60, s.log_text)
        self.assertEqual(len(self.tickets_of(s, "ed@five.example")), 1)
        st = self.statuses(s)["m"]
        self.assertEqual(st["messages_ingested"], 0)  # A duplicate: committed before the crash.
        self.assertEqual(st["state"], "ok")

    def test_a_dead_mailbox_does_not_hold_up_another(self):
        # Accepts connections and never says a word: a connect that hangs until its timeout.
        silent = socket.socket()
        silent.bind(("127.0.0.1", 0))
        silent.listen(16)
        self.addCleanup(silent.close)
        config = (mailbox("silent", "imap://127.0.0.1:%d" % silent.getsockname()[1], "x",
                          self.password_file) +
                  mailbox("refused", "imap://127.0.0.1:%d" % harness.free_port(), "x",
                          self.password_file) +
                  mailbox("alive", self.url(), "pair", self.password_file))
        s = self.serve(config)
        uid = self.dovecot.deliver("pair", message("fi@six.example", "Still flowing", "Hi"))
        wait_for("the live mailbox polled", lambda: self.seen("pair", uid), 30, s.log_text)
        self.assertEqual(len(self.tickets_of(s, "fi@six.example")), 1)
        st = self.statuses(s)
        self.assertEqual(st["alive"]["state"], "ok")
        self.assertIn(st["silent"]["state"], ("starting", "failing"))
        wait_for("refused shows failing", lambda: self.statuses(s)["refused"]["state"] ==
                 "failing", 30)
        # Shutting down does not wait for the hanging connect.
        started = time.monotonic()
        self.assertEqual(s.stop(), 0, s.log_text())
        self.assertLess(time.monotonic() - started, 20, "shutdown waited for a dead mailbox")

    def test_a_message_over_the_size_limit_is_flagged_not_taken_in(self):
        s = self.serve("max_body_bytes = 20000\n\n" +
                       mailbox("big", self.url(), "big", self.password_file))
        big = self.dovecot.deliver("big", message("jo@nine.example", "Huge", "y" * 50000))
        small = self.dovecot.deliver("big", message("jo@nine.example", "Small", "Hi"))
        wait_for("both flagged", lambda: self.seen("big", big) and self.seen("big", small), 60,
                 s.log_text)
        tickets = self.tickets_of(s, "jo@nine.example")
        self.assertEqual([t["subject"] for t in tickets], ["Small"])
        st = self.statuses(s)["big"]
        self.assertEqual((st["messages_rejected"], st["messages_ingested"]), (1, 1))
        self.assertIn("over the size limit", s.log_text())

    def test_processed_folder_moves_instead_of_flagging(self):
        s = self.serve(mailbox("mover", self.url(), "mover", self.password_file,
                               processed_folder="Processed"))
        uids = [self.dovecot.deliver("mover", message("gu@seven.example", "Move %d" % i,
                                                      "Body %d" % i, "gu-%d@seven" % i))
                for i in range(2)]
        wait_for("moved out of INBOX",
                 lambda: not self.dovecot.flags("mover") and
                 len(self.dovecot.flags("mover", "Processed")) == 2, 60, s.log_text)
        self.assertTrue(uids)
        for flags in self.dovecot.flags("mover", "Processed").values():
            self.assertIn("\\Seen", flags)
        self.assertEqual(len(self.tickets_of(s, "gu@seven.example")), 2)
        st = self.statuses(s)["mover"]
        self.assertEqual(st["processed_folder"], "Processed")
        self.assertEqual(st["messages_ingested"], 2)


class MailImapWithoutMoveTest(unittest.TestCase):
    """A server that does not offer MOVE (nor UIDPLUS): COPY, \\Deleted and EXPUNGE instead."""

    def test_processed_folder_without_move(self):
        tmp = tempfile.mkdtemp(prefix="steadfast-imap-nomove-")
        self.addCleanup(shutil.rmtree, tmp, True)
        d = Dovecot(os.path.join(tmp, "dovecot"), ["old"],
                    extra="protocol imap {\n  imap_capability = IMAP4rev1 LITERAL+\n}")
        d.start()
        self.addCleanup(d.stop)
        m = d.session("old")
        typ, caps = m.capability()  # After login: what the poller sees.
        m.logout()
        self.assertEqual(typ, "OK")
        self.assertNotIn(b"MOVE", caps[0].split())
        pw = os.path.join(tmp, "pw")
        with open(pw, "w") as f:
            f.write(IMAP_PASSWORD)
        s = Steadfast()
        self.addCleanup(s.cleanup)
        s.start_with(mailbox("old", "imap://127.0.0.1:%d" % d.port, "old", pw,
                             processed_folder="Archive.Done"))
        s.api = s.client(s.token(agent=harness.ADMIN_EMAIL))
        for i in range(3):
            d.deliver("old", message("ho@eight.example", "Copy %d" % i, "Hi", "ho-%d@eight" % i))
        wait_for("copied and expunged", lambda: not d.flags("old") and
                 len(d.flags("old", "Archive.Done")) == 3, 60, s.log_text)
        r = s.api.get(V1 + "/customers?email=ho@eight.example")
        cid = r.json()["items"][0]["id"]
        tickets = s.api.get(V1 + "/customers/%d/tickets" % cid).json()["items"]
        self.assertEqual(len(tickets), 3)


class MailImapConfigTest(unittest.TestCase):
    """Bad [[mailbox]] tables stop `serve` with an error naming the key."""

    def test_bad_mailboxes_are_refused_naming_the_key(self):
        s = Steadfast()
        self.addCleanup(s.cleanup)
        pw = os.path.join(s.data_dir, "pw")
        with open(pw, "w") as f:
            f.write("x")
        good = mailbox("a", "imaps://imap.example.com", "u", pw)
        cases = [
            (good + mailbox("b", "https://imap.example.com", "u", pw), "mailbox[1].url"),
            (mailbox("a", "imap://user@host", "u", pw), "mailbox[0].url"),
            (mailbox("a", "imap://host:0", "u", pw), "mailbox[0].url"),
            (mailbox("a", "imap://host/INBOX", "u", pw), "mailbox[0].url"),
            (good + mailbox("a", "imap://other", "u", pw), "mailbox[1].name"),
            (mailbox("a b", "imap://host", "u", pw), "mailbox[0].name"),
            (mailbox("a", "imaps://host", "u", pw, starttls=True), "mailbox[0].starttls"),
            (mailbox("a", "imap://host", "u", pw, poll_seconds=0), "mailbox[0].poll_seconds"),
            (mailbox("a", "imap://host", "u", pw, poll_seconds="60"), "mailbox[0].poll_seconds"),
            (mailbox("a", "imap://host", "u", pw, folder="Caf\u00e9"), "mailbox[0].folder"),
            (mailbox("a", "imap://host", "u", pw, processed_folder="INBOX"),
             "mailbox[0].processed_folder"),
            (mailbox("a", "imap://host", "u", pw, pasword_file="typo"), "mailbox[0].pasword_file"),
            ('[[mailbox]]\nname = "a"\nurl = "imap://host"\nuser = "u"\n',
             "mailbox[0].password_file"),
            ('mailbox = "imap://host"\n', "mailbox"),
            (mailbox("a", "imap://host", "u", os.path.join(s.data_dir, "missing")),
             "mailbox[0].password_file"),
        ]
        config = os.path.join(s.data_dir, "bad.toml")
        for text, key in cases:
            with self.subTest(key=key, config=text):
                with open(config, "w") as f:
                    f.write(text)
                r = subprocess.run([harness.BINARY, "serve", "--data", s.data_dir, "--listen",
                                    "127.0.0.1:0", "--config", config], capture_output=True,
                                   text=True, env=s.env, timeout=30)
                self.assertNotEqual(r.returncode, 0)
                self.assertNotIn("listening on", r.stdout)
                self.assertIn(key + ":", r.stderr)
        # A fault name with a typo refuses to start too.
        with open(config, "w") as f:
            f.write(good)
        env = dict(s.env, STEADFAST_FAULT="imap_crash_after_fetc")
        r = subprocess.run([harness.BINARY, "serve", "--data", s.data_dir, "--listen",
                            "127.0.0.1:0", "--config", config], capture_output=True, text=True,
                           env=env, timeout=30)
        self.assertNotEqual(r.returncode, 0)
        self.assertIn("STEADFAST_FAULT", r.stderr)


class MailImapTlsTest(unittest.TestCase):
    """imaps:// and imap:// with STARTTLS against a Dovecot with a self-signed certificate."""

    def setUp(self):
        self.tmp = tempfile.mkdtemp(prefix="steadfast-imaps-")
        self.addCleanup(shutil.rmtree, self.tmp, True)
        self.dovecot = Dovecot(os.path.join(self.tmp, "dovecot"), ["tls", "starttls", "untrusted"],
                               tls=True)
        self.dovecot.start()
        self.addCleanup(self.dovecot.stop)
        self.password_file = os.path.join(self.tmp, "pw")
        with open(self.password_file, "w") as f:
            f.write(IMAP_PASSWORD)

    def test_imaps_and_starttls_with_a_private_ca_and_verification(self):
        d = self.dovecot
        config = (mailbox("tls", "imaps://localhost:%d" % d.tls_port, "tls", self.password_file,
                          ca_file=d.cert) +
                  mailbox("starttls", "imap://localhost:%d" % d.port, "starttls",
                          self.password_file, starttls=True, ca_file=d.cert) +
                  # Without the CA the certificate cannot be verified: this one must fail.
                  mailbox("untrusted", "imaps://localhost:%d" % d.tls_port, "untrusted",
                          self.password_file))
        s = Steadfast()
        self.addCleanup(s.cleanup)
        s.start_with(config)
        s.api = api = s.client(s.token(agent=harness.ADMIN_EMAIL))
        uids = {u: d.deliver(u, message("%s@tls.example" % u, "Over " + u, "Secure."))
                for u in ("tls", "starttls", "untrusted")}
        for u in ("tls", "starttls"):
            wait_for(u + " taken in", lambda: "\\Seen" in d.flags(u).get(uids[u], set()), 60,
                     s.log_text)

        def status():
            return {m["name"]: m for m in api.get(V1 + "/mail/mailboxes").json()["items"]}

        st = wait_for("untrusted failing", lambda: (lambda m: m if m["untrusted"]["state"] ==
                                                    "failing" else None)(status()), 60)
        self.assertRegex(st["untrusted"]["last_error"].lower(), "certificate|ssl|tls")
        self.assertNotIn("\\Seen", d.flags("untrusted")[uids["untrusted"]])
        self.assertEqual(st["tls"]["state"], "ok")
        self.assertEqual(st["starttls"]["state"], "ok")


if __name__ == "__main__":
    harness.main()
