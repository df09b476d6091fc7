/* fest-festival-repo.h: the festival's own row (settings, ticket keys) in its festival store
 *
 * Copyright 2026 The Festivals authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <json-glib/json-glib.h>

#include "fest-core.h"
#include "fest-festival-store.h"

G_BEGIN_DECLS

/* The columns a create or an update writes. For an update, NULL strings and unset has_* flags
 * keep the stored value. */
typedef struct
{
  char      *id;
  char      *name;
  char      *starts_at;
  char      *ends_at;
  char      *timezone;
  char      *currency_name;
  gint64     exchange_rate_cents;
  gboolean   has_rate;
  gboolean   has_location;
  gboolean   clear_location;
  double     lat, lng;
  gint64     offline_allowance;
  gboolean   has_offline_allowance;
  gint64     max_wallet_balance;
  gboolean   has_max_wallet_balance;
  FestActor *actor;
  guint8     public_key[FEST_TICKET_PUBLIC_KEY_BYTES];
  guint8     secret_key[FEST_TICKET_SECRET_KEY_BYTES];
} FestFestivalInput;

/* Wipes the secret key. */
void      fest_festival_input_free  (gpointer            input);

/* The festival row as API JSON; NOT_FOUND when there is none. Main thread (read connection). */
JsonNode *fest_festival_repo_read   (FestFestivalStore  *store,
                                     GError            **error);
/* Same, on the writer thread inside a job. */
JsonNode *fest_festival_repo_read_in (FestWriteCtx      *ctx,
                                     GError            **error);
/* Writer thread: inserts the row (with max_wallet_balance when given). */
gboolean  fest_festival_repo_insert (FestWriteCtx       *ctx,
                                     const FestFestivalInput *input,
                                     GError            **error);
/* Writer thread: updates the given columns and updated_at. */
gboolean  fest_festival_repo_update (FestWriteCtx       *ctx,
                                     const FestFestivalInput *input,
                                     GError            **error);

G_END_DECLS
