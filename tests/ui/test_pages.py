#!/usr/bin/python3
"""The OWA-like test page, behind Kerberos and behind NTLM, in the real owacal.

The page loads relative CSS, script and image; its script reads the canary
cookie and POSTs JSON with it, POSTs to an absolute http:// URL, sets a cookie,
then submits a form answered by a 302 with an absolute Location. The tests read
what the page became (its DOM) and what the server saw (its log): every request
must have arrived signed in, which only owacal's libcurl client can do.
"""
import os
import sys
from urllib.parse import urlsplit

sys.path.insert(0, os.path.dirname(__file__))
from owacal_ui import (CHROME_UA_MARK, OwacalTestCase, count_lines, env, mailbox_url,  # noqa: E402
                       main, read_apache_log, read_jsonl)


def page_problems(facts, mailbox):
    """What is wrong with the settled page, as a list of sentences (empty: all good)."""
    if facts is None:
        return ["no page facts were printed"]
    expected = {
        "title": f"Calendar - {mailbox}",
        "canary": "match",
        "cookieSeen": "true",
        "ping": "pong",
        "logo": "ok",
        "done": "1",
        "background": "rgb(250, 250, 240)",
        "error": None,
    }
    problems = [f"{key} is {facts.get(key)!r}, not {value!r}"
                for key, value in expected.items() if facts.get(key) != value]
    if not (facts.get("status") or "").startswith("ok: 5 events"):
        problems.append(f"status is {facts.get('status')!r}")
    if facts.get("events") != 5:
        problems.append(f"{facts.get('events')} events listed")
    # The form post was answered by a 302 to an absolute URL: the page that followed is step 2.
    if "step=2" not in (facts.get("href") or "") or not facts["href"].startswith("owacal-http://"):
        problems.append(f"ended on {facts.get('href')!r}, not on the redirect's target")
    return problems


def backend_problems(records, user_prefix):
    """Every request the site answered must have come signed in, from owacal's client."""
    problems = []
    answered = [r for r in records if r["status"] != 401]
    if not answered:
        return ["the server saw no requests"]
    for r in answered:
        where = f"{r['method']} {r['path']}"
        if not (r.get("user") or "").startswith(user_prefix):
            problems.append(f"{where} was not signed in (user {r.get('user')!r})")
        if CHROME_UA_MARK not in (r.get("ua") or ""):
            problems.append(f"{where} came with User-Agent {r.get('ua')!r}")
        for header in ("origin", "referer"):
            if "owacal-" in (r.get(header) or ""):
                problems.append(f"{where} leaked {header} {r.get(header)!r}")
    wanted = [("GET", "style.css"), ("GET", "app.js"), ("GET", "logo.png"),
              ("POST", "action=GetCalendarView"), ("POST", "action=Ping"), ("POST", "options.aspx"),
              ("GET", "step=2")]
    for method, fragment in wanted:
        if not any(r["method"] == method and fragment in r["path"] for r in answered):
            problems.append(f"no signed-in {method} …{fragment} reached the server")
    scripted = [r for r in answered if "GetCalendarView" in r["path"]]
    if scripted and not all(r.get("canary") for r in scripted):
        problems.append("the scripted POST came without its X-OWA-CANARY header")
    form = [r for r in answered if "options.aspx" in r["path"]]
    if form and not all(r.get("body") == "week=next" and r["status"] == 302 for r in form):
        problems.append(f"the form post arrived as {form}")
    return problems


class PagesTest(OwacalTestCase):

    def test_negotiate(self):
        url = mailbox_url(env("OC_TEST_NEGOTIATE_URL"))
        backend_mark = count_lines(env("OC_TEST_NEGOTIATE_BACKEND_LOG"))
        front_mark = count_lines(env("OC_TEST_NEGOTIATE_LOG"))
        status, facts, result = self.snapshot(url, name="negotiate")
        self.assertEqual(status, 0, result.stderr)
        self.assertEqual(result.stdout.splitlines()[0], f"Calendar - {env('OC_TEST_EMAIL')}")
        self.assertEqual(page_problems(facts, env("OC_TEST_EMAIL")), [])
        self.assertEqual(backend_problems(read_jsonl(env("OC_TEST_NEGOTIATE_BACKEND_LOG"), backend_mark), "alice@"), [])
        # Apache itself: every request signed in with Kerberos, none refused.
        front = read_apache_log(env("OC_TEST_NEGOTIATE_LOG"), front_mark)
        self.assertTrue(front)
        self.assertEqual([r for r in front if r["status"] != "200" and r["status"] != "302"], [])
        self.assertTrue(all(r["user"] == "alice@EXAMPLE.TEST" for r in front), front)
        self.assertGreater(os.path.getsize(self.last_png), 10000)

    def test_ntlm(self):
        url = mailbox_url(env("OC_TEST_NTLM_URL"))
        password = self.password_file(env("OC_TEST_PASSWORD"))
        mark = count_lines(env("OC_TEST_NTLM_LOG"))
        status, facts, result = self.snapshot(url, "--user", f"{env('OC_TEST_DOMAIN')}\\{env('OC_TEST_USER')}",
                                              "--password-file", password, name="ntlm")
        self.assertEqual(status, 0, result.stderr)
        self.assertEqual(page_problems(facts, env("OC_TEST_EMAIL")), [])
        log = read_jsonl(env("OC_TEST_NTLM_LOG"), mark)
        self.assertEqual(backend_problems(log, env("OC_TEST_USER")), [])
        # NTLM signs in a connection: at most one handshake per connection, then plain
        # requests on it. (libcurl may finish a request on another signed-in connection
        # that came free while a new one was mid-handshake; that one is not signed in twice.)
        connections = {r["conn"] for r in log}
        for conn in connections:
            on_conn = [r for r in log if r["conn"] == conn]
            self.assertLessEqual(sum(r["ntlm"] == "type1" for r in on_conn), 1, on_conn)
            self.assertLessEqual(sum(r["ntlm"] == "type3-ok" for r in on_conn), 1, on_conn)
        handshakes = sum(r["ntlm"] == "type3-ok" for r in log)
        signed_in = sum(r["status"] != 401 for r in log)
        self.assertGreaterEqual(handshakes, 1)
        self.assertLessEqual(len(connections), 6)
        self.assertGreater(signed_in, 2 * handshakes, "requests did not reuse signed-in connections")

    def test_absolute_urls_bypass_is_detected(self):
        """Negative control: without owacal's web extension, the page's absolute-URL
        POST goes through WebKit's own network stack; the checks above must catch it."""
        url = mailbox_url(env("OC_TEST_NTLM_URL"))
        password = self.password_file(env("OC_TEST_PASSWORD"))
        mark = count_lines(env("OC_TEST_NTLM_LOG"))
        status, facts, result = self.snapshot(
            url, "--user", f"{env('OC_TEST_DOMAIN')}\\{env('OC_TEST_USER')}", "--password-file", password,
            extra_env={"OWACAL_WEB_EXTENSIONS_DIR": os.path.join(self.tmp, "no-extension")})
        problems = page_problems(facts, env("OC_TEST_EMAIL")) + \
            backend_problems(read_jsonl(env("OC_TEST_NTLM_LOG"), mark), env("OC_TEST_USER"))
        print("negative control found:", problems, file=sys.stderr)
        self.assertTrue(any("ping" in p or "Ping" in p for p in problems), problems)

    def test_blob_and_file_bodies(self):
        """WebKit crashes when a scheme handler reads a Blob- or File-backed body;
        owacal's page bridge turns them into plain buffers. The bodies must arrive
        intact, through owacal's client, and owacal must not crash."""
        url = mailbox_url(env("OC_TEST_OWA_URL"), extra="&autosubmit=0")
        mark = count_lines(env("OC_TEST_OWA_LOG"))
        script = """(async () => {
          const target = 'service.svc?action=Ping';
          const results = {};
          let r = await fetch(target, {method: 'POST', body: new Blob(['blob-body'], {type: 'text/x-blob'})});
          results.blob = r.status;
          const form = new FormData();
          form.append('note', 'text-part');
          form.append('file', new File(['file-body'], 'hello.txt', {type: 'text/plain'}));
          r = await fetch(target, {method: 'POST', body: form});
          results.formData = r.status;
          results.xhr = await new Promise((done) => {
            const xhr = new XMLHttpRequest();
            xhr.open('POST', target);
            xhr.onload = () => done(xhr.status);
            xhr.onerror = () => done('error');
            xhr.send(new Blob(['xhr-blob-body']));
          });
          return results;
        })()"""
        status, facts, result = self.snapshot(url, script=script)
        self.assertEqual(status, 0, result.stderr)
        self.assertEqual(facts, {"blob": 200, "formData": 200, "xhr": 200})
        posts = [r for r in read_jsonl(env("OC_TEST_OWA_LOG"), mark)
                 if r["method"] == "POST" and "Ping" in r["path"]]
        bodies = [str(r["body"]) for r in posts]
        self.assertIn("blob-body", bodies)
        self.assertIn("xhr-blob-body", bodies)
        blob = next(r for r in posts if r["body"] == "blob-body")
        self.assertEqual(blob["content_type"], "text/x-blob")
        multipart = next(r for r in posts if (r["content_type"] or "").startswith("multipart/form-data"))
        self.assertIn("file-body", str(multipart["body"]))
        self.assertIn('filename="hello.txt"', str(multipart["body"]))
        self.assertIn("text-part", str(multipart["body"]))
        self.assertTrue(all("X-Owacal" not in str(r) for r in posts))

    def test_plain_site_cookie_bridge(self):
        """document.cookie reads and writes owacal's jar (no sign-in involved)."""
        url = mailbox_url(env("OC_TEST_OWA_URL"), extra="&autosubmit=0")
        script = "({read: document.cookie, httpOnlyHidden: !document.cookie.includes('owa-session')})"
        status, facts, result = self.snapshot(url, script=script)
        self.assertEqual(status, 0, result.stderr)
        self.assertIn("X-OWA-CANARY=", facts["read"])
        self.assertIn("owacal-test=js-set", facts["read"])
        self.assertTrue(facts["httpOnlyHidden"], facts)
        host = urlsplit(url).hostname
        self.assertTrue(host)


if __name__ == "__main__":
    main()
