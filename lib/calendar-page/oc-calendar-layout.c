/* oc-calendar-layout.c: where overlapping events go, side by side.
 *
 * As in GNOME Calendar's week view: events that overlap, directly or
 * through others, form a group; each gets the leftmost column free at its
 * start, and the group is as many columns wide as it needed. An event then
 * widens to the right over columns that stay free for its whole length, so
 * that a short clash does not make a long meeting narrow all day.
 */
#include "config.h"
#include "oc-calendar-layout.h"

#include <string.h>

static int
compare_by_start (gconstpointer a,
                  gconstpointer b,
                  gpointer      user_data)
{
  const OcLayoutItem *items = user_data;
  const OcLayoutItem *ia = &items[*(const guint *) a];
  const OcLayoutItem *ib = &items[*(const guint *) b];

  if (ia->start != ib->start)
    return ia->start < ib->start ? -1 : 1;
  if (ia->end != ib->end)
    return ia->end > ib->end ? -1 : 1;
  return *(const guint *) a < *(const guint *) b ? -1 : 1;
}

static gboolean
overlaps (const OcLayoutItem *a,
          const OcLayoutItem *b)
{
  return a->start < b->end && b->start < a->end;
}

/* Lays out order[from, to), one group of overlapping events. */
static void
layout_group (OcLayoutItem *items,
              const guint  *order,
              guint         from,
              guint         to)
{
  g_autoptr (GArray) column_ends = g_array_new (FALSE, FALSE, sizeof (int));
  g_autoptr (GPtrArray) by_column = NULL;

  for (guint i = from; i < to; i++)
    {
      OcLayoutItem *item = &items[order[i]];
      guint column = 0;

      while (column < column_ends->len && g_array_index (column_ends, int, column) > item->start)
        column++;
      if (column == column_ends->len)
        g_array_append_val (column_ends, item->end);
      else
        g_array_index (column_ends, int, column) = item->end;
      item->column = (int) column;
    }
  /* Each column's events: widening an event looks only at the columns beside
   * it, not at the whole group (a group can hold a thousand events). */
  by_column = g_ptr_array_new_with_free_func ((GDestroyNotify) g_array_unref);
  for (guint c = 0; c < column_ends->len; c++)
    g_ptr_array_add (by_column, g_array_new (FALSE, FALSE, sizeof (guint)));
  for (guint i = from; i < to; i++)
    g_array_append_val (g_ptr_array_index (by_column, items[order[i]].column), order[i]);
  for (guint i = from; i < to; i++)
    {
      OcLayoutItem *item = &items[order[i]];

      item->columns = (int) column_ends->len;
      item->span = 1;
      for (int next = item->column + 1; next < item->columns; next++)
        {
          GArray *held = g_ptr_array_index (by_column, next);
          gboolean free = TRUE;
          for (guint j = 0; j < held->len && free; j++)
            free = !overlaps (item, &items[g_array_index (held, guint, j)]);
          if (!free)
            break;
          item->span++;
        }
    }
}

/**
 * oc_calendar_layout_columns:
 * @items: (array length=n): the events of one day column
 * @n: how many
 *
 * Sets each item's column, span and group width.
 */
void
oc_calendar_layout_columns (OcLayoutItem *items,
                            guint         n)
{
  g_autofree guint *order = g_new (guint, MAX (n, 1));
  guint group_start = 0;
  int group_end = G_MININT;

  for (guint i = 0; i < n; i++)
    order[i] = i;
  g_qsort_with_data (order, (int) n, sizeof (guint), compare_by_start, items);
  for (guint i = 0; i < n; i++)
    {
      OcLayoutItem *item = &items[order[i]];
      if (i > group_start && item->start >= group_end)
        {
          layout_group (items, order, group_start, i);
          group_start = i;
          group_end = G_MININT;
        }
      group_end = MAX (group_end, item->end);
    }
  if (n > 0)
    layout_group (items, order, group_start, n);
}

/**
 * oc_calendar_layout_lanes:
 * @items: (array length=n): bars across columns, in the order they should be stacked
 * @n: how many
 *
 * Gives each bar the first lane (row) where it fits.
 *
 * Returns: how many lanes are used
 */
int
oc_calendar_layout_lanes (OcLaneItem *items,
                          guint       n)
{
  /* Which columns of each lane are taken: lanes × width bytes. Looking at
   * the lane itself, not at every bar placed before, keeps a week of a
   * thousand short events from costing a thousand cubed. */
  g_autoptr (GByteArray) taken = g_byte_array_new ();
  guint width = 1;
  guint n_lanes = 0;

  for (guint i = 0; i < n; i++)
    {
      g_return_val_if_fail (items[i].first >= 0 && items[i].end > items[i].first, 0);
      width = MAX (width, (guint) items[i].end);
    }
  for (guint i = 0; i < n; i++)
    {
      guint first = (guint) items[i].first, length = (guint) (items[i].end - items[i].first);
      guint lane = 0;

      while (lane < n_lanes && memchr (taken->data + lane * width + first, 1, length) != NULL)
        lane++;
      if (lane == n_lanes)
        {
          n_lanes++;
          g_byte_array_set_size (taken, n_lanes * width);
          memset (taken->data + lane * width, 0, width);
        }
      memset (taken->data + lane * width + first, 1, length);
      items[i].lane = (int) lane;
    }
  return (int) n_lanes;
}
