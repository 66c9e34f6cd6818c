"""The web app on the API's origin: `serve` with web_root answers app routes with index.html,
hashed assets with a year's cache, and leaves /api/ to the API."""

import os
import shutil
import sys
import tempfile
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import harness  # noqa: E402


class WebServingTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.root = tempfile.mkdtemp(prefix="steadfast-web-")
        os.makedirs(os.path.join(cls.root, "assets"))
        with open(os.path.join(cls.root, "index.html"), "w") as f:
            f.write("<!doctype html><title>Steadfast</title><div id=app></div>")
        with open(os.path.join(cls.root, "assets", "index-9f8e7d.js"), "w") as f:
            f.write("console.log('app')")
        cls.server = harness.Server(env={"STEADFAST_WEB_ROOT": cls.root}).start()
        cls.client = cls.server.client()

    @classmethod
    def tearDownClass(cls):
        cls.client.close()
        cls.server.cleanup()
        shutil.rmtree(cls.root, ignore_errors=True)

    def test_app_routes_and_assets(self):
        for path in ("/", "/tickets/12", "/queues/mine"):
            r = self.client.get(path)
            self.assertEqual(r.status, 200, path)
            self.assertIn(b"<div id=app>", r.body)
            self.assertEqual(r.headers["cache-control"], "no-cache")
            self.assertIn("script-src 'self'", r.headers["content-security-policy"])
        r = self.client.get("/assets/index-9f8e7d.js")
        self.assertEqual(r.status, 200)
        self.assertEqual(r.headers["cache-control"], "public, max-age=31536000, immutable")
        self.assertTrue(r.headers["content-type"].startswith("text/javascript"))
        self.assertEqual(self.client.get("/assets/missing.js").status, 404)

    def test_the_api_is_still_the_api(self):
        self.assertEqual(self.client.get("/api/v1/health").status, 200)
        r = self.client.get("/api/v1/nope")
        self.assertEqual(r.status, 404)
        self.assertEqual(r.headers["content-type"], "application/problem+json")

    def test_a_missing_web_root_refuses_to_start(self):
        s = harness.Server(env={"STEADFAST_WEB_ROOT": os.path.join(self.root, "nope")})
        try:
            with self.assertRaises(RuntimeError):
                s.start()
        finally:
            s.cleanup()


if __name__ == "__main__":
    harness.main()
