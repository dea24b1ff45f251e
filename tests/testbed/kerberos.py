"""The testbed's MIT KDC for EXAMPLE.TEST: alice's principal and ticket, and the
keytabs of the HTTP (Apache) and LDAP (slapd) services."""

import os

from account import DNS_DOMAIN, PASSWORD, REALM, USER
from processes import Processes

KDC_MASTER_PASSWORD = "testbed-master-key"


class Kerberos(Processes):
    """The part of Testbed that runs the KDC and gets alice's ticket."""

    def start_kdc(self):
        kdc_dir = os.path.join(self.state, "kdc")
        os.makedirs(kdc_dir)
        port = self.free_port(udp=True)
        krb5_conf = os.path.join(self.state, "krb5.conf")
        kdc_conf = os.path.join(kdc_dir, "kdc.conf")
        mech_conf = os.path.join(self.state, "gss-mech.conf")
        with open(krb5_conf, "w") as f:
            f.write(KRB5_CONF.format(realm=REALM, port=port, dns_domain=DNS_DOMAIN))
        with open(kdc_conf, "w") as f:
            f.write(KDC_CONF.format(realm=REALM, port=port, kdc=kdc_dir, logs=self.logs))
        with open(os.path.join(kdc_dir, "kadm5.acl"), "w"):
            pass
        with open(mech_conf, "w"):
            pass  # empty on purpose: hides the system's gss-ntlmssp from SPNEGO
        for p in (krb5_conf, mech_conf):
            os.chmod(p, 0o644)

        env = dict(os.environ, KRB5_CONFIG=krb5_conf, KRB5_KDC_PROFILE=kdc_conf)
        # -W: weak (non-blocking) randomness is fine for a throw-away realm.
        self.run_tool(["kdb5_util", "-r", REALM, "create", "-s", "-W", "-P", KDC_MASTER_PASSWORD], env)
        self.keytab = os.path.join(kdc_dir, "http.keytab")
        self.ldap_keytab = os.path.join(kdc_dir, "ldap.keytab")
        self.run_tool(["kadmin.local", "-r", REALM], env, stdin="\n".join([
            f"addprinc -pw {PASSWORD} {USER}",
            # With canonicalisation off, clients ask for HTTP/<host as written in the URL>.
            "addprinc -randkey HTTP/localhost",
            "addprinc -randkey HTTP/127.0.0.1",
            f"ktadd -k {self.keytab} HTTP/localhost HTTP/127.0.0.1",
            # slapd's GSSAPI acceptor; clients ask for ldap/<host in the URL> with SASL_NOCANON.
            "addprinc -randkey ldap/localhost",
            f"ktadd -k {self.ldap_keytab} ldap/localhost", ""]))
        pidfile = os.path.join(self.run_dir, "kdc.pid")
        self.spawn("kdc", ["krb5kdc", "-n", "-r", REALM, "-P", pidfile], port, pidfile, "krb5kdc", pidfile, env)

        self.env.update({
            "KRB5_CONFIG": krb5_conf,
            "KRB5CCNAME": "FILE:" + os.path.join(self.state, "ccache"),
            "OC_TEST_REALM": REALM,
            "GSS_MECH_CONFIG": mech_conf,
            "OC_TEST_KDC_PORT": str(port),
        })

    def kinit(self, lifetime=None):
        env = dict(os.environ, KRB5_CONFIG=self.env["KRB5_CONFIG"], KRB5CCNAME=self.env["KRB5CCNAME"])
        argv = ["kinit"] + (["-l", f"{lifetime}s"] if lifetime else []) + [f"{USER}@{REALM}"]
        self.run_tool(argv, env, stdin=PASSWORD + "\n")


# --- Configuration templates ----------------------------------------------------------

KRB5_CONF = """\
[libdefaults]
    default_realm = {realm}
    dns_lookup_kdc = false
    dns_lookup_realm = false
    rdns = false
    dns_canonicalize_hostname = false
    # TCP only: the KDC port was checked free for TCP and UDP, but TCP is simpler to debug.
    udp_preference_limit = 1
    forwardable = false

[realms]
    {realm} = {{
        kdc = 127.0.0.1:{port}
    }}

[domain_realm]
    localhost = {realm}
    127.0.0.1 = {realm}
    .{dns_domain} = {realm}
    {dns_domain} = {realm}
"""

KDC_CONF = """\
[kdcdefaults]
    kdc_listen = 127.0.0.1:{port}
    kdc_tcp_listen = 127.0.0.1:{port}

[realms]
    {realm} = {{
        database_name = {kdc}/principal
        key_stash_file = {kdc}/stash
        acl_file = {kdc}/kadm5.acl
        # Tickets default to 10 h; "testbed.py kinit --lifetime 5" asks for less
        # (the KDC has no minimum lifetime), for expiry tests.
        max_life = 10h
        max_renewable_life = 0
    }}

[logging]
    kdc = FILE:{logs}/kdc.log
"""
