/* fest-checkout.h: the station's payment policy: sell, recharge, cancel the last sale
 *
 * Copyright 2026 The Festivals authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The money rules of a cashier or recharge desk, without GTK, over the station store and its sync
 * engine. Online (the engine says so and the device is not revoked), an operation is POST
 * /transactions under an idempotency key allocated before the first attempt, so the server's
 * balance and stock checks decide:
 *  - accepted: recorded as an acknowledged operation (receipt, cancel, shift report, cached
 *    balance all see it);
 *  - refused (422, 404…): the server's reason, nothing recorded;
 *  - revoked (401): nothing recorded, the station can no longer sell, not even offline;
 *  - never sent (connection refused, no route, DNS): the offline rules, as if offline;
 *  - sent but unanswered even after the engine retried the same key: the outbox with the SAME key
 *    and the same operation. If the first attempt had landed, the later sync is answered
 *    "duplicate" (one charge); if not, it is applied then (one charge). When the offline rules
 *    refuse that sale, it is NOT shown as paid (the customer may have no money), but it is not
 *    forgotten either: it is kept UNCONFIRMED, never pushed, and the sync engine later asks the
 *    server whether that key landed: if it did, it becomes an acknowledged sale ("unconfirmed-
 *    resolved" on the engine, the cashier is told to serve or cancel it); if not, it is void.
 *    Pushing it as an offline sale instead would charge a customer who was told "no"; dropping it
 *    would lose a charge that did happen.
 * Offline, a sale is committed to the outbox first, within the cached balance minus this station's
 * pending debits plus the festival's per-wallet offline allowance; a recharge (a credit) always
 * passes. A cancel of the last sale always goes through the outbox and is done only once the
 * server took it.
 *
 * The results say what happened; the pages put it in words, colours and sounds. The *_async calls
 * read and write the station store in a worker thread, never on the caller's (GTK) thread; the
 * blocking *_offline calls are for callers that may wait (headless tools and tests).
 */

#pragma once

#include <gio/gio.h>

#include "fest-station-store.h"
#include "fest-sync-engine.h"

G_BEGIN_DECLS

/* The last sale may be cancelled this long after it was made (the server's window). */
#define FEST_CHECKOUT_CANCEL_WINDOW_S 120
/* Each online attempt waits this long for the server's answer. */
#define FEST_CHECKOUT_ONLINE_TIMEOUT_MS 3000

typedef enum
{
  FEST_CHECKOUT_ACCEPTED,     /* recorded: serve the customer, hand over the credit */
  FEST_CHECKOUT_REFUSED,      /* nothing recorded: see refusal */
  FEST_CHECKOUT_UNCONFIRMED,  /* sent, unanswered, refused offline: do not serve; kept to be asked about */
  FEST_CHECKOUT_REVOKED,      /* the server revoked this device: nothing recorded */
  FEST_CHECKOUT_QUEUED,       /* a cancel in the outbox: the server's word comes with a sync */
} FestCheckoutStatus;

/* How the operation went (or is to go) to the server. */
typedef enum
{
  FEST_CHECKOUT_ROUTE_ONLINE,     /* answered by the server (or, for a cancel: it is online) */
  FEST_CHECKOUT_ROUTE_OFFLINE,    /* no online attempt: offline rules */
  FEST_CHECKOUT_ROUTE_NOT_SENT,   /* the attempt never reached the server: offline rules */
  FEST_CHECKOUT_ROUTE_NO_ANSWER,  /* sent, unanswered after retries: offline rules, same key */
} FestCheckoutRoute;

typedef enum
{
  FEST_CHECKOUT_REFUSAL_NONE,
  FEST_CHECKOUT_REFUSAL_INSUFFICIENT_BALANCE,  /* needed, available */
  FEST_CHECKOUT_REFUSAL_OUT_OF_STOCK,          /* product_name (may be NULL), available (units left) */
  FEST_CHECKOUT_REFUSAL_UNKNOWN_WALLET,
  FEST_CHECKOUT_REFUSAL_FORBIDDEN,
  FEST_CHECKOUT_REFUSAL_SERVER,                /* another refusal by the server: error */
  FEST_CHECKOUT_REFUSAL_LOCAL,                 /* the station's store refused it: error */
} FestCheckoutRefusal;

typedef struct
{
  FestCheckoutStatus   status;
  FestCheckoutRoute    route;
  FestCheckoutRefusal  refusal;
  /* REFUSED, REVOKED: the error as received (FEST_ERROR from the server, with its details, or
   * FEST_STATION_STORE_ERROR); NULL otherwise. */
  GError              *error;
  /* The operation's idempotency key (ACCEPTED, UNCONFIRMED, QUEUED; the attempt's key when an
   * online attempt was refused). */
  char                *key;
  /* ACCEPTED: the sale's total or the credit, in minor units; a cancel: the amount given back. */
  gint64               amount;
  /* ACCEPTED sale or recharge: the wallet's balance as the station now sees it. */
  gint64               balance;
  /* INSUFFICIENT_BALANCE: what the sale needs and what the wallet has (may be negative). */
  gint64               needed;
  gint64               available;
  char                *product_name;
} FestCheckoutResult;

#define FEST_TYPE_CHECKOUT_RESULT (fest_checkout_result_get_type ())
GType               fest_checkout_result_get_type (void) G_GNUC_CONST;
FestCheckoutResult *fest_checkout_result_copy     (const FestCheckoutResult *result);
void                fest_checkout_result_free     (FestCheckoutResult       *result);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (FestCheckoutResult, fest_checkout_result_free)

#define FEST_TYPE_CHECKOUT (fest_checkout_get_type ())
G_DECLARE_FINAL_TYPE (FestCheckout, fest_checkout, FEST, CHECKOUT, GObject)

/* @engine may be NULL (no network: the offline rules only). Properties: "store", "engine" and
 * "online-timeout" (ms per online attempt, FEST_CHECKOUT_ONLINE_TIMEOUT_MS by default), all
 * construct-only. */
FestCheckout       *fest_checkout_new               (FestStationStore    *store,
                                                     FestSyncEngine      *engine);
FestStationStore   *fest_checkout_get_store         (FestCheckout        *self);
FestSyncEngine     *fest_checkout_get_engine        (FestCheckout        *self);
/* Will the next operation be tried online first (an engine, online, not revoked)? When not, the
 * *_offline calls give the same result as the *_async ones. */
gboolean            fest_checkout_get_online        (FestCheckout        *self);

/* A sale of @lines to @wallet_code: online first when fest_checkout_get_online(), else (or when
 * the attempt never reached the server or went unanswered) the offline rules. The result comes
 * once the server answered or the fallback decided; only a cancelled @cancellable makes _finish
 * fail (the caller is gone: nothing is recorded, the next pull brings the cached balance in line). */
void                fest_checkout_pay_async         (FestCheckout        *self,
                                                     const char          *wallet_code,
                                                     const FestSaleLine  *lines,
                                                     guint                n_lines,
                                                     GCancellable        *cancellable,
                                                     GAsyncReadyCallback  callback,
                                                     gpointer             user_data);
FestCheckoutResult *fest_checkout_pay_finish        (FestCheckout        *self,
                                                     GAsyncResult        *result,
                                                     GError             **error);
/* The offline rules alone, decided and committed before returning (route OFFLINE); REVOKED once
 * the engine knows the device was revoked. */
FestCheckoutResult *fest_checkout_pay_offline       (FestCheckout        *self,
                                                     const char          *wallet_code,
                                                     const FestSaleLine  *lines,
                                                     guint                n_lines);

/* A credit of @amount (minor units) to @wallet_code, @method "CASH" or "CARD": as a sale, but the
 * offline rules always take a credit. */
void                fest_checkout_recharge_async    (FestCheckout        *self,
                                                     const char          *wallet_code,
                                                     gint64               amount,
                                                     const char          *method,
                                                     GCancellable        *cancellable,
                                                     GAsyncReadyCallback  callback,
                                                     gpointer             user_data);
FestCheckoutResult *fest_checkout_recharge_finish   (FestCheckout        *self,
                                                     GAsyncResult        *result,
                                                     GError             **error);
FestCheckoutResult *fest_checkout_recharge_offline  (FestCheckout        *self,
                                                     const char          *wallet_code,
                                                     gint64               amount,
                                                     const char          *method);

/* How long "cancel the last sale" is still possible: this station's last sale, acknowledged (its
 * server id is known), not cancelled, within FEST_CHECKOUT_CANCEL_WINDOW_S; 0 if not. */
GTimeSpan           fest_checkout_get_cancel_time_left (FestCheckout     *self);
/* Queues the cancel of the last sale: QUEUED (route ONLINE when the engine is online, so it goes
 * out now, else OFFLINE) with its key, or REFUSED (LOCAL) when there is nothing to cancel. */
FestCheckoutResult *fest_checkout_cancel_last       (FestCheckout        *self);
/* What became of the cancel queued under @key: QUEUED while the server has not answered, ACCEPTED
 * (amount: given back) or REFUSED (SERVER: the sale stands); NULL when no recent cancel has it. */
FestCheckoutResult *fest_checkout_get_cancel_outcome (FestCheckout       *self,
                                                      const char         *key);
/* fest_checkout_cancel_last(), then one sync of the engine (if any) and the cancel's outcome:
 * ACCEPTED, REFUSED, or QUEUED when the server could not be reached. */
void                fest_checkout_cancel_last_async  (FestCheckout       *self,
                                                      GCancellable       *cancellable,
                                                      GAsyncReadyCallback callback,
                                                      gpointer            user_data);
FestCheckoutResult *fest_checkout_cancel_last_finish (FestCheckout       *self,
                                                      GAsyncResult       *result,
                                                      GError            **error);

G_END_DECLS
