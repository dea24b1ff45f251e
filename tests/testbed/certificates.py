"""The testbed's private CA and its certificate for localhost and 127.0.0.1, shared
by the TLS web servers and slapd."""

import os
import socket

from processes import Processes

# EC P-256 keys: RSA key generation would dominate the start-up time.
NEW_EC_KEY = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes"]

def machine_names() -> list:
    """This machine's host names, as libldap may substitute them for "localhost"."""
    names = {socket.gethostname(), socket.getfqdn()}
    try:
        names.add(socket.gethostbyname_ex(socket.gethostname())[0])
    except OSError:
        pass
    return sorted(n for n in names if n and n != "localhost" and all(c.isalnum() or c in "-." for c in n))


class Certificates(Processes):
    """The part of Testbed that makes the private CA."""

    def ensure_ca(self) -> str:
        """The private CA and a certificate for localhost/127.0.0.1 signed by it, made once
        per testbed (the tls and slapd components share them).  Returns the directory."""
        tls = os.path.join(self.state, "tls")
        if os.path.exists(os.path.join(tls, "localhost.pem")):
            return tls
        os.makedirs(os.path.join(tls, "issued"))
        cnf = os.path.join(tls, "openssl.cnf")
        with open(cnf, "w") as f:
            f.write(OPENSSL_CNF.format(tls=tls, machine_names="".join(
                f", DNS:{n}" for n in machine_names())))
        with open(os.path.join(tls, "index.txt"), "w"):
            pass
        with open(os.path.join(tls, "serial"), "w") as f:
            f.write("1000\n")

        def path(n):
            return os.path.join(tls, n)

        ossl = ["openssl"]
        self.make_self_signed(tls, "ca", "/CN=owacal testbed CA", "v3_ca", 3650)
        self.run_tool(ossl + ["genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256",
                              "-out", path("leaf.key")])
        self.run_tool(ossl + ["req", "-config", cnf, "-new", "-key", path("leaf.key"),
                              "-subj", "/CN=localhost", "-out", path("localhost.csr")])
        self.run_tool(ossl + ["ca", "-config", cnf, "-batch", "-notext", "-in", path("localhost.csr"),
                              "-out", path("localhost.pem"), "-extensions", "leaf_localhost", "-days", "365"])
        return tls

    def make_self_signed(self, tls, name, subject, extensions, days):
        """A new key tls/<name>.key and a certificate tls/<name>.pem signed by it."""
        self.run_tool(["openssl", "req", "-config", os.path.join(tls, "openssl.cnf"), "-x509", "-new"] + NEW_EC_KEY + [
            "-keyout", os.path.join(tls, f"{name}.key"), "-out", os.path.join(tls, f"{name}.pem"),
            "-days", str(days), "-subj", subject, "-extensions", extensions])

# --- Configuration template -------------------------------------------------------

OPENSSL_CNF = """\
# Private CA for the testbed's TLS servers (openssl req / openssl ca).
[req]
distinguished_name = dn
prompt = no
[dn]
CN = placeholder

[v3_ca]
basicConstraints = critical, CA:TRUE
keyUsage = critical, keyCertSign, cRLSign
subjectKeyIdentifier = hash

[leaf_localhost]
basicConstraints = critical, CA:FALSE
keyUsage = critical, digitalSignature
extendedKeyUsage = serverAuth
subjectKeyIdentifier = hash
# libldap checks a certificate for an ldap://localhost URL against the machine's own
# name instead of "localhost" (tls2.c), so the machine's names are in here too.
subjectAltName = DNS:localhost, IP:127.0.0.1{machine_names}

[leaf_otherhost]
basicConstraints = critical, CA:FALSE
keyUsage = critical, digitalSignature
extendedKeyUsage = serverAuth
subjectKeyIdentifier = hash
subjectAltName = DNS:otherhost.example

[ca]
default_ca = testbed_ca
[testbed_ca]
database = {tls}/index.txt
new_certs_dir = {tls}/issued
serial = {tls}/serial
certificate = {tls}/ca.pem
private_key = {tls}/ca.key
default_md = sha256
policy = policy_any
# The valid and the expired certificate share the subject CN=localhost.
unique_subject = no
copy_extensions = none
[policy_any]
commonName = supplied
"""
