"""Shared pieces of the end-to-end tests: start the real `steadfast` binary on a free loopback
port with a temporary data folder, and talk to it over HTTP as a client would.

Standard library only (the tests run on a machine with nothing but scripts/bootstrap).
"""

import http.client
import json
import os
import shutil
import signal
import socket
import subprocess
import tempfile
import time
import unittest
import urllib.parse
import uuid

BINARY = os.environ.get("STEADFAST_BIN", "")
ADMIN_EMAIL = "admin@example.com"
ADMIN_PASSWORD = "correct-horse-battery-staple"


class Response:
    def __init__(self, status, headers, body):
        self.status = status
        self.headers = headers  # dict, lower-case names
        self.body = body  # bytes

    def json(self):
        return json.loads(self.body.decode("utf-8"))

    def __repr__(self):
        return "<%d %s>" % (self.status, self.body[:300])


class Client:
    """One keep-alive HTTP connection with optional bearer token or session cookie."""

    def __init__(self, port, token=None):
        self.port = port
        self.token = token
        self.cookie = None
        self.csrf = None
        self.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)

    def request(self, method, path, body=None, headers=None, raw=None):
        h = dict(headers or {})
        if self.token is not None and "Authorization" not in h:
            h["Authorization"] = "Bearer " + self.token
        if self.cookie is not None:
            h["Cookie"] = self.cookie
            if self.csrf is not None and method not in ("GET", "HEAD"):
                h.setdefault("X-CSRF-Token", self.csrf)
        data = raw
        if body is not None:
            data = json.dumps(body).encode("utf-8")
            h.setdefault("Content-Type", "application/json")
        for attempt in range(2):
            try:
                self.conn.request(method, path, body=data, headers=h)
                r = self.conn.getresponse()
                payload = r.read()
                return Response(r.status, {k.lower(): v for k, v in r.getheaders()}, payload)
            except (http.client.RemoteDisconnected, ConnectionResetError, BrokenPipeError):
                self.conn.close()
                self.conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
                if attempt == 1:
                    raise

    def get(self, path, **kw):
        return self.request("GET", path, **kw)

    def post(self, path, body=None, **kw):
        return self.request("POST", path, body=body, **kw)

    def patch(self, path, body=None, **kw):
        return self.request("PATCH", path, body=body, **kw)

    def login(self, email, password):
        r = self.post("/api/v1/auth/login", {"email": email, "password": password})
        if r.status == 200:
            set_cookie = r.headers.get("set-cookie", "")
            self.cookie = set_cookie.split(";")[0]
            self.csrf = r.json()["csrf_token"]
        return r

    def close(self):
        self.conn.close()


class Server:
    """A running `steadfast serve` on a fresh data folder (created with `init`)."""

    def __init__(self, demo=False, env=None, data_dir=None, serve_args=(), test_clock=False):
        if not BINARY:
            raise RuntimeError("set STEADFAST_BIN to the steadfast binary")
        self.owns_dir = data_dir is None
        self.data_dir = data_dir or tempfile.mkdtemp(prefix="steadfast-e2e-")
        self.env = dict(os.environ)
        # `serve` rejects unknown STEADFAST_* settings; the test runner's own variable is not one.
        self.env.pop("STEADFAST_BIN", None)
        self.env.update(env or {})
        # The test clock (src/app/test_clock.h): the server's time is the system's plus the
        # seconds in this file; advance() moves it forward.
        self.clock_file = None
        self.clock_offset = 0
        if test_clock:
            self.clock_file = os.path.join(self.data_dir, "clock-offset")
            with open(self.clock_file, "w") as f:
                f.write("0")
            self.env["STEADFAST_TEST_CLOCK_FILE"] = self.clock_file
        self.serve_args = list(serve_args)  # Extra `serve` arguments, e.g. --config FILE.
        self.proc = None
        self.port = None
        db = os.path.join(self.data_dir, "steadfast.db")
        if not os.path.exists(db):
            pw_file = os.path.join(self.data_dir, "admin-password")
            with open(pw_file, "w") as f:
                f.write(ADMIN_PASSWORD)
            args = [BINARY, "init", "--data", self.data_dir, "--admin-email", ADMIN_EMAIL,
                    "--admin-password-file", pw_file]
            if demo:
                args.append("--demo")
            subprocess.run(args, check=True, capture_output=True, env=self.env)

    def start(self):
        self.log = open(os.path.join(self.data_dir, "server.log"), "ab")
        self.proc = subprocess.Popen(
            [BINARY, "serve", "--data", self.data_dir, "--listen", "127.0.0.1:0"] +
            self.serve_args,
            stdout=subprocess.PIPE, stderr=self.log, env=self.env)
        line = self.proc.stdout.readline().decode()
        if not line.startswith("listening on http://"):
            self.proc.kill()
            raise RuntimeError("server did not start: %r (see %s/server.log)" %
                               (line, self.data_dir))
        self.port = int(line.strip().rsplit(":", 1)[1])
        return self

    def advance(self, seconds):
        """Moves the server's clock forward (REQUIRES test_clock=True). The server reads the
        file within 50 ms; the engine acts on its next pass (every second)."""
        self.clock_offset += int(seconds)
        tmp = self.clock_file + ".tmp"
        with open(tmp, "w") as f:
            f.write(str(self.clock_offset))
        os.replace(tmp, self.clock_file)

    def cli(self, *args, check=True, input_env=None):
        env = dict(self.env)
        env.update(input_env or {})
        return subprocess.run([BINARY] + list(args), capture_output=True, env=env, check=check,
                              text=True)

    def token(self, agent=None, customer=None):
        args = ["token", "create", "--data", self.data_dir]
        if agent:
            args += ["--agent", agent]
        if customer:
            args += ["--customer", customer]
        return self.cli(*args).stdout.strip()

    def client(self, token=None):
        return Client(self.port, token)

    def stop(self, sig=signal.SIGTERM, timeout=30):
        if self.proc is None:
            return None
        self.proc.send_signal(sig)
        try:
            rc = self.proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            rc = self.proc.wait()
        self.proc.stdout.close()
        self.log.close()
        self.proc = None
        return rc

    def kill9(self):
        return self.stop(signal.SIGKILL)

    def cleanup(self):
        self.stop()
        if self.owns_dir:
            shutil.rmtree(self.data_dir, ignore_errors=True)


def main():
    """Runs the unittest module; exits non-zero on failure (ctest reads the exit code)."""
    unittest.main(verbosity=2)


def multipart(fields=(), files=()):
    """A multipart/form-data body. fields: (name, str); files: (name, filename, type, bytes).
    Returns (content_type, body)."""
    boundary = "sf-" + uuid.uuid4().hex
    out = bytearray()
    for name, value in fields:
        out += b"--" + boundary.encode() + b"\r\n"
        out += b'Content-Disposition: form-data; name="' + name.encode() + b'"\r\n\r\n'
        out += value.encode("utf-8") + b"\r\n"
    for name, filename, ctype, data in files:
        out += b"--" + boundary.encode() + b"\r\n"
        quoted = urllib.parse.quote(filename, safe="")
        escaped = filename.replace("\\", "\\\\").replace('"', '\\"')
        out += (b'Content-Disposition: form-data; name="' + name.encode() +
                b'"; filename="' + escaped.encode("utf-8") + b'"; filename*=UTF-8\'\'' +
                quoted.encode() + b"\r\n")
        if ctype:
            out += b"Content-Type: " + ctype.encode() + b"\r\n"
        out += b"\r\n" + data + b"\r\n"
    out += b"--" + boundary.encode() + b"--\r\n"
    return "multipart/form-data; boundary=" + boundary, bytes(out)


def free_port():
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]
