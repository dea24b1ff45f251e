/* The lookup's order of sources, which book wins, and what it says when nothing is found.
 * (The LDAP sources are tested against slapd in tests/integration/test-ldap-lookup.c.) */
#include "config.h"

#include "oc-resolver.h"

#include <glib/gstdio.h>
#include <string.h>

#include "tb-fixture.h"

#define ALICE_URL "https://mail.example.test/owa/alice@example.test/?cmd=contents&module=calendar"
#define TEMPLATE "https://mail.example.test/owa/{email}/?cmd=contents&module=calendar"

typedef struct {
  char *home;
  char *profile;
  OcResolver *resolver;
} Fixture;

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  const char *const books_only[] = { OC_RESOLVER_SOURCE_ADDRESS_BOOKS, OC_RESOLVER_SOURCE_URL_TEMPLATE, NULL };

  fixture->home = g_dir_make_tmp ("home-XXXXXX", NULL);
  fixture->profile = tb_fixture_install (fixture->home);
  fixture->resolver = oc_resolver_new ();
  oc_resolver_set_home (fixture->resolver, fixture->home);
  /* No directory here: the profile's LDAP server is not running in unit tests. */
  g_assert_true (oc_resolver_set_sources (fixture->resolver, books_only, NULL));
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  g_object_unref (fixture->resolver);
  tb_fixture_remove_tree (fixture->home);
  g_free (fixture->home);
  g_free (fixture->profile);
}

static OcResolution *
resolve (Fixture    *fixture,
         const char *email)
{
  g_autoptr (GError) error = NULL;
  OcResolution *resolution = oc_resolver_resolve_sync (fixture->resolver, email, NULL, &error);

  g_assert_no_error (error);
  return resolution;
}

static char *
resolve_error (Fixture    *fixture,
               const char *email)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (OcResolution) resolution = oc_resolver_resolve_sync (fixture->resolver, email, NULL, &error);

  g_assert_null (resolution);
  g_assert_error (error, OC_RESOLVER_ERROR, OC_RESOLVER_ERROR_NOT_FOUND);
  return g_strdup (error->message);
}

static void
add_book (Fixture    *fixture,
          const char *id,
          const char *file,
          const char *cards_sql)
{
  g_autofree char *path = g_build_filename (fixture->profile, file, NULL);
  g_autofree char *user_js = g_build_filename (fixture->profile, "user.js", NULL);
  g_autofree char *old = NULL;
  g_autofree char *prefs = NULL;

  tb_fixture_create_book (path, cards_sql);
  if (!g_file_get_contents (user_js, &old, NULL, NULL))
    old = g_strdup ("");
  prefs = g_strdup_printf ("%suser_pref(\"ldap_2.servers.%s.description\", \"%s\");\n"
                           "user_pref(\"ldap_2.servers.%s.dirType\", 101);\n"
                           "user_pref(\"ldap_2.servers.%s.filename\", \"%s\");\n", old, id, id, id, id, file);
  g_assert_true (g_file_set_contents (user_js, prefs, -1, NULL));
}

static char *
card (const char *uid,
      const char *email,
      const char *custom1)
{
  return tb_fixture_card_sql (uid, uid, (const char *const[]) { email, NULL }, custom1, NULL);
}

static void
test_real_profile (Fixture *fixture, gconstpointer data)
{
  g_autoptr (OcResolution) resolution = resolve (fixture, "alice@example.test");

  g_assert_cmpint (resolution->target->kind, ==, OC_TARGET_KIND_WEB);
  g_assert_cmpstr (resolution->target->value, ==, ALICE_URL);
  g_assert_cmpstr (resolution->source, ==, "Thunderbird address book “Personal Address Book”");
  g_assert_cmpstr (resolution->detail, ==, "Custom1 of Alice Example");
  g_assert_cmpstrv (resolution->notes, ((const char *const[]) { NULL }));
}

/* Personal first, the other books by name, Collected Addresses last. */
static void
test_which_book_wins (Fixture *fixture, gconstpointer data)
{
  g_autofree char *work = card ("w", "alice@example.test", "https://work.example.test/owa/alice/");
  g_autofree char *collected = card ("c", "zoe@example.test", "https://collected.example.test/owa/zoe/");
  g_autofree char *collected_db = g_build_filename (fixture->profile, "history.sqlite", NULL);
  g_autofree char *zoe = card ("z", "zoe@example.test", "https://zoo.example.test/owa/zoe/");
  g_autoptr (OcResolution) first = NULL;
  g_autoptr (OcResolution) second = NULL;

  add_book (fixture, "Work", "abook-1.sqlite", work);
  tb_fixture_exec (collected_db, collected);
  add_book (fixture, "Zoo", "abook-2.sqlite", zoe);

  first = resolve (fixture, "alice@example.test");
  g_assert_cmpstr (first->target->value, ==, ALICE_URL);
  g_assert_cmpstr (first->source, ==, "Thunderbird address book “Personal Address Book”");
  /* “Zoo” sorts after “Collected Addresses” by name, yet Collected comes last. */
  second = resolve (fixture, "zoe@example.test");
  g_assert_cmpstr (second->target->value, ==, "https://zoo.example.test/owa/zoe/");
  g_assert_cmpstr (second->source, ==, "Thunderbird address book “Zoo”");
}

static void
test_next_book (Fixture *fixture, gconstpointer data)
{
  g_autofree char *work = card ("w", "carol@example.test", "https://work.example.test/owa/carol/");
  g_autoptr (OcResolution) resolution = NULL;

  add_book (fixture, "Work", "abook-1.sqlite", work);
  /* Carol's card in the Personal book has no Custom1; the next book's has. */
  resolution = resolve (fixture, "carol@example.test");
  g_assert_cmpstr (resolution->target->value, ==, "https://work.example.test/owa/carol/");
  g_assert_cmpstr (resolution->trail[0], ==,
                   "Thunderbird address book “Personal Address Book”: the card of Carol Nourl has no Custom1");
}

static void
test_damaged_book (Fixture *fixture, gconstpointer data)
{
  g_autofree char *abook = g_build_filename (fixture->profile, "abook.sqlite", NULL);
  g_autofree char *work = card ("w", "alice@example.test", "https://work.example.test/owa/alice/");
  g_autoptr (OcResolution) resolution = NULL;

  add_book (fixture, "Work", "abook-1.sqlite", work);
  g_assert_true (g_file_set_contents (abook, "garbage, not SQLite", -1, NULL));
  resolution = resolve (fixture, "alice@example.test");
  g_assert_cmpstr (resolution->target->value, ==, "https://work.example.test/owa/alice/");
  g_assert_cmpuint (g_strv_length (resolution->notes), ==, 1);
  g_assert_true (g_str_has_prefix (resolution->notes[0], "The address book “Personal Address Book” cannot be read"));
  g_assert_nonnull (strstr (resolution->notes[0], abook));
}

static void
test_url_template (Fixture *fixture, gconstpointer data)
{
  g_autoptr (OcResolution) from_book = NULL;
  g_autoptr (OcResolution) from_template = NULL;
  const char *const template_first[] = { OC_RESOLVER_SOURCE_URL_TEMPLATE, OC_RESOLVER_SOURCE_ADDRESS_BOOKS, NULL };

  oc_resolver_set_url_template (fixture->resolver, TEMPLATE);
  from_template = resolve (fixture, "carol@example.test");
  g_assert_cmpstr (from_template->target->value, ==,
                   "https://mail.example.test/owa/carol@example.test/?cmd=contents&module=calendar");
  g_assert_cmpstr (from_template->source, ==, "URL template");
  from_book = resolve (fixture, "bob@example.test");
  g_assert_cmpstr (from_book->source, ==, "Thunderbird address book “Personal Address Book”");

  /* The order is the configured one. */
  g_assert_true (oc_resolver_set_sources (fixture->resolver, template_first, NULL));
  g_clear_pointer (&from_book, oc_resolution_free);
  from_book = resolve (fixture, "bob@example.test");
  g_assert_cmpstr (from_book->source, ==, "URL template");
}

static void
test_not_found (Fixture *fixture, gconstpointer data)
{
  g_autofree char *message = resolve_error (fixture, "nobody@example.test");

  g_assert_cmpstr (message, ==,
                   "No calendar address found for nobody@example.test\n"
                   "Looked in:\n"
                   "  Thunderbird address book “Personal Address Book”: no card with nobody@example.test\n"
                   "  Thunderbird address book “Collected Addresses”: no card with nobody@example.test\n"
                   "  URL template: none set");
}

static void
test_no_profile (Fixture *fixture, gconstpointer data)
{
  g_autofree char *empty_home = g_build_filename (fixture->home, "empty", NULL);
  g_autofree char *message = NULL;
  g_autoptr (OcResolution) resolution = NULL;

  g_assert_cmpint (g_mkdir (empty_home, 0700), ==, 0);
  oc_resolver_set_home (fixture->resolver, empty_home);
  message = resolve_error (fixture, "alice@example.test");
  g_assert_nonnull (strstr (message, "  Thunderbird: No Thunderbird profile found: Looked in ~/.thunderbird, "));
  /* No Thunderbird is no problem: the template still answers, without a note. */
  oc_resolver_set_url_template (fixture->resolver, TEMPLATE);
  resolution = resolve (fixture, "alice@example.test");
  g_assert_cmpstr (resolution->source, ==, "URL template");
  g_assert_cmpstrv (resolution->notes, ((const char *const[]) { NULL }));
}

static void
test_profile_option (Fixture *fixture, gconstpointer data)
{
  g_autofree char *message = NULL;
  g_autoptr (OcResolution) resolution = NULL;

  /* “default” is the empty Default=1 profile of a first start. */
  oc_resolver_set_profile (fixture->resolver, "default");
  message = resolve_error (fixture, "alice@example.test");
  g_assert_nonnull (strstr (message, "no address books"));
  oc_resolver_set_profile (fixture->resolver, fixture->profile);
  resolution = resolve (fixture, "alice@example.test");
  g_assert_cmpstr (resolution->target->value, ==, ALICE_URL);
}

typedef struct {
  const char *custom1;
  OcTargetKind kind;    /* of the result */
  const char *value;    /* NULL: not openable, the next source answers */
} Custom1Row;

static const Custom1Row custom1_rows[] = {
  { "owacal:https://mail.example.test/owa/x/", OC_TARGET_KIND_WEB, "https://mail.example.test/owa/x/" },
  { "https://cal.example.test/owa/calendar/abc/def/calendar.ics", OC_TARGET_KIND_ICALENDAR,
    "https://cal.example.test/owa/calendar/abc/def/calendar.ics" },
  { "webcal://cal.example.test/x.ics", OC_TARGET_KIND_ICALENDAR, "http://cal.example.test/x.ics" },
  { "call me on Tuesdays", 0, NULL },
  { "mailto:someone@example.test", 0, NULL },
  /* What owacal-provision writes for Exchange 2016 and later: read from Exchange. */
  { "owacal:Someone@Example.test", OC_TARGET_KIND_EXCHANGE, "someone@example.test" },
  { "owacal:demo", 0, NULL },
  { "javascript:alert(1)", 0, NULL },
};

static void
test_custom1_kinds (Fixture *fixture, gconstpointer data)
{
  for (gsize i = 0; i < G_N_ELEMENTS (custom1_rows); i++)
    {
      const Custom1Row *row = &custom1_rows[i];
      g_autofree char *uid = g_strdup_printf ("kind%" G_GSIZE_FORMAT, i);
      g_autofree char *email = g_strdup_printf ("kind%" G_GSIZE_FORMAT "@example.test", i);
      g_autofree char *sql = card (uid, email, row->custom1);
      g_autofree char *abook = g_build_filename (fixture->profile, "abook.sqlite", NULL);
      g_autoptr (OcResolution) resolution = NULL;

      tb_fixture_exec (abook, sql);
      oc_resolver_set_url_template (fixture->resolver, TEMPLATE);
      resolution = resolve (fixture, email);
      if (row->value != NULL)
        {
          g_assert_cmpint (resolution->target->kind, ==, row->kind);
          g_assert_cmpstr (resolution->target->value, ==, row->value);
          continue;
        }
      g_assert_cmpstr (resolution->source, ==, "URL template");
      g_assert_cmpuint (g_strv_length (resolution->notes), ==, 1);
      g_assert_nonnull (strstr (resolution->notes[0], row->custom1));
      g_assert_nonnull (strstr (resolution->notes[0], "which owacal cannot open"));
    }
}

static void
resolved_cb (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  OcResolution **out = user_data;
  g_autoptr (GError) error = NULL;

  *out = oc_resolver_resolve_finish (OC_RESOLVER (source), result, &error);
  g_assert_no_error (error);
}

static void
test_async (Fixture *fixture, gconstpointer data)
{
  g_autoptr (OcResolution) resolution = NULL;

  oc_resolver_resolve_async (fixture->resolver, "bob.example@corp.example.test", NULL, resolved_cb, &resolution);
  while (resolution == NULL)
    g_main_context_iteration (NULL, TRUE);
  g_assert_cmpstr (resolution->target->value, ==, "http://exch2003.example.test/exchange/bob/Calendar/?Cmd=contents");
}

static void
test_bad_sources (Fixture *fixture, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  const char *const bad[] = { OC_RESOLVER_SOURCE_ADDRESS_BOOKS, "outlook", NULL };

  g_assert_false (oc_resolver_set_sources (fixture->resolver, bad, &error));
  g_assert_error (error, OC_RESOLVER_ERROR, OC_RESOLVER_ERROR_BAD_SETTINGS);
  g_assert_nonnull (strstr (error->message, "“outlook”"));
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

#define ADD(name, func) \
  g_test_add ("/oc/resolver/" name, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("real-profile", test_real_profile);
  ADD ("which-book-wins", test_which_book_wins);
  ADD ("next-book", test_next_book);
  ADD ("damaged-book", test_damaged_book);
  ADD ("url-template", test_url_template);
  ADD ("not-found", test_not_found);
  ADD ("no-profile", test_no_profile);
  ADD ("profile-option", test_profile_option);
  ADD ("custom1-kinds", test_custom1_kinds);
  ADD ("async", test_async);
  ADD ("bad-sources", test_bad_sources);
#undef ADD
  return g_test_run ();
}
