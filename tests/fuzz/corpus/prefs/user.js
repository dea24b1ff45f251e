// comment
/* block */ user_pref("ldap_2.servers.X.uri", "ldap://h/dc=x??sub?(objectclass=*)");
user_pref("ldap_2.servers.X.maxHits", 100);
pref("a.b", true); # hash
sticky_pref("s", '\x41\u00e9\n');
user_pref("bad" 1;
