/* oc-ldif.c: write and read LDIF modify records (RFC 2849).
 *
 * owacal-provision shows its changes as LDIF, writes the undo file as LDIF and
 * reads that file back with --undo, so an administrator can read, edit, or apply
 * either with ldapmodify instead.  Only "changetype: modify" records are read:
 * that is all owacal ever writes, and refusing the rest (adds, deletes, renames)
 * means an undo file can never do more than put attribute values back.
 *
 * Values are written, and lines unfolded and split into name and value, by
 * OpenLDAP's LDIF routines (ldif.h in libldap), the ones ldapmodify uses.
 * Records are told apart here: ldap_parse_ldif_record() would follow
 * "include:" lines, fetch "name:< URL" values (file: included) and print its
 * complaints on stderr, while an undo file must stay a list of attribute values.
 */
#include "config.h"
#include "oc-ldif.h"

#include <stdio.h>      /* ldif.h needs FILE */
#include <string.h>
#include <ldap.h>
#include <ldif.h>

G_DEFINE_QUARK (oc-ldif-error-quark, oc_ldif_error)

#define LINE_WIDTH 76

/* Writing */

/**
 * oc_ldif_append_comment:
 * @ldif: the LDIF being written
 * @text: one or more lines of text
 *
 * Appends @text as comment lines ("# ..."), which LDIF readers skip.
 */
void
oc_ldif_append_comment (GString    *ldif,
                        const char *text)
{
  g_auto (GStrv) lines = NULL;

  g_return_if_fail (ldif != NULL && text != NULL);

  if (*text == '\0')
    {
      g_string_append (ldif, "#\n");
      return;
    }
  lines = g_strsplit (text, "\n", -1);
  for (char **line = lines; *line != NULL; line++)
    {
      g_string_append (ldif, **line != '\0' ? "# " : "#");
      g_string_append (ldif, *line);
      g_string_append_c (ldif, '\n');
    }
}

/**
 * oc_ldif_append_attribute:
 * @ldif: the LDIF being written
 * @attribute: an attribute name (or "dn")
 * @value: its value
 *
 * Appends "attribute: value", or "attribute:: base64" when the value is not a
 * safe string (non-ASCII, control characters, a leading or trailing space, ...),
 * folded at 76 columns, as OpenLDAP's tools write it.
 */
void
oc_ldif_append_attribute (GString    *ldif,
                          const char *attribute,
                          const char *value)
{
  char *line;

  g_return_if_fail (ldif != NULL && attribute != NULL && value != NULL);

  /* LDIF_PUT_VALUE picks base64 for what is not a SAFE-STRING, and also for
   * a trailing space, which many tools would lose. */
  line = ldif_put_wrap (LDIF_PUT_VALUE, attribute, value, strlen (value), LINE_WIDTH);
  g_string_append (ldif, line);
  ber_memfree (line);
}

/**
 * oc_ldif_append_modify:
 * @ldif: the LDIF being written
 * @dn: the entry
 * @mods: (array length=n_mods): its changes
 * @n_mods: how many
 *
 * Appends one "changetype: modify" record and the blank line that ends it.
 */
void
oc_ldif_append_modify (GString         *ldif,
                       const char      *dn,
                       const OcLdapMod *mods,
                       gsize            n_mods)
{
  static const char * const op_names[] = { "add", "delete", "replace" };

  g_return_if_fail (ldif != NULL && dn != NULL && (mods != NULL || n_mods == 0));

  oc_ldif_append_attribute (ldif, "dn", dn);
  g_string_append (ldif, "changetype: modify\n");
  for (gsize i = 0; i < n_mods; i++)
    {
      oc_ldif_append_attribute (ldif, op_names[mods[i].op], mods[i].attribute);
      if (mods[i].value != NULL)
        oc_ldif_append_attribute (ldif, mods[i].attribute, mods[i].value);
      g_string_append (ldif, "-\n");
    }
  g_string_append_c (ldif, '\n');
}

/* Changes */

/**
 * oc_ldif_change_new:
 * @dn: the entry to change
 *
 * Returns: (transfer full): a modify record without changes yet
 */
OcLdifChange *
oc_ldif_change_new (const char *dn)
{
  OcLdifChange *change = g_new0 (OcLdifChange, 1);

  change->dn = g_strdup (dn);
  change->mods = oc_ldap_mods_new ();
  return change;
}

/**
 * oc_ldif_change_free:
 * @change: (nullable): a modify record
 */
void
oc_ldif_change_free (OcLdifChange *change)
{
  if (change == NULL)
    return;
  g_array_unref (change->mods);
  g_free (change->dn);
  g_free (change);
}

/* Reading */

typedef struct {
  char *buffer;         /* the text, cut into lines in place by ldif_getline() */
  char *next;           /* where ldif_getline() goes on */
  gsize counted;        /* the newlines of buffer before here are counted... */
  guint number;         /* ...and this is the line there, 1-based */
  const char *text;     /* the text as given, which keeps its newlines */
} Reader;

/* The number of the physical line @line starts on; lines are asked for in order. */
static guint
line_number (Reader     *reader,
             const char *line)
{
  gsize offset = line - reader->buffer;

  for (; reader->counted < offset; reader->counted++)
    reader->number += reader->text[reader->counted] == '\n';
  return reader->number;
}

/* Skips the blank lines before a record; FALSE when there is none. */
static gboolean
reader_next_record (Reader *reader)
{
  if (reader->next == NULL)
    return FALSE;
  reader->next += strspn (reader->next, "\r\n");
  return *reader->next != '\0';
}

/* The next line of the record, continuations joined and comments skipped,
 * or NULL at the blank line (or the end) that ends the record. Only the
 * value of a folded line is cleaned of ldif_getline()'s markers ('\r'),
 * and so is a CRLF line's end, by ldif_parse_line2(). */
static char *
reader_next_line (Reader *reader,
                  guint  *out_number)
{
  char *line = ldif_getline (&reader->next);

  if (line != NULL)
    *out_number = line_number (reader, line);
  return line;
}

static gboolean
is_separator (const char *line)
{
  return line[0] == '-' && line[1 + strspn (line + 1, "\r")] == '\0';
}

/* "name: value" or "name:: base64" -> name and decoded value. */
static gboolean
split_line (char    *line,
            guint    number,
            char   **out_name,
            char   **out_value,
            GError **error)
{
  const char *colon = strchr (line, ':');
  struct berval type, value;
  int freeval = 0;

  /* Refused before ldif_parse_line2() sees it, as that would read the URL. */
  if (colon != NULL && colon[1] == '<')
    {
      g_set_error (error, OC_LDIF_ERROR, OC_LDIF_ERROR_UNSUPPORTED, "line %u: values read from URLs are not supported",
                   number);
      return FALSE;
    }
  if (colon == NULL || colon == line)
    {
      g_autofree char *shown = g_strdelimit (g_strdup (line), "\r", ' ');

      g_set_error (error, OC_LDIF_ERROR, OC_LDIF_ERROR_SYNTAX, "line %u: expected “name: value”, found “%s”",
                   number, g_strstrip (shown));
      return FALSE;
    }
  if (ldif_parse_line2 (line, &type, &value, &freeval) != 0 || type.bv_len == 0)
    {
      g_set_error (error, OC_LDIF_ERROR, OC_LDIF_ERROR_SYNTAX, "line %u: a name without a value that LDIF can read",
                   number);
      return FALSE;
    }
  g_assert (!freeval);   /* URLs are refused above; other values are decoded in place */
  if (memchr (value.bv_val, '\0', value.bv_len) != NULL || !g_utf8_validate (value.bv_val, value.bv_len, NULL))
    {
      g_set_error (error, OC_LDIF_ERROR, OC_LDIF_ERROR_UNSUPPORTED,
                   "line %u: binary values (not UTF-8 text) are not supported", number);
      return FALSE;
    }
  *out_name = g_strndup (type.bv_val, type.bv_len);
  *out_value = g_strndup (value.bv_val, value.bv_len);
  return TRUE;
}

static int
find_op (const char *name)
{
  static const char * const op_names[] = { "add", "delete", "replace" };

  for (guint k = 0; k < G_N_ELEMENTS (op_names); k++)
    if (g_ascii_strcasecmp (name, op_names[k]) == 0)
      return k;
  return -1;
}

/* Reads the values of one mod-spec, up to its "-" or the record's end, into
 * @change. Returns FALSE with @error set, or TRUE with *@out_end set when
 * the record ended. */
static gboolean
parse_values (Reader       *reader,
              OcLdifChange *change,
              int           op,
              const char   *attribute,
              gboolean     *out_end,
              GError      **error)
{
  guint n_values = 0, number = 0;
  char *line;

  while ((line = reader_next_line (reader, &number)) != NULL && !is_separator (line))
    {
      g_autofree char *name = NULL, *value = NULL;

      if (!split_line (line, number, &name, &value, error))
        return FALSE;
      if (g_ascii_strcasecmp (name, attribute) != 0)
        {
          g_set_error (error, OC_LDIF_ERROR, OC_LDIF_ERROR_SYNTAX, "line %u: a value of %s inside the change of %s",
                       number, name, attribute);
          return FALSE;
        }
      if (op == OC_LDAP_MOD_REPLACE && n_values > 0)
        {
          g_set_error (error, OC_LDIF_ERROR, OC_LDIF_ERROR_UNSUPPORTED,
                       "line %u: replacing %s with several values is not supported", number, attribute);
          return FALSE;
        }
      oc_ldap_mods_add (change->mods, op, attribute, value);
      n_values++;
    }
  if (n_values == 0)
    oc_ldap_mods_add (change->mods, op, attribute, NULL);
  *out_end = line == NULL;
  return TRUE;
}

/* Parses the mod-specs of one record until the blank line that ends it. */
static gboolean
parse_mods (Reader       *reader,
            OcLdifChange *change,
            GError      **error)
{
  gboolean end = FALSE;
  guint number = 0;
  char *spec;

  while (!end && (spec = reader_next_line (reader, &number)) != NULL)
    {
      g_autofree char *op_name = NULL, *attribute = NULL;
      int op;

      if (!split_line (spec, number, &op_name, &attribute, error))
        return FALSE;
      op = find_op (op_name);
      if (op < 0)
        {
          g_set_error (error, OC_LDIF_ERROR, OC_LDIF_ERROR_SYNTAX, "line %u: expected add:, delete: or replace:, found “%s”",
                       number, op_name);
          return FALSE;
        }
      if (!parse_values (reader, change, op, attribute, &end, error))
        return FALSE;
    }
  return TRUE;
}

/* Reads a record's "dn:" and "changetype: modify" lines (after a "version:"
 * line, for the first record). Returns FALSE with @error set, or TRUE with
 * the new change, or with none for a record of comments only. */
static gboolean
parse_record_head (Reader        *reader,
                   OcLdifChange **out_change,
                   GError       **error)
{
  g_autofree char *name = NULL, *dn = NULL, *type_name = NULL, *type = NULL;
  guint number = 0, type_number = 0;
  char *line = reader_next_line (reader, &number);
  char *type_line;

  *out_change = NULL;
  if (line != NULL && g_ascii_strncasecmp (line, "version:", 8) == 0)
    line = reader_next_line (reader, &number);
  if (line == NULL)
    return TRUE;
  if (!split_line (line, number, &name, &dn, error))
    return FALSE;
  if (g_ascii_strcasecmp (name, "dn") != 0)
    {
      g_set_error (error, OC_LDIF_ERROR, OC_LDIF_ERROR_SYNTAX, "line %u: a record must start with “dn:”", number);
      return FALSE;
    }
  type_line = reader_next_line (reader, &type_number);
  if (type_line == NULL || !split_line (type_line, type_number, &type_name, &type, NULL) ||
      g_ascii_strcasecmp (type_name, "changetype") != 0 || g_ascii_strcasecmp (type, "modify") != 0)
    {
      g_set_error (error, OC_LDIF_ERROR, OC_LDIF_ERROR_UNSUPPORTED,
                   "line %u: only “changetype: modify” records can be applied (the entry %s)", number, dn);
      return FALSE;
    }
  *out_change = oc_ldif_change_new (dn);
  (*out_change)->line = number;
  return TRUE;
}

/**
 * oc_ldif_parse_changes:
 * @text: LDIF
 * @error: return location for an %OC_LDIF_ERROR
 *
 * Reads "changetype: modify" records; anything else is an error.
 *
 * Returns: (transfer full) (element-type OcLdifChange) (nullable): the records in file order
 */
GPtrArray *
oc_ldif_parse_changes (const char *text,
                       GError    **error)
{
  g_autoptr (GPtrArray) changes = g_ptr_array_new_with_free_func ((GDestroyNotify) oc_ldif_change_free);
  g_autofree char *buffer = NULL;
  Reader reader = { 0 };

  g_return_val_if_fail (text != NULL, NULL);

  buffer = g_strdup (text);
  reader = (Reader) { buffer, buffer, 0, 1, text };
  while (reader_next_record (&reader))
    {
      g_autoptr (OcLdifChange) change = NULL;

      if (!parse_record_head (&reader, &change, error))
        return NULL;
      if (change == NULL)
        continue;
      if (!parse_mods (&reader, change, error))
        return NULL;
      g_ptr_array_add (changes, g_steal_pointer (&change));
    }
  return g_steal_pointer (&changes);
}
