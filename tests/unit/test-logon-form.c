/* OWA's sign-in page: finding the form, its action and fields, and filling it in. */
#include "config.h"

#include <string.h>

#include "oc-http-error.h"
#include "oc-logon-form.h"

static char *
encode (const char *html, const char *page_url, const char *destination, char **out_action)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (OcLogonForm) form = oc_logon_form_parse (html, -1, page_url, &error);
  g_autoptr (GBytes) body = NULL;

  g_assert_no_error (error);
  g_assert_nonnull (form);
  body = oc_logon_form_encode (form, "EXAMPLE\\alice", "p&ss w=rd", destination);
  *out_action = g_strdup (oc_logon_form_get_action (form));
  return g_strndup (g_bytes_get_data (body, NULL), g_bytes_get_size (body));
}

static void
test_versions (void)
{
  static const struct {
    const char *name;
    const char *page_url;
    const char *html;
    const char *action;
    const char *body;
  } rows[] = {
    { "Exchange 2003: upper-case markup, a named submit button, public/private radio",
      "https://mail.example.com/exchweb/bin/auth/owalogon.asp?url=https%3A%2F%2Fmail.example.com%2Fexchange%2F&reason=0",
      "<HTML><BODY><FORM action=\"/exchweb/bin/auth/owaauth.dll\" method=\"POST\" name=\"logonForm\">"
      "<INPUT type=\"hidden\" name=\"destination\" value=\"https://mail.example.com/exchange/\">"
      "<INPUT type=\"hidden\" name=\"flags\" value=\"0\">"
      "<INPUT id=\"rdoPblc\" type=\"radio\" name=\"trusted\" value=\"0\" checked>"
      "<INPUT id=\"rdoPrvt\" type=\"radio\" name=\"trusted\" value=\"4\">"
      "<INPUT id=\"username\" name=\"username\" type=\"text\"><INPUT type=\"password\" name=\"password\">"
      "<INPUT type=\"submit\" class=\"btn\" value=\"Log On\" name=\"SubmitCreds\"></FORM></BODY></HTML>",
      "https://mail.example.com/exchweb/bin/auth/owaauth.dll",
      "destination=https%3A%2F%2Fmail.example.com%2Fexchange%2F&flags=4&trusted=4&username=EXAMPLE%5Calice&"
      "password=p%26ss%20w%3Drd&SubmitCreds=Log%20On" },
    { "Exchange 2007: an action relative to the page, entities in values",
      "https://mail.example.com/owa/auth/logon.aspx?url=x&reason=0",
      "<form action='owaauth.dll' method=POST name=logonForm><input type=hidden name=destination "
      "value='https://mail.example.com/owa/?a=1&amp;b=2'><input type=hidden name=flags value=0>"
      "<input type=hidden name=forcedownlevel value=0><input name=username><input type=password name=password "
      "onfocus=\"g_fFcs=0\"></form>",
      "https://mail.example.com/owa/auth/owaauth.dll",
      "destination=https%3A%2F%2Fmail.example.com%2Fowa%2F%3Fa%3D1%26b%3D2&flags=0&forcedownlevel=0&"
      "username=EXAMPLE%5Calice&password=p%26ss%20w%3Drd" },
    { "Exchange 2010: decoys in a script and a comment, a search form first, isUtf8",
      "https://mail.example.com/owa/auth/logon.aspx?replaceCurrent=1&url=https%3A%2F%2Fmail.example.com%2Fowa%2F",
      "<!DOCTYPE html><script>var s = '<form action=\"/wrong\"><input type=password name=x></form>';</script>"
      "<!-- <form action=\"/commented\"><input type=\"password\" name=\"y\"></form> -->"
      "<form action=\"/search\"><input name=\"q\"></form>"
      "<form action=\"/owa/auth.owa\" method=\"POST\" name=\"logonForm\" autocomplete=\"off\">"
      "<input type=\"hidden\" name=\"destination\" value=\"https://mail.example.com/owa/\">"
      "<input type=\"hidden\" name=\"flags\" value=\"4\"><input type=\"hidden\" name=\"forcedownlevel\" value=\"0\">"
      "<input id=\"username\" name=\"username\" type=\"text\" role=\"textbox\">"
      "<input id=\"password\" name=\"password\" type=\"password\">"
      "<input type=\"checkbox\" name=\"chkBsc\" value=\"1\"><input type=\"checkbox\" name=\"keep\" checked>"
      "<input type=\"hidden\" name=\"isUtf8\" value=\"1\"></form>",
      "https://mail.example.com/owa/auth.owa",
      "destination=https%3A%2F%2Fmail.example.com%2Fowa%2F&flags=4&forcedownlevel=0&username=EXAMPLE%5Calice&"
      "password=p%26ss%20w%3Drd&keep=on&isUtf8=1" },
    { "No destination field and no action: the page's own URL, and the destination given",
      "https://mail.example.com/owa/auth/logon.aspx?url=u",
      "<form method=post><input type=email name=user><input type=password name=pass></form>",
      "https://mail.example.com/owa/auth/logon.aspx?url=u",
      "user=EXAMPLE%5Calice&pass=p%26ss%20w%3Drd&destination=https%3A%2F%2Fmail.example.com%2Fowa%2F" },
    { "A customised page as browsers take it: upper case, unclosed tags, a form opened in a table cell, "
      "decoys in a script, a style and a comment, HTML 4 entities",
      "https://mail.example.com/owa/auth/logon.aspx?url=u",
      "<!DOCTYPE HTML PUBLIC \"-//W3C//DTD HTML 4.01//EN\"><HTML><HEAD><TITLE>Outlook Web App</TITLE>"
      "<SCRIPT type=\"text/javascript\">if (a < b && c > d) "
      "document.write('<FORM ACTION=\"/decoy\"><INPUT TYPE=PASSWORD NAME=x></FORM>');</SCRIPT>"
      "<STYLE>/* <form action=/styled><input type=password name=s></form> */</STYLE></HEAD>"
      "<BODY><!-- the old form: <FORM ACTION=/old><INPUT TYPE=PASSWORD NAME=o></FORM> -->"
      "<TABLE><TR><TD><FORM ACTION=\"/owa/auth.owa\" METHOD=POST NAME=logonForm>"
      "<INPUT TYPE=HIDDEN NAME=destination VALUE=\"https://mail.example.com/owa/?ae=Folder&amp;t=IPF.Appointment\">"
      "<P>Domain&nbsp;\\user name:<BR><INPUT ID=username NAME=username>"
      "<P>Password:<BR><INPUT TYPE=PASSWORD ID=password NAME=password>"
      "<INPUT TYPE=hidden NAME=note VALUE='caf&eacute; &#8364;5 &#x3C;b&gt;'>"
      "<INPUT TYPE=CHECKBOX NAME=chkBsc VALUE=1 CHECKED><INPUT TYPE=SUBMIT VALUE=\"Sign in\">"
      "</TD></TR></TABLE></FORM></BODY></HTML>",
      "https://mail.example.com/owa/auth.owa",
      "destination=https%3A%2F%2Fmail.example.com%2Fowa%2F%3Fae%3DFolder%26t%3DIPF.Appointment&"
      "username=EXAMPLE%5Calice&password=p%26ss%20w%3Drd&note=caf%C3%A9%20%E2%82%AC5%20%3Cb%3E&chkBsc=1" },
    { "Nothing closed at all: the page ends inside the form",
      "https://mail.example.com/owa/auth/logon.aspx",
      "<html><body><form action=auth.owa><input type=hidden name=flags value=4><input name=username>"
      "<input type=password name=password><input type=hidden name=isUtf8 value=1",
      "https://mail.example.com/owa/auth/auth.owa",
      "flags=4&username=EXAMPLE%5Calice&password=p%26ss%20w%3Drd&isUtf8=1&"
      "destination=https%3A%2F%2Fmail.example.com%2Fowa%2F" },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (rows); i++)
    {
      g_autofree char *action = NULL;
      g_autofree char *body = encode (rows[i].html, rows[i].page_url, "https://mail.example.com/owa/", &action);

      g_test_message ("%s", rows[i].name);
      g_assert_cmpstr (action, ==, rows[i].action);
      g_assert_cmpstr (body, ==, rows[i].body);
    }
}

static void
test_no_password_form (void)
{
  static const char *const pages[] = {
    "<html><body>Welcome</body></html>",
    "<form action='/search'><input name='q'></form>",
    "<script>document.write('<form><input type=password></form>')</script>",
    "<!-- <form><input type=password name=p></form> -->",
    "<style>/* <form><input type=password name=p></form> */</style>",
    "<input type=password name=p><form action=/search><input name=q></form>",
    "",
  };

  for (gsize i = 0; i < G_N_ELEMENTS (pages); i++)
    {
      g_autoptr (GError) error = NULL;
      g_autoptr (OcLogonForm) form = oc_logon_form_parse (pages[i], -1, "https://h/owa/auth/logon.aspx", &error);

      g_assert_null (form);
      g_assert_error (error, OC_HTTP_ERROR, OC_HTTP_ERROR_AUTH_FAILED);
    }
}

/* A form that posts anywhere but to a web address is not filled in: the
 * password would go nowhere owacal can send it (found by fuzz-logon-form),
 * and GLib 2.74 resolving "http:/.//a" fails an assertion. */
static void
test_action_not_web (void)
{
  static const char *const actions[] = {
    "owaauth.dlldestinatio://mail.example.com/owa/", "javascript:alert(1)", "file:///etc/passwd", "http:/.//a",
    "https:///nohost",
  };

  for (gsize i = 0; i < G_N_ELEMENTS (actions); i++)
    {
      g_autofree char *page = g_strdup_printf ("<form action='%s'><input name=u><input type=password name=p></form>",
                                               actions[i]);
      g_autoptr (GError) error = NULL;
      g_autoptr (OcLogonForm) form = oc_logon_form_parse (page, -1, "https://h/owa/auth/logon.aspx", &error);

      g_test_message ("%s", actions[i]);
      g_assert_null (form);
      g_assert_error (error, OC_HTTP_ERROR, OC_HTTP_ERROR_AUTH_FAILED);
    }
}

/* A body has a length and no NUL: nothing past its end is read, even when
 * the body stops inside a tag, a value or an entity. Each body is copied to
 * a buffer of exactly its length, so a memory checker sees an over-read. */
static void
test_length (void)
{
  static const char page[] = "<form action=/owa/auth.owa><input type=password name=pw>"
                             "<input type=hidden name=d value=\"a&amp;b\"><input type=hidden name=e value=1>";
  const char *cut = strstr (page, "&amp;");

  for (gsize length = cut - page; length <= (gsize) (cut - page) + 5; length++)
    {
      g_autofree char *body = g_memdup2 (page, length);
      g_autoptr (GError) error = NULL;
      g_autoptr (OcLogonForm) form = oc_logon_form_parse (body, length, "https://h/owa/auth/logon.aspx", &error);
      g_autoptr (GBytes) encoded = NULL;
      g_autofree char *text = NULL;

      g_test_message ("%" G_GSIZE_FORMAT " bytes", length);
      g_assert_no_error (error);
      encoded = oc_logon_form_encode (form, "u", "p", NULL);
      text = g_strndup (g_bytes_get_data (encoded, NULL), g_bytes_get_size (encoded));
      g_assert_true (g_str_has_prefix (text, "pw=p"));
      g_assert_null (strstr (text, "b"));
      g_assert_null (strstr (text, "e="));
    }
}

static void
test_logon_urls (void)
{
  static const struct { const char *url; gboolean logon; } rows[] = {
    { "https://h/owa/auth/logon.aspx?url=x&reason=2", TRUE },
    { "https://h/OWA/auth/Logon.aspx", TRUE },
    { "https://h/exchweb/bin/auth/owalogon.asp?url=x&reason=0", TRUE },
    { "https://h/owa/auth.owa", FALSE },
    { "https://h/owa/?path=/auth/logon.aspx", FALSE },
    { "https://h/owa/alice@example.com/", FALSE },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (rows); i++)
    if (oc_logon_form_is_logon_url (rows[i].url) != rows[i].logon)
      g_error ("%s: expected %s", rows[i].url, rows[i].logon ? "a sign-in page" : "no sign-in page");
}

static void
test_guess_logon_url (void)
{
  g_autofree char *owa = oc_logon_form_guess_logon_url ("https://h/owa/service.svc?action=X");
  g_autofree char *exchange = oc_logon_form_guess_logon_url ("https://h:8443/exchange/alice/Calendar/");

  g_assert_cmpstr (owa, ==, "https://h/owa/auth/logon.aspx?url=https%3A%2F%2Fh%2Fowa%2Fservice.svc%3Faction%3DX&reason=0");
  g_assert_cmpstr (exchange, ==, "https://h:8443/exchweb/bin/auth/owalogon.asp?url=https%3A%2F%2Fh%3A8443%2Fexchange%2F"
                                 "alice%2FCalendar%2F&reason=0");
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);
  g_test_add_func ("/oc/logon-form/versions", test_versions);
  g_test_add_func ("/oc/logon-form/no-password-form", test_no_password_form);
  g_test_add_func ("/oc/logon-form/action-not-web", test_action_not_web);
  g_test_add_func ("/oc/logon-form/length", test_length);
  g_test_add_func ("/oc/logon-form/logon-urls", test_logon_urls);
  g_test_add_func ("/oc/logon-form/guess-logon-url", test_guess_logon_url);
  return g_test_run ();
}
