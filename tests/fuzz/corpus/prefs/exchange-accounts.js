// Mozilla User Preferences
user_pref("mail.accountmanager.accounts", "account1,account2,account3");
user_pref("mail.account.account1.server", "server1");
user_pref("mail.account.account1.identities", "id1");
user_pref("mail.server.server1.type", "imap");
user_pref("mail.identity.id1.useremail", "me@private.example");
user_pref("mail.account.account2.server", "server2");
user_pref("mail.account.account2.identities", "id2,id3");
user_pref("mail.server.server2.type", "ews");
user_pref("mail.server.server2.ews_url", "https://mail.corp.example/EWS/Exchange.asmx");
user_pref("mail.identity.id2.useremail", "Me@Corp.Example");
user_pref("mail.account.account3.server", "server3");
user_pref("mail.server.server3.type", "ews");
user_pref("mail.server.server3.ews_url", "https://outlook.office365.com/EWS/Exchange.asmx");
