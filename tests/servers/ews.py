#!/usr/bin/python3
"""An Exchange Web Services stand-in for owacal's tests, following Microsoft's protocol
documents: [MS-OXWSCORE] FindItem (CalendarView) and GetItem, [MS-OXWSAVAIL]
GetUserAvailability, [MS-OXWSFOLD] GetFolder, [MS-OXWSRSLNM] ResolveNames, and
Autodiscover ([MS-OXDSCLI] POX, [MS-OXWSADISC] SOAP GetUserSettings).

  ews.py --port P --log FILE [--version 2010SP2|2013|2016|2019] [--auth none|ntlm|header|basic]
         [--tls-cert C --tls-key K] [--pidfile F] [--extra-people N] [--log-bodies]

Routes:
  POST /EWS/Exchange.asmx                 SOAP 1.1; every request is validated against Microsoft's
                                          schema (tests/fixtures/ews-schema) with xmllint first
  GET  /EWS/messages.xsd, /EWS/types.xsd  the schema the server speaks
  POST /autodiscover/autodiscover.xml     POX Autodiscover; .svc: SOAP GetUserSettings
  POST /testbed/throttle?count=N&backoff=MS  the next N EWS requests get ErrorServerBusy
  POST /testbed/ews-off?on=1|0            /EWS answers 403, as when EWS is switched off
  POST /testbed/autodiscover-redirect?url=U&count=N   the next N POX Autodiscover answers are
                                          Action redirectUrl to U ([MS-OXDSCLI] 2.2.4.1.1.2.4)

The mailboxes, their calendars and who may see what: tests/fixtures/ews/calendars.json.  The
viewer is whoever signed in (NTLM, Basic, or X-Remote-User from the Kerberos front), alice
without authentication.  HTTP, sign-in and TLS come from owa_site.py; each request is logged
as one JSON object per line (see Handler.log_request_json).  `ews.py --self-test` checks the
answers to tests/fixtures/ews/requests/*.xml against the schema.

For benchmarks: --extra-people N adds colleague01@… to colleagueNN@…, whose free/busy
everyone sees (ews_calendar.generated_people); --log-bodies adds each SOAP request's body
to its log line ("body"), so that a benchmark can send the very same requests again.
"""

import argparse
import os
import re
import sys
import threading
import time
import xml.etree.ElementTree as ET
from urllib.parse import parse_qs, urlsplit

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import ews_autodiscover  # noqa: E402  (sibling modules)
import owa_site  # noqa: E402
import serving  # noqa: E402
from ews_availability import AvailabilityFault, get_user_availability  # noqa: E402
from ews_calendar import Directory  # noqa: E402
from ews_operations import OPERATIONS, Context  # noqa: E402
from ews_schema import SCHEMA_DIR, Validator  # noqa: E402
from ews_soap import (REQUEST_VERSIONS, S, T, VERSIONS, envelope, fault, schema_fault,  # noqa: E402
                      server_busy_fault)

FORBIDDEN = b"<!DOCTYPE html><html><head><title>403 - Forbidden: Access is denied.</title></head><body>" \
            b"<h2>403 - Forbidden: Access is denied.</h2></body></html>"


class Server(owa_site.Server):
    def __init__(self, args):
        self.version = args.version
        self.directory = Directory(extra_people=args.extra_people, dns_domain=args.dns_domain)
        self.validator = Validator()
        self.control_lock = threading.Lock()
        self.throttle_count = 0
        self.throttle_backoff = 0
        self.ews_off = False
        self.redirect_url = None
        self.redirect_count = 0
        super().__init__(args, Handler)


class Handler(owa_site.Handler):
    server_version = "Microsoft-IIS/10.0"

    def handle_any(self):
        self.facts = {}
        super().handle_any()

    def authenticate(self):
        if urlsplit(self.path).path.startswith("/testbed/"):
            return None  # test controls need no sign-in (Apache's front lets them through too)
        return super().authenticate()

    def viewer(self, user) -> str:
        """The signed-in user as an address: EXAMPLE\\alice, alice@EXAMPLE.TEST, alice -> alice@example.test."""
        name = (user or self.server.args.user).split("\\")[-1].split("@")[0].lower()
        return f"{name}@{self.server.args.dns_domain}"

    def origin(self) -> str:
        # Behind the Kerberos front (--auth header) the client spoke https to Apache.
        scheme = self.headers.get("X-Forwarded-Proto") if self.server.args.auth == "header" else None
        if scheme:
            return f"{scheme}://{self.headers.get('Host')}"
        return self.self_origin()

    # -- routes ----------------------------------------------------------------------

    def route(self, user):
        url = urlsplit(self.path)
        path, query = url.path.lower(), parse_qs(url.query)
        method = self.command
        if path.startswith("/testbed/") and method == "POST":
            return self.control(path, query)
        if path.startswith("/ews/") and self.server.ews_off:
            return self.respond(403, FORBIDDEN)
        if path in ("/ews/messages.xsd", "/ews/types.xsd") and method in ("GET", "HEAD"):
            with open(os.path.join(SCHEMA_DIR, path.rsplit("/", 1)[1]), "rb") as f:
                return self.respond(200, f.read(), "text/xml")
        if path == "/ews/exchange.asmx" and method == "POST":
            return self.ews(user)
        if path in ("/autodiscover/autodiscover.xml", "/autodiscover/autodiscover.svc"):
            if method != "POST":
                self.facts = {"operation": "Autodiscover", "codes": ["600"]}
                return self.respond(200, ews_autodiscover.pox_error(600, "Invalid Request"), "text/xml; charset=utf-8")
            module = ews_autodiscover.pox if path.endswith(".xml") else ews_autodiscover.soap
            with self.server.control_lock:
                redirect = self.server.redirect_url if self.server.redirect_count > 0 and module is ews_autodiscover.pox \
                    else None
                if redirect:
                    self.server.redirect_count -= 1
            if redirect:
                status, body, self.facts = ews_autodiscover.pox_redirect(self.req_body, redirect)
                return self.respond(status, body, "text/xml; charset=utf-8")
            status, body, self.facts = module(self.req_body, self.origin(), self.server.directory,
                                              self.server.version)
            return self.respond(status, body, "text/xml; charset=utf-8")
        return self.respond(404, owa_site.status_page(404, "Not Found"))

    def control(self, path, query):
        s = self.server
        with s.control_lock:
            if path == "/testbed/throttle":
                s.throttle_count = int((query.get("count") or ["1"])[0])
                s.throttle_backoff = int((query.get("backoff") or ["1000"])[0])
            elif path == "/testbed/ews-off":
                s.ews_off = (query.get("on") or ["1"])[0] == "1"
            elif path == "/testbed/autodiscover-redirect":
                s.redirect_url = (query.get("url") or [None])[0]
                s.redirect_count = int((query.get("count") or ["1"])[0])
            else:
                return self.respond(404, b"", "text/plain")
        self.facts = {"operation": "control"}
        return self.respond(204)

    def ews(self, user):
        facts = self.facts
        validation = self.server.validator.validate(self.req_body)
        facts["valid"] = {"ok": validation.ok, "message": validation.message or None}
        if not validation.ok:
            return self.soap_error(schema_fault(validation.message, validation.line, validation.position),
                                   "ErrorSchemaValidation")
        root = ET.fromstring(self.req_body)
        operation = root.find(f"{{{S}}}Body")[0]
        name = operation.tag.split("}")[1]
        facts["operation"] = "GetUserAvailability" if name == "GetUserAvailabilityRequest" else name
        asked = root.find(f"{{{S}}}Header/{{{T}}}RequestServerVersion")
        facts["request_version"] = asked.get("Version") if asked is not None else None
        newest = VERSIONS[self.server.version]["newest_request"]
        if asked is not None and REQUEST_VERSIONS.index(asked.get("Version")) > REQUEST_VERSIONS.index(newest):
            # This server's schema does not know the version: its validation fails there.
            allowed = ", ".join(f"'{v}'" for v in REQUEST_VERSIONS[:REQUEST_VERSIONS.index(newest) + 1])
            message = (f"Element '{{{T}}}RequestServerVersion', attribute 'Version': [facet 'enumeration'] The value "
                       f"'{asked.get('Version')}' is not an element of the set {{{allowed}}}.")
            facts["valid"] = {"ok": False, "message": message}
            line = self.req_body[:self.req_body.find(b"RequestServerVersion")].count(b"\n") + 1
            return self.soap_error(schema_fault(message, line, 0), "ErrorSchemaValidation")
        with self.server.control_lock:
            throttled = self.server.throttle_count > 0
            if throttled:
                self.server.throttle_count -= 1
        if throttled:
            return self.soap_error(server_busy_fault(self.server.throttle_backoff), "ErrorServerBusy")
        ctx = Context(self.server.directory, self.viewer(user), self.server.version)
        try:
            if name == "GetUserAvailabilityRequest":
                element, more = get_user_availability(operation, ctx)
                facts.update(more)
            elif name in OPERATIONS:
                outcome = OPERATIONS[name](operation, ctx)
                element = outcome.element
                facts.update(mailboxes=outcome.mailboxes, codes=outcome.codes, window=outcome.window,
                             view=outcome.view)
            else:
                return self.soap_error(fault("ErrorInvalidRequest", f"The test server does not implement {name}.",
                                             "The request is invalid."), "ErrorInvalidRequest")
        except AvailabilityFault as e:
            facts.setdefault("mailboxes", [])
            return self.soap_error(fault(e.code, e.text, e.text), e.code)
        return self.respond(200, envelope(self.server.version, element), "text/xml; charset=utf-8")

    def soap_error(self, body, code):
        self.facts.setdefault("codes", []).append(code)
        return self.respond(500, body, "text/xml; charset=utf-8")

    # -- log -------------------------------------------------------------------------

    def log_request_json(self, user, body):
        """One line per request: what a test wants to know about it, never a credential."""
        facts = getattr(self, "facts", {})
        self.server.write_log({
            "t": time.time(), "conn": self.conn_id, "method": self.command, "path": self.path,
            "status": self.status, "operation": facts.get("operation"), "mailboxes": facts.get("mailboxes", []),
            "window": facts.get("window"), "view": facts.get("view"), "valid": facts.get("valid"),
            "codes": facts.get("codes", []), "request_version": facts.get("request_version"),
            "user": user, "viewer": self.viewer(user) if user or self.server.args.auth == "none" else None,
            "ntlm": self.ntlm_note, "auth": (self.headers.get("Authorization") or "").split(" ")[0] or None,
            "front": "kerberos" if self.server.args.auth == "header" else None,
            "ua": self.headers.get("User-Agent"), "content_type": self.headers.get("Content-Type"),
            **({"body": self.req_body.decode("utf-8", "replace")}
               if self.server.args.log_bodies and facts.get("operation") and self.req_body else {}),
        })


# --- Self-test ------------------------------------------------------------------------

def self_test(version: str) -> int:
    """Answers every sample request in tests/fixtures/ews/requests/ and validates each answer's
    operation element against messages.xsd: the server must speak the schema it demands."""
    import glob
    import subprocess
    import tempfile
    requests = sorted(glob.glob(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "fixtures", "ews",
                                             "requests", "*.xml")))
    directory, validator = Directory(), Validator()
    ctx = Context(directory, "alice@example.test", version)
    failures = 0
    for path in requests:
        name = os.path.basename(path)
        with open(path, "rb") as f:
            body = f.read()
        result = validator.validate(body)
        if not result.ok:
            print(f"FAIL: {name}: the sample request does not validate: {result.message}")
            failures += 1
            continue
        operation = ET.fromstring(body).find(f"{{{S}}}Body")[0]
        local = operation.tag.split("}")[1]
        try:
            if local == "GetUserAvailabilityRequest":
                element, _ = get_user_availability(operation, ctx)
            else:
                element = OPERATIONS[local](operation, ctx).element
        except AvailabilityFault as e:
            print(f"ok: {name}: fault {e.code}")
            continue
        with tempfile.NamedTemporaryFile(suffix=".xml") as tmp:
            tmp.write(ET.tostring(element))
            tmp.flush()
            proc = subprocess.run(["xmllint", "--noout", "--nonet", "--schema",
                                   os.path.join(SCHEMA_DIR, "messages.xsd"), tmp.name],
                                  stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        ok = proc.returncode == 0
        failures += not ok
        print(f"{'ok' if ok else 'FAIL'}: {name}: answer validates against messages.xsd"
              + ("" if ok else "\n" + re.sub(r"(?m)^", "#   ", proc.stdout.strip())))
    if not requests:
        print("FAIL: no sample requests found")
        failures += 1
    print("self-test " + ("passed" if not failures else f"FAILED ({failures})"))
    return 1 if failures else 0


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--self-test", action="store_true", help="validate the answers to the sample requests, then exit")
    p.add_argument("--port", type=int)
    p.add_argument("--version", choices=sorted(VERSIONS), default="2016", help="the Exchange version to be")
    p.add_argument("--auth", choices=("none", "ntlm", "header", "basic"), default="none")
    p.add_argument("--user", default="alice")
    p.add_argument("--password", default=os.environ.get("OC_TEST_PASSWORD", ""))
    p.add_argument("--domain", default="EXAMPLE")
    p.add_argument("--dns-domain", default="example.test")
    p.add_argument("--log")
    p.add_argument("--pidfile")
    p.add_argument("--tls-cert")
    p.add_argument("--tls-key")
    p.add_argument("--extra-people", type=int, default=0, metavar="N",
                   help="also N generated colleagues (colleague01@…) whose free/busy everyone sees")
    p.add_argument("--log-bodies", action="store_true", help="log each SOAP request's body (benchmarks)")
    args = p.parse_args()
    if args.self_test:
        sys.exit(self_test(args.version))
    if args.port is None or not args.log:
        p.error("--port and --log are needed to serve")
    if args.auth in ("ntlm", "basic") and not args.password:
        p.error(f"--auth {args.auth} needs --password (or OC_TEST_PASSWORD)")
    # What owa_site.Server reads but EWS has no use for.
    args.offer_negotiate, args.forms_version, args.tls_alt_cert, args.tls_alt_key = False, "2010", None, None
    serving.serve(Server(args), args.pidfile)


if __name__ == "__main__":
    main()
