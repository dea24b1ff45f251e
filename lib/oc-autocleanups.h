/* oc-autocleanups.h: teach g_autoptr() about the C libraries lib/ uses. */
#pragma once

#include <glib.h>
#include <curl/curl.h>

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CURL, curl_easy_cleanup)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (CURLU, curl_url_cleanup)

/* curl_slist_free_all() takes the head of the list; a NULL list is fine. */
typedef struct curl_slist OcCurlSlist;
G_DEFINE_AUTOPTR_CLEANUP_FUNC (OcCurlSlist, curl_slist_free_all)
