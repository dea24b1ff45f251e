/* oc-http-client-loop.c: the client's libcurl multi handle on the GLib main loop.
 *
 * Part of OcHttpClient. curl's socket and timer callbacks become GSources on
 * the client's main context, as in ostree's curl fetcher: each socket gets a
 * unix fd source for the conditions curl wants, and there is exactly one
 * timer, which every new timeout replaces (-1: none). After every
 * curl_multi_socket_action() the finished transfers are handed back to the
 * client.
 */
#include "config.h"

#include <glib-unix.h>

#include "oc-http-client-private.h"

static void
check_multi_info (OcHttpClient *self)
{
  CURLMsg *message;
  int pending;

  while ((message = curl_multi_info_read (self->multi, &pending)) != NULL)
    {
      Transfer *transfer = NULL;
      CURLcode code;

      if (message->msg != CURLMSG_DONE)
        continue;
      code = message->data.result;
      curl_easy_getinfo (message->easy_handle, CURLINFO_PRIVATE, (char **) &transfer);
      curl_multi_remove_handle (self->multi, transfer->easy);
      transfer->in_multi = FALSE;
      /* The message is invalid from here on. */
      oc_http_client_finish (transfer, code);
    }
}

static gboolean
socket_ready_cb (int          fd,
                 GIOCondition condition,
                 gpointer     user_data)
{
  OcHttpClient *self = user_data;
  int action = 0;
  int running = 0;

  if (condition & G_IO_IN)
    action |= CURL_CSELECT_IN;
  if (condition & G_IO_OUT)
    action |= CURL_CSELECT_OUT;
  if (condition & (G_IO_ERR | G_IO_HUP))
    action |= CURL_CSELECT_ERR;
  curl_multi_socket_action (self->multi, fd, action, &running);
  check_multi_info (self);
  return G_SOURCE_CONTINUE;
}

static int
socket_changed_cb (CURL          *easy,
                   curl_socket_t  fd,
                   int            what,
                   void          *user_data,
                   void          *socket_data)
{
  OcHttpClient *self = user_data;
  GSource *source = socket_data;
  GIOCondition condition = 0;

  if (source != NULL)
    {
      g_source_destroy (source);
      g_source_unref (source);
      source = NULL;
    }
  if (what == CURL_POLL_REMOVE || self->finalizing)
    {
      curl_multi_assign (self->multi, fd, NULL);
      return 0;
    }

  if (what & CURL_POLL_IN)
    condition |= G_IO_IN;
  if (what & CURL_POLL_OUT)
    condition |= G_IO_OUT;
  source = g_unix_fd_source_new (fd, condition);
  g_source_set_callback (source, G_SOURCE_FUNC (socket_ready_cb), self, NULL);
  g_source_set_name (source, "[owacal] curl socket");
  g_source_attach (source, self->context);
  curl_multi_assign (self->multi, fd, source);
  return 0;
}

static gboolean
timer_expired_cb (gpointer user_data)
{
  OcHttpClient *self = user_data;
  int running = 0;

  /* Curl may set a new timer from inside socket_action: forget this one first. */
  g_clear_pointer (&self->timer_source, g_source_unref);
  curl_multi_socket_action (self->multi, CURL_SOCKET_TIMEOUT, 0, &running);
  check_multi_info (self);
  return G_SOURCE_REMOVE;
}

static int
timer_changed_cb (CURLM *multi,
                  long   timeout_ms,
                  void  *user_data)
{
  OcHttpClient *self = user_data;

  /* The new value replaces the old one; -1 means no timer at all. */
  if (self->timer_source != NULL)
    {
      g_source_destroy (self->timer_source);
      g_clear_pointer (&self->timer_source, g_source_unref);
    }
  if (timeout_ms < 0 || self->finalizing)
    return 0;
  self->timer_source = g_timeout_source_new ((guint) timeout_ms);
  g_source_set_callback (self->timer_source, timer_expired_cb, self, NULL);
  g_source_set_name (self->timer_source, "[owacal] curl timer");
  g_source_attach (self->timer_source, self->context);
  return 0;
}

/* Internal API */

void
oc_http_client_attach_loop (OcHttpClient *self)
{
  curl_multi_setopt (self->multi, CURLMOPT_SOCKETFUNCTION, socket_changed_cb);
  curl_multi_setopt (self->multi, CURLMOPT_SOCKETDATA, self);
  curl_multi_setopt (self->multi, CURLMOPT_TIMERFUNCTION, timer_changed_cb);
  curl_multi_setopt (self->multi, CURLMOPT_TIMERDATA, self);
}

void
oc_http_client_detach_loop (OcHttpClient *self)
{
  /* curl_multi_cleanup() calls back into socket_changed_cb(). */
  self->finalizing = TRUE;
  g_clear_pointer (&self->multi, curl_multi_cleanup);
  if (self->timer_source != NULL)
    {
      g_source_destroy (self->timer_source);
      g_clear_pointer (&self->timer_source, g_source_unref);
    }
}
