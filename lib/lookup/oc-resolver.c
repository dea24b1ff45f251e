/* oc-resolver.c: from an e-mail address to a calendar, the way Thunderbird would find it.
 *
 * Companies keep each person's calendar address in the directory
 * (extensionAttribute1 in Active Directory), and Thunderbird users see it as
 * Custom1 of the person's card. The sources are tried in a configurable
 * order: the local address books of the user's Thunderbird profile, the LDAP
 * directories configured in that profile, a directory configured for owacal,
 * and a URL template as the last resort. The first Custom1 that is a calendar
 * address wins.
 *
 * A source that fails (a damaged book, a directory that is down) costs a line
 * in the trail and the next source is tried: the trail is what the user sees
 * when nothing is found ("looked in …") and, as notes, beside a result that
 * came from further down the list.
 *
 * Everything here blocks (SQLite, LDAP): the app calls the _async variant,
 * which runs the lookup in a worker thread.
 */
#include "config.h"
#include "oc-resolver.h"

#include "oc-address-book.h"
#include "oc-credentials-ask.h"
#include "oc-graph-error.h"
#include "oc-graph-client.h"
#include "oc-ldap-directory.h"
#include "oc-prefs.h"
#include "oc-thunderbird-accounts.h"
#include "oc-thunderbird-profile.h"
#include "oc-url-template.h"

#include <string.h>

struct _OcResolver {
  GObject parent_instance;

  GStrv sources;
  char *home;          /* nullable: g_get_home_dir () */
  char *profile;       /* nullable: Thunderbird's default profile */
  char *url_template;  /* nullable */
  char *exchange_url;  /* nullable: Exchange Web Services, for anyone not found before */
  OcGraphClient *graph;         /* nullable: Microsoft 365's directory, and Exchange Online */
  GMainContext *graph_context;  /* where @graph answers */
  OcLdapDirectory *directory;  /* nullable: owacal's own */
  guint ldap_timeout;
  char *ca_file;       /* nullable */
  OcPasswordFunc password_func;
  gpointer password_data;
  GDestroyNotify password_destroy;
  OcCredentialsProvider *provider;  /* nullable; asked when there is no password_func */
  GMainContext *provider_context;
};

G_DEFINE_QUARK (oc-resolver-error-quark, oc_resolver_error)
G_DEFINE_BOXED_TYPE (OcResolution, oc_resolution, oc_resolution_copy, oc_resolution_free)
G_DEFINE_FINAL_TYPE (OcResolver, oc_resolver, G_TYPE_OBJECT)

static const char *const known_sources[] = {
  OC_RESOLVER_SOURCE_ADDRESS_BOOKS,
  OC_RESOLVER_SOURCE_MICROSOFT365,
  OC_RESOLVER_SOURCE_THUNDERBIRD_DIRECTORIES,
  OC_RESOLVER_SOURCE_DIRECTORY,
  OC_RESOLVER_SOURCE_EXCHANGE,
  OC_RESOLVER_SOURCE_URL_TEMPLATE,
  NULL
};

/* One lookup's state, private to the thread that runs it. */
typedef struct {
  const char *email;
  GCancellable *cancellable;
  GPtrArray *trail;
  GPtrArray *notes;
  OcResolution *found;
  gboolean profile_loaded;
  char *profile_dir;
  OcPrefs *prefs;
} Lookup;

static void
lookup_clear (Lookup *lookup)
{
  g_ptr_array_unref (lookup->trail);
  g_ptr_array_unref (lookup->notes);
  g_clear_pointer (&lookup->found, oc_resolution_free);
  g_free (lookup->profile_dir);
  g_clear_object (&lookup->prefs);
}

G_GNUC_PRINTF (3, 4) static void
add_trail (Lookup     *lookup,
           gboolean    is_problem,
           const char *format,
           ...)
{
  va_list args;
  char *line;

  va_start (args, format);
  line = g_strdup_vprintf (format, args);
  va_end (args);
  /* Messages put technical details after a newline; a trail line is one line. */
  for (char *newline = strchr (line, '\n'); newline != NULL; newline = strchr (line, '\n'))
    {
      char *joined = g_strdup_printf ("%.*s: %s", (int) (newline - line), line, newline + 1);
      g_free (line);
      line = joined;
    }
  if (is_problem)
    g_ptr_array_add (lookup->notes, g_strdup (line));
  g_ptr_array_add (lookup->trail, line);
}

static GStrv
steal_strv (GPtrArray *lines)
{
  g_ptr_array_add (lines, NULL);
  return (GStrv) g_ptr_array_steal (lines, NULL);
}

/* Takes @value as the result if it is something owacal opens. */
static gboolean
accept_value (Lookup     *lookup,
              const char *source,
              const char *detail,
              const char *value)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (OcTarget) target = oc_target_parse (value, &error);

  /* owacal:<address> is what owacal-provision writes for Exchange 2016 and
   * later, which have no web parts: that person's calendar, read from Exchange. */
  if (target != NULL && target->kind == OC_TARGET_KIND_EMAIL && g_ascii_strncasecmp (value, "owacal:", 7) == 0)
    target->kind = OC_TARGET_KIND_EXCHANGE;
  if (target != NULL && target->kind != OC_TARGET_KIND_WEB && target->kind != OC_TARGET_KIND_ICALENDAR &&
      target->kind != OC_TARGET_KIND_EXCHANGE)
    {
      g_clear_pointer (&target, oc_target_free);
      g_set_error_literal (&error, OC_TARGET_ERROR, OC_TARGET_ERROR_INVALID,
                           "it is neither a web address nor a published calendar");
    }
  if (target == NULL)
    {
      add_trail (lookup, TRUE, "%s: %s is “%s”, which owacal cannot open: %s", source, detail, value,
                 error->message);
      return FALSE;
    }
  add_trail (lookup, FALSE, "%s: %s is %s", source, detail, target->value);
  lookup->found = g_new0 (OcResolution, 1);
  lookup->found->target = g_steal_pointer (&target);
  lookup->found->source = g_strdup (source);
  lookup->found->detail = g_strdup (detail);
  return TRUE;
}

/* Only the lookup's own cancellation ends it: a declined password dialog is one source's failure. */
static gboolean
is_cancelled (Lookup  *lookup,
              GError **error,
              GError  *local_error)
{
  if (!g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_CANCELLED) ||
      !g_cancellable_is_cancelled (lookup->cancellable))
    return FALSE;
  g_propagate_error (error, g_error_copy (local_error));
  return TRUE;
}
/* Sources */

static gboolean
load_profile (OcResolver *self,
              Lookup     *lookup)
{
  g_autoptr (GError) error = NULL;

  if (lookup->profile_loaded)
    return lookup->prefs != NULL;
  lookup->profile_loaded = TRUE;
  lookup->profile_dir = oc_thunderbird_profile_find (self->home, self->profile, &error);
  if (lookup->profile_dir == NULL)
    {
      /* No Thunderbird is normal; a profile asked for by name that is not there is not. */
      add_trail (lookup, self->profile != NULL, "Thunderbird: %s", error->message);
      return FALSE;
    }
  lookup->prefs = oc_prefs_load_profile (lookup->profile_dir, &error);
  if (lookup->prefs == NULL)
    {
      add_trail (lookup, TRUE, "Thunderbird profile %s: its settings cannot be read: %s", lookup->profile_dir,
                 error->message);
      return FALSE;
    }
  return TRUE;
}

static gboolean
look_in_address_books (OcResolver  *self,
                       Lookup      *lookup,
                       GError     **error)
{
  g_autoptr (GPtrArray) books = NULL;

  if (!load_profile (self, lookup))
    return TRUE;
  books = oc_address_book_list (lookup->profile_dir, lookup->prefs);
  if (books->len == 0)
    add_trail (lookup, FALSE, "Thunderbird profile %s: no address books", lookup->profile_dir);
  for (guint i = 0; i < books->len && lookup->found == NULL; i++)
    {
      OcAddressBook *book = g_ptr_array_index (books, i);
      g_autofree char *source = g_strdup_printf ("Thunderbird address book “%s”", oc_address_book_get_name (book));
      g_autofree char *detail = NULL;
      g_autoptr (GError) local_error = NULL;
      g_autoptr (OcContact) contact = oc_address_book_lookup_sync (book, lookup->email, lookup->cancellable,
                                                                   &local_error);

      if (local_error != NULL)
        {
          if (is_cancelled (lookup, error, local_error))
            return FALSE;
          add_trail (lookup, TRUE, "%s", local_error->message);
          continue;
        }
      if (contact == NULL)
        {
          add_trail (lookup, FALSE, "%s: no card with %s", source, lookup->email);
          continue;
        }
      detail = g_strdup_printf ("Custom1 of %s", contact->display_name ? contact->display_name : lookup->email);
      if (contact->custom1 == NULL)
        add_trail (lookup, FALSE, "%s: the card of %s has no Custom1",
                   source, contact->display_name ? contact->display_name : lookup->email);
      else
        accept_value (lookup, source, detail, contact->custom1);
    }
  return TRUE;
}

/* Configuration time only: lookups may run in several threads at once and must not change a directory. */
static void
apply_ldap_options (OcResolver      *self,
                    OcLdapDirectory *directory)
{
  oc_ldap_directory_set_timeout (directory, self->ldap_timeout);
  if (self->ca_file != NULL)
    oc_ldap_directory_set_ca_file (directory, self->ca_file);
}

/* What a directory bind asked the credentials provider, so that it can be told what worked. */
typedef struct {
  OcResolver *resolver;
  const char *host;
  guint attempt;
  OcCredentials *given;
} ProviderAsk;

/* An OcPasswordFunc, in the lookup's thread: the provider answers in its main context. */
static char *
ask_provider_cb (OcLdapDirectory *directory,
                 const char      *bind_dn,
                 gboolean         retry,
                 gpointer         user_data,
                 GCancellable    *cancellable,
                 GError         **error)
{
  ProviderAsk *ask = user_data;
  OcCredentialsQuestion question = { ask->host, bind_dn,
                                     retry ? OC_CREDENTIALS_REASON_REJECTED : OC_CREDENTIALS_REASON_NONE_STORED,
                                     ++ask->attempt };

  g_clear_pointer (&ask->given, oc_credentials_unref);
  ask->given = oc_credentials_ask_sync (ask->resolver->provider, ask->resolver->provider_context, &question,
                                        cancellable, error);
  return ask->given ? g_strdup (oc_credentials_get_password (ask->given)) : NULL;
}

static OcContact *
lookup_in_directory (OcResolver       *self,
                     Lookup           *lookup,
                     OcLdapDirectory  *directory,
                     GError          **error)
{
  ProviderAsk ask = { self, oc_ldap_directory_get_host (directory), 0, NULL };
  g_autoptr (GError) local_error = NULL;
  OcContact *contact;

  if (self->password_func != NULL || self->provider == NULL)
    return oc_ldap_directory_lookup_sync (directory, lookup->email, self->password_func, self->password_data,
                                          lookup->cancellable, error);
  contact = oc_ldap_directory_lookup_sync (directory, lookup->email, ask_provider_cb, &ask, lookup->cancellable,
                                          &local_error);
  /* Only a lookup that went through proves the password (an error may come before the bind). */
  if (ask.given != NULL && local_error == NULL)
    oc_credentials_accepted_in_context (self->provider, self->provider_context, ask.host, ask.given);
  g_clear_pointer (&ask.given, oc_credentials_unref);
  if (local_error != NULL)
    g_propagate_error (error, g_steal_pointer (&local_error));
  return contact;
}

/* Returns FALSE only when cancelled. */
static gboolean
look_in_directory (OcResolver      *self,
                   Lookup          *lookup,
                   OcLdapDirectory *directory,
                   const char      *source,
                   GError         **error)
{
  g_autoptr (GError) local_error = NULL;
  g_autoptr (OcContact) contact = NULL;
  g_autofree char *detail = NULL;

  contact = lookup_in_directory (self, lookup, directory, &local_error);
  if (local_error != NULL)
    {
      if (is_cancelled (lookup, error, local_error))
        return FALSE;
      add_trail (lookup, TRUE, "%s (%s): %s", source, oc_ldap_directory_get_url (directory), local_error->message);
      return TRUE;
    }
  if (contact == NULL)
    add_trail (lookup, FALSE, "%s: no entry with %s", source, lookup->email);
  else if (contact->custom1 == NULL)
    add_trail (lookup, FALSE, "%s: the entry of %s has no Custom1", source,
               contact->display_name ? contact->display_name : contact->id);
  else
    {
      detail = g_strdup_printf ("Custom1 of %s", contact->display_name ? contact->display_name : contact->id);
      accept_value (lookup, source, detail, contact->custom1);
    }
  return TRUE;
}

static gboolean
look_in_thunderbird_directories (OcResolver  *self,
                                 Lookup      *lookup,
                                 GError     **error)
{
  g_autoptr (GPtrArray) problems = g_ptr_array_new_with_free_func (g_free);
  g_autoptr (GPtrArray) directories = NULL;

  if (!load_profile (self, lookup))
    return TRUE;
  directories = oc_ldap_directory_list_thunderbird (lookup->prefs, problems);
  for (guint i = 0; i < problems->len; i++)
    add_trail (lookup, TRUE, "%s", (char *) g_ptr_array_index (problems, i));
  if (directories->len == 0 && problems->len == 0)
    add_trail (lookup, FALSE, "Thunderbird profile %s: no LDAP directories", lookup->profile_dir);
  for (guint i = 0; i < directories->len && lookup->found == NULL; i++)
    {
      OcLdapDirectory *directory = g_ptr_array_index (directories, i);
      g_autofree char *source = g_strdup_printf ("Thunderbird directory “%s”", oc_ldap_directory_get_name (directory));

      /* This lookup's own objects, made from the profile's settings just now. */
      apply_ldap_options (self, directory);
      if (!look_in_directory (self, lookup, directory, source, error))
        return FALSE;
    }
  return TRUE;
}

static gboolean
look_in_own_directory (OcResolver  *self,
                       Lookup      *lookup,
                       GError     **error)
{
  if (self->directory == NULL)
    {
      add_trail (lookup, FALSE, "owacal directory: none set");
      return TRUE;
    }
  return look_in_directory (self, lookup, self->directory, "owacal directory", error);
}

static gboolean
look_in_url_template (OcResolver  *self,
                      Lookup      *lookup,
                      GError     **error)
{
  g_autoptr (GError) local_error = NULL;
  g_autofree char *url = NULL;

  if (self->url_template == NULL)
    {
      add_trail (lookup, FALSE, "URL template: none set");
      return TRUE;
    }
  url = oc_url_template_expand (self->url_template, lookup->email, &local_error);
  if (url == NULL)
    {
      add_trail (lookup, TRUE, "URL template: %s", local_error->message);
      return TRUE;
    }
  accept_value (lookup, "URL template", self->url_template, url);
  return TRUE;
}

/* Microsoft 365's directory, asked from the lookup's thread: Graph's client
 * lives on its main context, so the question is put there and the thread
 * waits for the answer. */
typedef struct {
  GMutex mutex;
  GCond cond;
  gboolean done;
  OcGraphClient *graph;
  const char *email;
  GCancellable *cancellable;
  OcContact *contact;
  GError *error;
} GraphQuestion;

static void
graph_answered_cb (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  GraphQuestion *question = user_data;
  OcContact *contact = oc_graph_client_find_user_finish (OC_GRAPH_CLIENT (source), result, &question->error);

  g_mutex_lock (&question->mutex);
  question->contact = contact;
  question->done = TRUE;
  g_cond_signal (&question->cond);
  g_mutex_unlock (&question->mutex);
}

static gboolean
ask_graph_cb (gpointer user_data)
{
  GraphQuestion *question = user_data;

  oc_graph_client_find_user_async (question->graph, question->email, question->cancellable, graph_answered_cb,
                                   question);
  return G_SOURCE_REMOVE;
}

static gboolean
look_in_microsoft365 (OcResolver  *self,
                      Lookup      *lookup,
                      GError     **error)
{
  GraphQuestion question = { .graph = self->graph, .email = lookup->email, .cancellable = lookup->cancellable };

  if (self->graph == NULL)
    {
      add_trail (lookup, FALSE, "Microsoft 365: not set up");
      return TRUE;
    }
  g_mutex_init (&question.mutex);
  g_cond_init (&question.cond);
  g_main_context_invoke (self->graph_context, ask_graph_cb, &question);
  g_mutex_lock (&question.mutex);
  while (!question.done)
    g_cond_wait (&question.cond, &question.mutex);
  g_mutex_unlock (&question.mutex);
  g_mutex_clear (&question.mutex);
  g_cond_clear (&question.cond);
  if (question.error != NULL)
    {
      /* Not signed in yet is no problem: opening a calendar signs in. */
      add_trail (lookup, !g_error_matches (question.error, OC_GRAPH_ERROR, OC_GRAPH_ERROR_SIGN_IN_REQUIRED),
                 "Microsoft 365: %s", question.error->message);
      g_error_free (question.error);
      return TRUE;
    }
  if (question.contact == NULL)
    {
      add_trail (lookup, FALSE, "Microsoft 365: nobody has this address");
      return TRUE;
    }
  add_trail (lookup, FALSE, "Microsoft 365: %s", question.contact->display_name ? question.contact->display_name
                                                                                : question.contact->custom1);
  lookup->found = g_new0 (OcResolution, 1);
  lookup->found->target = oc_target_new (OC_TARGET_KIND_EXCHANGE,
                                         question.contact->custom1 ? question.contact->custom1 : lookup->email);
  lookup->found->source = g_strdup (OC_RESOLVER_SOURCE_MICROSOFT365);
  lookup->found->detail = g_strdup (question.contact->display_name);
  oc_contact_free (question.contact);
  return TRUE;
}

/* Anyone Exchange knows: whether it does is for Exchange to say, when the
 * calendar opens (an unknown mailbox is said so on the page). Exchange
 * Online counts as well. */
static gboolean
look_in_exchange (OcResolver  *self,
                  Lookup      *lookup,
                  GError     **error)
{
  if (self->exchange_url == NULL && self->graph != NULL)
    {
      add_trail (lookup, FALSE, "Exchange: Microsoft 365");
      lookup->found = g_new0 (OcResolution, 1);
      lookup->found->target = oc_target_new (OC_TARGET_KIND_EXCHANGE, lookup->email);
      lookup->found->source = g_strdup ("Microsoft 365");
      return TRUE;
    }
  if (self->exchange_url == NULL)
    {
      add_trail (lookup, FALSE, "Exchange Web Services: none set");
      return TRUE;
    }
  add_trail (lookup, FALSE, "Exchange Web Services: %s", self->exchange_url);
  lookup->found = g_new0 (OcResolution, 1);
  lookup->found->target = oc_target_new (OC_TARGET_KIND_EXCHANGE, lookup->email);
  lookup->found->source = g_strdup ("Exchange Web Services");
  lookup->found->detail = g_strdup (self->exchange_url);
  return TRUE;
}

static gboolean
look_in (OcResolver  *self,
         Lookup      *lookup,
         const char  *source,
         GError     **error)
{
  if (g_str_equal (source, OC_RESOLVER_SOURCE_ADDRESS_BOOKS))
    return look_in_address_books (self, lookup, error);
  if (g_str_equal (source, OC_RESOLVER_SOURCE_THUNDERBIRD_DIRECTORIES))
    return look_in_thunderbird_directories (self, lookup, error);
  if (g_str_equal (source, OC_RESOLVER_SOURCE_DIRECTORY))
    return look_in_own_directory (self, lookup, error);
  if (g_str_equal (source, OC_RESOLVER_SOURCE_EXCHANGE))
    return look_in_exchange (self, lookup, error);
  if (g_str_equal (source, OC_RESOLVER_SOURCE_MICROSOFT365))
    return look_in_microsoft365 (self, lookup, error);
  return look_in_url_template (self, lookup, error);
}

/* Callbacks */

static void
resolve_in_thread_cb (GTask        *task,
                      gpointer      source_object,
                      gpointer      task_data,
                      GCancellable *cancellable)
{
  g_autoptr (GError) error = NULL;
  OcResolution *resolution = oc_resolver_resolve_sync (source_object, task_data, cancellable, &error);

  if (resolution == NULL)
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_pointer (task, resolution, (GDestroyNotify) oc_resolution_free);
}

/* GObject */

static void
oc_resolver_finalize (GObject *object)
{
  OcResolver *self = OC_RESOLVER (object);

  g_strfreev (self->sources);
  g_free (self->home);
  g_free (self->profile);
  g_free (self->url_template);
  g_free (self->exchange_url);
  g_clear_object (&self->graph);
  g_clear_pointer (&self->graph_context, g_main_context_unref);
  g_clear_object (&self->directory);
  g_free (self->ca_file);
  if (self->password_destroy != NULL)
    self->password_destroy (self->password_data);
  g_clear_object (&self->provider);
  g_clear_pointer (&self->provider_context, g_main_context_unref);
  G_OBJECT_CLASS (oc_resolver_parent_class)->finalize (object);
}

static void
oc_resolver_class_init (OcResolverClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = oc_resolver_finalize;
}

static void
oc_resolver_init (OcResolver *self)
{
  self->sources = g_strdupv ((char **) known_sources);
  self->ldap_timeout = OC_LDAP_DIRECTORY_DEFAULT_TIMEOUT;
}

/* Public API */

/**
 * oc_resolution_copy:
 * @resolution: a resolution
 *
 * Returns: (transfer full): a copy
 */
OcResolution *
oc_resolution_copy (const OcResolution *resolution)
{
  OcResolution *copy;

  g_return_val_if_fail (resolution != NULL, NULL);
  copy = g_new0 (OcResolution, 1);
  copy->target = oc_target_copy (resolution->target);
  copy->source = g_strdup (resolution->source);
  copy->detail = g_strdup (resolution->detail);
  copy->trail = g_strdupv (resolution->trail);
  copy->notes = g_strdupv (resolution->notes);
  return copy;
}

/**
 * oc_resolution_free:
 * @resolution: (nullable): a resolution
 */
void
oc_resolution_free (OcResolution *resolution)
{
  if (resolution == NULL)
    return;
  oc_target_free (resolution->target);
  g_free (resolution->source);
  g_free (resolution->detail);
  g_strfreev (resolution->trail);
  g_strfreev (resolution->notes);
  g_free (resolution);
}

/**
 * oc_resolver_new:
 *
 * Returns: (transfer full): a resolver trying every source, in the default order
 */
OcResolver *
oc_resolver_new (void)
{
  return g_object_new (OC_TYPE_RESOLVER, NULL);
}

/**
 * oc_resolver_set_sources:
 * @self: a resolver
 * @sources: (array zero-terminated=1): source names (%OC_RESOLVER_SOURCE_ADDRESS_BOOKS, …), in order
 * @error: return location for a #GError
 *
 * Returns: %FALSE with %OC_RESOLVER_ERROR_BAD_SETTINGS if a name is unknown
 */
gboolean
oc_resolver_set_sources (OcResolver         *self,
                         const char * const *sources,
                         GError            **error)
{
  g_return_val_if_fail (OC_IS_RESOLVER (self), FALSE);
  g_return_val_if_fail (sources != NULL, FALSE);

  for (const char *const *source = sources; *source; source++)
    if (!g_strv_contains (known_sources, *source))
      {
        g_autofree char *known = g_strjoinv (", ", (char **) known_sources);
        g_set_error (error, OC_RESOLVER_ERROR, OC_RESOLVER_ERROR_BAD_SETTINGS,
                     "“%s” is not a place owacal can look up calendars in\nKnown: %s", *source, known);
        return FALSE;
      }
  g_strfreev (self->sources);
  self->sources = g_strdupv ((char **) sources);
  return TRUE;
}

/**
 * oc_resolver_set_home:
 * @self: a resolver
 * @home: (nullable): where to look for Thunderbird profiles; %NULL for g_get_home_dir()
 */
void
oc_resolver_set_home (OcResolver *self,
                      const char *home)
{
  g_return_if_fail (OC_IS_RESOLVER (self));
  g_free (self->home);
  self->home = g_strdup (home);
}

/**
 * oc_resolver_set_profile:
 * @self: a resolver
 * @profile: (nullable): a Thunderbird profile's name or directory; %NULL or
 *   empty for the profile Thunderbird starts with
 */
void
oc_resolver_set_profile (OcResolver *self,
                         const char *profile)
{
  g_return_if_fail (OC_IS_RESOLVER (self));
  g_free (self->profile);
  self->profile = (profile != NULL && *profile != '\0') ? g_strdup (profile) : NULL;
}

/**
 * oc_resolver_set_exchange_url:
 * @self: a resolver
 * @url: (nullable): the Exchange Web Services endpoint (or where Autodiscover
 *   found it), %NULL when none is known
 *
 * With an endpoint, the "exchange" source finds everyone not found before it:
 * their calendar is read from Exchange.
 */
void
oc_resolver_set_exchange_url (OcResolver *self,
                              const char *url)
{
  g_return_if_fail (OC_IS_RESOLVER (self));
  g_free (self->exchange_url);
  self->exchange_url = (url != NULL && *url != '\0') ? g_strdup (url) : NULL;
}

/**
 * oc_resolver_set_microsoft365:
 * @self: a resolver
 * @graph: (nullable): Microsoft 365, signed in or able to sign in silently
 *
 * With a client, the "microsoft365" source looks addresses up in the
 * organisation's directory, and the "exchange" source finds everyone (read
 * through Microsoft Graph) when no EWS endpoint is set. The client answers
 * on the calling thread's main context, which must keep running while a
 * lookup waits for it.
 */
void
oc_resolver_set_microsoft365 (OcResolver    *self,
                              OcGraphClient *graph)
{
  g_return_if_fail (OC_IS_RESOLVER (self));
  g_set_object (&self->graph, graph);
  g_clear_pointer (&self->graph_context, g_main_context_unref);
  if (graph != NULL)
    self->graph_context = g_main_context_ref_thread_default ();
}

/**
 * oc_resolver_set_url_template:
 * @self: a resolver
 * @url_template: (nullable): a URL with {email}, {local} and {domain}; %NULL or empty for none
 */
void
oc_resolver_set_url_template (OcResolver *self,
                              const char *url_template)
{
  g_return_if_fail (OC_IS_RESOLVER (self));
  g_free (self->url_template);
  self->url_template = (url_template != NULL && *url_template != '\0') ? g_strdup (url_template) : NULL;
}

/**
 * oc_resolver_set_directory:
 * @self: a resolver
 * @directory: (nullable): a directory of owacal's own, for users without Thunderbird
 */
void
oc_resolver_set_directory (OcResolver      *self,
                           OcLdapDirectory *directory)
{
  g_return_if_fail (OC_IS_RESOLVER (self));
  g_set_object (&self->directory, directory);
  if (directory != NULL)
    apply_ldap_options (self, directory);
}

/**
 * oc_resolver_set_ldap_options:
 * @self: a resolver
 * @timeout_seconds: the longest wait for connecting to, signing in to and
 *   searching a directory, each (0: OC_LDAP_DIRECTORY_DEFAULT_TIMEOUT)
 * @ca_file: (nullable): a PEM file of CAs to trust besides the system's, for ldaps:// and StartTLS
 */
void
oc_resolver_set_ldap_options (OcResolver *self,
                              guint       timeout_seconds,
                              const char *ca_file)
{
  g_return_if_fail (OC_IS_RESOLVER (self));
  self->ldap_timeout = timeout_seconds > 0 ? timeout_seconds : OC_LDAP_DIRECTORY_DEFAULT_TIMEOUT;
  g_free (self->ca_file);
  self->ca_file = g_strdup (ca_file);
  if (self->directory != NULL)
    apply_ldap_options (self, self->directory);
}

/**
 * oc_resolver_set_password_func:
 * @self: a resolver
 * @func: (nullable): gives passwords for directory binds, called in the lookup's worker thread
 * @user_data: for @func
 * @destroy: (nullable): frees @user_data with @self
 */
void
oc_resolver_set_password_func (OcResolver     *self,
                               OcPasswordFunc  func,
                               gpointer        user_data,
                               GDestroyNotify  destroy)
{
  g_return_if_fail (OC_IS_RESOLVER (self));
  if (self->password_destroy != NULL)
    self->password_destroy (self->password_data);
  self->password_func = func;
  self->password_data = user_data;
  self->password_destroy = destroy;
}

/**
 * oc_resolver_set_credentials_provider:
 * @self: a resolver
 * @provider: (nullable): asked for directory passwords when no password
 *   function is set, in the thread-default main context of this call (the
 *   lookup's thread waits for the answer; the provider is told which worked)
 *
 * The provider's questions name the directory's host and the bind DN as the user.
 */
void
oc_resolver_set_credentials_provider (OcResolver            *self,
                                      OcCredentialsProvider *provider)
{
  g_return_if_fail (OC_IS_RESOLVER (self));
  g_set_object (&self->provider, provider);
  g_clear_pointer (&self->provider_context, g_main_context_unref);
  if (provider != NULL)
    self->provider_context = g_main_context_ref_thread_default ();
}

/**
 * oc_resolver_resolve_sync:
 * @self: a resolver
 * @email: an e-mail address
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * Tries the sources in order. Blocks on files and the network: call it from
 * a worker thread or a command-line tool. Configure @self before, not during.
 *
 * Returns: (transfer full) (nullable): the calendar and where it came from,
 *   or %NULL with %OC_RESOLVER_ERROR_NOT_FOUND (its message says where owacal
 *   looked) or %G_IO_ERROR_CANCELLED
 */
OcResolution *
oc_resolver_resolve_sync (OcResolver    *self,
                          const char    *email,
                          GCancellable  *cancellable,
                          GError       **error)
{
  Lookup lookup = { email, cancellable, g_ptr_array_new_with_free_func (g_free),
                    g_ptr_array_new_with_free_func (g_free), NULL, FALSE, NULL, NULL };
  g_autofree char *looked = NULL;
  OcResolution *resolution;

  g_return_val_if_fail (OC_IS_RESOLVER (self), NULL);
  g_return_val_if_fail (email != NULL, NULL);

  for (char **source = self->sources; *source && lookup.found == NULL; source++)
    if (g_cancellable_set_error_if_cancelled (cancellable, error) || !look_in (self, &lookup, *source, error))
      {
        lookup_clear (&lookup);
        return NULL;
      }

  if (lookup.found == NULL)
    {
      if (lookup.trail->len == 0)
        add_trail (&lookup, FALSE, "no sources are configured");
      g_ptr_array_add (lookup.trail, NULL);
      looked = g_strjoinv ("\n  ", (char **) lookup.trail->pdata);
      g_set_error (error, OC_RESOLVER_ERROR, OC_RESOLVER_ERROR_NOT_FOUND,
                   "No calendar address found for %s\nLooked in:\n  %s", email, looked);
      lookup_clear (&lookup);
      return NULL;
    }
  resolution = g_steal_pointer (&lookup.found);
  resolution->trail = steal_strv (lookup.trail);
  resolution->notes = steal_strv (lookup.notes);
  lookup_clear (&lookup);
  return resolution;
}

/**
 * oc_resolver_resolve_async:
 * @self: a resolver
 * @email: an e-mail address
 * @cancellable: (nullable): a #GCancellable
 * @callback: called in the caller's main context when done
 * @user_data: for @callback
 *
 * oc_resolver_resolve_sync() in a worker thread.
 */
void
oc_resolver_resolve_async (OcResolver          *self,
                           const char          *email,
                           GCancellable        *cancellable,
                           GAsyncReadyCallback  callback,
                           gpointer             user_data)
{
  g_autoptr (GTask) task = NULL;

  g_return_if_fail (OC_IS_RESOLVER (self));
  g_return_if_fail (email != NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, oc_resolver_resolve_async);
  g_task_set_task_data (task, g_strdup (email), g_free);
  /* A silent directory holds the thread for its timeout; whoever cancels need not wait for it. */
  g_task_set_return_on_cancel (task, TRUE);
  g_task_run_in_thread (task, resolve_in_thread_cb);
}

/**
 * oc_resolver_resolve_finish:
 * @self: a resolver
 * @result: the result given to the callback
 * @error: return location for a #GError
 *
 * Returns: (transfer full) (nullable): see oc_resolver_resolve_sync()
 */
OcResolution *
oc_resolver_resolve_finish (OcResolver    *self,
                            GAsyncResult  *result,
                            GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == oc_resolver_resolve_async, NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

/**
 * oc_resolver_get_directory:
 * @self: a resolver
 *
 * Returns: (transfer none) (nullable): owacal's own directory, if one is set
 */
OcLdapDirectory *
oc_resolver_get_directory (OcResolver *self)
{
  g_return_val_if_fail (OC_IS_RESOLVER (self), NULL);
  return self->directory;
}

/**
 * oc_resolver_search_directory_sync:
 * @self: a resolver with a directory of owacal's own
 * @search: what to search for
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * Searches owacal's own directory, signing in as lookups do (the password
 * function, or the credentials provider). Blocks: call it from a worker
 * thread. Autodiscover finds Exchange's service connection points this way.
 *
 * Returns: (transfer full) (element-type OcLdapEntry) (nullable): the entries
 */
GPtrArray *
oc_resolver_search_directory_sync (OcResolver         *self,
                                   const OcLdapSearch *search,
                                   GCancellable       *cancellable,
                                   GError            **error)
{
  ProviderAsk ask = { self, NULL, 0, NULL };
  g_autoptr (GError) local_error = NULL;
  GPtrArray *entries;

  g_return_val_if_fail (OC_IS_RESOLVER (self), NULL);
  if (self->directory == NULL)
    {
      g_set_error (error, OC_RESOLVER_ERROR, OC_RESOLVER_ERROR_BAD_SETTINGS, "No directory is set");
      return NULL;
    }
  if (self->password_func != NULL || self->provider == NULL)
    return oc_ldap_directory_search_sync (self->directory, search, self->password_func, self->password_data,
                                          cancellable, error);
  ask.host = oc_ldap_directory_get_host (self->directory);
  entries = oc_ldap_directory_search_sync (self->directory, search, ask_provider_cb, &ask, cancellable, &local_error);
  if (ask.given != NULL && local_error == NULL)
    oc_credentials_accepted_in_context (self->provider, self->provider_context, ask.host, ask.given);
  g_clear_pointer (&ask.given, oc_credentials_unref);
  if (local_error != NULL)
    g_propagate_error (error, g_steal_pointer (&local_error));
  return entries;
}

/**
 * oc_resolver_has_source:
 * @self: a resolver
 * @source: a source name, such as %OC_RESOLVER_SOURCE_EXCHANGE
 *
 * Returns: whether @self looks in @source
 */
gboolean
oc_resolver_has_source (OcResolver *self,
                        const char *source)
{
  g_return_val_if_fail (OC_IS_RESOLVER (self), FALSE);
  return g_strv_contains ((const char *const *) self->sources, source);
}

/**
 * oc_resolver_get_exchange_url:
 * @self: a resolver
 *
 * Returns: (nullable): the EWS endpoint set with oc_resolver_set_exchange_url()
 */
const char *
oc_resolver_get_exchange_url (OcResolver *self)
{
  g_return_val_if_fail (OC_IS_RESOLVER (self), NULL);
  return self->exchange_url;
}

/**
 * oc_resolver_dup_thunderbird_ews_url:
 * @self: a resolver
 * @email: a colleague's address
 * @out_where: (out) (optional) (transfer full): in words, which account of
 *   which profile said so
 *
 * Where Exchange Web Services are for @email, as the user's own Thunderbird
 * (145 or later) knows them: the EWS address of its Exchange account of
 * @email's domain. Reads the profile: call it from a worker thread.
 *
 * Returns: (transfer full) (nullable): the EWS endpoint, or %NULL when the
 *   profile has no Exchange account of that domain (or no profile is found)
 */
char *
oc_resolver_dup_thunderbird_ews_url (OcResolver  *self,
                                     const char  *email,
                                     char       **out_where)
{
  g_autofree char *profile_dir = NULL;
  g_autoptr (OcPrefs) prefs = NULL;
  g_autoptr (GPtrArray) accounts = NULL;
  const OcThunderbirdExchangeAccount *account;

  g_return_val_if_fail (OC_IS_RESOLVER (self), NULL);
  g_return_val_if_fail (email != NULL, NULL);

  /* No Thunderbird, or one whose settings cannot be read, knows nothing:
   * the lookups report such a profile; Autodiscover goes on. */
  if ((profile_dir = oc_thunderbird_profile_find (self->home, self->profile, NULL)) == NULL ||
      (prefs = oc_prefs_load_profile (profile_dir, NULL)) == NULL)
    return NULL;
  accounts = oc_thunderbird_list_exchange_accounts (prefs);
  account = oc_thunderbird_find_exchange_account (accounts, email);
  if (account == NULL)
    return NULL;
  if (out_where != NULL)
    *out_where = g_strdup_printf ("Thunderbird's Exchange account %s (profile %s)", account->email, profile_dir);
  return g_strdup (account->ews_url);
}
