/* oc-ical-rule.h: which recurrence rules libical can follow, and what a step of one costs. */
#pragma once

#include <glib.h>
#include <libical/ical.h>

G_BEGIN_DECLS

typedef enum {
  OC_ICAL_RULE_FOLLOWED,     /* libical finds each next occurrence in bounded time */
  OC_ICAL_RULE_NEVER,        /* the rule makes no occurrence at all */
  OC_ICAL_RULE_UNSUPPORTED,  /* a combination libical could search for without end */
} OcIcalRuleVerdict;

OcIcalRuleVerdict oc_ical_rule_check             (const struct icalrecurrencetype *rule,
                                                  struct icaltimetype              dtstart,
                                                  const char                     **out_reason);
gint64            oc_ical_rule_get_period        (const struct icalrecurrencetype *rule);
gboolean          oc_ical_rule_has_fixed_period  (const struct icalrecurrencetype *rule);
gboolean          oc_ical_rule_is_one_per_period (const struct icalrecurrencetype *rule);

G_END_DECLS
