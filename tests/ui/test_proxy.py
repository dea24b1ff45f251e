#!/usr/bin/python3
"""Proxies that want Windows sign-in, in the real owacal: the environment's http_proxy, and the
desktop's proxy settings (GNOME's, read through GProxyResolver). The page loads with --user and
--password-file; the proxy's log shows every load went through it, signed in with NTLM."""
import os
import sys
from urllib.parse import urlsplit

sys.path.insert(0, os.path.dirname(__file__))
from owacal_ui import OwacalTestCase, count_lines, env, mailbox_url, main, read_jsonl  # noqa: E402

# A GNOME desktop whose proxy settings (org.gnome.system.proxy) send http through the test proxy.
GNOME_PROXY_KEYFILE = """[system/proxy]
mode='manual'
ignore-hosts=@as []

[system/proxy/http]
host='{host}'
port={port}
"""


class ProxyTest(OwacalTestCase):

    def site(self):
        # The site under its name, the proxy under its address: two hosts in the logs.
        port = urlsplit(env("OC_TEST_OWA_URL")).port
        return mailbox_url(f"http://localhost:{port}", extra="&autosubmit=0")

    def load_through_proxy(self, extra_env):
        mark = count_lines(env("OC_TEST_PROXY_LOG"))
        password = self.password_file(env("OC_TEST_PASSWORD"))
        status, facts, result = self.snapshot(self.site(), "--user", f"{env('OC_TEST_DOMAIN')}\\{env('OC_TEST_USER')}",
                                              "--password-file", password, extra_env=extra_env)
        self.assertEqual(status, 0, result.stderr)
        self.assertEqual(facts["title"], f"Calendar - {env('OC_TEST_EMAIL')}")
        self.assertEqual(facts["canary"], "match")
        log = read_jsonl(env("OC_TEST_PROXY_LOG"), mark)
        passed = [r for r in log if r["status"] != 407]
        for path in ("/owa/alice@example.test/?cmd=contents", "style.css", "app.js", "GetCalendarView"):
            self.assertTrue(any(path in r["target"] for r in passed), f"{path} did not go through the proxy: {log}")
        self.assertTrue(any(r["ntlm"] == "type3-ok" for r in log), log)
        self.assertTrue(all(r["user"] == env("OC_TEST_USER") for r in passed), passed)

    def test_environment_proxy(self):
        self.load_through_proxy({"http_proxy": env("OC_TEST_PROXY_URL"), "no_proxy": ""})

    def test_desktop_proxy_settings(self):
        proxy = urlsplit(env("OC_TEST_PROXY_URL"))
        config = os.path.join(self.tmp, "config")
        os.makedirs(os.path.join(config, "glib-2.0", "settings"))
        with open(os.path.join(config, "glib-2.0", "settings", "keyfile"), "w") as f:
            f.write(GNOME_PROXY_KEYFILE.format(host=proxy.hostname, port=proxy.port))
        self.load_through_proxy({"XDG_CURRENT_DESKTOP": "GNOME", "GSETTINGS_BACKEND": "keyfile",
                                 "XDG_CONFIG_HOME": config, "http_proxy": "", "HTTP_PROXY": "", "no_proxy": ""})

    def test_proxy_refusal_is_explained(self):
        status, facts, result = self.snapshot(self.site(), extra_env={"http_proxy": env("OC_TEST_PROXY_URL"),
                                                                    "no_proxy": ""})
        self.assertEqual(status, 1)
        self.assertEqual(facts["error"], "proxy", facts)
        self.assertIn("407", facts["message"])


if __name__ == "__main__":
    main()
