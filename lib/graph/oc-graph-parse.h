/* oc-graph-parse.h: the answers of the identity platform and Microsoft Graph,
 * read into owacal's types (tokens, device codes, schedules, events, people). */
#pragma once

#include <json-glib/json-glib.h>

#include "oc-contact.h"
#include "oc-oauth-token.h"
#include "oc-schedule.h"

G_BEGIN_DECLS

/* A token endpoint's answer. Secrets: cleared with oc_oauth_token_answer_clear(). */
typedef struct {
  char *access_token;
  char *refresh_token;         /* NULL when none came (no offline_access) */
  char *user;                  /* the ID token's preferred_username, or NULL */
  int expires_in;              /* seconds */
} OcOAuthTokenAnswer;

void               oc_oauth_token_answer_clear   (OcOAuthTokenAnswer *answer);
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (OcOAuthTokenAnswer, oc_oauth_token_answer_clear)

gboolean           oc_graph_json_load            (JsonParser         *parser,
                                                  GBytes             *body,
                                                  GError            **error);

gboolean           oc_graph_parse_token_answer   (GBytes             *body,
                                                  OcOAuthTokenAnswer *out_answer,
                                                  GError            **error);
OcOAuthDeviceCode *oc_graph_parse_device_code    (GBytes             *body,
                                                  GError            **error);
char              *oc_graph_parse_id_token_user  (const char         *id_token);

gboolean           oc_graph_parse_date_time      (JsonObject         *date_time_zone,
                                                  gint64             *out_utc);
char              *oc_graph_format_date_time     (gint64              utc);
OcWorkingHours    *oc_graph_parse_working_hours  (JsonObject         *working_hours);

GPtrArray         *oc_graph_parse_schedules      (GBytes             *body,
                                                  gint64              start,
                                                  gint64              end,
                                                  GTimeZone          *view_zone,
                                                  GError            **error);
GPtrArray         *oc_graph_parse_events         (GBytes             *body,
                                                  GTimeZone          *view_zone,
                                                  char              **out_next_link,
                                                  GError            **error);
GPtrArray         *oc_graph_parse_users          (GBytes             *body,
                                                  GError            **error);

G_END_DECLS
