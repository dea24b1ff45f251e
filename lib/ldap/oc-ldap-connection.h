/* oc-ldap-connection.h: a signed-in connection to a directory (AD, OpenLDAP). */
#pragma once

#include <gio/gio.h>

#include "oc-ldap-entry.h"
#include "oc-ldap-mod.h"

G_BEGIN_DECLS

typedef enum {
  OC_LDAP_ERROR_INVALID_ARGUMENT,   /* a URI, filter or option the library refused */
  OC_LDAP_ERROR_CONNECT,            /* the server could not be reached */
  OC_LDAP_ERROR_TLS,                /* StartTLS or the certificate failed */
  OC_LDAP_ERROR_AUTH_FAILED,        /* wrong password, no Kerberos ticket, stronger sign-in needed */
  OC_LDAP_ERROR_INSUFFICIENT_ACCESS,/* LDAP 50 */
  OC_LDAP_ERROR_UNDEFINED_ATTRIBUTE,/* LDAP 17: the schema lacks the attribute */
  OC_LDAP_ERROR_NO_SUCH_VALUE,      /* LDAP 16: the value to replace is no longer there */
  OC_LDAP_ERROR_NO_SUCH_OBJECT,     /* LDAP 32: base or entry does not exist */
  OC_LDAP_ERROR_SIZE_LIMIT,         /* LDAP 4 */
  OC_LDAP_ERROR_TIME_LIMIT,         /* LDAP 3 */
  OC_LDAP_ERROR_ADMIN_LIMIT,        /* LDAP 11 (for example a page size above the server's) */
  OC_LDAP_ERROR_FAILED,             /* anything else */
} OcLdapError;

#define OC_LDAP_ERROR (oc_ldap_error_quark ())
GQuark oc_ldap_error_quark (void);

typedef enum {
  OC_LDAP_BIND_ANONYMOUS,
  OC_LDAP_BIND_SIMPLE,
  OC_LDAP_BIND_GSSAPI,   /* SASL GSSAPI with the ticket in the user's credential cache */
} OcLdapBind;

typedef struct {
  const char *uri;          /* ldap://host[:port] or ldaps://host[:port] */
  gboolean    starttls;     /* ldap:// only: StartTLS before binding, and fail without it */
  const char *ca_file;      /* nullable: trust this CA instead of ldap.conf's */
  OcLdapBind  bind;
  const char *bind_dn;      /* OC_LDAP_BIND_SIMPLE */
  const char *password;     /* OC_LDAP_BIND_SIMPLE; never logged or put into errors */
  int         timeout_seconds; /* connecting and each operation; 0: 30 s */
} OcLdapOptions;

typedef enum {
  OC_LDAP_SCOPE_BASE,
  OC_LDAP_SCOPE_ONE,
  OC_LDAP_SCOPE_SUBTREE,
} OcLdapScope;

typedef struct {
  const char *base;
  OcLdapScope scope;
  const char *filter;
  const char * const *attributes;  /* nullable: all user attributes */
  int page_size;    /* > 0: RFC 2696 paged results with pages of this size; 0: one plain search */
  int size_limit;   /* > 0: ask the server for at most this many entries (Thunderbird's maxHits) */
} OcLdapSearch;

#define OC_TYPE_LDAP_CONNECTION (oc_ldap_connection_get_type ())
G_DECLARE_FINAL_TYPE (OcLdapConnection, oc_ldap_connection, OC, LDAP_CONNECTION, GObject)

OcLdapConnection *oc_ldap_connection_open_sync   (const OcLdapOptions *options,
                                                  GCancellable        *cancellable,
                                                  GError             **error);
const char       *oc_ldap_connection_get_uri     (OcLdapConnection    *self);
char             *oc_ldap_connection_whoami_sync (OcLdapConnection    *self,
                                                  GCancellable        *cancellable,
                                                  GError             **error);
GPtrArray        *oc_ldap_connection_search_sync (OcLdapConnection    *self,
                                                  const OcLdapSearch  *search,
                                                  guint               *out_n_pages,
                                                  GCancellable        *cancellable,
                                                  GError             **error);
gboolean          oc_ldap_connection_has_attribute_type_sync (OcLdapConnection *self,
                                                  const char          *name,
                                                  gboolean            *out_defined,
                                                  GCancellable        *cancellable,
                                                  GError             **error);
gboolean          oc_ldap_connection_modify_sync (OcLdapConnection    *self,
                                                  const char          *dn,
                                                  const OcLdapMod     *mods,
                                                  gsize                n_mods,
                                                  GCancellable        *cancellable,
                                                  GError             **error);

char             *oc_ldap_escape_filter_value    (const char          *value);

G_END_DECLS
