/* fest-sync-op.h: one operation of a station's POST /sync batch, parsed
 *
 * Copyright 2026 The Festivals authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "fest-incidents.h"
#include "fest-ledger.h"

G_BEGIN_DECLS

typedef enum
{
  FEST_SYNC_OP_TRANSACTION_CREATE,
  FEST_SYNC_OP_TICKET_SCAN,
  FEST_SYNC_OP_INCIDENT_CREATE,
  FEST_SYNC_OP_INCIDENT_UPDATE,
  FEST_SYNC_OP_SHIFT_OPEN,
  FEST_SYNC_OP_SHIFT_CLOSE,
} FestSyncOpKind;

typedef struct
{
  FestSyncOpKind kind;
  char          *key;
  char          *request_hash;
  /* transaction.create: a key stored by an earlier version holds the hash of the operation's
   * whole text. Computed while parsing: the JSON tree of the batch is freed before the batch
   * waits for the writer. */
  char          *legacy_hash;
  /* The station time the op claims (borrowed from u), checked against the festival's bounds, and
   * the member it came from. */
  const char    *time;
  const char    *time_field;
  GError        *parse_error;   /* the op is rejected as is */
  union
  {
    FestTransactionInput transaction;
    FestIncidentInput    incident;
    /* incident.update: {incident_id, status?, resolution_notes?, assigned_to?, is_abuse?}, parsed
     * as a lead's PATCH; the route narrows it to the caller's rights (fest-routes-sync.c). */
    FestIncidentPatch    incident_patch;
    /* shift.open {stand_id?, opening_float} (the device's stand by default), shift.close
     * {shift_id, counted_cash, note?}: the op's created_at is the opening or closing time. */
    struct
    {
      char   *shift_id;
      char   *stand_id;
      gint64  amount;
      char   *note;
      char   *at;
    } shift;
    struct
    {
      char *ticket_id;
      char *gate;
      char *direction;
      char *scanned_at;
    } scan;
  } u;
} FestSyncOp;

/* Parses element @index of a batch's "operations" into @op (zero-filled): on failure @op keeps
 * its key (if it had one) and parse_error. @stand_id: the stand of the device posting the batch
 * (nullable), the default of a ledger op's stand as POST /transactions has it. */
void      fest_sync_op_parse    (JsonNode    *node,
                                 guint        index,
                                 const char  *stand_id,
                                 FestSyncOp  *op);
/* Frees what @op holds (a GArray clear func). */
void      fest_sync_op_clear    (gpointer     op);
/* Rejects a parsed op with @error (transfer full): it keeps only its key and the error. */
void      fest_sync_op_reject   (FestSyncOp  *op,
                                 GError      *error);

G_END_DECLS
