/* oc-prefs.c: a Mozilla profile's preferences (prefs.js, user.js), read-only.
 *
 * Thunderbird keeps its settings, the LDAP directories and the extra address
 * books among them, as JavaScript-looking lines:
 *
 *   user_pref("ldap_2.servers.CorpAD.uri", "ldap://host/dc=x??sub?(objectclass=*)");
 *   user_pref("ldap_2.servers.CorpAD.maxHits", 100);
 *
 * It is not JavaScript: Mozilla's own parser accepts a small grammar (pref,
 * user_pref and sticky_pref calls; strings in either quote with \" \\ \n \xNN
 * \uNNNN escapes; integers; true and false; three comment styles), and on a
 * bad line reports it and skips to the next ';'. This reader does the same, so
 * a line an extension or a person wrote badly costs that line only.
 */
#include "config.h"
#include "oc-prefs.h"

#include <string.h>

struct _OcPrefs {
  GObject parent_instance;

  GHashTable *values;  /* name → GVariant of type s, i or b */
  guint n_skipped;     /* statements that did not parse */
};

G_DEFINE_FINAL_TYPE (OcPrefs, oc_prefs, G_TYPE_OBJECT)

typedef struct {
  const char *p;
  const char *end;
} Scanner;

/* Parsing */

static void
skip_blanks (Scanner *s)
{
  while (s->p < s->end)
    {
      if (g_ascii_isspace (*s->p))
        s->p++;
      else if (*s->p == '#' || (*s->p == '/' && s->p + 1 < s->end && s->p[1] == '/'))
        {
          while (s->p < s->end && *s->p != '\n')
            s->p++;
        }
      else if (*s->p == '/' && s->p + 1 < s->end && s->p[1] == '*')
        {
          const char *close = g_strstr_len (s->p + 2, s->end - s->p - 2, "*/");
          s->p = close != NULL ? close + 2 : s->end;
        }
      else
        break;
    }
}

static gboolean
expect_char (Scanner *s,
             char     c)
{
  skip_blanks (s);
  if (s->p < s->end && *s->p == c)
    {
      s->p++;
      return TRUE;
    }
  return FALSE;
}

static gboolean
read_hex (Scanner *s,
          int      digits,
          gunichar *out)
{
  gunichar value = 0;

  if (s->end - s->p < digits)
    return FALSE;
  for (int i = 0; i < digits; i++, s->p++)
    {
      int d = g_ascii_xdigit_value (*s->p);
      if (d < 0)
        return FALSE;
      value = value * 16 + d;
    }
  *out = value;
  return TRUE;
}

static gboolean
read_escape (Scanner *s,
             GString *out)
{
  gunichar c, low;

  if (s->p >= s->end)
    return FALSE;
  switch (*s->p++)
    {
    case 'n': g_string_append_c (out, '\n'); return TRUE;
    case 'r': g_string_append_c (out, '\r'); return TRUE;
    case 't': g_string_append_c (out, '\t'); return TRUE;
    case '"': g_string_append_c (out, '"'); return TRUE;
    case '\'': g_string_append_c (out, '\''); return TRUE;
    case '\\': g_string_append_c (out, '\\'); return TRUE;
    case 'x':
      if (!read_hex (s, 2, &c) || c == 0)
        return FALSE;
      g_string_append_unichar (out, c);
      return TRUE;
    case 'u':
      if (!read_hex (s, 4, &c) || c == 0)
        return FALSE;
      /* Non-BMP characters come as a UTF-16 surrogate pair: \uD83D\uDE00. */
      if (c >= 0xD800 && c <= 0xDBFF)
        {
          if (s->end - s->p < 6 || s->p[0] != '\\' || s->p[1] != 'u')
            return FALSE;
          s->p += 2;
          if (!read_hex (s, 4, &low) || low < 0xDC00 || low > 0xDFFF)
            return FALSE;
          c = 0x10000 + ((c - 0xD800) << 10) + (low - 0xDC00);
        }
      else if (c >= 0xDC00 && c <= 0xDFFF)
        return FALSE;
      g_string_append_unichar (out, c);
      return TRUE;
    default:
      return FALSE;
    }
}

static char *
read_string (Scanner *s)
{
  g_autoptr (GString) out = NULL;
  char quote;

  skip_blanks (s);
  if (s->p >= s->end || (*s->p != '"' && *s->p != '\''))
    return NULL;
  quote = *s->p++;
  out = g_string_new (NULL);
  while (s->p < s->end && *s->p != quote)
    {
      if (*s->p == '\\')
        {
          s->p++;
          if (!read_escape (s, out))
            return NULL;
        }
      else
        g_string_append_c (out, *s->p++);
    }
  if (s->p >= s->end)
    return NULL;
  s->p++;
  if (!g_utf8_validate (out->str, out->len, NULL))
    return NULL;
  return g_string_free (g_steal_pointer (&out), FALSE);
}

static gboolean
read_word (Scanner    *s,
           const char *word)
{
  gsize len = strlen (word);

  skip_blanks (s);
  if ((gsize) (s->end - s->p) < len || strncmp (s->p, word, len) != 0)
    return FALSE;
  if (s->p + len < s->end && (g_ascii_isalnum (s->p[len]) || s->p[len] == '_'))
    return FALSE;
  s->p += len;
  return TRUE;
}

static GVariant *
read_value (Scanner *s)
{
  char *text;

  skip_blanks (s);
  if (s->p < s->end && (*s->p == '"' || *s->p == '\''))
    return (text = read_string (s)) ? g_variant_new_take_string (text) : NULL;
  if (read_word (s, "true"))
    return g_variant_new_boolean (TRUE);
  if (read_word (s, "false"))
    return g_variant_new_boolean (FALSE);
  if (s->p < s->end && (g_ascii_isdigit (*s->p) || *s->p == '-' || *s->p == '+'))
    {
      g_autofree char *digits = NULL;
      const char *start = s->p;
      gint64 value;
      char *end;

      s->p++;
      while (s->p < s->end && g_ascii_isdigit (*s->p))
        s->p++;
      digits = g_strndup (start, s->p - start);
      value = g_ascii_strtoll (digits, &end, 10);
      if (*end != '\0' || end == digits || value < G_MININT32 || value > G_MAXINT32)
        return NULL;
      return g_variant_new_int32 ((gint32) value);
    }
  return NULL;
}

/* One pref(...); statement. */
static gboolean
read_statement (OcPrefs *self,
                Scanner *s)
{
  g_autofree char *name = NULL;
  g_autoptr (GVariant) value = NULL;

  if (!read_word (s, "user_pref") && !read_word (s, "pref") && !read_word (s, "sticky_pref"))
    return FALSE;
  if (!expect_char (s, '(') || (name = read_string (s)) == NULL || !expect_char (s, ','))
    return FALSE;
  if ((value = read_value (s)) == NULL)
    return FALSE;
  /* pref() in default files may carry attributes: pref("a", 1, locked). */
  while (expect_char (s, ','))
    if (!read_word (s, "sticky") && !read_word (s, "locked"))
      return FALSE;
  if (!expect_char (s, ')') || !expect_char (s, ';'))
    return FALSE;
  g_hash_table_replace (self->values, g_steal_pointer (&name), g_variant_ref_sink (g_steal_pointer (&value)));
  return TRUE;
}

static int
compare_names (const void *a,
               const void *b)
{
  return strcmp (*(const char *const *) a, *(const char *const *) b);
}

static void
skip_to_next_statement (Scanner *s)
{
  const char *semicolon = memchr (s->p, ';', s->end - s->p);

  s->p = semicolon != NULL ? semicolon + 1 : s->end;
}

/* GObject */

static void
oc_prefs_finalize (GObject *object)
{
  OcPrefs *self = OC_PREFS (object);

  g_clear_pointer (&self->values, g_hash_table_unref);
  G_OBJECT_CLASS (oc_prefs_parent_class)->finalize (object);
}

static void
oc_prefs_class_init (OcPrefsClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = oc_prefs_finalize;
}

static void
oc_prefs_init (OcPrefs *self)
{
  self->values = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, (GDestroyNotify) g_variant_unref);
}

/* Public API */

/**
 * oc_prefs_new:
 *
 * Returns: (transfer full): an empty set of preferences
 */
OcPrefs *
oc_prefs_new (void)
{
  return g_object_new (OC_TYPE_PREFS, NULL);
}

/**
 * oc_prefs_load_data:
 * @self: the preferences
 * @data: the text of a prefs.js or user.js file
 * @length: its length, or -1 if nul-terminated
 * @error: return location for a #GError
 *
 * Adds the statements of @data; a name set again replaces the earlier value,
 * as in Mozilla. Bad statements are skipped and counted, never an error.
 *
 * Returns: %TRUE (the signature leaves room for a fatal error)
 */
gboolean
oc_prefs_load_data (OcPrefs     *self,
                    const char  *data,
                    gssize       length,
                    GError     **error)
{
  Scanner s;

  g_return_val_if_fail (OC_IS_PREFS (self), FALSE);
  g_return_val_if_fail (data != NULL, FALSE);

  s.p = data;
  s.end = data + (length < 0 ? strlen (data) : (gsize) length);
  /* A byte-order mark is allowed at the start. */
  if (s.end - s.p >= 3 && memcmp (s.p, "\xEF\xBB\xBF", 3) == 0)
    s.p += 3;
  for (skip_blanks (&s); s.p < s.end; skip_blanks (&s))
    if (!read_statement (self, &s))
      {
        self->n_skipped++;
        skip_to_next_statement (&s);
      }
  return TRUE;
}

/**
 * oc_prefs_load_file:
 * @self: the preferences
 * @path: a prefs.js or user.js file
 * @error: return location for a #GError
 *
 * Returns: whether @path could be read (a missing file is an error)
 */
gboolean
oc_prefs_load_file (OcPrefs     *self,
                    const char  *path,
                    GError     **error)
{
  g_autofree char *contents = NULL;
  gsize length;

  g_return_val_if_fail (OC_IS_PREFS (self), FALSE);
  g_return_val_if_fail (path != NULL, FALSE);

  if (!g_file_get_contents (path, &contents, &length, error))
    return FALSE;
  return oc_prefs_load_data (self, contents, length, error);
}

/**
 * oc_prefs_load_profile:
 * @profile_dir: a Thunderbird (or Firefox) profile directory
 * @error: return location for a #GError
 *
 * Reads prefs.js, then user.js, which overrides it, as Thunderbird does at
 * start-up. Either file may be missing; one that exists but cannot be read
 * is an error.
 *
 * Returns: (transfer full) (nullable): the preferences, or %NULL with @error set
 */
OcPrefs *
oc_prefs_load_profile (const char  *profile_dir,
                       GError     **error)
{
  g_autoptr (OcPrefs) prefs = oc_prefs_new ();
  static const char *const files[] = { "prefs.js", "user.js" };

  g_return_val_if_fail (profile_dir != NULL, NULL);

  for (gsize i = 0; i < G_N_ELEMENTS (files); i++)
    {
      g_autofree char *path = g_build_filename (profile_dir, files[i], NULL);
      g_autoptr (GError) local_error = NULL;

      if (!oc_prefs_load_file (prefs, path, &local_error))
        {
          if (g_error_matches (local_error, G_FILE_ERROR, G_FILE_ERROR_NOENT))
            continue;
          g_propagate_error (error, g_steal_pointer (&local_error));
          return NULL;
        }
    }
  return g_steal_pointer (&prefs);
}

/**
 * oc_prefs_get_string:
 * @self: the preferences
 * @name: a preference name
 *
 * Returns: (nullable): the string value, or %NULL if unset or not a string
 */
const char *
oc_prefs_get_string (OcPrefs    *self,
                     const char *name)
{
  GVariant *value;

  g_return_val_if_fail (OC_IS_PREFS (self), NULL);
  value = g_hash_table_lookup (self->values, name);
  if (value == NULL || !g_variant_is_of_type (value, G_VARIANT_TYPE_STRING))
    return NULL;
  return g_variant_get_string (value, NULL);
}

/**
 * oc_prefs_get_int:
 * @self: the preferences
 * @name: a preference name
 * @out_value: (out): the value
 *
 * Returns: whether @name is set to an integer
 */
gboolean
oc_prefs_get_int (OcPrefs    *self,
                  const char *name,
                  int        *out_value)
{
  GVariant *value;

  g_return_val_if_fail (OC_IS_PREFS (self), FALSE);
  value = g_hash_table_lookup (self->values, name);
  if (value == NULL || !g_variant_is_of_type (value, G_VARIANT_TYPE_INT32))
    return FALSE;
  *out_value = g_variant_get_int32 (value);
  return TRUE;
}

/**
 * oc_prefs_get_bool:
 * @self: the preferences
 * @name: a preference name
 * @out_value: (out): the value
 *
 * Returns: whether @name is set to true or false
 */
gboolean
oc_prefs_get_bool (OcPrefs    *self,
                   const char *name,
                   gboolean   *out_value)
{
  GVariant *value;

  g_return_val_if_fail (OC_IS_PREFS (self), FALSE);
  value = g_hash_table_lookup (self->values, name);
  if (value == NULL || !g_variant_is_of_type (value, G_VARIANT_TYPE_BOOLEAN))
    return FALSE;
  *out_value = g_variant_get_boolean (value);
  return TRUE;
}

/**
 * oc_prefs_dup_children:
 * @self: the preferences
 * @prefix: a branch ending with a dot, such as "ldap_2.servers."
 *
 * Lists the distinct names one level below @prefix: for
 * "ldap_2.servers.CorpAD.uri" and "ldap_2.servers.pab.uid", "CorpAD" and "pab".
 *
 * Returns: (transfer full): the names, sorted
 */
GStrv
oc_prefs_dup_children (OcPrefs    *self,
                       const char *prefix)
{
  g_autoptr (GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr (GStrvBuilder) builder = g_strv_builder_new ();
  g_autofree const char **keys = NULL;
  gsize prefix_len = strlen (prefix);
  GHashTableIter iter;
  const char *name;
  guint n;

  g_return_val_if_fail (OC_IS_PREFS (self), NULL);

  g_hash_table_iter_init (&iter, self->values);
  while (g_hash_table_iter_next (&iter, (gpointer *) &name, NULL))
    {
      const char *rest, *dot;
      if (strncmp (name, prefix, prefix_len) != 0)
        continue;
      rest = name + prefix_len;
      dot = strchr (rest, '.');
      if (dot != NULL && dot > rest)
        g_hash_table_add (seen, g_strndup (rest, dot - rest));
    }
  keys = (const char **) g_hash_table_get_keys_as_array (seen, &n);
  qsort (keys, n, sizeof (char *), compare_names);
  for (guint i = 0; i < n; i++)
    g_strv_builder_add (builder, keys[i]);
  return g_strv_builder_end (builder);
}

/**
 * oc_prefs_get_n_skipped:
 * @self: the preferences
 *
 * Returns: how many statements did not parse and were skipped
 */
guint
oc_prefs_get_n_skipped (OcPrefs *self)
{
  g_return_val_if_fail (OC_IS_PREFS (self), 0);
  return self->n_skipped;
}
