/* oc-ldap-directory.h: a directory to look people up in, as Thunderbird configures one. */
#pragma once

#include <gio/gio.h>

#include "oc-contact.h"
#include "oc-ldap-connection.h"
#include "oc-prefs.h"

G_BEGIN_DECLS

#define OC_TYPE_LDAP_DIRECTORY (oc_ldap_directory_get_type ())
G_DECLARE_FINAL_TYPE (OcLdapDirectory, oc_ldap_directory, OC, LDAP_DIRECTORY, GObject)

/**
 * OcPasswordFunc:
 * @directory: the directory that needs a password
 * @bind_dn: whose password
 * @retry: %TRUE when the previous password was refused
 * @user_data: the data given with the function
 * @cancellable: (nullable): the lookup's #GCancellable
 * @error: return location for a #GError
 *
 * Called in the lookup's worker thread. An app may look in the keyring, or ask
 * the user on its main thread and wait.
 *
 * Returns: (transfer full) (nullable): the password, or %NULL when there is
 *   none (the lookup then fails with a "needs a password" error, or @error)
 */
typedef char *(*OcPasswordFunc) (OcLdapDirectory *directory,
                                 const char      *bind_dn,
                                 gboolean         retry,
                                 gpointer         user_data,
                                 GCancellable    *cancellable,
                                 GError         **error);

#define OC_LDAP_DIRECTORY_DEFAULT_TIMEOUT 3

OcLdapDirectory *oc_ldap_directory_new                (const char       *name,
                                                       const char       *url,
                                                       GError          **error);
GPtrArray       *oc_ldap_directory_list_thunderbird   (OcPrefs          *prefs,
                                                       GPtrArray        *out_problems);

const char      *oc_ldap_directory_get_name           (OcLdapDirectory  *self);
const char      *oc_ldap_directory_get_url            (OcLdapDirectory  *self);
const char      *oc_ldap_directory_get_host           (OcLdapDirectory  *self);
void             oc_ldap_directory_set_bind_dn        (OcLdapDirectory  *self,
                                                       const char       *bind_dn);
gboolean         oc_ldap_directory_set_sasl_mechanism (OcLdapDirectory  *self,
                                                       const char       *mechanism,
                                                       GError          **error);
void             oc_ldap_directory_set_custom1_attributes (OcLdapDirectory *self,
                                                       const char       *attributes);
void             oc_ldap_directory_set_starttls       (OcLdapDirectory  *self,
                                                       gboolean          starttls);
void             oc_ldap_directory_set_timeout        (OcLdapDirectory  *self,
                                                       guint             seconds);
void             oc_ldap_directory_set_ca_file        (OcLdapDirectory  *self,
                                                       const char       *ca_file);

char            *oc_ldap_directory_dup_domain_dn      (OcLdapDirectory  *self);
GPtrArray       *oc_ldap_directory_search_sync        (OcLdapDirectory  *self,
                                                       const OcLdapSearch *search,
                                                       OcPasswordFunc    password_func,
                                                       gpointer          password_data,
                                                       GCancellable     *cancellable,
                                                       GError          **error);

OcContact       *oc_ldap_directory_lookup_sync        (OcLdapDirectory  *self,
                                                       const char       *email,
                                                       OcPasswordFunc    password_func,
                                                       gpointer          password_data,
                                                       GCancellable     *cancellable,
                                                       GError          **error);

G_END_DECLS
