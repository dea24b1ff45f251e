"""SOAP as Exchange Web Services writes it: the envelope with the server's version
header, the response messages of [MS-OXWSCDATA], and the SOAP faults Exchange sends
for a whole failed request (HTTP 500), e.g. ErrorSchemaValidation or ErrorServerBusy.
"""

import xml.etree.ElementTree as ET
from xml.sax.saxutils import escape

S = "http://schemas.xmlsoap.org/soap/envelope/"
M = "http://schemas.microsoft.com/exchange/services/2006/messages"
T = "http://schemas.microsoft.com/exchange/services/2006/types"
E = "http://schemas.microsoft.com/exchange/services/2006/errors"
ET.register_namespace("s", S)
ET.register_namespace("m", M)
ET.register_namespace("t", T)

# --version: what ServerVersionInfo says, and the newest RequestServerVersion each accepts.
# (Exchange 2010 SP2 answers with its own version name; 2016 and 2019 with the schema date.)
VERSIONS = {
    "2010SP2": {"major": 14, "minor": 2, "build": 247, "revision": 5, "name": "Exchange2010_SP2",
                "newest_request": "Exchange2010_SP2"},
    "2013": {"major": 15, "minor": 0, "build": 1497, "revision": 2, "name": "Exchange2013_SP1",
             "newest_request": "Exchange2013_SP1"},
    "2016": {"major": 15, "minor": 1, "build": 2507, "revision": 6, "name": "V2017_07_11",
             "newest_request": "V2016_10_10"},
    "2019": {"major": 15, "minor": 2, "build": 1118, "revision": 7, "name": "V2017_07_11",
             "newest_request": "V2016_10_10"},
}
# ExchangeVersionType of types.xsd, oldest first.
REQUEST_VERSIONS = ("Exchange2007", "Exchange2007_SP1", "Exchange2009", "Exchange2010", "Exchange2010_SP1",
                    "Exchange2010_SP2", "Exchange2012", "Exchange2013", "Exchange2013_SP1", "Exchange2015",
                    "Exchange2016", "V2015_10_05", "V2016_01_06", "V2016_04_13", "V2016_07_13", "V2016_10_10")


def m(name):
    return f"{{{M}}}{name}"


def t(name):
    return f"{{{T}}}{name}"


def sub(parent, tag, text=None, **attrs):
    element = ET.SubElement(parent, tag, {k: str(v) for k, v in attrs.items() if v is not None})
    if text is not None:
        element.text = str(text)
    return element


def bool_text(value) -> str:
    return "true" if value else "false"


def server_version_header(version: str) -> str:
    v = VERSIONS[version]
    return (f'<h:ServerVersionInfo MajorVersion="{v["major"]}" MinorVersion="{v["minor"]}" '
            f'MajorBuildNumber="{v["build"]}" MinorBuildNumber="{v["revision"]}" Version="{v["name"]}" '
            f'xmlns:h="{T}" xmlns="{T}" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" '
            f'xmlns:xsd="http://www.w3.org/2001/XMLSchema"/>')


def envelope(version: str, body_element) -> bytes:
    """A successful answer: the operation's response element in Exchange's envelope."""
    body = ET.tostring(body_element, encoding="unicode")
    return (f'<?xml version="1.0" encoding="utf-8"?><s:Envelope xmlns:s="{S}"><s:Header>'
            f'{server_version_header(version)}</s:Header><s:Body xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" '
            f'xmlns:xsd="http://www.w3.org/2001/XMLSchema">{body}</s:Body></s:Envelope>').encode("utf-8")


def fault(code: str, faultstring: str, message: str, message_xml: str = "") -> bytes:
    """A SOAP fault the way Exchange sends one (with HTTP 500): faultcode in the types
    namespace, ResponseCode and Message in the errors namespace, MessageXml in types."""
    xml = f'<t:MessageXml xmlns:t="{T}">{message_xml}</t:MessageXml>' if message_xml else ""
    return (f'<?xml version="1.0" encoding="utf-8"?><s:Envelope xmlns:s="{S}"><s:Body><s:Fault>'
            f'<faultcode xmlns:a="{T}">a:{code}</faultcode>'
            f'<faultstring xml:lang="en-US">{escape(faultstring)}</faultstring><detail>'
            f'<e:ResponseCode xmlns:e="{E}">{code}</e:ResponseCode>'
            f'<e:Message xmlns:e="{E}">{escape(message)}</e:Message>{xml}'
            f'</detail></s:Fault></s:Body></s:Envelope>').encode("utf-8")


def schema_fault(violation: str, line: int, position: int) -> bytes:
    return fault("ErrorSchemaValidation", f"The request failed schema validation: {violation}",
                 "The request failed schema validation.",
                 f"<t:LineNumber>{line}</t:LineNumber><t:LinePosition>{position}</t:LinePosition>"
                 f"<t:Violation>{escape(violation)}</t:Violation>")


def server_busy_fault(backoff_ms: int) -> bytes:
    text = "The server cannot service this request right now. Try again later."
    return fault("ErrorServerBusy", text, text, f'<t:Value Name="BackOffMilliseconds">{int(backoff_ms)}</t:Value>')


def response_message(parent, name: str, code: str = "NoError", text: str = None, response_class: str = None):
    """m:<name> with ResponseClass, MessageText (errors and warnings), ResponseCode and DescriptiveLinkKey."""
    cls = response_class or ("Success" if code == "NoError" else "Error")
    message = sub(parent, m(name), ResponseClass=cls)
    if cls != "Success":
        sub(message, m("MessageText"), text or code)
    sub(message, m("ResponseCode"), code)
    if cls != "Success":
        sub(message, m("DescriptiveLinkKey"), 0)
    return message

