/* oc-address-book.c: a Thunderbird address book (abook.sqlite), read-only.
 *
 * Thunderbird 102 and later store a book as rows of (card, name, value) in a
 * table called properties. The card's vCard (the _vCard row) is the truth;
 * the other rows are copies for searching:
 *
 * - Every e-mail address is an EMAIL line of the vCard. The first two are
 *   copied into PrimaryEmail and SecondEmail rows, a third one is not, so
 *   an address is looked up in the rows first (quick) and in every vCard
 *   only when the rows do not give a card with a calendar address.
 * - Custom1 is the vCard's X-CUSTOM1 (folded, escaped: see oc-vcard.c).
 *   Cards not saved since Thunderbird 102 may instead still carry a plain
 *   Custom1 row, which Thunderbird still shows.
 *
 * The database is read through a private copy (oc-sqlite-snapshot.c), since a
 * running Thunderbird holds it locked.
 */
#include "config.h"
#include "oc-address-book.h"

#include <string.h>

#include "oc-sqlite-snapshot.h"
#include "oc-vcard.h"

/* The built-in books and their files, as Thunderbird's default prefs declare them. */
#define PERSONAL_ID "pab"
#define COLLECTED_ID "history"
#define DIR_TYPE_LOCAL 101
#define DIR_TYPE_CARDDAV 102  /* a local copy of a CardDAV book, in the same format */
#define MAX_READS 3

struct _OcAddressBook {
  GObject parent_instance;

  char *name;
  char *path;
  int rank;  /* Personal first, Collected last, the others between by name */
};

G_DEFINE_QUARK (oc-address-book-error-quark, oc_address_book_error)
G_DEFINE_FINAL_TYPE (OcAddressBook, oc_address_book, G_TYPE_OBJECT)

G_DEFINE_AUTOPTR_CLEANUP_FUNC (sqlite3_stmt, sqlite3_finalize)

/* Listing */

static OcAddressBook *
book_from_prefs (const char *profile_dir,
                 OcPrefs    *prefs,
                 const char *id)
{
  g_autofree char *uri_key = g_strdup_printf ("ldap_2.servers.%s.uri", id);
  g_autofree char *type_key = g_strdup_printf ("ldap_2.servers.%s.dirType", id);
  g_autofree char *file_key = g_strdup_printf ("ldap_2.servers.%s.filename", id);
  g_autofree char *name_key = g_strdup_printf ("ldap_2.servers.%s.description", id);
  g_autofree char *path = NULL;
  gboolean personal = g_str_equal (id, PERSONAL_ID), collected = g_str_equal (id, COLLECTED_ID);
  const char *uri = oc_prefs_get_string (prefs, uri_key);
  const char *filename = oc_prefs_get_string (prefs, file_key);
  const char *name = oc_prefs_get_string (prefs, name_key);
  int dir_type = (personal || collected) ? DIR_TYPE_LOCAL : -1;
  OcAddressBook *book;

  /* An LDAP directory has a uri (and an empty offline replica file). */
  if (uri != NULL && (g_str_has_prefix (uri, "ldap://") || g_str_has_prefix (uri, "ldaps://")))
    return NULL;
  oc_prefs_get_int (prefs, type_key, &dir_type);
  if (dir_type != DIR_TYPE_LOCAL && dir_type != DIR_TYPE_CARDDAV)
    return NULL;
  if (filename == NULL || *filename == '\0')
    filename = personal ? "abook.sqlite" : collected ? "history.sqlite" : NULL;
  if (filename == NULL)
    return NULL;
  if (name == NULL || *name == '\0')
    name = personal ? "Personal Address Book" : collected ? "Collected Addresses" : filename;

  path = g_path_is_absolute (filename) ? g_strdup (filename) : g_build_filename (profile_dir, filename, NULL);
  if (!g_file_test (path, G_FILE_TEST_EXISTS))
    return NULL;
  book = oc_address_book_new (name, path);
  book->rank = personal ? 0 : collected ? 2 : 1;
  return book;
}

static int
compare_books (gconstpointer a,
               gconstpointer b)
{
  const OcAddressBook *x = *(OcAddressBook *const *) a;
  const OcAddressBook *y = *(OcAddressBook *const *) b;
  int by_name;

  if (x->rank != y->rank)
    return x->rank - y->rank;
  by_name = g_utf8_collate (x->name, y->name);
  return by_name != 0 ? by_name : strcmp (x->path, y->path);
}

/* Matching */

static gboolean
is_ascii (const char *text)
{
  for (const char *p = text; *p; p++)
    if ((guchar) *p >= 0x80)
      return FALSE;
  return TRUE;
}

/* SQL: oc_email_is(value, folded): a PrimaryEmail/SecondEmail row equals the address. */
static void
email_is_sql (sqlite3_context *context,
              int              argc,
              sqlite3_value  **argv)
{
  const char *value = (const char *) sqlite3_value_text (argv[0]);
  const char *folded = (const char *) sqlite3_value_text (argv[1]);
  g_autofree char *value_folded = NULL;
  gboolean equal;

  if (value == NULL || folded == NULL)
    equal = FALSE;
  else if (is_ascii (value))
    equal = g_ascii_strcasecmp (value, folded) == 0;
  else
    {
      /* A row is someone else's bytes: g_utf8_casefold() reads a bad sequence past its end. */
      g_autofree char *valid = g_utf8_make_valid (value, -1);
      equal = g_str_equal ((value_folded = g_utf8_casefold (valid, -1)), folded);
    }
  sqlite3_result_int (context, equal);
}

/* SQL: oc_vcard_has_email(vcard, folded): one of the card's EMAIL lines is the address. */
static void
vcard_has_email_sql (sqlite3_context *context,
                     int              argc,
                     sqlite3_value  **argv)
{
  const char *vcard = (const char *) sqlite3_value_text (argv[0]);
  const char *folded = (const char *) sqlite3_value_text (argv[1]);

  sqlite3_result_int (context, vcard != NULL && folded != NULL &&
                               oc_vcard_has_text (vcard, sqlite3_value_bytes (argv[0]), "EMAIL", folded));
}

static int
check_cancelled_cb (void *user_data)
{
  return g_cancellable_is_cancelled (user_data);
}

static void
set_sqlite_error (GError     **error,
                  sqlite3     *db,
                  const char  *what)
{
  int code = sqlite3_errcode (db);

  if (code == SQLITE_INTERRUPT)
    g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_CANCELLED, "The lookup was cancelled");
  else
    g_set_error (error, OC_ADDRESS_BOOK_ERROR, OC_ADDRESS_BOOK_ERROR_UNREADABLE, "%s: %s", what,
                 sqlite3_errmsg (db));
}

/* Adds the cards a query yields to @cards, each once. */
static gboolean
collect_cards (sqlite3     *db,
               const char  *sql,
               const char  *folded,
               GPtrArray   *cards,
               GError     **error)
{
  g_autoptr (sqlite3_stmt) stmt = NULL;
  int rc;

  if (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL) != SQLITE_OK)
    {
      set_sqlite_error (error, db, "Not a Thunderbird address book");
      return FALSE;
    }
  sqlite3_bind_text (stmt, 1, folded, -1, SQLITE_STATIC);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      const char *card = (const char *) sqlite3_column_text (stmt, 0);
      if (card != NULL && !g_ptr_array_find_with_equal_func (cards, card, g_str_equal, NULL))
        g_ptr_array_add (cards, g_strdup (card));
    }
  if (rc != SQLITE_DONE)
    {
      set_sqlite_error (error, db, "Reading the cards");
      return FALSE;
    }
  return TRUE;
}

static OcContact *
read_contact (sqlite3     *db,
              const char  *card,
              GError     **error)
{
  g_autoptr (sqlite3_stmt) stmt = NULL;
  g_autofree char *vcard = NULL, *display_name = NULL, *custom1_row = NULL;
  g_autofree char *custom1 = NULL, *full_name = NULL;
  int rc;

  if (sqlite3_prepare_v2 (db, "SELECT name, value FROM properties WHERE card = ?1 "
                              "AND name IN ('_vCard', 'Custom1', 'DisplayName')", -1, &stmt, NULL) != SQLITE_OK)
    {
      set_sqlite_error (error, db, "Not a Thunderbird address book");
      return NULL;
    }
  sqlite3_bind_text (stmt, 1, card, -1, SQLITE_STATIC);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      const char *name = (const char *) sqlite3_column_text (stmt, 0);
      char **slot = g_strcmp0 (name, "_vCard") == 0 ? &vcard :
                    g_strcmp0 (name, "Custom1") == 0 ? &custom1_row : &display_name;
      g_free (*slot);
      *slot = g_strdup ((const char *) sqlite3_column_text (stmt, 1));
    }
  if (rc != SQLITE_DONE)
    {
      set_sqlite_error (error, db, "Reading a card");
      return NULL;
    }
  if (vcard != NULL)
    {
      custom1 = oc_vcard_get_text (vcard, -1, "X-CUSTOM1");
      full_name = oc_vcard_get_text (vcard, -1, "FN");
    }
  /* X-CUSTOM1 from the vCard, else the legacy row; blank counts as none. */
  if (custom1 == NULL || *g_strstrip (custom1) == '\0')
    {
      g_free (custom1);
      custom1 = g_steal_pointer (&custom1_row);
    }
  return oc_contact_new (card, full_name ? full_name : display_name, custom1);
}

static OcContact *
lookup_in_db (sqlite3      *db,
              const char   *folded,
              GError      **error)
{
  g_autoptr (GPtrArray) cards = g_ptr_array_new_with_free_func (g_free);
  g_autoptr (OcContact) without_custom1 = NULL;
  guint checked = 0;

  sqlite3_create_function (db, "oc_email_is", 2, SQLITE_UTF8 | SQLITE_DETERMINISTIC, NULL, email_is_sql, NULL, NULL);
  sqlite3_create_function (db, "oc_vcard_has_email", 2, SQLITE_UTF8 | SQLITE_DETERMINISTIC, NULL,
                           vcard_has_email_sql, NULL, NULL);

  for (int phase = 0; phase < 2; phase++)
    {
      static const char *const queries[] = {
        "SELECT card FROM properties WHERE name IN ('PrimaryEmail', 'SecondEmail') "
        "AND oc_email_is(value, ?1) ORDER BY rowid",
        "SELECT card FROM properties WHERE name = '_vCard' AND oc_vcard_has_email(value, ?1) ORDER BY rowid",
      };
      if (!collect_cards (db, queries[phase], folded, cards, error))
        return NULL;
      for (; checked < cards->len; checked++)
        {
          g_autoptr (OcContact) contact = read_contact (db, g_ptr_array_index (cards, checked), error);
          if (contact == NULL)
            return NULL;
          if (contact->custom1 != NULL)
            return g_steal_pointer (&contact);
          if (without_custom1 == NULL)
            without_custom1 = g_steal_pointer (&contact);
        }
    }
  return g_steal_pointer (&without_custom1);
}

/* GObject */

static void
oc_address_book_finalize (GObject *object)
{
  OcAddressBook *self = OC_ADDRESS_BOOK (object);

  g_free (self->name);
  g_free (self->path);
  G_OBJECT_CLASS (oc_address_book_parent_class)->finalize (object);
}

static void
oc_address_book_class_init (OcAddressBookClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = oc_address_book_finalize;
}

static void
oc_address_book_init (OcAddressBook *self)
{
  self->rank = 1;
}

/* Public API */

/**
 * oc_address_book_new:
 * @name: the book's name as Thunderbird shows it
 * @path: its abook.sqlite file
 *
 * Returns: (transfer full): a new address book
 */
OcAddressBook *
oc_address_book_new (const char *name,
                     const char *path)
{
  OcAddressBook *self;

  g_return_val_if_fail (name != NULL && path != NULL, NULL);
  self = g_object_new (OC_TYPE_ADDRESS_BOOK, NULL);
  self->name = g_strdup (name);
  self->path = g_strdup (path);
  return self;
}

/**
 * oc_address_book_get_name:
 * @self: an address book
 *
 * Returns: (transfer none): its name, such as "Personal Address Book"
 */
const char *
oc_address_book_get_name (OcAddressBook *self)
{
  g_return_val_if_fail (OC_IS_ADDRESS_BOOK (self), NULL);
  return self->name;
}

/**
 * oc_address_book_get_path:
 * @self: an address book
 *
 * Returns: (transfer none): its database file
 */
const char *
oc_address_book_get_path (OcAddressBook *self)
{
  g_return_val_if_fail (OC_IS_ADDRESS_BOOK (self), NULL);
  return self->path;
}

/**
 * oc_address_book_list:
 * @profile_dir: a Thunderbird profile directory
 * @prefs: the profile's preferences
 *
 * The profile's local address books whose files exist, in the order a
 * lookup should try them: the Personal Address Book first, the books
 * declared in prefs.js (dirType 101, or 102 for CardDAV copies) by name,
 * Collected Addresses last.
 *
 * Returns: (transfer full) (element-type OcAddressBook): the books
 */
GPtrArray *
oc_address_book_list (const char *profile_dir,
                      OcPrefs    *prefs)
{
  g_autoptr (GPtrArray) books = g_ptr_array_new_with_free_func (g_object_unref);
  g_auto (GStrv) ids = NULL;
  g_autoptr (GStrvBuilder) all_ids = g_strv_builder_new ();

  g_return_val_if_fail (profile_dir != NULL && OC_IS_PREFS (prefs), NULL);

  /* The built-ins exist even when prefs.js does not mention them. */
  ids = oc_prefs_dup_children (prefs, "ldap_2.servers.");
  g_strv_builder_add_many (all_ids, PERSONAL_ID, COLLECTED_ID, NULL);
  for (char **id = ids; *id; id++)
    if (!g_str_equal (*id, PERSONAL_ID) && !g_str_equal (*id, COLLECTED_ID))
      g_strv_builder_add (all_ids, *id);
  g_clear_pointer (&ids, g_strfreev);
  ids = g_strv_builder_end (all_ids);

  for (char **id = ids; *id; id++)
    {
      OcAddressBook *book = book_from_prefs (profile_dir, prefs, *id);
      if (book != NULL)
        g_ptr_array_add (books, book);
    }
  g_ptr_array_sort (books, compare_books);
  return g_steal_pointer (&books);
}

/**
 * oc_address_book_lookup_sync:
 * @self: an address book
 * @email: an e-mail address
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * Finds the card with @email among its addresses (any of them, in any case).
 * When several cards have it, the first one with a Custom1 wins. Blocks:
 * call it from a worker thread.
 *
 * Returns: (transfer full) (nullable): the card, or %NULL if there is none
 *   (@error unset) or on failure (@error set; %OC_ADDRESS_BOOK_ERROR_UNREADABLE
 *   for a missing, damaged or foreign file)
 */
OcContact *
oc_address_book_lookup_sync (OcAddressBook  *self,
                             const char     *email,
                             GCancellable   *cancellable,
                             GError        **error)
{
  g_autoptr (OcSqliteSnapshot) snapshot = NULL;
  g_autoptr (GError) local_error = NULL;
  g_autofree char *folded = NULL;

  g_return_val_if_fail (OC_IS_ADDRESS_BOOK (self), NULL);
  g_return_val_if_fail (email != NULL, NULL);

  {
    g_autofree char *valid = g_utf8_make_valid (email, -1);
    folded = g_utf8_casefold (valid, -1);
  }
  /* Read in place without locks: if the owner wrote meanwhile, read again. */
  for (int attempt = 0; attempt < MAX_READS; attempt++)
    {
      g_autoptr (OcContact) contact = NULL;

      g_clear_pointer (&snapshot, oc_sqlite_snapshot_free);
      g_clear_error (&local_error);
      snapshot = oc_sqlite_snapshot_open (self->path, cancellable, &local_error);
      if (snapshot == NULL)
        break;
      if (cancellable != NULL)
        sqlite3_progress_handler (oc_sqlite_snapshot_get_db (snapshot), 10000, check_cancelled_cb, cancellable);
      contact = lookup_in_db (oc_sqlite_snapshot_get_db (snapshot), folded, &local_error);
      if (oc_sqlite_snapshot_is_stale (snapshot) && attempt + 1 < MAX_READS)
        continue;
      if (local_error == NULL)
        return g_steal_pointer (&contact);
      break;
    }
  if (g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return NULL;
    }
  g_set_error (error, OC_ADDRESS_BOOK_ERROR, OC_ADDRESS_BOOK_ERROR_UNREADABLE,
               "The address book “%s” cannot be read: it is missing, damaged or not an address book\n%s: %s",
               self->name, self->path, local_error->message);
  return NULL;
}
