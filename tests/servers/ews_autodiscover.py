"""Autodiscover for the EWS test server: the POX service of [MS-OXDSCLI]
(/autodiscover/autodiscover.xml) and the SOAP GetUserSettings of [MS-OXWSADISC]
(/autodiscover/autodiscover.svc).  Both name the EWS URL of the site they are asked on.
Each returns (HTTP status, content type, body, log facts).
"""

import xml.etree.ElementTree as ET
from xml.sax.saxutils import escape

from ews_soap import VERSIONS

POX_REQUEST = "http://schemas.microsoft.com/exchange/autodiscover/outlook/requestschema/2006"
POX_RESPONSE = "http://schemas.microsoft.com/exchange/autodiscover/responseschema/2006"
POX_OUTLOOK = "http://schemas.microsoft.com/exchange/autodiscover/outlook/responseschema/2006a"
AD = "http://schemas.microsoft.com/exchange/2010/Autodiscover"
WSA = "http://www.w3.org/2005/08/addressing"
SOAP = "http://schemas.xmlsoap.org/soap/envelope/"
XSI = "http://www.w3.org/2001/XMLSchema-instance"


def server_version_hex(version: str) -> str:
    """POX's ServerVersion: 0111, 6 bits major, 6 bits minor, a 1, 15 bits build, in hex."""
    v = VERSIONS[version]
    return f"{(0x7 << 28) | (v['major'] << 22) | (v['minor'] << 16) | 0x8000 | v['build']:08X}"


def pox_error(code: int, message: str) -> bytes:
    return (f'<?xml version="1.0" encoding="utf-8"?><Autodiscover xmlns="{POX_RESPONSE}"><Response>'
            f'<Error Time="12:00:00.0000000" Id="2471203098"><ErrorCode>{code}</ErrorCode>'
            f'<Message>{escape(message)}</Message><DebugData /></Error></Response></Autodiscover>').encode()


def pox(body: bytes, origin: str, directory, version: str):
    """POST /autodiscover/autodiscover.xml."""
    facts = {"operation": "Autodiscover", "mailboxes": [], "codes": []}
    try:
        root = ET.fromstring(body)
        address = root.findtext(f"{{{POX_REQUEST}}}Request/{{{POX_REQUEST}}}EMailAddress")
        schema = root.findtext(f"{{{POX_REQUEST}}}Request/{{{POX_REQUEST}}}AcceptableResponseSchema")
    except ET.ParseError:
        root = address = schema = None
    if root is None or root.tag != f"{{{POX_REQUEST}}}Autodiscover" or not address:
        facts["codes"].append("600")
        return 200, pox_error(600, "Invalid Request"), facts
    facts["mailboxes"].append(address.strip())
    if (schema or "").strip() != POX_OUTLOOK:
        facts["codes"].append("601")
        return 200, pox_error(601, "The requested schema version is not supported"), facts
    person = directory.get(address)
    if person is None:
        facts["codes"].append("500")
        return 200, pox_error(500, "The e-mail address cannot be found."), facts
    facts["codes"].append("NoError")
    ews = f"{origin}/EWS/Exchange.asmx"
    host = origin.split("://", 1)[1].split(":")[0]
    protocols = ""
    for kind in ("EXCH", "EXPR"):
        protocols += (f"<Protocol><Type>{kind}</Type><Server>{escape(host)}</Server>"
                      f"<ServerVersion>{server_version_hex(version)}</ServerVersion>"
                      f"<ASUrl>{escape(ews)}</ASUrl><EwsUrl>{escape(ews)}</EwsUrl>"
                      f"<OOFUrl>{escape(ews)}</OOFUrl><OABUrl>{escape(origin)}/OAB/</OABUrl></Protocol>")
    text = (f'<?xml version="1.0" encoding="utf-8"?><Autodiscover xmlns="{POX_RESPONSE}">'
            f'<Response xmlns="{POX_OUTLOOK}"><User><DisplayName>{escape(person.name)}</DisplayName>'
            f'<LegacyDN>/o=Example/ou=Exchange Administrative Group (FYDIBOHF23SPDLT)/cn=Recipients/'
            f'cn={escape(person.alias)}</LegacyDN><AutoDiscoverSMTPAddress>{escape(person.email)}'
            f'</AutoDiscoverSMTPAddress><DeploymentId>6d2a4d1e-0c3b-4a9e-9e58-7f1c2b3a4d5e</DeploymentId></User>'
            f'<Account><AccountType>email</AccountType><Action>settings</Action>'
            f'<MicrosoftOnline>False</MicrosoftOnline>{protocols}</Account></Response></Autodiscover>')
    return 200, text.encode(), facts


def pox_redirect(body: bytes, url: str):
    """A POX answer that sends the client to another Autodiscover URL (Action redirectUrl)."""
    facts = {"operation": "Autodiscover", "mailboxes": [], "codes": []}
    try:
        address = ET.fromstring(body).findtext(f"{{{POX_REQUEST}}}Request/{{{POX_REQUEST}}}EMailAddress")
    except ET.ParseError:
        address = None
    if not address:
        facts["codes"].append("600")
        return 200, pox_error(600, "Invalid Request"), facts
    facts["mailboxes"].append(address.strip())
    facts["codes"].append("redirectUrl")
    text = (f'<?xml version="1.0" encoding="utf-8"?><Autodiscover xmlns="{POX_RESPONSE}">'
            f'<Response xmlns="{POX_OUTLOOK}"><Account><Action>redirectUrl</Action>'
            f'<RedirectUrl>{escape(url)}</RedirectUrl></Account></Response></Autodiscover>')
    return 200, text.encode(), facts


SETTINGS = ("InternalEwsUrl", "ExternalEwsUrl", "CasVersion", "UserDisplayName", "AutoDiscoverSMTPAddress")


def soap(body: bytes, origin: str, directory, version: str):
    """POST /autodiscover/autodiscover.svc: GetUserSettings."""
    facts = {"operation": "GetUserSettings", "mailboxes": [], "codes": []}
    try:
        root = ET.fromstring(body)
        request = root.find(f"{{{SOAP}}}Body/{{{AD}}}GetUserSettingsRequestMessage/{{{AD}}}Request")
    except ET.ParseError:
        request = None
    if request is None:
        facts["codes"].append("InvalidRequest")
        return 500, soap_fault("The request is not a GetUserSettings request."), facts
    wanted = [s.text.strip() for s in request.iter(f"{{{AD}}}Setting") if s.text]
    v = VERSIONS[version]
    ews = f"{origin}/EWS/Exchange.asmx"
    users = ""
    for mailbox in request.iter(f"{{{AD}}}Mailbox"):
        address = (mailbox.text or "").strip()
        facts["mailboxes"].append(address)
        person = directory.get(address)
        if person is None:
            facts["codes"].append("InvalidUser")
            users += (f"<UserResponse><ErrorCode>InvalidUser</ErrorCode><ErrorMessage>Invalid user: "
                      f"'{escape(address)}'</ErrorMessage><RedirectTarget i:nil=\"true\"/><UserSettingErrors/>"
                      f"<UserSettings/></UserResponse>")
            continue
        facts["codes"].append("NoError")
        values = {"InternalEwsUrl": ews, "ExternalEwsUrl": ews, "UserDisplayName": person.name,
                  "AutoDiscoverSMTPAddress": person.email,
                  "CasVersion": f"{v['major']}.{v['minor']:02d}.{v['build']:04d}.{v['revision']:03d}"}
        settings = "".join(f'<UserSetting i:type="StringSetting"><Name>{name}</Name>'
                           f'<Value>{escape(values[name])}</Value></UserSetting>'
                           for name in wanted if name in values)
        errors = "".join(f"<UserSettingError><ErrorCode>InvalidSetting</ErrorCode><ErrorMessage>The requested "
                         f"setting is invalid.</ErrorMessage><SettingName>{escape(name)}</SettingName>"
                         f"</UserSettingError>" for name in wanted if name not in values)
        users += (f"<UserResponse><ErrorCode>NoError</ErrorCode><ErrorMessage>No error.</ErrorMessage>"
                  f"<RedirectTarget i:nil=\"true\"/><UserSettingErrors>{errors}</UserSettingErrors>"
                  f"<UserSettings>{settings}</UserSettings></UserResponse>")
    text = (f'<?xml version="1.0" encoding="utf-8"?><s:Envelope xmlns:s="{SOAP}" xmlns:a="{WSA}"><s:Header>'
            f'<a:Action s:mustUnderstand="1">http://schemas.microsoft.com/exchange/2010/Autodiscover/Autodiscover/'
            f'GetUserSettingsResponse</a:Action><h:ServerVersionInfo xmlns:h="{AD}" xmlns:i="{XSI}">'
            f'<h:MajorVersion>{v["major"]}</h:MajorVersion><h:MinorVersion>{v["minor"]}</h:MinorVersion>'
            f'<h:MajorBuildNumber>{v["build"]}</h:MajorBuildNumber><h:MinorBuildNumber>{v["revision"]}'
            f'</h:MinorBuildNumber><h:Version>Exchange2015</h:Version></h:ServerVersionInfo></s:Header><s:Body>'
            f'<GetUserSettingsResponseMessage xmlns="{AD}"><Response xmlns:i="{XSI}"><ErrorCode>NoError</ErrorCode>'
            f'<ErrorMessage/><UserResponses>{users}</UserResponses></Response></GetUserSettingsResponseMessage>'
            f'</s:Body></s:Envelope>')
    return 200, text.encode(), facts


def soap_fault(text: str) -> bytes:
    return (f'<?xml version="1.0" encoding="utf-8"?><s:Envelope xmlns:s="{SOAP}"><s:Body><s:Fault>'
            f'<faultcode>s:Client</faultcode><faultstring xml:lang="en-US">{escape(text)}</faultstring>'
            f'</s:Fault></s:Body></s:Envelope>').encode()
