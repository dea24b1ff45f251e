/* oc-ldif.c: write and read LDIF modify records (RFC 2849).
 *
 * owacal-provision shows its changes as LDIF, writes the undo file as LDIF and
 * reads that file back with --undo, so an administrator can read, edit, or apply
 * either with ldapmodify instead.  Only "changetype: modify" records are read:
 * that is all owacal ever writes, and refusing the rest (adds, deletes, renames)
 * means an undo file can never do more than put attribute values back.
 */
#include "config.h"
#include "oc-ldif.h"

#include <string.h>

G_DEFINE_QUARK (oc-ldif-error-quark, oc_ldif_error)

#define LINE_WIDTH 76

/* Writing */

/* RFC 2849 SAFE-STRING: ASCII without NUL, LF and CR, not starting with a space,
 * ':' or '<'.  A trailing space would be lost by many tools, so it is base64 too. */
static gboolean
is_safe_string (const char *value)
{
  gsize len = strlen (value);

  if (len == 0)
    return TRUE;
  if (value[0] == ' ' || value[0] == ':' || value[0] == '<' || value[len - 1] == ' ')
    return FALSE;
  for (const unsigned char *p = (const unsigned char *) value; *p != '\0'; p++)
    if (*p > 0x7f || *p == '\n' || *p == '\r')
      return FALSE;
  return TRUE;
}

/* Folds @line at LINE_WIDTH: continuation lines start with one space. */
static void
append_folded (GString    *ldif,
               const char *line)
{
  gsize len = strlen (line);
  gsize width = LINE_WIDTH;

  while (len > width)
    {
      g_string_append_len (ldif, line, width);
      g_string_append (ldif, "\n ");
      line += width;
      len -= width;
      width = LINE_WIDTH - 1;
    }
  g_string_append (ldif, line);
  g_string_append_c (ldif, '\n');
}

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
 * safe string (non-ASCII, leading or trailing space, ...), folded at 76 columns.
 */
void
oc_ldif_append_attribute (GString    *ldif,
                          const char *attribute,
                          const char *value)
{
  g_autofree char *line = NULL;

  g_return_if_fail (ldif != NULL && attribute != NULL && value != NULL);

  if (is_safe_string (value))
    line = g_strdup_printf ("%s: %s", attribute, value);
  else
    {
      g_autofree char *encoded = g_base64_encode ((const guchar *) value, strlen (value));

      line = g_strdup_printf ("%s:: %s", attribute, encoded);
    }
  append_folded (ldif, line);
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
  char *text;   /* unfolded */
  guint number; /* first physical line, 1-based */
} Line;

static void
clear_line (gpointer data)
{
  g_free (((Line *) data)->text);
}

/* Physical lines -> logical lines: continuations (a leading space) joined, comments
 * dropped, blank lines kept as "" (they end records). */
static GArray *
unfold (const char *text)
{
  g_auto (GStrv) physical = g_strsplit (text, "\n", -1);
  GArray *lines = g_array_new (FALSE, TRUE, sizeof (Line));
  gboolean in_comment = FALSE;

  g_array_set_clear_func (lines, clear_line);
  for (guint i = 0; physical[i] != NULL; i++)
    {
      char *line = physical[i];
      gsize len = strlen (line);

      if (len > 0 && line[len - 1] == '\r')
        line[--len] = '\0';
      if (line[0] == ' ')
        {
          if (!in_comment && lines->len > 0 && g_array_index (lines, Line, lines->len - 1).text[0] != '\0')
            {
              Line *last = &g_array_index (lines, Line, lines->len - 1);
              char *joined = g_strconcat (last->text, line + 1, NULL);

              g_free (last->text);
              last->text = joined;
            }
          continue;
        }
      in_comment = line[0] == '#';
      if (!in_comment)
        {
          Line l = { g_strdup (line), i + 1 };

          g_array_append_val (lines, l);
        }
    }
  return lines;
}

/* "name: value" or "name:: base64" -> name and decoded value. */
static gboolean
split_line (const Line *line,
            char      **out_name,
            char      **out_value,
            GError    **error)
{
  const char *colon = strchr (line->text, ':');
  const char *value;

  if (colon == NULL || colon == line->text)
    {
      g_set_error (error, OC_LDIF_ERROR, OC_LDIF_ERROR_SYNTAX, "line %u: expected “name: value”, found “%s”",
                   line->number, line->text);
      return FALSE;
    }
  *out_name = g_strndup (line->text, colon - line->text);
  value = colon + 1;
  if (*value == '<')
    {
      g_set_error (error, OC_LDIF_ERROR, OC_LDIF_ERROR_UNSUPPORTED, "line %u: values read from URLs are not supported",
                   line->number);
      g_clear_pointer (out_name, g_free);
      return FALSE;
    }
  if (*value == ':')
    {
      gsize len = 0;
      guchar *decoded = g_base64_decode (g_strchug ((char *) value + 1), &len);

      *out_value = g_strndup ((const char *) decoded, len);
      g_free (decoded);
      if (strlen (*out_value) != len || !g_utf8_validate (*out_value, -1, NULL))
        {
          g_set_error (error, OC_LDIF_ERROR, OC_LDIF_ERROR_UNSUPPORTED, "line %u: binary values are not supported",
                       line->number);
          g_clear_pointer (out_name, g_free);
          g_clear_pointer (out_value, g_free);
          return FALSE;
        }
      return TRUE;
    }
  while (*value == ' ')
    value++;
  *out_value = g_strdup (value);
  return TRUE;
}

/* Parses the mod-specs of one record, lines[*i] onwards, until a blank line. */
static gboolean
parse_mods (GArray       *lines,
            guint        *i,
            OcLdifChange *change,
            GError      **error)
{
  static const char * const op_names[] = { "add", "delete", "replace" };

  while (*i < lines->len && g_array_index (lines, Line, *i).text[0] != '\0')
    {
      const Line *spec = &g_array_index (lines, Line, *i);
      g_autofree char *op_name = NULL, *attribute = NULL;
      int op = -1;
      guint n_values = 0;

      if (!split_line (spec, &op_name, &attribute, error))
        return FALSE;
      for (guint k = 0; k < G_N_ELEMENTS (op_names); k++)
        if (g_ascii_strcasecmp (op_name, op_names[k]) == 0)
          op = k;
      if (op < 0)
        {
          g_set_error (error, OC_LDIF_ERROR, OC_LDIF_ERROR_SYNTAX, "line %u: expected add:, delete: or replace:, found “%s”",
                       spec->number, spec->text);
          return FALSE;
        }
      for ((*i)++; *i < lines->len; (*i)++)
        {
          const Line *line = &g_array_index (lines, Line, *i);
          g_autofree char *name = NULL, *value = NULL;

          if (line->text[0] == '\0' || strcmp (line->text, "-") == 0)
            break;
          if (!split_line (line, &name, &value, error))
            return FALSE;
          if (g_ascii_strcasecmp (name, attribute) != 0)
            {
              g_set_error (error, OC_LDIF_ERROR, OC_LDIF_ERROR_SYNTAX, "line %u: a value of %s inside the change of %s",
                           line->number, name, attribute);
              return FALSE;
            }
          if (op == OC_LDAP_MOD_REPLACE && n_values > 0)
            {
              g_set_error (error, OC_LDIF_ERROR, OC_LDIF_ERROR_UNSUPPORTED,
                           "line %u: replacing %s with several values is not supported", line->number, attribute);
              return FALSE;
            }
          oc_ldap_mods_add (change->mods, op, attribute, value);
          n_values++;
        }
      if (n_values == 0)
        oc_ldap_mods_add (change->mods, op, attribute, NULL);
      if (*i < lines->len && strcmp (g_array_index (lines, Line, *i).text, "-") == 0)
        (*i)++;
    }
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
  g_autoptr (GArray) lines = NULL;
  guint i = 0;

  g_return_val_if_fail (text != NULL, NULL);

  lines = unfold (text);
  while (i < lines->len)
    {
      g_autoptr (OcLdifChange) change = NULL;
      g_autofree char *name = NULL, *dn = NULL, *type_name = NULL, *type = NULL;
      const Line *first = &g_array_index (lines, Line, i);

      if (first->text[0] == '\0' || g_ascii_strncasecmp (first->text, "version:", 8) == 0)
        {
          i++;
          continue;
        }
      if (!split_line (first, &name, &dn, error))
        return NULL;
      if (g_ascii_strcasecmp (name, "dn") != 0)
        {
          g_set_error (error, OC_LDIF_ERROR, OC_LDIF_ERROR_SYNTAX, "line %u: a record must start with “dn:”", first->number);
          return NULL;
        }
      if (i + 1 >= lines->len || !split_line (&g_array_index (lines, Line, i + 1), &type_name, &type, NULL) ||
          g_ascii_strcasecmp (type_name, "changetype") != 0 || g_ascii_strcasecmp (type, "modify") != 0)
        {
          g_set_error (error, OC_LDIF_ERROR, OC_LDIF_ERROR_UNSUPPORTED,
                       "line %u: only “changetype: modify” records can be applied (the entry %s)", first->number, dn);
          return NULL;
        }
      change = oc_ldif_change_new (dn);
      change->line = first->number;
      i += 2;
      if (!parse_mods (lines, &i, change, error))
        return NULL;
      g_ptr_array_add (changes, g_steal_pointer (&change));
    }
  return g_steal_pointer (&changes);
}
