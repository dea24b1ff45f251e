#!/usr/bin/python3
"""NTLMv2 acceptor (server side of MS-NLMP), standard library only.

Why this exists: mod_auth_gssapi + gss-ntlmssp cannot authenticate curl's
NTLM (it rejects curl's 32-byte Type-1 and its Type-3 offsets), so the test
servers verify NTLMv2 themselves.  Only what an HTTP acceptor needs is here:
Type-1 -> Type-2 (with TargetInfo, which makes clients answer NTLMv2) ->
check the NTProofStr of the Type-3.  No signing/sealing, no session keys.

OpenSSL 3 disables MD4 (hashlib.new('md4') fails), so MD4 (RFC 1320) is
implemented below; HMAC-MD5 is still available.

Run `/usr/bin/python3 ntlm.py --self-test` to check MD4 against RFC 1320 and
NTLMv2 against MS-NLMP 4.2.4.
"""

import hashlib
import hmac
import os
import struct
import sys
import time

SIGNATURE = b"NTLMSSP\0"

# NegotiateFlags (MS-NLMP 2.2.2.5).
NEGOTIATE_UNICODE = 0x00000001
NEGOTIATE_OEM = 0x00000002
REQUEST_TARGET = 0x00000004
NEGOTIATE_NTLM = 0x00000200
NEGOTIATE_ALWAYS_SIGN = 0x00008000
TARGET_TYPE_DOMAIN = 0x00010000
NEGOTIATE_EXTENDED_SESSIONSECURITY = 0x00080000
NEGOTIATE_TARGET_INFO = 0x00800000
NEGOTIATE_VERSION = 0x02000000
NEGOTIATE_128 = 0x20000000
NEGOTIATE_56 = 0x80000000

# AV_PAIR ids (MS-NLMP 2.2.2.1).
MSV_AV_EOL = 0
MSV_AV_NB_COMPUTER_NAME = 1
MSV_AV_NB_DOMAIN_NAME = 2
MSV_AV_DNS_COMPUTER_NAME = 3
MSV_AV_DNS_DOMAIN_NAME = 4
MSV_AV_TIMESTAMP = 7

# Windows 10 / Server 2019 version block, NTLMSSP_REVISION_W2K3 (15).
VERSION = struct.pack("<BBH3xB", 10, 0, 17763, 15)

# FILETIME counts 100 ns ticks since 1601-01-01.
FILETIME_EPOCH_OFFSET = 116444736000000000


# --- MD4 (RFC 1320) -------------------------------------------------------

_MASK = 0xFFFFFFFF


def _rotl(v, s):
    v &= _MASK
    return ((v << s) | (v >> (32 - s))) & _MASK


# (round function, message word order, shift amounts, additive constant)
_MD4_ROUNDS = (
    (lambda x, y, z: (x & y) | (~x & z),
     range(16), (3, 7, 11, 19), 0),
    (lambda x, y, z: (x & y) | (x & z) | (y & z),
     (0, 4, 8, 12, 1, 5, 9, 13, 2, 6, 10, 14, 3, 7, 11, 15), (3, 5, 9, 13), 0x5A827999),
    (lambda x, y, z: x ^ y ^ z,
     (0, 8, 4, 12, 2, 10, 6, 14, 1, 9, 5, 13, 3, 11, 7, 15), (3, 9, 11, 15), 0x6ED9EBA1),
)


def md4(data: bytes) -> bytes:
    msg = data + b"\x80" + b"\0" * ((55 - len(data)) % 64) + struct.pack("<Q", len(data) * 8)
    h = [0x67452301, 0xEFCDAB89, 0x98BADCFE, 0x10325476]
    for off in range(0, len(msg), 64):
        x = struct.unpack("<16I", msg[off:off + 64])
        a, b, c, d = h
        for fn, order, shifts, const in _MD4_ROUNDS:
            for i, k in enumerate(order):
                # Rotating the tuple gives RFC 1320's [abcd] [dabc] [cdab] [bcda] steps.
                a, b, c, d = d, _rotl(a + fn(b, c, d) + x[k] + const, shifts[i % 4]), b, c
        h = [(v + w) & _MASK for v, w in zip(h, (a, b, c, d))]
    return struct.pack("<4I", *h)


# --- NTLMv2 primitives (MS-NLMP 3.3.2) ------------------------------------

def _hmac_md5(key: bytes, data: bytes) -> bytes:
    return hmac.new(key, data, hashlib.md5).digest()


def nt_hash(password: str) -> bytes:
    return md4(password.encode("utf-16-le"))


def ntowfv2(password: str, user: str, domain: str) -> bytes:
    # The user name is upper-cased, the domain is used as the client sent it.
    return _hmac_md5(nt_hash(password), (user.upper() + domain).encode("utf-16-le"))


def nt_proof_str(response_key: bytes, server_challenge: bytes, blob: bytes) -> bytes:
    return _hmac_md5(response_key, server_challenge + blob)


def av_pairs(pairs) -> bytes:
    out = b"".join(struct.pack("<HH", av_id, len(value)) + value for av_id, value in pairs)
    return out + struct.pack("<HH", MSV_AV_EOL, 0)


def filetime_now() -> bytes:
    return struct.pack("<Q", int(time.time() * 10_000_000) + FILETIME_EPOCH_OFFSET)


# --- Messages --------------------------------------------------------------

def message_type(blob: bytes):
    """Return 1, 2 or 3 for an NTLMSSP message, None for anything else."""
    if len(blob) < 12 or not blob.startswith(SIGNATURE):
        return None
    return struct.unpack_from("<I", blob, 8)[0]


def _field(blob: bytes, pos: int) -> bytes:
    length, _max, offset = struct.unpack_from("<HHI", blob, pos)
    if offset + length > len(blob):
        raise ValueError("NTLM field points outside the message")
    return blob[offset:offset + length]


def parse_type1(blob: bytes) -> int:
    if message_type(blob) != 1 or len(blob) < 16:
        raise ValueError("not an NTLM Type-1 message")
    return struct.unpack_from("<I", blob, 12)[0]


def build_type2(client_flags: int, challenge: bytes, nb_domain: str, nb_computer: str,
                dns_domain: str, dns_computer: str, timestamp: bytes = None):
    """Return (Type-2 bytes, negotiated flags)."""
    # Answer in Unicode when the client offers it, else in OEM (curl offers only OEM
    # in its Type-1 and then follows whatever the Type-2 says).
    flags = (REQUEST_TARGET | NEGOTIATE_NTLM | NEGOTIATE_ALWAYS_SIGN | TARGET_TYPE_DOMAIN
             | NEGOTIATE_TARGET_INFO | NEGOTIATE_VERSION)
    flags |= NEGOTIATE_UNICODE if client_flags & NEGOTIATE_UNICODE else NEGOTIATE_OEM
    flags |= client_flags & (NEGOTIATE_EXTENDED_SESSIONSECURITY | NEGOTIATE_128 | NEGOTIATE_56)
    enc = "utf-16-le" if flags & NEGOTIATE_UNICODE else "ascii"
    target_name = nb_domain.encode(enc)
    # TargetInfo strings are always UTF-16LE.  The timestamp makes Windows-like
    # clients send a MIC; its presence is what modern clients expect from a server.
    info = av_pairs([
        (MSV_AV_NB_DOMAIN_NAME, nb_domain.encode("utf-16-le")),
        (MSV_AV_NB_COMPUTER_NAME, nb_computer.encode("utf-16-le")),
        (MSV_AV_DNS_DOMAIN_NAME, dns_domain.encode("utf-16-le")),
        (MSV_AV_DNS_COMPUTER_NAME, dns_computer.encode("utf-16-le")),
        (MSV_AV_TIMESTAMP, timestamp or filetime_now()),
    ])
    header_len = 56  # 48 fixed bytes + 8 bytes of Version
    name_off = header_len
    info_off = name_off + len(target_name)
    msg = (SIGNATURE + struct.pack("<I", 2)
           + struct.pack("<HHI", len(target_name), len(target_name), name_off)
           + struct.pack("<I", flags) + challenge + b"\0" * 8
           + struct.pack("<HHI", len(info), len(info), info_off)
           + VERSION + target_name + info)
    return msg, flags


def parse_type3(blob: bytes, negotiated_flags: int = 0) -> dict:
    if message_type(blob) != 3 or len(blob) < 64:
        raise ValueError("not an NTLM Type-3 message")
    flags = struct.unpack_from("<I", blob, 60)[0]
    unicode = (flags | negotiated_flags) & NEGOTIATE_UNICODE

    def text(raw):
        return raw.decode("utf-16-le") if unicode else raw.decode("latin-1")

    return {
        "lm": _field(blob, 12),
        "nt": _field(blob, 20),
        "domain": text(_field(blob, 28)),
        "user": text(_field(blob, 36)),
        "workstation": text(_field(blob, 44)),
        "flags": flags,
    }


class NtlmAcceptor:
    """Per-connection NTLM state: challenge() on Type-1, authenticate() on Type-3."""

    def __init__(self, user: str, password: str, domain: str, dns_domain: str,
                 computer: str = "OWA"):
        self.user = user
        self.password = password
        self.domain = domain
        self.dns_domain = dns_domain
        self.computer = computer
        self.challenge_bytes = None
        self.flags = 0

    def challenge(self, type1: bytes) -> bytes:
        client_flags = parse_type1(type1)
        self.challenge_bytes = os.urandom(8)
        msg, self.flags = build_type2(
            client_flags, self.challenge_bytes, self.domain.upper(), self.computer.upper(),
            self.dns_domain.lower(), f"{self.computer.lower()}.{self.dns_domain.lower()}")
        return msg

    def _name_matches(self, user: str, domain: str) -> bool:
        # "alice" with domain EXAMPLE / example.test / empty, or the UPN
        # "alice@example.test" with an empty domain, all case-insensitively.
        domains = {"", self.domain.upper(), self.dns_domain.upper()}
        if "@" in user:
            name, _, suffix = user.rpartition("@")
            return name.upper() == self.user.upper() and suffix.upper() in domains and domain == ""
        return user.upper() == self.user.upper() and domain.upper() in domains

    def authenticate(self, type3: bytes):
        """Return the canonical user name if the Type-3 proves the password, else None.

        The handshake is single-use: a second Type-3 needs a new Type-1.
        """
        challenge, self.challenge_bytes = self.challenge_bytes, None
        if challenge is None:
            return None
        try:
            msg = parse_type3(type3, self.flags)
        except (ValueError, UnicodeDecodeError, struct.error):
            return None
        nt = msg["nt"]
        # 24 bytes = NTLMv1 (or NTLM2 session response); 0 = LM-only or anonymous.
        # Both are refused: this server accepts NTLMv2 only, like a hardened domain.
        if len(nt) <= 24 or not msg["user"]:
            return None
        if not self._name_matches(msg["user"], msg["domain"]):
            return None
        proof, blob = nt[:16], nt[16:]
        for domain in dict.fromkeys((msg["domain"], "")):
            key = ntowfv2(self.password, msg["user"], domain)
            if hmac.compare_digest(nt_proof_str(key, challenge, blob), proof):
                return self.user
        return None


# --- Self-test ---------------------------------------------------------------

def _client_type3(type2: bytes, user: str, password: str, domain: str, v1: bool = False) -> bytes:
    """A minimal NTLMv2 initiator, only for the self-test round trip."""
    flags = struct.unpack_from("<I", type2, 20)[0]
    challenge = type2[24:32]
    info = _field(type2, 40)
    if v1:
        nt = b"\x11" * 24
    else:
        blob = b"\x01\x01" + b"\0" * 6 + filetime_now() + os.urandom(8) + b"\0" * 4 + info + b"\0" * 4
        nt = nt_proof_str(ntowfv2(password, user, domain), challenge, blob) + blob
    enc = "utf-16-le" if flags & NEGOTIATE_UNICODE else "latin-1"
    payload = [b"\0" * 24, nt, domain.encode(enc), user.encode(enc), "WS".encode(enc), b""]
    offset = 64
    fields = b""
    for item in payload:
        fields += struct.pack("<HHI", len(item), len(item), offset)
        offset += len(item)
    return SIGNATURE + struct.pack("<I", 3) + fields + struct.pack("<I", flags) + b"".join(payload)


def self_test() -> int:
    failures = 0

    def check(name, got, want):
        nonlocal failures
        ok = got == want
        failures += not ok
        print(f"{'ok' if ok else 'FAIL'}: {name}" + ("" if ok else f": got {got!r}, want {want!r}"))

    # RFC 1320, appendix A.5.
    vectors = {
        b"": "31d6cfe0d16ae931b73c59d7e0c089c0",
        b"a": "bde52cb31de33e46245e05fbdbd6fb24",
        b"abc": "a448017aaf21d8525fc10ae87aa6729d",
        b"message digest": "d9130a8164549fe818874806e1c7014b",
        b"abcdefghijklmnopqrstuvwxyz": "d79e1c308aa5bbcdeea8ed63df412da9",
        b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789":
            "043f8582f241db351ce627e153e7f0e4",
        b"1234567890" * 8: "e33b4ddc9c38f2199c3e7b164fcc0536",
    }
    for data, want in vectors.items():
        check(f"md4({data[:20]!r})", md4(data).hex(), want)

    # MS-NLMP 4.2.4: NTLMv2 with User/Domain/Password, time 0, AV pairs Domain/Server.
    check("NTOWFv2 (MS-NLMP 4.2.4.1.1)", ntowfv2("Password", "User", "Domain").hex(),
          "0c868a403bfd7a93a3001ef22ef02e3f")
    server_challenge = bytes.fromhex("0123456789abcdef")
    client_challenge = bytes.fromhex("aaaaaaaaaaaaaaaa")
    info = av_pairs([(MSV_AV_NB_DOMAIN_NAME, "Domain".encode("utf-16-le")),
                     (MSV_AV_NB_COMPUTER_NAME, "Server".encode("utf-16-le"))])
    blob = b"\x01\x01" + b"\0" * 6 + b"\0" * 8 + client_challenge + b"\0" * 4 + info + b"\0" * 4
    proof = nt_proof_str(ntowfv2("Password", "User", "Domain"), server_challenge, blob)
    check("NTProofStr (MS-NLMP 4.2.4.2.2)", proof.hex(), "68cd0ab851e51c96aabc927bebef6a1c")

    # Round trips through the acceptor, in Unicode and in OEM.
    for unicode in (True, False):
        type1 = SIGNATURE + struct.pack("<II", 1, (NEGOTIATE_UNICODE if unicode else NEGOTIATE_OEM)
                                        | NEGOTIATE_NTLM | NEGOTIATE_EXTENDED_SESSIONSECURITY)
        cases = [("alice", "EXAMPLE", "pw-1", False, "alice"),
                 ("ALICE", "example", "pw-1", False, "alice"),
                 ("alice", "", "pw-1", False, "alice"),
                 ("alice@example.test", "", "pw-1", False, "alice"),
                 ("alice", "EXAMPLE", "wrong", False, None),
                 ("bob", "EXAMPLE", "pw-1", False, None),
                 ("alice", "OTHER", "pw-1", False, None),
                 ("alice", "EXAMPLE", "pw-1", True, None)]
        for user, domain, password, v1, want in cases:
            acceptor = NtlmAcceptor("alice", "pw-1", "EXAMPLE", "example.test")
            type2 = acceptor.challenge(type1)
            got = acceptor.authenticate(_client_type3(type2, user, password, domain, v1))
            check(f"round trip unicode={unicode} {domain}\\{user} pw={password} v1={v1}", got, want)
    # A Type-3 without a preceding Type-1 never authenticates.
    acceptor = NtlmAcceptor("alice", "pw-1", "EXAMPLE", "example.test")
    type2, _ = build_type2(NEGOTIATE_UNICODE, b"\0" * 8, "EXAMPLE", "OWA", "example.test", "owa.example.test")
    check("type3 without type1", acceptor.authenticate(_client_type3(type2, "alice", "pw-1", "EXAMPLE")), None)

    print("self-test " + ("passed" if not failures else f"FAILED ({failures})"))
    return 1 if failures else 0


if __name__ == "__main__":
    if sys.argv[1:] == ["--self-test"]:
        sys.exit(self_test())
    print(f"usage: {sys.argv[0]} --self-test", file=sys.stderr)
    sys.exit(2)
