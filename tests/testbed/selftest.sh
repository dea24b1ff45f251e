#!/bin/bash
# Self-test of the testbed: brings up every server and proves with curl that each
# behaves as the integration tests expect.  TAP output; exit status 0 = all passed.
#
#   tests/testbed/selftest.sh            (starts and stops its own testbed)
#
# It re-runs itself under "testbed.py run", so the checks below see the OC_TEST_* variables.
set -u

here=$(cd "$(dirname "$0")" && pwd)
python=/usr/bin/python3  # not the pyenv python3 that may come first on PATH

if [ -z "${OC_TESTBED_DIR:-}" ]; then
  exec "$python" "$here/testbed.py" run --with all -- "$0" "$@"
fi

n=0
failed=0
ok() {  # ok DESCRIPTION COMMAND...: one TAP line per check
  local what=$1
  shift
  n=$((n + 1))
  if "$@"; then
    echo "ok $n - $what"
  else
    echo "not ok $n - $what"
    failed=$((failed + 1))
  fi
}

# curl_status EXPECTED-HTTP-CODE CURL-ARGS...: every URL's response code must match.
# (-o applies to one URL only, so bodies are dropped by a marker instead.)
curl_status() {
  local want=$1 got
  shift
  got=$(curl -sS -w '\n@@%{http_code}\n' "$@" 2>/dev/null | sed -n 's/^@@//p' | sort -u | tr '\n' ' ')
  [ "$got" = "$want " ] || { echo "# expected HTTP $want, got $got: curl $*"; return 1; }
}

# without_ticket COMMAND...: run COMMAND with a credential cache that does not exist.
without_ticket() {
  (export KRB5CCNAME="FILE:$OC_TESTBED_DIR/state/no-such-ccache"; "$@")
}

# curl_fails EXPECTED-EXIT-CODE CURL-ARGS...: curl must fail with that exit code.
curl_fails() {
  local want=$1 rc
  shift
  curl -sS -o /dev/null "$@" 2>/dev/null
  rc=$?
  [ "$rc" = "$want" ] || { echo "# expected curl exit $want, got $rc: curl $*"; return 1; }
}

# jsonl_check LOG PYTHON-EXPRESSION: evaluates the expression with r = list of log records.
jsonl_check() {
  "$python" - "$1" "$2" <<'EOF'
import json, sys
r = [json.loads(line) for line in open(sys.argv[1])]
if not eval("(" + sys.argv[2] + ")"):
    print("# log check failed: " + sys.argv[2])
    for rec in r[-6:]:
        print("#   " + json.dumps(rec)[:300])
    sys.exit(1)
EOF
}

mbox="owa/$OC_TEST_EMAIL"
cal="?cmd=contents&module=calendar"

# --- NTLMv2 acceptor unit self-test (MD4 vectors, MS-NLMP 4.2.4) ---
quietly() { "$@" >/dev/null; }
ok "ntlm.py --self-test" quietly "$python" "$here/../servers/ntlm.py" --self-test

# --- Kerberos: Apache + mod_auth_gssapi ---
ok "kinit gave alice a ticket" klist -s
ok "negotiate with a ticket: 200" \
  curl_status 200 --negotiate -u : "$OC_TEST_NEGOTIATE_URL/$mbox/$cal" "$OC_TEST_NEGOTIATE_URL/$mbox/app.js"
ok "apache log shows user alice, auth scheme only" \
  grep -q 'user=alice@EXAMPLE.TEST status=200 auth=Negotiate' "$OC_TEST_NEGOTIATE_LOG"
ok "apache log never holds a token" bash -c "! grep -qE '[A-Za-z0-9+/]{24}' '$OC_TEST_NEGOTIATE_LOG'"
ok "backend got X-Remote-User" jsonl_check "$OC_TEST_NEGOTIATE_BACKEND_LOG" \
  'r[-1]["user"] == "alice@EXAMPLE.TEST" and r[-1]["status"] == 200'
ok "negotiate without a ticket: 401" \
  without_ticket curl_status 401 --negotiate -u : "$OC_TEST_NEGOTIATE_URL/$mbox/$cal"
ok "negotiate via 127.0.0.1 (HTTP/127.0.0.1 principal): 200" \
  curl_status 200 --negotiate -u : "${OC_TEST_NEGOTIATE_URL/localhost/127.0.0.1}/$mbox/style.css"
ok "OPTIONS preflight needs no auth" curl_status 204 -X OPTIONS -H 'Origin: http://x' "$OC_TEST_NEGOTIATE_URL/$mbox/service.svc"
ok "redirect Location maps back to the front" bash -c \
  "curl -sS -i --negotiate -u : -d week=next '$OC_TEST_NEGOTIATE_URL/$mbox/options.aspx' | grep -qi '^Location: $OC_TEST_NEGOTIATE_URL/$mbox/?cmd=contents&module=calendar&view=week&step=2'"
# A short ticket expires and then Negotiate fails like having no ticket.
ok "kinit --lifetime 2" "$python" "$here/testbed.py" kinit --dir "$OC_TESTBED_DIR" --lifetime 2
sleep 3
ok "expired ticket: 401" curl_status 401 --negotiate -u : "$OC_TEST_NEGOTIATE_URL/$mbox/$cal"
ok "kdestroy" "$python" "$here/testbed.py" kdestroy --dir "$OC_TESTBED_DIR"
ok "no ticket after kdestroy" bash -c '! klist -s'
ok "kinit again" "$python" "$here/testbed.py" kinit --dir "$OC_TESTBED_DIR"
ok "negotiate works again" curl_status 200 --negotiate -u : "$OC_TEST_NEGOTIATE_URL/$mbox/$cal"

# --- NTLM: one handshake, then the connection stays authenticated ---
ok "ntlm: two URLs on one connection: 200" \
  curl_status 200 --ntlm -u "EXAMPLE\\alice:$OC_TEST_PASSWORD" "$OC_TEST_NTLM_URL/$mbox/$cal" "$OC_TEST_NTLM_URL/$mbox/style.css"
ok "ntlm: one handshake on one connection, 2nd request without Authorization" jsonl_check "$OC_TEST_NTLM_LOG" \
  '[x["ntlm"] for x in r] == ["type1", "type3-ok", None] and len({x["conn"] for x in r}) == 1
   and r[2]["user"] == "alice" and r[2]["status"] == 200 and r[2]["path"].endswith("/style.css")'
ok "ntlm: wrong password: 401" curl_status 401 --ntlm -u "EXAMPLE\\alice:wrong" "$OC_TEST_NTLM_URL/$mbox/$cal"
ok "ntlm: wrong password logged as type3-bad" jsonl_check "$OC_TEST_NTLM_LOG" 'r[-1]["ntlm"] == "type3-bad"'
ok "ntlm: UPN user name: 200" curl_status 200 --ntlm -u "$OC_TEST_EMAIL:$OC_TEST_PASSWORD" "$OC_TEST_NTLM_URL/$mbox/$cal"
ok "ntlm: no credentials: 401" curl_status 401 "$OC_TEST_NTLM_URL/$mbox/$cal"
ok "ntlm: log holds no password" bash -c "! grep -q '$OC_TEST_PASSWORD' '$OC_TEST_NTLM_LOG'"
ok "ntlm-negotiate: offers Negotiate and NTLM" bash -c \
  "curl -sS -i '$OC_TEST_NTLM_NEGOTIATE_URL/' | tr -d '\r' | grep -c '^WWW-Authenticate: \(Negotiate\|NTLM\)$' | grep -qx 2"

# --- The OWA site itself ---
ok "owa: calendar page 200" curl_status 200 "$OC_TEST_OWA_URL/$mbox/$cal"
ok "owa: page title and cookies" bash -c \
  "curl -sS -i '$OC_TEST_OWA_URL/$mbox/$cal' | tr -d '\r' > '$OC_TESTBED_DIR/page.txt' &&
   grep -q '<title>Calendar - $OC_TEST_EMAIL</title>' '$OC_TESTBED_DIR/page.txt' &&
   grep -q '^Set-Cookie: X-OWA-CANARY=[0-9a-f]*; path=/$' '$OC_TESTBED_DIR/page.txt' &&
   grep -q '^Set-Cookie: owa-session=.*; HttpOnly$' '$OC_TESTBED_DIR/page.txt'"
ok "owa: service call echoes canary match" bash -c \
  "curl -sS -H 'Cookie: X-OWA-CANARY=abc123; owacal-test=js-set' -H 'X-OWA-CANARY: abc123' \
     -H 'Content-Type: application/json; charset=utf-8' -d '{\"week\":\"this\"}' \
     '$OC_TEST_OWA_URL/$mbox/service.svc?action=GetCalendarView' | grep -q '\"canary\": \"match\".*\"cookieSeen\": true'"
ok "owa: logo.png is a PNG" bash -c "curl -sS '$OC_TEST_OWA_URL/$mbox/logo.png' | head -c 4 | grep -q PNG"
for code in 403 404 500 503; do
  ok "owa: /status/$code" curl_status "$code" "$OC_TEST_OWA_URL/status/$code"
done
ok "owa: /slow?ms=300 takes >= 0.3 s" bash -c \
  "t=\$(curl -sS -o /dev/null -w '%{time_total}' '$OC_TEST_OWA_URL/slow?ms=300'); awk -v t=\$t 'BEGIN{exit !(t >= 0.3)}'"
ok "owa: unknown path 404" curl_status 404 "$OC_TEST_OWA_URL/nowhere"

# --- TLS ---
ok "tls: private CA: 200" curl_status 200 --cacert "$OC_TEST_TLS_CA" "$OC_TEST_TLS_URL/$mbox/$cal"
ok "tls: 127.0.0.1 is in the certificate too" curl_status 200 --cacert "$OC_TEST_TLS_CA" "${OC_TEST_TLS_URL/localhost/127.0.0.1}/$mbox/app.js"
ok "tls: without the CA: curl 60" curl_fails 60 "$OC_TEST_TLS_URL/"
ok "tls: self-signed: curl 60" curl_fails 60 --cacert "$OC_TEST_TLS_CA" "$OC_TEST_TLS_SELFSIGNED_URL/"
ok "tls: expired: curl 60" curl_fails 60 --cacert "$OC_TEST_TLS_CA" "$OC_TEST_TLS_EXPIRED_URL/"
ok "tls: wrong host: curl 60" curl_fails 60 --cacert "$OC_TEST_TLS_CA" "$OC_TEST_TLS_WRONGHOST_URL/"
ok "tls: self-signed accepted when pinned" curl_status 404 --cacert "$OC_TESTBED_DIR/state/tls/selfsigned.pem" "$OC_TEST_TLS_SELFSIGNED_URL/x"

# --- OWA forms-based sign-in (2003, 2007, 2010+ shapes) ---
# forms_login BASE ACTION CALENDAR-PATH PASSWORD: GET the calendar (302 to the sign-in
# page), post the form with curl's cookie jar, GET the calendar again; prints its code.
forms_login() {
  local base=$1 action=$2 calendar=$3 password=$4 jar
  jar=$(mktemp)
  curl -sS -o /dev/null --cacert "$OC_TEST_TLS_CA" -c "$jar" "$base$calendar"
  curl -sS -o /dev/null --cacert "$OC_TEST_TLS_CA" -b "$jar" -c "$jar" \
    --data-urlencode "destination=$base$calendar" --data-urlencode "username=EXAMPLE\\alice" \
    --data-urlencode "password=$password" -d flags=4 -d forcedownlevel=0 -d isUtf8=1 -d trusted=4 "$base$action"
  curl -sS -o /dev/null -w '%{http_code}' --cacert "$OC_TEST_TLS_CA" -b "$jar" "$base$calendar"
  rm -f "$jar"
}
forms_ok() { [ "$(forms_login "$1" "$2" "$3" "$4")" = "$5" ]; }
exch2003="exchange/alice/Calendar/?Cmd=contents&View=Weekly"
ok "forms 2003: no session: 302 to owalogon.asp" bash -c \
  "curl -sS -o /dev/null -w '%{redirect_url}' --cacert '$OC_TEST_TLS_CA' '$OC_TEST_FORMS2003_URL/$exch2003' | grep -q '/exchweb/bin/auth/owalogon.asp?url=.*&reason=0'"
ok "forms 2003: owaauth.dll signs in" forms_ok "$OC_TEST_FORMS2003_URL" /exchweb/bin/auth/owaauth.dll "/$exch2003" "$OC_TEST_PASSWORD" 200
ok "forms 2007: owaauth.dll signs in" forms_ok "$OC_TEST_FORMS2007_URL" /owa/auth/owaauth.dll "/$mbox/$cal" "$OC_TEST_PASSWORD" 200
ok "forms 2010: auth.owa signs in" forms_ok "$OC_TEST_FORMS2010_URL" /owa/auth.owa "/$mbox/$cal" "$OC_TEST_PASSWORD" 200
ok "forms 2010: a wrong password keeps the sign-in page" forms_ok "$OC_TEST_FORMS2010_URL" /owa/auth.owa "/$mbox/$cal" wrong 302
ok "forms 2010: a POST without a session: 440" curl_status 440 --cacert "$OC_TEST_TLS_CA" -X POST "$OC_TEST_FORMS2010_URL/$mbox/service.svc?action=Ping"
ok "forms: the log notes login-ok and login-bad" jsonl_check "$OC_TEST_FORMS2010_LOG" \
  "any(x['forms'] == 'login-ok' for x in r) and any(x['forms'] == 'login-bad' for x in r)"

ok "basic: without a password: 401" curl_status 401 --cacert "$OC_TEST_TLS_CA" "$OC_TEST_BASIC_URL/$mbox/$cal"
ok "basic: with the password: 200" curl_status 200 --cacert "$OC_TEST_TLS_CA" -u "EXAMPLE\\alice:$OC_TEST_PASSWORD" "$OC_TEST_BASIC_URL/$mbox/$cal"
ok "basic over http: a wrong password: 401" curl_status 401 -u "alice:wrong" "$OC_TEST_BASIC_HTTP_URL/$mbox/$cal"

# --- LDAP (slapd): binds, ACLs, TLS ---
mailboxes='(&(objectCategory=person)(objectClass=user)(mailNickname=*)(|(homeMDB=*)(msExchHomeServerName=*)))'
admin=(-x -D "$OC_TEST_LDAP_ADMIN_DN" -w "$OC_TEST_LDAP_ADMIN_PASSWORD")
reader=(-x -D "$OC_TEST_LDAP_READER_DN" -w "$OC_TEST_LDAP_READER_PASSWORD")
# ldap_status EXPECTED-RESULT-CODE LDAP-TOOL ARGS...: the tool's exit status is the LDAP result code.
ldap_status() {
  local want=$1 rc
  shift
  "$@" >/dev/null 2>&1
  rc=$?
  [ "$rc" = "$want" ] || { echo "# expected LDAP result $want, got $rc: $*"; return 1; }
}
# modify_status EXPECTED-RESULT-CODE DN ATTRIBUTE VALUE LDAPMODIFY-ARGS...: one replace through ldapmodify.
modify_status() {
  local want=$1 dn=$2 attr=$3 value=$4 rc
  shift 4
  printf 'dn: %s\nchangetype: modify\nreplace: %s\n%s: %s\n' "$dn" "$attr" "$attr" "$value" |
    ldapmodify "$@" >/dev/null 2>&1
  rc=$?
  [ "$rc" = "$want" ] || { echo "# expected LDAP result $want, got $rc: ldapmodify $* ($attr of $dn)"; return 1; }
}
with_ca() { LDAPTLS_CACERT="$OC_TEST_LDAP_CA" "$@"; }
export -f ldap_status modify_status
carol="uid=carol,ou=people,$OC_TEST_LDAP_BASE"
search=(ldapsearch -x -LLL -o ldif_wrap=no -H "$OC_TEST_LDAP_URI" -b "$OC_TEST_LDAP_BASE")
ok "ldap: anonymous search finds the 5 mailbox users" bash -c \
  "[ \$(${search[*]@Q} '$mailboxes' dn | grep -c '^dn:') = 5 ]"
ok "ldap: alice's extensionAttribute1 is her web-part URL" bash -c \
  "${search[*]@Q} '(mail=alice@example.test)' extensionAttribute1 |
   grep -qx 'extensionAttribute1: https://mail.example.test/owa/alice@example.test/?cmd=contents&module=calendar'"
ok "ldap: simple bind as the administrator" bash -c \
  "ldapwhoami ${admin[*]@Q} -H '$OC_TEST_LDAP_URI' | grep -qx 'dn:$OC_TEST_LDAP_ADMIN_DN'"
ok "ldap: wrong password: 49" ldap_status 49 ldapwhoami -x -D "$OC_TEST_LDAP_ADMIN_DN" -w wrong -H "$OC_TEST_LDAP_URI"
ok "ldap: anonymous cannot read userPassword" bash -c "! ${search[*]@Q} uid=reader userPassword | grep -q userPassword"
ok "ldap: anonymous cannot write: 8" modify_status 8 "$carol" description n -x -H "$OC_TEST_LDAP_URI"
ok "ldap: the reader cannot write: 50" modify_status 50 "$carol" description r "${reader[@]}" -H "$OC_TEST_LDAP_URI"
ok "ldap: the administrator can write" modify_status 0 "$carol" description a "${admin[@]}" -H "$OC_TEST_LDAP_URI"
ok "ldap: GSSAPI bind with alice's ticket maps to her entry" bash -c \
  "ldapwhoami -Q -Y GSSAPI -H '$OC_TEST_LDAP_URI' | grep -qx 'dn:uid=alice,ou=people,$OC_TEST_LDAP_BASE'"
ok "ldap: GSSAPI as alice can write" modify_status 0 "$carol" description g -Q -Y GSSAPI -H "$OC_TEST_LDAP_URI"
ok "ldap: GSSAPI without a ticket fails" without_ticket ldap_status 254 ldapwhoami -Q -Y GSSAPI -H "$OC_TEST_LDAP_URI"
ok "ldap: StartTLS with the private CA" with_ca ldap_status 0 ldapwhoami -x -ZZ -H "$OC_TEST_LDAP_URI"
ok "ldap: ldaps with the private CA" with_ca ldap_status 0 ldapwhoami -x -H "$OC_TEST_LDAPS_URI"
ok "ldap: ldaps without the CA fails" ldap_status 255 ldapwhoami -x -H "$OC_TEST_LDAPS_URI"
ok "ldap: log shows the binds, never a password" bash -c \
  "grep -q 'BIND dn=\"$OC_TEST_LDAP_ADMIN_DN\" method=128' '$OC_TEST_LDAP_LOG' &&
   grep -q 'BIND dn=\"uid=alice,ou=people,$OC_TEST_LDAP_BASE\" mech=GSSAPI' '$OC_TEST_LDAP_LOG' &&
   ! grep -q '$OC_TEST_LDAP_ADMIN_PASSWORD' '$OC_TEST_LDAP_LOG'"

# The slapd options, each in a testbed of its own.
slapd_run() { "$python" "$here/testbed.py" run --with slapd "$@" >"$OC_TESTBED_DIR/slapd-run.txt" 2>&1; }
ok "ldap --slapd-size-limit: a plain search stops at 1000 (4), a paged one gets all 2500" slapd_run \
  --slapd-size-limit 1000 --slapd-generated-users 2500 -- bash -c '
  ldapsearch -x -H "$OC_TEST_LDAP_URI" -b "$OC_TEST_LDAP_BASE" "(uid=gen*)" dn >/dev/null; [ $? = 4 ] &&
  [ $(ldapsearch -x -E pr=1000/noprompt -H "$OC_TEST_LDAP_URI" -b "$OC_TEST_LDAP_BASE" "(uid=gen*)" dn | grep -c "^dn:") = 2500 ]'
ok "ldap --slapd-deny-write: the administrator gets 50 on that entry only" slapd_run \
  --slapd-deny-write "uid=carol,ou=people,dc=example,dc=test" -- bash -c '
  a=(-x -D "$OC_TEST_LDAP_ADMIN_DN" -w "$OC_TEST_LDAP_ADMIN_PASSWORD" -H "$OC_TEST_LDAP_URI")
  modify_status 50 "uid=carol,ou=people,$OC_TEST_LDAP_BASE" description x "${a[@]}" &&
  modify_status 0 "uid=bob,ou=people,$OC_TEST_LDAP_BASE" description x "${a[@]}"'
ok "ldap --slapd-no-extension-attributes: extensionAttribute1 is undefined (17)" slapd_run \
  --slapd-no-extension-attributes -- bash -c '
  modify_status 17 "uid=bob,ou=people,$OC_TEST_LDAP_BASE" extensionAttribute1 x \
    -x -D "$OC_TEST_LDAP_ADMIN_DN" -w "$OC_TEST_LDAP_ADMIN_PASSWORD" -H "$OC_TEST_LDAP_URI"'

# --- Exchange Web Services stand-in (tests/servers/ews.py) behind Kerberos, NTLM and Basic over https ---
ews_fixtures="$here/../fixtures/ews"
ok "ews.py --self-test: every sample request validates, every answer too" quietly "$python" "$here/../servers/ews.py" --self-test
# ews_post EXPECTED-HTTP-CODE OUT-FILE REQUEST-FILE URL CURL-ARGS...: POST a SOAP request, keep the answer.
ews_post() {
  local want=$1 out=$2 request=$3 url=$4 got
  shift 4
  got=$(curl -sS --cacert "$OC_TEST_TLS_CA" -o "$out" -w '%{http_code}' -H 'Content-Type: text/xml; charset=utf-8' \
          --data-binary @"$request" "$@" "$url")
  [ "$got" = "$want" ] || { echo "# expected HTTP $want, got $got: $request to $url"; head -c 600 "$out" | sed 's/^/#   /'; return 1; }
}
# contains FILE TEXT...: the file holds every text.
contains() {
  local file=$1
  shift
  for text in "$@"; do
    grep -qF -- "$text" "$file" || { echo "# $file lacks: $text"; return 1; }
  done
}
team="$ews_fixtures/requests/get-user-availability-team.xml"
out="$OC_TESTBED_DIR/ews-answer.xml"
for kind in negotiate ntlm basic; do
  case $kind in
    negotiate) base=$OC_TEST_EWS_NEGOTIATE_URL; log=$OC_TEST_EWS_NEGOTIATE_LOG; auth=(--negotiate -u :) ;;
    ntlm) base=$OC_TEST_EWS_NTLM_URL; log=$OC_TEST_EWS_NTLM_LOG; auth=(--ntlm -u "EXAMPLE\\alice:$OC_TEST_PASSWORD") ;;
    basic) base=$OC_TEST_EWS_BASIC_URL; log=$OC_TEST_EWS_BASIC_LOG; auth=(-u "alice:$OC_TEST_PASSWORD") ;;
  esac
  ews="$base/EWS/Exchange.asmx"
  ok "ews-$kind: is https with the private CA" bash -c "[[ '$base' == https://localhost:* ]]"
  ok "ews-$kind: without credentials: 401" curl_status 401 --cacert "$OC_TEST_TLS_CA" -X POST "$ews"
  ok "ews-$kind: GetUserAvailability for Bob, Carol, Dave: 200" ews_post 200 "$out" "$team" "$ews" "${auth[@]}"
  ok "ews-$kind: Bob in detail, Carol as blocks, Dave refused, version 15.1" contains "$out" \
    '<t:FreeBusyViewType>Detailed</t:FreeBusyViewType>' '<t:Subject>Team sync (moved to Wednesday)</t:Subject>' \
    '<t:FreeBusyViewType>FreeBusy</t:FreeBusyViewType>' '<m:ResponseCode>ErrorNoFreeBusyAccess</m:ResponseCode>' \
    'MajorVersion="15" MinorVersion="1"'
  ok "ews-$kind: the log has operation, mailboxes, window, view, codes and alice" jsonl_check "$log" \
    'r[-1]["operation"] == "GetUserAvailability" and r[-1]["status"] == 200 and r[-1]["valid"]["ok"]
     and r[-1]["mailboxes"] == ["bob@example.test", "carol@example.test", "dave@example.test"]
     and r[-1]["codes"] == ["NoError", "NoError", "ErrorNoFreeBusyAccess"] and r[-1]["view"] == "Detailed"
     and r[-1]["window"] == ["2024-03-25T00:00:00", "2024-04-01T00:00:00"] and r[-1]["viewer"] == "alice@example.test"'
  ok "ews-$kind: an invalid request: 500 ErrorSchemaValidation" \
    ews_post 500 "$out" "$ews_fixtures/invalid/get-user-availability-bad-view.xml" "$ews" "${auth[@]}"
  ok "ews-$kind: the fault says where and why, as Exchange does" contains "$out" \
    '<faultcode xmlns:a="http://schemas.microsoft.com/exchange/services/2006/types">a:ErrorSchemaValidation</faultcode>' \
    '<t:LineNumber>41</t:LineNumber>' "The value 'Everything' is not an element of the set"
  ok "ews-$kind: the log says invalid, with xmllint's message" jsonl_check "$log" \
    'not r[-1]["valid"]["ok"] and "Everything" in r[-1]["valid"]["message"] and r[-1]["codes"] == ["ErrorSchemaValidation"]'
  ok "ews-$kind: POST /testbed/throttle?count=1&backoff=2500: 204" \
    curl_status 204 --cacert "$OC_TEST_TLS_CA" -X POST "$base/testbed/throttle?count=1&backoff=2500"
  ok "ews-$kind: throttled: 500 ErrorServerBusy with BackOffMilliseconds" ews_post 500 "$out" "$team" "$ews" "${auth[@]}"
  ok "ews-$kind: ... in MessageXml" contains "$out" 'a:ErrorServerBusy</faultcode>' \
    '<t:MessageXml xmlns:t="http://schemas.microsoft.com/exchange/services/2006/types"><t:Value Name="BackOffMilliseconds">2500</t:Value></t:MessageXml>'
  ok "ews-$kind: the next request goes through" ews_post 200 "$out" "$team" "$ews" "${auth[@]}"
  ok "ews-$kind: POST /testbed/ews-off?on=1, then /EWS answers 403" bash -c \
    "curl -sS -o /dev/null --cacert '$OC_TEST_TLS_CA' -X POST '$base/testbed/ews-off?on=1' &&
     [ \"\$(curl -sS -o /dev/null -w '%{http_code}' --cacert '$OC_TEST_TLS_CA' ${auth[*]@Q} -H 'Content-Type: text/xml' --data-binary @'$team' '$ews')\" = 403 ] &&
     curl -sS -o /dev/null --cacert '$OC_TEST_TLS_CA' -X POST '$base/testbed/ews-off?on=0'"
  ok "ews-$kind: 43 days: 500 ErrorTimeIntervalTooBig" \
    ews_post 500 "$out" "$ews_fixtures/requests/get-user-availability-43-days.xml" "$ews" "${auth[@]}"
  ok "ews-$kind: POX Autodiscover names this site's EWS URL" \
    ews_post 200 "$out" "$ews_fixtures/autodiscover/pox-alice.xml" "$base/autodiscover/autodiscover.xml" "${auth[@]}"
  ok "ews-$kind: ... EwsUrl and the version" contains "$out" "<EwsUrl>$ews</EwsUrl>" '<ServerVersion>73C189CB</ServerVersion>'
  ok "ews-$kind: GET /EWS/types.xsd serves the schema" curl_status 200 --cacert "$OC_TEST_TLS_CA" "${auth[@]}" "$base/EWS/types.xsd"
  ok "ews-$kind: the log holds no password" bash -c "! grep -qF -- '$OC_TEST_PASSWORD' '$log'"
done
ok "ews-ntlm: every connection that got an answer signed in with exactly one NTLM handshake" jsonl_check "$OC_TEST_EWS_NTLM_LOG" \
  'all(sum(1 for y in r if y["conn"] == c and y["ntlm"] == "type1") == 1 for c in {x["conn"] for x in r if x["status"] == 200})'
ok "ews-negotiate: Apache's log shows Kerberos as alice" grep -q 'user=alice@EXAMPLE.TEST status=200 auth=Negotiate' \
  "$OC_TEST_EWS_NEGOTIATE_ACCESS_LOG"
ok "ews: FindItem on Bob's calendar (Reviewer): occurrences, the moved one an Exception" bash -c \
  "$(declare -f ews_post contains); ews_post 200 '$out' '$ews_fixtures/requests/find-item-calendar-view.xml' '$OC_TEST_EWS_BASIC_URL/EWS/Exchange.asmx' -u 'alice:$OC_TEST_PASSWORD' &&
   contains '$out' 'TotalItemsInView=\"4\"' '<t:CalendarItemType>Exception</t:CalendarItemType>' '<t:IsAllDayEvent>true</t:IsAllDayEvent>'"
ok "ews: FindItem on Carol, Dave, nobody: ErrorAccessDenied twice, ErrorNonExistentMailbox" bash -c \
  "$(declare -f ews_post contains); ews_post 200 '$out' '$ews_fixtures/requests/find-item-refused.xml' '$OC_TEST_EWS_BASIC_URL/EWS/Exchange.asmx' -u 'alice:$OC_TEST_PASSWORD' &&
   [ \"\$(grep -o '<m:ResponseCode>[A-Za-z]*</m:ResponseCode>' '$out' | tr '\n' ' ')\" = '<m:ResponseCode>ErrorAccessDenied</m:ResponseCode> <m:ResponseCode>ErrorAccessDenied</m:ResponseCode> <m:ResponseCode>ErrorNonExistentMailbox</m:ResponseCode> ' ]"

# Other versions and Autodiscover SCPs, each in a testbed of its own.
ews_run() { "$python" "$here/testbed.py" run "$@" >"$OC_TESTBED_DIR/ews-run.txt" 2>&1 || { sed 's/^/#   /' "$OC_TESTBED_DIR/ews-run.txt" | tail -20; return 1; }; }
export -f ews_post contains
ok "ews --ews-version 2010SP2: version 14.2, and a request for Exchange2013_SP1 fails validation there" ews_run \
  --with ews-basic --ews-version 2010SP2 -- bash -c '
  a=(-u "alice:$OC_TEST_PASSWORD"); ews="$OC_TEST_EWS_BASIC_URL/EWS/Exchange.asmx"; o="$OC_TESTBED_DIR/o.xml"
  ews_post 200 "$o" "'"$ews_fixtures"'/requests/get-user-availability-freebusy.xml" "$ews" "${a[@]}" &&
  contains "$o" "MajorVersion=\"14\" MinorVersion=\"2\"" "Version=\"Exchange2010_SP2\"" &&
  ews_post 500 "$o" "'"$team"'" "$ews" "${a[@]}" && contains "$o" "a:ErrorSchemaValidation" "Exchange2013_SP1"'
ok "ldap --slapd-scp ews-basic: the SCP names the site's Autodiscover URL, the domain's entries are unchanged" ews_run \
  --with slapd,ews-basic --slapd-scp ews-basic -- bash -c '
  [ "$(ldapsearch -x -LLL -o ldif_wrap=no -H "$OC_TEST_LDAP_URI" -b "$OC_TEST_LDAP_CONFIGURATION_BASE" \
       "(&(objectClass=serviceConnectionPoint)(keywords=77378F46-2C66-4aa9-A6A6-3E7A48B19596))" serviceBindingInformation |
       sed -n "s/^serviceBindingInformation: //p")" = "$OC_TEST_EWS_BASIC_URL/autodiscover/autodiscover.xml" ] &&
  [ "$(ldapsearch -x -LLL -H "$OC_TEST_LDAP_URI" -b "$OC_TEST_LDAP_BASE" "(objectClass=*)" dn | grep -c "^dn:")" = "$(grep -c "^dn:" "$OC_TEST_LDAP_LDIF")" ] &&
  ldapsearch -x -LLL -H "$OC_TEST_LDAP_URI" -s base -b "" configurationNamingContext | grep -qi "configurationNamingContext: CN=Configuration,DC=example,DC=test"'

# --- Microsoft 365 stand-in (m365): identity platform v2 and Graph over https ---
m365_curl() { curl -sS --cacert "$OC_TEST_TLS_CA" "$@"; }
m365=(-sS --cacert "$OC_TEST_TLS_CA")
m365_auth="$OC_TEST_M365_LOGIN_URL/$OC_TEST_M365_TENANT/oauth2/v2.0"
m365_verifier=dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk   # RFC 7636 appendix B
m365_challenge=E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM
m365_sign_in() {  # m365_sign_in USER: the form, the second factor; prints the redirect's Location
  local ctx
  ctx=$(m365_curl "$m365_auth/authorize?client_id=$OC_TEST_M365_CLIENT_ID&response_type=code&redirect_uri=$OC_TEST_M365_REDIRECT_URI&scope=openid%20offline_access%20https://graph.microsoft.com/Calendars.ReadBasic&state=s1&code_challenge=$m365_challenge&code_challenge_method=S256" |
        sed -n 's/.*name="ctx" value="\([^"]*\)".*/\1/p')
  m365_curl -o /dev/null -d "ctx=$ctx" --data-urlencode "login=$1" --data-urlencode "passwd=$OC_TEST_PASSWORD" \
    "$m365_auth/authorize/login"
  m365_curl -o /dev/null -D - -d "ctx=$ctx" -d "otc=$OC_TEST_M365_MFA_CODE" "$m365_auth/authorize/mfa" |
    sed -n 's/^Location: //p' | tr -d '\r'
}
m365_redeem() {  # m365_redeem LOCATION VERIFIER: the token endpoint's JSON
  m365_curl -d "client_id=$OC_TEST_M365_CLIENT_ID" -d grant_type=authorization_code \
    --data-urlencode "code=$(echo "$1" | sed 's/.*[?&]code=\([^&]*\).*/\1/')" \
    --data-urlencode "redirect_uri=$OC_TEST_M365_REDIRECT_URI" -d "code_verifier=$2" "$m365_auth/token"
}
json() { /usr/bin/python3 -c 'import json,sys; print(eval(sys.argv[1], {}, {"j": json.load(sys.stdin)}))' "$1"; }
export m365_auth m365_challenge
export -f m365_curl m365_sign_in m365_redeem json
m365_location=$(m365_sign_in alice@example.test)
ok "m365: sign-in form, second factor, 302 to the redirect URI with code and state" \
  bash -c "case '$m365_location' in $OC_TEST_M365_REDIRECT_URI\?code=*state=s1*) true;; *) false;; esac"
m365_tokens=$(m365_redeem "$m365_location" "$m365_verifier")
m365_access=$(echo "$m365_tokens" | json 'j.get("access_token", "")')
m365_refresh=$(echo "$m365_tokens" | json 'j.get("refresh_token", "")')
ok "m365: the code with the right PKCE verifier gives access and refresh tokens" test -n "$m365_access" -a -n "$m365_refresh"
ok "m365: the same code again is refused (AADSTS54005)" bash -c \
  "[ \"\$(m365_redeem '$m365_location' $m365_verifier | json 'j[\"error_codes\"][0]')\" = 54005 ]"
ok "m365: a wrong verifier is refused (AADSTS501481)" bash -c \
  "[ \"\$(m365_redeem \"\$(m365_sign_in alice@example.test)\" wrong-verifier-wrong-verifier-wrong-verifier-x | json 'j[\"error\"]')\" = invalid_grant ]"
ok "m365: Conditional Access ends at the redirect URI with AADSTS53003" bash -c \
  "m365_sign_in eve@example.test | grep -q 'error=access_denied&error_description=AADSTS53003'"
ok "m365: getSchedule for three in one request, dave's error per schedule" bash -c \
  "curl ${m365[*]} -H 'Authorization: Bearer $m365_access' -H 'Content-Type: application/json' -d '{\"schedules\":[\"bob@example.test\",\"carol@example.test\",\"dave@example.test\"],\"startTime\":{\"dateTime\":\"2026-03-09T00:00:00\",\"timeZone\":\"UTC\"},\"endTime\":{\"dateTime\":\"2026-03-16T00:00:00\",\"timeZone\":\"UTC\"}}' '$OC_TEST_M365_GRAPH_URL/me/calendar/getSchedule' |
   json '[len(s[\"scheduleItems\"]) for s in j[\"value\"]] == [10, 3, 0] and j[\"value\"][2][\"error\"][\"responseCode\"] == \"ErrorNoFreeBusyAccess\"' | grep -q True"
ok "m365: calendarView pages with @odata.nextLink and echoes Preference-Applied" bash -c \
  "curl ${m365[*]} -D '$OC_TESTBED_DIR/m365-headers' -H 'Authorization: Bearer $m365_access' -H 'Prefer: outlook.timezone=\"W. Europe Standard Time\"' '$OC_TEST_M365_GRAPH_URL/users/bob@example.test/calendar/calendarView?startDateTime=2026-03-09T00:00:00Z&endDateTime=2026-03-16T00:00:00Z&\$top=3' |
   json '\"%24skip=3\" in j[\"@odata.nextLink\"] and j[\"value\"][0][\"start\"][\"dateTime\"] == \"2026-03-09T09:30:00.0000000\"' | grep -q True &&
   grep -q 'Preference-Applied: outlook.timezone=\"W. Europe Standard Time\"' '$OC_TESTBED_DIR/m365-headers'"
ok "m365: calendarView of dave is refused (403 ErrorAccessDenied)" \
  curl_status 403 "${m365[@]}" -H "Authorization: Bearer $m365_access" "$OC_TEST_M365_GRAPH_URL/users/dave@example.test/calendar/calendarView?startDateTime=2026-03-09T00:00:00Z&endDateTime=2026-03-10T00:00:00Z"
ok "m365: a made-up token gets 401 InvalidAuthenticationToken" \
  curl_status 401 "${m365[@]}" -H "Authorization: Bearer nonsense" "$OC_TEST_M365_GRAPH_URL/me"
ok "m365: /testbed/throttle makes the next request a 429 with Retry-After" bash -c \
  "curl ${m365[*]} -o /dev/null -X POST '${OC_TEST_M365_GRAPH_URL%/v1.0}/testbed/throttle?count=1&retry_after=7' &&
   curl ${m365[*]} -o /dev/null -D - -H 'Authorization: Bearer $m365_access' '$OC_TEST_M365_GRAPH_URL/me' | grep -q '^Retry-After: 7' &&
   curl ${m365[*]} -o /dev/null -w '%{http_code}' -H 'Authorization: Bearer $m365_access' '$OC_TEST_M365_GRAPH_URL/me' | grep -q 200"
ok "m365: a revoked refresh token is refused (AADSTS50173)" bash -c \
  "curl ${m365[*]} -o /dev/null -X POST '$OC_TEST_M365_LOGIN_URL/testbed/revoke' &&
   curl ${m365[*]} -d client_id=$OC_TEST_M365_CLIENT_ID -d grant_type=refresh_token -d refresh_token=$m365_refresh '$m365_auth/token' |
   json 'j[\"error_codes\"]' | grep -q 50173"
ok "m365: the logs hold no token, code or password" bash -c \
  "! grep -qF -e '$m365_access' -e '$m365_refresh' -e '$OC_TEST_PASSWORD' '$OC_TEST_M365_LOGIN_LOG' '$OC_TEST_M365_GRAPH_LOG' &&
   grep -q '\"pkce\": \"ok\"' '$OC_TEST_M365_LOGIN_LOG'"

# --- Failure ports ---
ok "blackhole: times out (curl 28)" curl_fails 28 --max-time 1 "$OC_TEST_BLACKHOLE_URL/"
ok "closed: connection refused (curl 7)" curl_fails 7 "$OC_TEST_CLOSED_URL/"

echo "1..$n"
[ "$failed" -eq 0 ]
