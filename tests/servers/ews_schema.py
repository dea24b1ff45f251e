"""Microsoft's EWS schema (tests/fixtures/ews-schema/) for the EWS test server: every
request is validated with xmllint, and answers write their elements in the order the
schema's sequences give (an XML reader may rely on it, and xs:sequence requires it).
"""

import hashlib
import os
import re
import subprocess
import threading
import xml.etree.ElementTree as ET

SCHEMA_DIR = os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                           "..", "fixtures", "ews-schema"))
ENVELOPE_XSD = os.path.join(SCHEMA_DIR, "soap-envelope.xsd")
XS = "{http://www.w3.org/2001/XMLSchema}"


class Validation:
    def __init__(self, ok: bool, message: str = "", line: int = 0, position: int = 0):
        self.ok = ok
        self.message = message
        self.line = line
        self.position = position


class Validator:
    """Runs `xmllint --schema soap-envelope.xsd` on a request (about 0.2 s; results are
    cached by the body's hash, as tests repeat the same requests)."""

    def __init__(self, xsd: str = ENVELOPE_XSD):
        self.xsd = xsd
        self.cache = {}
        self.lock = threading.Lock()

    def validate(self, body: bytes) -> Validation:
        key = hashlib.sha256(body).hexdigest()
        with self.lock:
            cached = self.cache.get(key)
        if cached:
            return cached
        result = self._run(body)
        with self.lock:
            self.cache[key] = result
        return result

    def _run(self, body: bytes) -> Validation:
        proc = subprocess.run(["xmllint", "--noout", "--nonet", "--schema", self.xsd, "-"], input=body,
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        if proc.returncode == 0:
            return Validation(True)
        # "-:12: element RequestedView: Schemas validity error : Element '...': ..." or a parser error.
        for raw in proc.stderr.decode("utf-8", "replace").splitlines():
            m = re.match(r"^-:(\d+): (.*)$", raw)
            if m:
                line = int(m.group(1))
                message = re.sub(r"^(element \S+: )?(Schemas validity error|parser error) : ", "", m.group(2))
                return Validation(False, message.strip(), line, _position(body, line, message))
        text = proc.stderr.decode("utf-8", "replace").strip().splitlines()
        return Validation(False, text[0] if text else f"xmllint exited with {proc.returncode}")


def _position(body: bytes, line: int, message: str) -> int:
    """Where on its line the element the message names starts (1-based), or 0."""
    m = re.search(r"Element '\{[^}]*\}([^']+)'", message)
    lines = body.decode("utf-8", "replace").splitlines()
    if not m or line < 1 or line > len(lines):
        return 0
    found = re.search(r"<(?:[\w.-]+:)?" + re.escape(m.group(1)) + r"\b", lines[line - 1])
    return found.start() + 1 if found else 0


class SchemaOrder:
    """The child element names of a complex type in schema order, base types first
    (complexContent/extension), read from the XSD files."""

    def __init__(self, files=("types.xsd", "messages.xsd")):
        self.types = {}
        for name in files:
            root = ET.parse(os.path.join(SCHEMA_DIR, name)).getroot()
            for ctype in root.iter(XS + "complexType"):
                if ctype.get("name"):
                    self.types[ctype.get("name")] = ctype
        self.memo = {}

    def children(self, type_name: str) -> list:
        if type_name in self.memo:
            return self.memo[type_name]
        ctype = self.types.get(type_name)
        names = []
        if ctype is not None:
            ext = ctype.find(f"{XS}complexContent/{XS}extension")
            scope = ctype
            if ext is not None:
                names += self.children(ext.get("base").split(":")[-1])
                scope = ext
            names += self._names(scope)
        self.memo[type_name] = names
        return names

    def _names(self, node) -> list:
        names = []
        for child in node:
            if child.tag in (XS + "sequence", XS + "choice", XS + "all"):
                names += self._names(child)
            elif child.tag == XS + "element":
                name = child.get("name") or child.get("ref", "").split(":")[-1]
                if name and name not in names:
                    names.append(name)
        return names
