/* oc-thunderbird-accounts.h: the Exchange accounts of a Thunderbird profile. */
#pragma once

#include "oc-prefs.h"

G_BEGIN_DECLS

/* One Exchange (EWS) account of Thunderbird 145 or later. */
typedef struct {
  char *key;        /* Thunderbird's name for the account, such as "account2" */
  char *email;      /* its first identity's address; nullable */
  char *ews_url;    /* where Thunderbird reads its mail: the organisation's EWS */
} OcThunderbirdExchangeAccount;

GPtrArray                          *oc_thunderbird_list_exchange_accounts (OcPrefs    *prefs);
const OcThunderbirdExchangeAccount *oc_thunderbird_find_exchange_account  (GPtrArray  *accounts,
                                                                           const char *email);
void                                oc_thunderbird_exchange_account_free  (OcThunderbirdExchangeAccount *account);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (OcThunderbirdExchangeAccount, oc_thunderbird_exchange_account_free)

G_END_DECLS
