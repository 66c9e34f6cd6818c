"""The command line of `steadfast`: help, init, user add, token create, serve's configuration,
clean shutdown on SIGTERM, and the log format. Drives the real binary as an operator would.
"""

import http.client
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import harness  # noqa: E402

BINARY = harness.BINARY
# `serve` rejects unknown STEADFAST_* variables by design; STEADFAST_BIN is only how CTest names
# the binary, so keep it (and any developer's STEADFAST_* settings) away from the program.
for _name in [n for n in os.environ if n.startswith("STEADFAST_")]:
    del os.environ[_name]
BASE_ENV = dict(os.environ)

SUBCOMMANDS = [["init"], ["serve"], ["user"], ["user", "add"], ["token"], ["token", "create"]]


def run(*args, env=None, timeout=60, input_text=None):
    e = dict(BASE_ENV)
    e.update(env or {})
    return subprocess.run([BINARY] + list(args), capture_output=True, text=True, env=e,
                          timeout=timeout, input=input_text)


def write_file(path, text):
    with open(path, "w") as f:
        f.write(text)
    return path


def file_bytes(path):
    with open(path, "rb") as f:
        return f.read()


class Serving:
    """`steadfast serve` with arbitrary arguments and environment, stderr to a file."""

    def __init__(self, data_dir, extra_args=(), env=None, log_path=None):
        e = dict(BASE_ENV)
        e.update(env or {})
        self.log_path = log_path or os.path.join(data_dir, "serve-%d.log" % time.monotonic_ns())
        self.log = open(self.log_path, "ab")
        self.proc = subprocess.Popen(
            [BINARY, "serve", "--data", data_dir, "--listen", "127.0.0.1:0"] + list(extra_args),
            stdout=subprocess.PIPE, stderr=self.log, env=e)
        line = self.proc.stdout.readline().decode()
        if not line.startswith("listening on http://"):
            self.proc.kill()
            self.proc.wait()
            self.proc.stdout.close()
            self.log.close()
            raise AssertionError("server did not start: %r; stderr: %s" %
                                 (line, file_bytes(self.log_path)[-2000:]))
        self.port = int(line.strip().rsplit(":", 1)[1])

    def stop(self, sig=signal.SIGTERM, timeout=30):
        if self.proc is None:
            return None
        self.proc.send_signal(sig)
        try:
            rc = self.proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
            rc = "did not exit within %d s of signal %d" % (timeout, sig)
        self.proc.stdout.close()
        self.log.close()
        self.proc = None
        return rc


class CliTest(unittest.TestCase):

    def setUp(self):
        if not BINARY:
            self.fail("set STEADFAST_BIN to the steadfast binary")
        self.tmp = tempfile.mkdtemp(prefix="steadfast-cli-")
        self.addCleanup(shutil.rmtree, self.tmp, True)
        self.servers = []
        self.addCleanup(self.stop_servers)

    def stop_servers(self):
        for s in self.servers:
            s.stop(signal.SIGKILL)

    def serve(self, data_dir, extra_args=(), env=None, log_path=None):
        s = Serving(data_dir, extra_args, env, log_path)
        self.servers.append(s)
        return s

    def init(self, name="data", password=harness.ADMIN_PASSWORD, email=harness.ADMIN_EMAIL):
        data = os.path.join(self.tmp, name)
        pw = write_file(os.path.join(self.tmp, name + "-password"), password)
        r = run("init", "--data", data, "--admin-email", email, "--admin-password-file", pw)
        self.assertEqual(r.returncode, 0, r.stderr)
        return data

    def assert_fails_naming(self, result, *needles):
        self.assertNotEqual(result.returncode, 0,
                            "expected failure; stdout %r stderr %r" % (result.stdout, result.stderr))
        for n in needles:
            self.assertIn(n, result.stderr, "the error should name %r" % n)

    def assert_serve_refuses(self, data_dir, extra_args=(), env=None, *needles):
        try:
            r = run("serve", "--data", data_dir, "--listen", "127.0.0.1:0", *extra_args, env=env,
                    timeout=20)
        except subprocess.TimeoutExpired:
            self.fail("serve %r with env %r started instead of refusing" % (extra_args, env))
        self.assertNotIn("listening on", r.stdout)
        self.assert_fails_naming(r, *needles)
        return r

    def login_status(self, port, email, password):
        c = harness.Client(port)
        try:
            return c.login(email, password).status
        finally:
            c.close()

    # --- help ---------------------------------------------------------------------------------

    def test_help_for_program_and_every_subcommand(self):
        r = run("--help")
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertIn("Usage", r.stdout)
        listed = []
        if "Subcommands:" in r.stdout:
            for line in r.stdout.split("Subcommands:", 1)[1].splitlines():
                if line.strip():
                    listed.append([line.split()[0]])
        for sub in ["init", "serve", "user", "token"]:
            self.assertIn([sub], listed, "top-level help lists %s" % sub)
        for sub in SUBCOMMANDS + [s for s in listed if s not in SUBCOMMANDS]:
            r = run(*sub, "--help")
            self.assertEqual(r.returncode, 0, "%s --help: %s" % (sub, r.stderr))
            self.assertIn("Usage", r.stdout, sub)
            self.assertIn(" ".join(sub), r.stdout, sub)
        r = run("init", "--help")
        for flag in ["--data", "--admin-email", "--admin-password-file", "--demo"]:
            self.assertIn(flag, r.stdout)
        r = run("serve", "--help")
        for flag in ["--data", "--listen", "--config"]:
            self.assertIn(flag, r.stdout)
        r = run("user", "add", "--help")
        for flag in ["--data", "--email", "--name", "--role", "--password-file"]:
            self.assertIn(flag, r.stdout)
        r = run("token", "create", "--help")
        for flag in ["--data", "--agent", "--customer", "--label"]:
            self.assertIn(flag, r.stdout)

    def test_no_subcommand_or_unknown_one_fails(self):
        self.assertNotEqual(run().returncode, 0)
        r = run("frobnicate")
        self.assertNotEqual(r.returncode, 0)
        self.assertTrue(r.stderr.strip(), "an unknown subcommand gets a message")
        r = run("serve")
        self.assert_fails_naming(r, "--data")

    # --- init ---------------------------------------------------------------------------------

    def test_init_creates_store_and_refuses_a_second_time(self):
        data = os.path.join(self.tmp, "new", "folder")  # The last level does not exist yet.
        os.makedirs(os.path.dirname(data))
        pw = write_file(os.path.join(self.tmp, "pw"), harness.ADMIN_PASSWORD + "\n")
        r = run("init", "--data", data, "--admin-email", harness.ADMIN_EMAIL,
                "--admin-password-file", pw)
        self.assertEqual(r.returncode, 0, r.stderr)
        db = os.path.join(data, "steadfast.db")
        self.assertTrue(os.path.isfile(db))
        self.assertIn(harness.ADMIN_EMAIL, r.stdout)
        self.assertNotIn(harness.ADMIN_PASSWORD, r.stdout, "a given password is not echoed")
        before = sorted(os.listdir(data))
        before_db = file_bytes(db)

        other_pw = write_file(os.path.join(self.tmp, "pw2"), "another-long-password")
        r = run("init", "--data", data, "--admin-email", "intruder@example.com",
                "--admin-password-file", other_pw)
        self.assert_fails_naming(r, data)
        self.assertIn("already", r.stderr.lower(), "the message should say a store exists")
        self.assertEqual(sorted(os.listdir(data)), before)
        self.assertEqual(file_bytes(db), before_db, "the existing store must be untouched")

        s = self.serve(data)
        self.assertEqual(self.login_status(s.port, harness.ADMIN_EMAIL, harness.ADMIN_PASSWORD),
                         200)
        self.assertEqual(self.login_status(s.port, "intruder@example.com",
                                           "another-long-password"), 401)

    def test_init_rejects_short_password_file(self):
        data = os.path.join(self.tmp, "short")
        pw = write_file(os.path.join(self.tmp, "pw"), "short123")
        r = run("init", "--data", data, "--admin-email", harness.ADMIN_EMAIL,
                "--admin-password-file", pw)
        self.assert_fails_naming(r, "--admin-password-file")
        self.assertFalse(os.path.exists(os.path.join(data, "steadfast.db")),
                         "a refused init must not leave a store behind")

    def test_init_rejects_missing_password_file_and_bad_email(self):
        r = run("init", "--data", os.path.join(self.tmp, "a"), "--admin-password-file",
                os.path.join(self.tmp, "does-not-exist"))
        self.assert_fails_naming(r, "--admin-password-file")
        pw = write_file(os.path.join(self.tmp, "pw"), harness.ADMIN_PASSWORD)
        r = run("init", "--data", os.path.join(self.tmp, "b"), "--admin-email", "not-an-email",
                "--admin-password-file", pw)
        self.assert_fails_naming(r, "--admin-email")
        self.assertFalse(os.path.exists(os.path.join(self.tmp, "b", "steadfast.db")))

    def test_init_with_password_from_environment(self):
        data = os.path.join(self.tmp, "env")
        password = "from-the-environment-42"
        r = run("init", "--data", data, env={"STEADFAST_ADMIN_PASSWORD": password})
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertNotIn(password, r.stdout)
        self.assertNotIn("shown once", r.stdout)
        s = self.serve(data)
        self.assertEqual(self.login_status(s.port, harness.ADMIN_EMAIL, password), 200)
        self.assertEqual(self.login_status(s.port, harness.ADMIN_EMAIL, "wrong-password-123"), 401)

        r = run("init", "--data", os.path.join(self.tmp, "env-short"),
                env={"STEADFAST_ADMIN_PASSWORD": "tiny"})
        self.assert_fails_naming(r, "STEADFAST_ADMIN_PASSWORD")

    def test_init_generates_and_prints_password_once(self):
        data = os.path.join(self.tmp, "gen")
        r = run("init", "--data", data)
        self.assertEqual(r.returncode, 0, r.stderr)
        lines = [l for l in r.stdout.splitlines() if "shown once" in l.lower()]
        self.assertEqual(len(lines), 1, r.stdout)
        password = lines[0].split(":", 1)[1].strip()
        self.assertGreaterEqual(len(password), 10)
        self.assertEqual(r.stdout.count(password), 1, "printed exactly once")
        self.assertNotIn(password, r.stderr)
        for name in os.listdir(data):
            self.assertNotIn(password.encode(), file_bytes(os.path.join(data, name)),
                             "the generated password must not be stored in clear (%s)" % name)
        s = self.serve(data)
        self.assertEqual(self.login_status(s.port, harness.ADMIN_EMAIL, password), 200)

    # --- user add / token create --------------------------------------------------------------

    def test_user_add_and_token_create(self):
        data = self.init()
        r = run("user", "add", "--data", data, "--email", "not-an-email", "--name", "X")
        self.assert_fails_naming(r, "--email")
        r = run("user", "add", "--data", data, "--email", "x@example.com", "--name", "X",
                "--role", "overlord")
        self.assert_fails_naming(r, "--role")
        r = run("user", "add", "--data", data, "--email", "ben@example.com", "--name", "Ben",
                env={"STEADFAST_USER_PASSWORD": "bens-password-1"})
        self.assertEqual(r.returncode, 0, r.stderr)
        r = run("user", "add", "--data", data, "--email", "BEN@example.com", "--name", "Ben 2")
        self.assertNotEqual(r.returncode, 0, "a duplicate email (any case) must be refused")
        self.assertIn("ben@example.com", r.stderr.lower())
        pw = write_file(os.path.join(self.tmp, "lead-pw"), "leads-password-1")
        r = run("user", "add", "--data", data, "--email", "lead@example.com", "--name", "Lea",
                "--role", "lead", "--password-file", pw)
        self.assertEqual(r.returncode, 0, r.stderr)
        r = run("user", "add", "--data", data, "--email", "nopw@example.com", "--name", "N",
                "--password-file", write_file(os.path.join(self.tmp, "s"), "short"))
        self.assertNotEqual(r.returncode, 0, "a short password file must be refused")
        r = run("user", "add", "--data", os.path.join(self.tmp, "no-store"), "--email",
                "y@example.com", "--name", "Y")
        self.assertNotEqual(r.returncode, 0)
        self.assertFalse(os.path.exists(os.path.join(self.tmp, "no-store", "steadfast.db")))

        r = run("token", "create", "--data", data, "--agent", "nobody@example.com")
        self.assert_fails_naming(r, "--agent")
        self.assertEqual(r.stdout.strip(), "")
        r = run("token", "create", "--data", data)
        self.assertNotEqual(r.returncode, 0, "token create needs --agent or --customer")
        r = run("token", "create", "--data", data, "--customer", "nobody@example.com")
        self.assert_fails_naming(r, "--customer")

        r = run("token", "create", "--data", data, "--agent", "ben@example.com")
        self.assertEqual(r.returncode, 0, r.stderr)
        token = r.stdout.strip()
        self.assertTrue(token)

        s = self.serve(data)
        c = harness.Client(s.port, token)
        me = c.get("/api/v1/auth/me")
        self.assertEqual(me.status, 200, me)
        self.assertEqual(me.json()["agent"]["email"], "ben@example.com")
        self.assertEqual(me.json()["agent"]["role"], "agent")
        c.close()
        bad = harness.Client(s.port, token[:-2] + ("AA" if not token.endswith("AA") else "BB"))
        self.assertEqual(bad.get("/api/v1/auth/me").status, 401)
        bad.close()
        self.assertEqual(self.login_status(s.port, "ben@example.com", "bens-password-1"), 200)
        self.assertEqual(self.login_status(s.port, "lead@example.com", "leads-password-1"), 200)

    # --- serve: refusals ----------------------------------------------------------------------

    def test_serve_without_a_store(self):
        empty = os.path.join(self.tmp, "empty")
        os.mkdir(empty)
        self.assert_serve_refuses(empty, (), None, "init")
        self.assertEqual(os.listdir(empty), [], "serve must not create a store")
        self.assert_serve_refuses(os.path.join(self.tmp, "absent"), (), None, "init")

    def test_serve_refuses_bad_configuration(self):
        data = self.init()
        cfg = write_file(os.path.join(self.tmp, "unknown.toml"),
                         "max_body_bytes = 4096\nmax_bodybytes = 10\n")
        self.assert_serve_refuses(data, ("--config", cfg), None, "max_bodybytes")
        cfg = write_file(os.path.join(self.tmp, "badvalue.toml"), "io_threads = \"many\"\n")
        self.assert_serve_refuses(data, ("--config", cfg), None, "io_threads")
        cfg = write_file(os.path.join(self.tmp, "broken.toml"), "listen = \n")
        self.assert_serve_refuses(data, ("--config", cfg), None, cfg)
        self.assert_serve_refuses(data, ("--config", os.path.join(self.tmp, "missing.toml")),
                                  None, "missing.toml")
        self.assert_serve_refuses(data, (), {"STEADFAST_LISTEN": "nonsense"}, "STEADFAST_LISTEN")
        self.assert_serve_refuses(data, (), {"STEADFAST_FOO": "1"}, "STEADFAST_FOO")
        self.assert_serve_refuses(data, (), {"STEADFAST_MAX_BODY_BYTES": "-5"},
                                  "STEADFAST_MAX_BODY_BYTES")
        self.assert_serve_refuses(data, (), {"STEADFAST_LOG_LEVEL": "loud"}, "STEADFAST_LOG_LEVEL")
        r = run("serve", "--data", data, "--listen", "127.0.0.1:99999", timeout=20)
        self.assert_fails_naming(r, "--listen")

    def test_serve_ignores_the_password_variables_the_other_commands_read(self):
        # STEADFAST_ADMIN_PASSWORD (init) and STEADFAST_USER_PASSWORD (user add) are documented
        # inputs of the program, not misspelt settings: an operator who exported one to run
        # `init` or `user add` must still be able to start `serve` from the same shell.
        data = self.init()
        for name, value in [("STEADFAST_ADMIN_PASSWORD", "some-password-1"),
                            ("STEADFAST_USER_PASSWORD", "some-password-2")]:
            try:
                s = self.serve(data, env={name: value})
            except AssertionError as e:
                self.fail("serve refused to start with %s set: %s" % (name, e))
            self.assertEqual(s.stop(), 0)

    # --- serve: configuration takes effect ----------------------------------------------------

    def test_config_file_values_take_effect_and_environment_overrides(self):
        data = self.init()
        token = run("token", "create", "--data", data, "--agent", harness.ADMIN_EMAIL).stdout.strip()
        cfg = write_file(os.path.join(self.tmp, "small.toml"),
                         "# small bodies only\nmax_body_bytes = 2048\nlog_level = \"warn\"\n")
        big = {"subject": "big", "body": "x" * 5000, "customer": {"email": "c@example.com"}}
        small = {"subject": "small", "body": "y" * 100, "customer": {"email": "c@example.com"}}

        s = self.serve(data, ["--config", cfg])
        c = harness.Client(s.port, token)
        r = c.post("/api/v1/tickets", big)
        self.assertEqual(r.status, 413, r)
        c.close()
        c = harness.Client(s.port, token)
        r = c.post("/api/v1/tickets", small)
        self.assertEqual(r.status, 201, r)
        c.close()
        self.assertEqual(s.stop(), 0)
        levels = [json.loads(l)["level"] for l in file_bytes(s.log_path).decode().splitlines()]
        self.assertNotIn("info", levels, "log_level = \"warn\" from the file must hide info lines")

        # The environment wins over the file.
        s = self.serve(data, ["--config", cfg], env={"STEADFAST_MAX_BODY_BYTES": "1000000"})
        c = harness.Client(s.port, token)
        r = c.post("/api/v1/tickets", big)
        self.assertEqual(r.status, 201, r)
        c.close()
        self.assertEqual(s.stop(), 0)

        # And the file's listen address is used when --listen is not given.
        with socket.socket() as sock:
            sock.bind(("127.0.0.1", 0))
            port = sock.getsockname()[1]
        cfg = write_file(os.path.join(self.tmp, "listen.toml"), "listen = \"127.0.0.1:%d\"\n" % port)
        e = dict(BASE_ENV)
        log = open(os.path.join(self.tmp, "listen.log"), "ab")
        p = subprocess.Popen([BINARY, "serve", "--data", data, "--config", cfg],
                             stdout=subprocess.PIPE, stderr=log, env=e)
        try:
            line = p.stdout.readline().decode().strip()
            self.assertEqual(line, "listening on http://127.0.0.1:%d" % port)
        finally:
            p.send_signal(signal.SIGTERM)
            try:
                rc = p.wait(timeout=30)
            except subprocess.TimeoutExpired:
                p.kill()
                rc = p.wait()
            p.stdout.close()
            log.close()
        self.assertEqual(rc, 0)

    # --- SIGTERM under load, logs -------------------------------------------------------------

    def test_sigterm_with_requests_in_flight_is_clean_and_durable(self):
        # A data folder whose name needs escaping in the JSON log line that names it.
        data = self.init(name='data "quoted" \\ back slash \u00e9t\u00e9')
        token = run("token", "create", "--data", data, "--agent", harness.ADMIN_EMAIL).stdout.strip()
        log_path = os.path.join(self.tmp, "sigterm.log")
        s = self.serve(data, log_path=log_path)

        acked = {}  # ticket id -> (subject, reply body or None)
        mu = threading.Lock()
        stop = threading.Event()
        unexpected = []

        def writer(n):
            conn = http.client.HTTPConnection("127.0.0.1", s.port, timeout=30)
            headers = {"Authorization": "Bearer " + token, "Content-Type": "application/json"}
            try:
                for i in range(2000):
                    if stop.is_set():
                        return
                    subject = "sigterm t%d i%d" % (n, i)
                    conn.request("POST", "/api/v1/tickets", json.dumps(
                        {"subject": subject, "body": "b", "customer": {"email": "t@example.com"}}),
                        headers)
                    r = conn.getresponse()
                    body = r.read()
                    if r.status != 201:
                        if r.status != 503:
                            unexpected.append((r.status, body[:200]))
                        return
                    tid = json.loads(body)["ticket"]["id"]
                    with mu:
                        acked[tid] = (subject, None)
                    reply = "reply to " + subject
                    conn.request("POST", "/api/v1/tickets/%d/messages" % tid,
                                 json.dumps({"kind": "reply", "body": reply}), headers)
                    r = conn.getresponse()
                    body = r.read()
                    if r.status != 201:
                        if r.status != 503:
                            unexpected.append((r.status, body[:200]))
                        return
                    with mu:
                        acked[tid] = (subject, reply)
            except (OSError, http.client.HTTPException):
                return  # The server closed the connection: fine while it stops.
            finally:
                conn.close()

        threads = [threading.Thread(target=writer, args=(n,), daemon=True) for n in range(6)]
        for t in threads:
            t.start()
        time.sleep(0.7)
        with mu:
            self.assertGreater(len(acked), 0, "no write was acknowledged before SIGTERM")
        rc = s.stop(signal.SIGTERM)
        stop.set()
        for t in threads:
            t.join(timeout=60)
            self.assertFalse(t.is_alive())
        self.assertEqual(rc, 0, "exit status after SIGTERM")
        self.assertEqual(unexpected, [])

        s = self.serve(data, log_path=log_path)
        c = harness.Client(s.port, token)
        lost = []
        for tid, (subject, reply) in sorted(acked.items()):
            r = c.get("/api/v1/tickets/%d" % tid)
            if r.status != 200 or r.json()["subject"] != subject:
                lost.append("ticket %d %r: %r" % (tid, subject, r))
                continue
            if reply is not None:
                bodies = [m["body"] for m in c.get("/api/v1/tickets/%d/messages" % tid)
                          .json()["items"]]
                if reply not in bodies:
                    lost.append("reply on ticket %d" % tid)
        c.close()
        self.assertEqual(lost, [], "acknowledged writes lost across SIGTERM")
        self.assertEqual(s.stop(signal.SIGINT), 0, "exit status after SIGINT")

        # Every line of stderr, over both runs, is one JSON object.
        raw = file_bytes(log_path)
        self.assertTrue(raw.endswith(b"\n"))
        lines = raw.split(b"\n")[:-1]
        self.assertGreaterEqual(len(lines), 6)  # listening, stopping, stopped, twice.
        msgs = []
        for line in lines:
            obj = json.loads(line.decode("utf-8"))
            self.assertIsInstance(obj, dict, line)
            for key in ("ts", "level", "msg"):
                self.assertIn(key, obj, line)
            msgs.append(obj["msg"])
            if obj["msg"] == "listening":
                self.assertEqual(obj["data"], data, "the folder name round-trips through JSON")
        self.assertEqual(msgs.count("stopped"), 2, msgs)

    def test_log_lines_are_json_even_when_a_logged_value_is_not_utf8(self):
        # RFC 8259: JSON text is UTF-8. A folder name from a legacy-encoded file system (here a
        # Latin-1 "é", byte 0xE9) ends up in the "listening" line; it must be escaped or
        # replaced, never written raw, or the line is not JSON for any strict reader.
        data = os.path.join(self.tmp.encode(), b"caf\xe9")
        pw = write_file(os.path.join(self.tmp, "pw"), harness.ADMIN_PASSWORD)
        e = dict(BASE_ENV)
        r = subprocess.run([BINARY.encode(), b"init", b"--data", data, b"--admin-password-file",
                            pw.encode()], capture_output=True, env=e, timeout=60)
        self.assertEqual(r.returncode, 0, r.stderr)
        log_path = os.path.join(self.tmp, "nonutf8.log")
        with open(log_path, "ab") as log:
            p = subprocess.Popen([BINARY.encode(), b"serve", b"--data", data, b"--listen",
                                  b"127.0.0.1:0"], stdout=subprocess.PIPE, stderr=log, env=e)
            line = p.stdout.readline()
            p.send_signal(signal.SIGTERM)
            self.assertEqual(p.wait(timeout=30), 0)
            p.stdout.close()
        self.assertTrue(line.startswith(b"listening on"), line)
        for raw in file_bytes(log_path).split(b"\n")[:-1]:
            try:
                obj = json.loads(raw.decode("utf-8"))
            except (UnicodeDecodeError, ValueError) as err:
                self.fail("log line is not UTF-8 JSON (%s): %r" % (err, raw))
            self.assertIsInstance(obj, dict)


if __name__ == "__main__":
    harness.main()
