/* oc-ical-scanner.c: iCalendar text into lines libical can take, with line numbers.
 *
 * libical reads whatever it is given and marks what it could not read with
 * X-LIC-ERROR properties, which say what was wrong but not where. And it
 * does not check that an END names the component it closes: a stray
 * "END:VTODO" silently closes the calendar. So the text goes through this
 * scanner first. It unfolds lines, remembers the file lines each came from,
 * keeps BEGIN and END balanced (closing what was left open and saying so)
 * and sets aside lines that are no content lines at all. What is left is
 * well-formed in structure; calendar.c then asks libical about the values.
 */
#include "config.h"
#include "oc-ical-scanner.h"

#include <string.h>

#define MAX_QUOTED_TEXT 80

typedef struct {
  OcIcalScan *scan;
  GArray *stack;               /* int: indices into scan->components */
  GString *pending;            /* the logical line being unfolded */
  guint pending_first;
  guint pending_last;
} Scanner;

OcIcalProblem *
oc_ical_problem_new (guint       first_line,
                     guint       last_line,
                     const char *text,
                     const char *reason)
{
  OcIcalProblem *problem = g_new0 (OcIcalProblem, 1);

  problem->first_line = first_line;
  problem->last_line = MAX (first_line, last_line);
  if (text != NULL)
    {
      g_autofree char *valid = g_utf8_make_valid (text, -1);
      if (g_utf8_strlen (valid, -1) > MAX_QUOTED_TEXT)
        {
          char *cut = g_utf8_offset_to_pointer (valid, MAX_QUOTED_TEXT - 1);
          *cut = '\0';
          problem->text = g_strconcat (valid, "…", NULL);
        }
      else
        problem->text = g_steal_pointer (&valid);
    }
  /* A reason names what the file says (a component, a summary): its bytes. */
  problem->reason = g_utf8_make_valid (reason, -1);
  return problem;
}

void
oc_ical_problem_free (OcIcalProblem *problem)
{
  if (problem == NULL)
    return;
  g_free (problem->text);
  g_free (problem->reason);
  g_free (problem);
}

static void
component_clear (OcIcalScanComponent *component)
{
  g_free (component->name);
  g_array_unref (component->properties);
}

static void
add_problem (Scanner    *scanner,
             guint       first,
             guint       last,
             const char *text,
             const char *reason)
{
  g_ptr_array_add (scanner->scan->problems, oc_ical_problem_new (first, last, text, reason));
}

static void
emit_line (Scanner    *scanner,
           const char *text,
           guint       first,
           guint       last)
{
  OcIcalScan *scan = scanner->scan;
  OcIcalScanLine line = { first, last, scan->clean->len, strlen (text) };

  g_string_append (scan->clean, text);
  g_string_append (scan->clean, "\r\n");
  g_array_append_val (scan->lines, line);
}

static const char *
top_name (Scanner *scanner)
{
  int index;

  if (scanner->stack->len == 0)
    return NULL;
  index = g_array_index (scanner->stack, int, scanner->stack->len - 1);
  return g_array_index (scanner->scan->components, OcIcalScanComponent, index).name;
}

static void
open_component (Scanner    *scanner,
                const char *name,
                guint       first,
                guint       last)
{
  OcIcalScanComponent component = { g_strdup (name), first, 0, g_array_new (FALSE, FALSE, sizeof (guint)) };
  int index = (int) scanner->scan->components->len;
  g_autofree char *text = g_strconcat ("BEGIN:", name, NULL);

  g_array_append_val (scanner->scan->components, component);
  g_array_append_val (scanner->stack, index);
  emit_line (scanner, text, first, last);
  scanner->scan->saw_calendar = TRUE;
}

static void
close_top (Scanner *scanner,
           guint    line,
           gboolean implicit)
{
  int index = g_array_index (scanner->stack, int, scanner->stack->len - 1);
  OcIcalScanComponent *component = &g_array_index (scanner->scan->components, OcIcalScanComponent, index);
  g_autofree char *text = g_strconcat ("END:", component->name, NULL);

  if (implicit)
    {
      g_autofree char *reason = g_strdup_printf ("%s, begun on line %u, has no END:%s; it is closed on line %u",
                                                 component->name, component->begin_line, component->name, line);
      add_problem (scanner, line, line, NULL, reason);
    }
  component->end_line = line;
  emit_line (scanner, text, line, line);
  g_array_set_size (scanner->stack, scanner->stack->len - 1);
}

/* The name of a content line, and where its value starts (after the first
 * colon outside a quoted parameter value). */
static gboolean
split_content_line (const char  *text,
                    char       **out_name,
                    const char **out_value)
{
  const char *p = text;
  gboolean quoted = FALSE;

  while (g_ascii_isalnum (*p) || *p == '-')
    p++;
  if (p == text || (*p != ';' && *p != ':'))
    return FALSE;
  *out_name = g_ascii_strup (text, p - text);
  for (; *p; p++)
    {
      if (*p == '"')
        quoted = !quoted;
      else if (*p == ':' && !quoted)
        {
          *out_value = p + 1;
          return TRUE;
        }
    }
  g_clear_pointer (out_name, g_free);
  return FALSE;
}

static gboolean
is_component_name (const char *name)
{
  if (*name == '\0')
    return FALSE;
  for (const char *p = name; *p; p++)
    if (!g_ascii_isalnum (*p) && *p != '-')
      return FALSE;
  return TRUE;
}

static gboolean
is_calendar_level (const char *name)
{
  static const char *const names[] = { "VEVENT", "VTODO", "VJOURNAL", "VFREEBUSY", "VTIMEZONE", "VAVAILABILITY" };

  for (gsize i = 0; i < G_N_ELEMENTS (names); i++)
    if (g_str_equal (name, names[i]))
      return TRUE;
  return FALSE;
}

static void
handle_begin (Scanner    *scanner,
              const char *text,
              const char *value,
              guint       first,
              guint       last)
{
  g_autofree char *trimmed = g_strstrip (g_strdup (value));
  g_autofree char *name = g_ascii_strup (trimmed, -1);

  if (!is_component_name (name))
    {
      add_problem (scanner, first, last, text, "BEGIN names no component");
      return;
    }
  if (g_str_equal (name, "VCALENDAR"))
    while (scanner->stack->len > 0)
      close_top (scanner, first, TRUE);
  /* An event cannot hold an event: the one before lacks its END. */
  if (is_calendar_level (name))
    while (scanner->stack->len > 1 || (scanner->stack->len == 1 && !g_str_equal (top_name (scanner), "VCALENDAR")))
      close_top (scanner, first, TRUE);
  if (scanner->stack->len == 0 && !g_str_equal (name, "VCALENDAR"))
    {
      g_autofree char *reason = g_strdup_printf ("%s outside of a calendar: read as if the file had "
                                                 "BEGIN:VCALENDAR before it", name);
      add_problem (scanner, first, last, text, reason);
      open_component (scanner, "VCALENDAR", first, first);
    }
  open_component (scanner, name, first, last);
}

static void
handle_end (Scanner    *scanner,
            const char *text,
            const char *value,
            guint       first,
            guint       last)
{
  g_autofree char *trimmed = g_strstrip (g_strdup (value));
  g_autofree char *name = g_ascii_strup (trimmed, -1);
  guint depth;

  for (depth = scanner->stack->len; depth > 0; depth--)
    {
      int index = g_array_index (scanner->stack, int, depth - 1);
      if (g_str_equal (g_array_index (scanner->scan->components, OcIcalScanComponent, index).name, name))
        break;
    }
  if (depth == 0)
    {
      g_autofree char *reason = top_name (scanner)
        ? g_strdup_printf ("END:%s closes nothing that is open here (%s is)", name, top_name (scanner))
        : g_strdup_printf ("END:%s closes nothing: no component is open", name);
      add_problem (scanner, first, last, text, reason);
      return;
    }
  while (scanner->stack->len > depth)
    close_top (scanner, first, TRUE);
  close_top (scanner, last, FALSE);
}

static void
handle_logical_line (Scanner    *scanner,
                     const char *text,
                     guint       first,
                     guint       last)
{
  g_autofree char *name = NULL;
  const char *value = NULL;

  if (!split_content_line (text, &name, &value))
    {
      add_problem (scanner, first, last, text, "not an iCalendar line (NAME:value)");
      return;
    }
  if (g_str_equal (name, "BEGIN"))
    handle_begin (scanner, text, value, first, last);
  else if (g_str_equal (name, "END"))
    handle_end (scanner, text, value, first, last);
  else if (scanner->stack->len == 0)
    add_problem (scanner, first, last, text, "outside of BEGIN:VCALENDAR … END:VCALENDAR");
  else
    {
      int index = g_array_index (scanner->stack, int, scanner->stack->len - 1);
      guint line_index = scanner->scan->lines->len;
      emit_line (scanner, text, first, last);
      g_array_append_val (g_array_index (scanner->scan->components, OcIcalScanComponent, index).properties,
                          line_index);
    }
}

static void
flush_pending (Scanner *scanner)
{
  if (scanner->pending->len == 0)
    return;
  handle_logical_line (scanner, scanner->pending->str, scanner->pending_first, scanner->pending_last);
  g_string_truncate (scanner->pending, 0);
}

static gboolean
is_blank (const char *line,
          gsize       length)
{
  for (gsize i = 0; i < length; i++)
    if (!g_ascii_isspace (line[i]))
      return FALSE;
  return TRUE;
}

/**
 * oc_ical_scan:
 * @data: iCalendar text (need not be NUL-terminated)
 * @length: its length in bytes
 *
 * Returns: (transfer full): the lines to hand to libical, with where they came from
 */
OcIcalScan *
oc_ical_scan (const char *data,
              gsize       length)
{
  OcIcalScan *scan = g_new0 (OcIcalScan, 1);
  Scanner scanner = { scan, g_array_new (FALSE, FALSE, sizeof (int)), g_string_new (NULL), 0, 0 };
  const char *end = data + length;
  const char *p = data;
  guint line_number = 0;

  scan->clean = g_string_sized_new (length + length / 16 + 64);
  scan->lines = g_array_new (FALSE, FALSE, sizeof (OcIcalScanLine));
  scan->components = g_array_new (FALSE, FALSE, sizeof (OcIcalScanComponent));
  g_array_set_clear_func (scan->components, (GDestroyNotify) component_clear);
  scan->problems = g_ptr_array_new_with_free_func ((GDestroyNotify) oc_ical_problem_free);

  if (length >= 3 && memcmp (data, "\xEF\xBB\xBF", 3) == 0)
    p += 3;
  while (p < end)
    {
      const char *eol = p;
      gsize line_length;

      while (eol < end && *eol != '\n' && *eol != '\r' && *eol != '\0')
        eol++;
      line_length = eol - p;
      line_number++;
      if (line_length > 0 && (p[0] == ' ' || p[0] == '\t') && scanner.pending->len > 0)
        {
          /* A folded continuation of the line being read. */
          g_string_append_len (scanner.pending, p + 1, line_length - 1);
          scanner.pending_last = line_number;
        }
      else if (!is_blank (p, line_length))
        {
          flush_pending (&scanner);
          g_string_append_len (scanner.pending, p, line_length);
          scanner.pending_first = scanner.pending_last = line_number;
        }
      if (eol < end && *eol == '\r' && eol + 1 < end && eol[1] == '\n')
        eol++;
      p = eol + 1;
    }
  flush_pending (&scanner);
  while (scanner.stack->len > 0)
    {
      int index = g_array_index (scanner.stack, int, scanner.stack->len - 1);
      OcIcalScanComponent *component = &g_array_index (scan->components, OcIcalScanComponent, index);
      g_autofree char *reason = g_strdup_printf ("the file ends inside %s, begun on line %u",
                                                 component->name, component->begin_line);
      add_problem (&scanner, line_number, line_number, NULL, reason);
      close_top (&scanner, line_number, FALSE);
    }
  g_array_unref (scanner.stack);
  g_string_free (scanner.pending, TRUE);
  return scan;
}

/**
 * oc_ical_scan_dup_line:
 * @scan: a scan
 * @index: an index into @scan's lines
 *
 * Returns: (transfer full): the unfolded content line
 */
char *
oc_ical_scan_dup_line (OcIcalScan *scan,
                       guint       index)
{
  OcIcalScanLine *line = &g_array_index (scan->lines, OcIcalScanLine, index);

  return g_strndup (scan->clean->str + line->offset, line->length);
}

void
oc_ical_scan_free (OcIcalScan *scan)
{
  if (scan == NULL)
    return;
  g_string_free (scan->clean, TRUE);
  g_array_unref (scan->lines);
  g_array_unref (scan->components);
  g_ptr_array_unref (scan->problems);
  g_free (scan);
}
