/* oc-resolver.h: from an e-mail address to a calendar, the way Thunderbird would find it. */
#pragma once

#include <gio/gio.h>

#include "oc-credentials-provider.h"
#include "oc-graph-client.h"
#include "oc-ldap-directory.h"
#include "oc-target.h"

G_BEGIN_DECLS

typedef enum {
  OC_RESOLVER_ERROR_NOT_FOUND,     /* no source had a calendar address */
  OC_RESOLVER_ERROR_BAD_SETTINGS,  /* an unknown source name, a broken template */
} OcResolverError;

#define OC_RESOLVER_ERROR (oc_resolver_error_quark ())
GQuark oc_resolver_error_quark (void);

/* Source names, as in the lookup-sources setting. */
#define OC_RESOLVER_SOURCE_ADDRESS_BOOKS "thunderbird-address-books"
#define OC_RESOLVER_SOURCE_THUNDERBIRD_DIRECTORIES "thunderbird-directories"
#define OC_RESOLVER_SOURCE_DIRECTORY "directory"
#define OC_RESOLVER_SOURCE_EXCHANGE "exchange"
#define OC_RESOLVER_SOURCE_MICROSOFT365 "microsoft365"
#define OC_RESOLVER_SOURCE_URL_TEMPLATE "url-template"

typedef struct {
  OcTarget *target;  /* what to open: a web page (OWA) or a published iCalendar */
  char *source;      /* where it came from, in words: "Thunderbird address book “Personal Address Book”" */
  char *detail;      /* who or what there: "Custom1 of Alice Example", nullable */
  GStrv trail;       /* every place looked in, in order, with what was found there */
  GStrv notes;       /* the problems among them: a damaged book, a directory that is down */
} OcResolution;

#define OC_TYPE_RESOLUTION (oc_resolution_get_type ())
GType         oc_resolution_get_type (void) G_GNUC_CONST;
OcResolution *oc_resolution_copy     (const OcResolution *resolution);
void          oc_resolution_free     (OcResolution       *resolution);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (OcResolution, oc_resolution_free)

#define OC_TYPE_RESOLVER (oc_resolver_get_type ())
G_DECLARE_FINAL_TYPE (OcResolver, oc_resolver, OC, RESOLVER, GObject)

OcResolver   *oc_resolver_new              (void);
gboolean      oc_resolver_set_sources      (OcResolver          *self,
                                            const char * const  *sources,
                                            GError             **error);
void          oc_resolver_set_home         (OcResolver          *self,
                                            const char          *home);
void          oc_resolver_set_profile      (OcResolver          *self,
                                            const char          *profile);
void          oc_resolver_set_exchange_url (OcResolver          *self,
                                            const char          *url);
void          oc_resolver_set_microsoft365 (OcResolver          *self,
                                            OcGraphClient       *graph);
void          oc_resolver_set_url_template (OcResolver          *self,
                                            const char          *url_template);
void          oc_resolver_set_directory    (OcResolver          *self,
                                            OcLdapDirectory     *directory);
void          oc_resolver_set_ldap_options (OcResolver          *self,
                                            guint                timeout_seconds,
                                            const char          *ca_file);
void          oc_resolver_set_password_func (OcResolver         *self,
                                            OcPasswordFunc       func,
                                            gpointer             user_data,
                                            GDestroyNotify       destroy);
void          oc_resolver_set_credentials_provider (OcResolver            *self,
                                                    OcCredentialsProvider *provider);

OcLdapDirectory *oc_resolver_get_directory (OcResolver        *self);
gboolean      oc_resolver_has_source       (OcResolver          *self,
                                            const char          *source);
const char   *oc_resolver_get_exchange_url (OcResolver          *self);
char         *oc_resolver_dup_thunderbird_ews_url (OcResolver   *self,
                                                   const char   *email,
                                                   char        **out_where);
GPtrArray    *oc_resolver_search_directory_sync (OcResolver         *self,
                                                 const OcLdapSearch *search,
                                                 GCancellable       *cancellable,
                                                 GError            **error);

OcResolution *oc_resolver_resolve_sync     (OcResolver          *self,
                                            const char          *email,
                                            GCancellable        *cancellable,
                                            GError             **error);
void          oc_resolver_resolve_async    (OcResolver          *self,
                                            const char          *email,
                                            GCancellable        *cancellable,
                                            GAsyncReadyCallback  callback,
                                            gpointer             user_data);
OcResolution *oc_resolver_resolve_finish   (OcResolver          *self,
                                            GAsyncResult        *result,
                                            GError             **error);

G_END_DECLS
