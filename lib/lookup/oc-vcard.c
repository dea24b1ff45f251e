/* oc-vcard.c: the few things owacal reads from a vCard (RFC 6350 text).
 *
 * Since Thunderbird 102 a contact's vCard (the `_vCard` row of abook.sqlite)
 * is the truth: Custom1 lives there only, as X-CUSTOM1, and a third e-mail
 * address has no row of its own. Two details of the format bite a naive
 * reader, and Thunderbird writes both:
 *
 * - Lines are folded at 75 octets: CRLF and one space are inserted, in the
 *   middle of a URL as often as not ("…/?cmd=\r\n contents&module=calendar").
 * - TEXT values are escaped: "\," for a comma, "\\" for a backslash, "\;"
 *   and "\n". An OWA URL with a comma in it arrives as "a\,b".
 *
 * Only what owacal needs is here: the values of one property, unfolded and
 * unescaped, as valid UTF-8. The lookup scans every card of a big address book through
 * oc_vcard_has_text(), so lines without folding are read in place, without
 * copies.
 */
#include "config.h"
#include "oc-vcard.h"

#include <string.h>

/* Return FALSE to stop. @value is unfolded but still escaped, not nul-terminated. */
typedef gboolean (*ValueFunc) (const char *value, gsize length, gpointer user_data);

/* The logical line starting at *p, unfolded into @scratch only when it is folded. */
static gboolean
next_line (const char **p,
           const char  *end,
           GString     *scratch,
           const char **out_line,
           gsize       *out_length)
{
  const char *start = *p;
  const char *nl;

  if (start >= end)
    return FALSE;
  nl = memchr (start, '\n', end - start);
  if (nl == NULL)
    nl = end;
  *out_line = start;
  *out_length = (nl > start && nl[-1] == '\r') ? (gsize) (nl - 1 - start) : (gsize) (nl - start);
  *p = nl < end ? nl + 1 : end;
  if (*p >= end || (**p != ' ' && **p != '\t'))
    return TRUE;

  /* Folded: glue the continuation lines on, each without its one leading blank. */
  g_string_truncate (scratch, 0);
  g_string_append_len (scratch, *out_line, *out_length);
  while (*p < end && (**p == ' ' || **p == '\t'))
    {
      const char *piece = *p + 1;
      nl = memchr (piece, '\n', end - piece);
      if (nl == NULL)
        nl = end;
      g_string_append_len (scratch, piece, ((nl > piece && nl[-1] == '\r') ? nl - 1 : nl) - piece);
      *p = nl < end ? nl + 1 : end;
    }
  *out_line = scratch->str;
  *out_length = scratch->len;
  return TRUE;
}

/* Whether @line is a @property line ("item1.EMAIL;PREF=1:x" is an EMAIL line); sets the value. */
static gboolean
match_property (const char  *line,
                gsize        length,
                const char  *property,
                gsize        property_length,
                const char **out_value,
                gsize       *out_value_length)
{
  const char *end = line + length;
  const char *name = line, *name_end = line;
  gboolean quoted = FALSE;
  const char *p;

  while (name_end < end && *name_end != ';' && *name_end != ':')
    {
      if (*name_end == '.')
        name = name_end + 1;
      name_end++;
    }
  if ((gsize) (name_end - name) != property_length || g_ascii_strncasecmp (name, property, property_length) != 0)
    return FALSE;
  /* Parameter values may be quoted and hold ':' (LABEL="a:b"). */
  for (p = name_end; p < end; p++)
    {
      if (*p == '"')
        quoted = !quoted;
      else if (*p == ':' && !quoted)
        break;
    }
  if (p >= end)
    return FALSE;
  *out_value = p + 1;
  *out_value_length = end - (p + 1);
  return TRUE;
}

static void
for_each_value (const char *vcard,
                gssize      length,
                const char *property,
                ValueFunc   func,
                gpointer    user_data)
{
  g_autoptr (GString) scratch = g_string_new (NULL);
  const char *p = vcard;
  const char *end = vcard + (length < 0 ? strlen (vcard) : (gsize) length);
  gsize property_length = strlen (property);
  const char *line, *value;
  gsize line_length, value_length;

  while (next_line (&p, end, scratch, &line, &line_length))
    if (match_property (line, line_length, property, property_length, &value, &value_length) &&
        !func (value, value_length, user_data))
      return;
}

/* RFC 6350 §3.4; an unknown escape is kept as it is, as Thunderbird's parser does.
 * The result is valid UTF-8: a card is someone else's bytes (an old Latin-1
 * export, a sequence cut short), and GLib's UTF-8 functions, casefolding
 * first, read a bad sequence past its end. */
static char *
unescape_text (const char *value,
               gsize       length)
{
  g_autoptr (GString) out = g_string_sized_new (length);

  for (gsize i = 0; i < length; i++)
    {
      if (value[i] != '\\' || i + 1 == length)
        {
          g_string_append_c (out, value[i]);
          continue;
        }
      switch (value[i + 1])
        {
        case '\\': case ',': case ';':
          g_string_append_c (out, value[++i]);
          break;
        case 'n': case 'N':
          g_string_append_c (out, '\n');
          i++;
          break;
        default:
          g_string_append_c (out, value[i]);
          break;
        }
    }
  return g_utf8_make_valid (out->str, out->len);
}

static gboolean
collect_value (const char *value,
               gsize       length,
               gpointer    user_data)
{
  g_ptr_array_add (user_data, unescape_text (value, length));
  return TRUE;
}

static gboolean
take_first_value (const char *value,
                  gsize       length,
                  gpointer    user_data)
{
  char **out = user_data;

  *out = unescape_text (value, length);
  return FALSE;
}

typedef struct {
  const char *folded;
  gsize folded_length;
  gboolean found;
} Search;

static gboolean
is_ascii (const char *text,
          gsize       length)
{
  for (gsize i = 0; i < length; i++)
    if ((guchar) text[i] >= 0x80)
      return FALSE;
  return TRUE;
}

static gboolean
compare_value (const char *value,
               gsize       length,
               gpointer    user_data)
{
  Search *search = user_data;
  g_autofree char *text = NULL;
  g_autofree char *folded = NULL;

  while (length > 0 && g_ascii_isspace (*value))
    value++, length--;
  while (length > 0 && g_ascii_isspace (value[length - 1]))
    length--;
  /* The common case, a plain ASCII address, is compared in place. */
  if (memchr (value, '\\', length) == NULL && is_ascii (value, length))
    {
      search->found = length == search->folded_length &&
                      g_ascii_strncasecmp (value, search->folded, length) == 0;
      return !search->found;
    }
  text = unescape_text (value, length);
  g_strstrip (text);
  folded = g_utf8_casefold (text, -1);
  search->found = g_str_equal (folded, search->folded);
  return !search->found;
}

/**
 * oc_vcard_get_text:
 * @vcard: a vCard
 * @length: its length, or -1 if nul-terminated
 * @property: a property name such as "X-CUSTOM1" (any case; groups are ignored)
 *
 * Returns: (transfer full) (nullable): the first value of @property,
 *   unfolded and unescaped, or %NULL if the card has none
 */
char *
oc_vcard_get_text (const char *vcard,
                   gssize      length,
                   const char *property)
{
  char *value = NULL;

  g_return_val_if_fail (vcard != NULL && property != NULL, NULL);
  for_each_value (vcard, length, property, take_first_value, &value);
  return value;
}

/**
 * oc_vcard_get_texts:
 * @vcard: a vCard
 * @length: its length, or -1 if nul-terminated
 * @property: a property name such as "EMAIL"
 *
 * Returns: (transfer full): every value of @property, unfolded and unescaped, in order
 */
GStrv
oc_vcard_get_texts (const char *vcard,
                    gssize      length,
                    const char *property)
{
  GPtrArray *values = g_ptr_array_new ();

  g_return_val_if_fail (vcard != NULL && property != NULL, NULL);
  for_each_value (vcard, length, property, collect_value, values);
  g_ptr_array_add (values, NULL);
  return (GStrv) g_ptr_array_free (values, FALSE);
}

/**
 * oc_vcard_has_text:
 * @vcard: a vCard
 * @length: its length, or -1 if nul-terminated
 * @property: a property name such as "EMAIL"
 * @folded_value: the value to look for, already through g_utf8_casefold()
 *
 * Compares without regard to case, as Thunderbird matches e-mail addresses.
 *
 * Returns: whether one of @property's values equals @folded_value
 */
gboolean
oc_vcard_has_text (const char *vcard,
                   gssize      length,
                   const char *property,
                   const char *folded_value)
{
  Search search = { folded_value, strlen (folded_value), FALSE };

  g_return_val_if_fail (vcard != NULL && property != NULL && folded_value != NULL, FALSE);
  for_each_value (vcard, length, property, compare_value, &search);
  return search.found;
}
