/* oc-http-client-private.h: the client's insides, shared by its own source files
 * (oc-http-client.c, oc-http-sign-in.c, oc-forms-login.c). Not for the rest of owacal. */
#pragma once

#include <curl/curl.h>

#include "oc-certificate.h"
#include "oc-credentials-provider.h"
#include "oc-http-client.h"

G_BEGIN_DECLS

struct _OcHttpClient {
  GObject parent_instance;

  GMainContext *context;
  CURLM *multi;
  CURLSH *share;
  CURL *cookie_easy;          /* reads and writes the shared jar */
  GSource *timer_source;
  gboolean finalizing;

  char *user_agent;
  char *ca_file;
  char *default_user;         /* --user: for every trusted host, or a hint */
  OcCredentials *default_credentials;
  OcCredentialsProvider *provider;
  long connect_timeout;
  long idle_timeout;
  GHashTable *trusted_hosts;  /* lower-case host names */
  GStrv trusted_domains;      /* see oc-trusted-domain.c */
  GHashTable *http_sign_in_hosts;  /* may get passwords over plain http */
  GHashTable *sign_ins;       /* host → SignIn */
  GHashTable *proxy_sign_ins; /* proxy host → SignIn */
  GProxyResolver *proxy_resolver;    /* NULL: libcurl's http_proxy & co. only */
  GHashTable *proxy_choices;  /* "scheme://host:port" → ProxyChoice (oc-http-proxy.c) */
  GHashTable *pins;           /* "host:port" → Pin (oc-http-trust.c) */
  GHashTable *certificate_problems;  /* "host:port" → OcCertificate */
  gint64 ticket_checked_at;   /* monotonic time of the last look at the ticket cache */
  gboolean have_ticket;

  OcHttpClientStats stats;
};

/* One call of oc_http_client_send_async(), possibly several HTTP exchanges
 * (a retry with NTLM, redirects, a sign-in). It is the GTask's task data. */
typedef struct {
  OcHttpClient *client;       /* borrowed from the task's source object */
  GTask *task;                /* owned until the result is returned */
  OcHttpRequest *request;
  char *url;
  char *method;
  GBytes *body;
  CURL *easy;
  struct curl_slist *header_list;
  GByteArray *content;
  OcHttpResponse *response;
  GError *caught_error;
  GSource *cancel_source;
  OcHttpAuth auth_tried;
  OcHttpAuth challenged;      /* what the 401s on the way offered */
  OcCredentials *credentials; /* the password this exchange may use */
  guint serial;               /* the host's credentials serial when they were picked */
  guint session;              /* the host's forms-login session then */
  gboolean ntlm_only;
  gboolean ntlm_challenged;   /* an NTLM Type-2 challenge came: NTLM was used */
  gboolean forms_retried;     /* signed in by form once for this request already */
  gboolean waits_for_form;    /* parked until a forms login is done */
  gboolean certificate_read;  /* the server's certificate was fetched after a failure */
  char *proxy;                /* the proxy for this URL, NULL for libcurl's own choice */
  char *proxy_origin;         /* the origin the proxy was chosen for */
  OcCredentials *proxy_credentials;  /* the password the proxy may get */
  guint proxy_serial;
  gboolean proxy_ntlm_only;
  gboolean proxy_ntlm_challenged;    /* the proxy sent an NTLM Type-2 challenge */
  gboolean in_multi;
  guint redirects;
  guint new_connections;
  char error_buffer[CURL_ERROR_SIZE];
} Transfer;

/* The sign-in state of one trusted host (oc-http-sign-in.c). */
typedef struct {
  char *host;
  OcCredentials *credentials; /* NULL: the client's default ones, unless rejected */
  gboolean default_rejected;
  char *user_hint;            /* the user whose password was rejected last */
  guint serial;               /* changes whenever the credentials do */
  guint accepted_serial;      /* serial + 1 of the credentials the provider heard were accepted */
  guint session;              /* counts forms logins that succeeded */
  guint rejections;           /* since the last success */
  guint questions;
  gboolean gave_up;           /* until the user tries again */
  gboolean ntlm;              /* Kerberos failed here and NTLM worked */
  gboolean asking;            /* a question to the provider is out */
  gboolean logging_in;        /* a forms login is running */
  gboolean wants_forms_login; /* once credentials come, sign in by form */
  gboolean proxy;             /* the host is a proxy server */
  char *logon_url;            /* OWA's sign-in page, as it last redirected there */
  GPtrArray *waiters;         /* GTask of parked transfers */
} SignIn;

/* oc-http-client.c */
gboolean       oc_http_client_has_usable_ticket (OcHttpClient *self);
void           oc_http_client_finish            (Transfer     *transfer,
                                                 CURLcode      code);
char          *oc_http_client_dup_host          (const char   *url);
gboolean       oc_http_client_may_send_password (OcHttpClient *self,
                                                 const char   *url);
void           oc_http_client_restart           (Transfer     *transfer);
void           oc_http_client_complete          (Transfer     *transfer,
                                                 GError       *error);

/* oc-http-trust.c */
void           oc_http_client_init_trust        (OcHttpClient *self);
void           oc_http_client_clear_trust       (OcHttpClient *self);
const char    *oc_http_client_get_key_pin       (OcHttpClient *self,
                                                 const char   *url);
gboolean       oc_http_client_check_certificate (Transfer     *transfer,
                                                 CURLcode      code,
                                                 long          verify_result);

/* oc-http-proxy.c */
void           oc_http_client_init_proxy        (OcHttpClient *self);
void           oc_http_client_clear_proxy       (OcHttpClient *self);
gboolean       oc_http_client_resolve_proxy     (Transfer     *transfer);
void           oc_http_client_configure_proxy   (Transfer     *transfer);
char          *oc_http_client_dup_proxy_host    (Transfer     *transfer);

/* oc-http-client-loop.c */
void           oc_http_client_attach_loop       (OcHttpClient *self);
void           oc_http_client_detach_loop       (OcHttpClient *self);

/* oc-http-sign-in.c */
SignIn        *oc_http_sign_in_get              (OcHttpClient *self,
                                                 const char   *host);
SignIn        *oc_http_sign_in_get_proxy        (OcHttpClient *self,
                                                 const char   *host);
void           oc_http_sign_in_free             (SignIn       *sign_in);
void           oc_http_sign_in_reset            (SignIn       *sign_in);
OcCredentials *oc_http_sign_in_get_credentials  (OcHttpClient *self,
                                                 SignIn       *sign_in);
gboolean       oc_http_sign_in_take_over        (Transfer     *transfer);
gboolean       oc_http_sign_in_take_over_proxy  (Transfer     *transfer);
void           oc_http_sign_in_succeeded        (Transfer     *transfer);

G_END_DECLS
