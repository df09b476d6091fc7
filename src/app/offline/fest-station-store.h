/* fest-station-store.h: a kiosk station's offline store (SQLite) and its outbox
 *
 * Copyright 2026 The Festivals authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * One SQLite file per station and server (WAL, synchronous=FULL, schema versioned with
 * PRAGMA user_version). It caches what the station needs to work without the network (the
 * enrollment, the festival's currency and ticket public key, the stand's catalog, wallet balances,
 * tickets) and keeps the outbox: every sale, recharge, scan or incident report is committed there,
 * with its idempotency key, before the record_* call returns. The sync engine pushes the outbox
 * and pulls server changes into the cache.
 *
 * No GTK here. Every call is serialised by an internal mutex, so the store may be used from a
 * worker thread (GTask) and the main thread alike; the UI uses the _async variants at the end.
 * The device token is NOT kept here: it lives in the keyring (fest-secrets).
 */

#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

G_BEGIN_DECLS

#define FEST_STATION_STORE_ERROR (fest_station_store_error_quark ())

typedef enum
{
  FEST_STATION_STORE_ERROR_SQLITE,
  FEST_STATION_STORE_ERROR_NOT_ENROLLED,
  FEST_STATION_STORE_ERROR_INVALID,
  /* An offline payment above what the station may accept (message says why, in words). */
  FEST_STATION_STORE_ERROR_INSUFFICIENT_BALANCE,
  FEST_STATION_STORE_ERROR_OUT_OF_STOCK,
  FEST_STATION_STORE_ERROR_NOT_FOUND,
  /* Cancel: the last sale is not yet acknowledged, or too old. */
  FEST_STATION_STORE_ERROR_CANNOT_CANCEL,
} FestStationStoreError;

GQuark fest_station_store_error_quark (void);

typedef enum
{
  FEST_OUTBOX_PENDING,
  FEST_OUTBOX_ACKED,
  FEST_OUTBOX_REJECTED,
  /* An online attempt whose answer never came and that the offline rules would refuse: the sale
   * was NOT shown as paid; never pushed; the sync engine asks the server whether it landed. */
  FEST_OUTBOX_UNCONFIRMED,
  /* An UNCONFIRMED op the server never received: nothing happened. */
  FEST_OUTBOX_VOID,
} FestOutboxState;

typedef struct
{
  gint64           seq;
  char            *op;               /* transaction.create ticket.scan incident.create incident.update */
  char            *idempotency_key;
  char            *created_at;       /* RFC 3339 UTC */
  char            *payload;          /* JSON text */
  FestOutboxState  state;
  char            *error_code;       /* rejected: the server's code */
  char            *error_message;
  char            *entity;           /* acked: the server's entity JSON, may be NULL */
  char            *wallet_code;      /* payments/recharges/cancels */
  gint64           amount_delta;     /* signed effect on the wallet: − debit, + credit */
} FestOutboxOp;

void fest_outbox_op_free (FestOutboxOp *op);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (FestOutboxOp, fest_outbox_op_free)

typedef struct
{
  char     *id;
  char     *stand_id;
  char     *name;
  char     *category;     /* may be NULL */
  gint64    price;
  guint     vat_rate_bp;
  gboolean  has_stock;
  gint64    stock;
  gboolean  is_active;
} FestStationProduct;

void fest_station_product_free (FestStationProduct *product);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (FestStationProduct, fest_station_product_free)

typedef struct
{
  const char *product_id;
  gint64      quantity;
} FestSaleLine;

typedef enum
{
  FEST_SCAN_ACCEPT,
  FEST_SCAN_ALREADY_USED,
  FEST_SCAN_REFUSED,
  FEST_SCAN_EXIT,          /* direction OUT of a re-entry ticket: let out, may come back */
} FestScanResult;

typedef enum
{
  FEST_SCAN_REASON_NONE,
  FEST_SCAN_REASON_MALFORMED,
  FEST_SCAN_REASON_BAD_SIGNATURE,
  FEST_SCAN_REASON_WRONG_FESTIVAL,
  FEST_SCAN_REASON_NOT_YET_VALID,
  FEST_SCAN_REASON_EXPIRED,
  FEST_SCAN_REASON_CANCELLED,
  FEST_SCAN_REASON_NO_KEY,
  FEST_SCAN_REASON_NO_REENTRY,     /* OUT asked for a ticket type without re-entry */
  FEST_SCAN_REASON_NOT_INSIDE,     /* OUT asked for a ticket that is not inside */
} FestScanReason;

typedef struct
{
  FestScanResult  result;
  FestScanReason  reason;
  char           *ticket_id;
  char           *type_code;
  char           *holder;
  char           *first_scan_at;   /* ALREADY_USED: when and where it was first admitted */
  char           *first_gate;
  char           *idempotency_key; /* ACCEPT: the queued scan */
} FestScanVerdict;

void fest_scan_verdict_clear (FestScanVerdict *verdict);

typedef struct
{
  char   *product_id;
  char   *name;
  gint64  quantity;
  gint64  amount;
  guint   vat_rate_bp;
} FestShiftProductLine;

typedef struct
{
  guint   vat_rate_bp;
  gint64  gross;      /* VAT included */
  gint64  vat;
} FestShiftVatLine;

typedef struct
{
  char      *since;           /* shift start, RFC 3339 */
  char      *until;
  guint      n_sales;
  guint      n_cancels;
  gint64     sales_total;     /* net of cancels */
  guint      n_recharges;
  gint64     recharges_cash;
  gint64     recharges_card;
  gint64     recharges_comp;  /* staff credit: no money in the till */
  /* The cash shift (issue 19): opening float, and once closed, the count and its difference. */
  gboolean   has_cash_shift;
  gint64     opening_float;
  gboolean   cash_closed;
  gint64     counted_cash;
  gint64     expected_cash;
  gint64     difference;
  gboolean   expected_is_estimate; /* the station's own figure, not the server's */
  GPtrArray *products;        /* FestShiftProductLine, by name */
  GPtrArray *vat;             /* FestShiftVatLine, by rate, descending */
} FestShiftSummary;

void fest_shift_summary_free (FestShiftSummary *summary);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (FestShiftSummary, fest_shift_summary_free)

/* An incident assigned to the guard on duty, as cached (fest-station-store-incidents.c). */
typedef struct
{
  char            *id;
  char            *type;
  char            *description;      /* may be NULL */
  gboolean         has_position;
  double           lat;
  double           lng;
  char            *created_at;       /* RFC 3339 */
  char            *status;           /* ASSIGNED or RESOLVED (as the server last said, or resolved online here) */
  /* A resolution queued here: its op's key and state (-1 when none), and the notes. */
  char            *resolution_key;
  int              resolution_state;
  char            *resolution_notes;
  char            *resolution_error; /* the server's message when it refused the resolution */
} FestStationIncident;

void fest_station_incident_free (FestStationIncident *incident);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (FestStationIncident, fest_station_incident_free)

/* A gate of the festival, as GET /gates last listed it. */
typedef struct
{
  char     *id;
  char     *name;
  gboolean  has_position;
  double    lat;
  double    lng;
  char     *zone;        /* may be NULL */
} FestStationGate;

void fest_station_gate_free (FestStationGate *gate);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (FestStationGate, fest_station_gate_free)

/* Enrollment keys of the settings table (fest_station_store_get_setting). */
#define FEST_STATION_KEY_DEVICE_ID           "device_id"
#define FEST_STATION_KEY_DEVICE_NAME         "device_name"
#define FEST_STATION_KEY_FESTIVAL_ID         "festival_id"
#define FEST_STATION_KEY_STAND_ID            "stand_id"
#define FEST_STATION_KEY_MODE                "mode"
#define FEST_STATION_KEY_SERVER_URL          "server_url"
#define FEST_STATION_KEY_GATE                "gate"
#define FEST_STATION_KEY_CURRENCY_NAME       "currency_name"
#define FEST_STATION_KEY_EXCHANGE_RATE       "exchange_rate_cents"
#define FEST_STATION_KEY_OFFLINE_ALLOWANCE   "offline_allowance"
#define FEST_STATION_KEY_TICKET_KEY          "ticket_public_key"   /* base64url */
#define FEST_STATION_KEY_STAND_NAME          "stand_name"
#define FEST_STATION_KEY_STAND_LAT           "stand_lat"
#define FEST_STATION_KEY_STAND_LNG           "stand_lng"
#define FEST_STATION_KEY_SHIFT_START         "shift_started_at"
/* The open cash shift: its shift.open op's key and its opening float (minor units). */
#define FEST_STATION_KEY_CASH_SHIFT_KEY      "cash_shift_open_key"
#define FEST_STATION_KEY_CASH_SHIFT_FLOAT    "cash_shift_opening_float"
/* The last close, until the next shift starts: counted, expected, difference; "estimate" is "1"
 * while expected and difference are the station's own figures (the server's not known yet). */
#define FEST_STATION_KEY_CASH_CLOSE_COUNTED  "cash_close_counted"
#define FEST_STATION_KEY_CASH_CLOSE_EXPECTED "cash_close_expected"
#define FEST_STATION_KEY_CASH_CLOSE_ESTIMATE "cash_close_estimate"
#define FEST_STATION_KEY_GATE_ID             "gate_id"
/* The guard signed in at a security station (their account, from POST /auth/login). */
#define FEST_STATION_KEY_GUARD_ID            "guard_account_id"
#define FEST_STATION_KEY_GUARD_NAME          "guard_name"

#define FEST_TYPE_STATION_STORE (fest_station_store_get_type ())
G_DECLARE_FINAL_TYPE (FestStationStore, fest_station_store, FEST, STATION_STORE, GObject)

/* g_get_user_data_dir()/festivals/station-<first 16 hex of SHA-256(server_url)>.db */
char              *fest_station_store_default_path       (const char        *server_url);
/* Opens (creating parent directories, the file and the schema as needed). */
FestStationStore  *fest_station_store_open               (const char        *path,
                                                          GError           **error);
const char        *fest_station_store_get_path           (FestStationStore  *self);

/* Settings: small key/value pairs (enrollment, festival parameters, cursor). */
char              *fest_station_store_get_setting        (FestStationStore  *self,
                                                          const char        *key);
gint64             fest_station_store_get_setting_int    (FestStationStore  *self,
                                                          const char        *key,
                                                          gint64             default_value);
gboolean           fest_station_store_set_setting        (FestStationStore  *self,
                                                          const char        *key,
                                                          const char        *value,
                                                          GError           **error);

/* Enrolled = a device id, a festival id and a mode are stored. */
gboolean           fest_station_store_is_enrolled        (FestStationStore  *self);
gboolean           fest_station_store_enroll             (FestStationStore  *self,
                                                          const char        *server_url,
                                                          const char        *device_id,
                                                          const char        *device_name,
                                                          const char        *festival_id,
                                                          const char        *stand_id,
                                                          const char        *mode,
                                                          GError           **error);
/* Forgets the enrollment (device, stand, mode); keeps the outbox, the PIN and the cache. Refuses
 * (INVALID) while operations are not sent yet. */
gboolean           fest_station_store_unenroll           (FestStationStore  *self,
                                                          GError           **error);

/* The organiser PIN, hashed with argon2id (crypto_pwhash_str). Slow on purpose (~0.1-0.5 s):
 * call from a worker thread in the UI. */
gboolean           fest_station_store_set_pin            (FestStationStore  *self,
                                                          const char        *pin,
                                                          GError           **error);
gboolean           fest_station_store_has_pin            (FestStationStore  *self);
gboolean           fest_station_store_check_pin          (FestStationStore  *self,
                                                          const char        *pin);

/* The festival's ticket public key (32 bytes) decoded from the cached base64url; FALSE if none. */
gboolean           fest_station_store_get_ticket_key     (FestStationStore  *self,
                                                          guint8             key[32]);

/* Catalog of a stand (active, not deleted), sorted by category then name. */
GPtrArray         *fest_station_store_list_products      (FestStationStore  *self,
                                                          const char        *stand_id);
FestStationProduct *fest_station_store_get_product       (FestStationStore  *self,
                                                          const char        *product_id);

/* Cached balance of a wallet by code (FALSE if this station never saw it). */
gboolean           fest_station_store_get_wallet         (FestStationStore  *self,
                                                          const char        *code,
                                                          char             **wallet_id,
                                                          gint64            *balance,
                                                          gboolean          *overdrawn);
/* Σ amount_delta of this station's pending operations on a wallet. */
gint64             fest_station_store_get_pending_delta  (FestStationStore  *self,
                                                          const char        *wallet_code);
/* cached balance + pending delta (the "effective" balance the cashier sees). */
gint64             fest_station_store_get_effective_balance (FestStationStore *self,
                                                             const char       *wallet_code);
/* Updates the cached balance of one wallet (e.g. after GET /wallets/by-code), only if @rev is not
 * older than what is stored (rev < 0: unknown, always taken when the wallet is not cached). */
gboolean           fest_station_store_update_wallet      (FestStationStore  *self,
                                                          const char        *wallet_id,
                                                          const char        *code,
                                                          gint64             balance,
                                                          gboolean           overdrawn,
                                                          gint64             rev,
                                                          GError           **error);

/* A sale of @lines at the enrolled stand, paid from @wallet_code. Checks, in the same
 * transaction as the commit, that the effective balance (cached − pending debits + pending
 * credits) plus @allowance covers it (INSUFFICIENT_BALANCE otherwise, with the figures in the
 * message); pass the festival's offline allowance when offline, 0 online. Returns the queued op;
 * @total gets the amount. */
FestOutboxOp      *fest_station_store_record_payment     (FestStationStore  *self,
                                                          const char        *wallet_code,
                                                          const FestSaleLine *lines,
                                                          guint              n_lines,
                                                          gint64             allowance,
                                                          gint64            *total,
                                                          GError           **error);
/* The same sale as record_payment would queue, as the body of POST /transactions (no created_at):
 * the online attempt and its outbox fallback are the same operation for the server. */
JsonNode          *fest_station_store_build_payment      (FestStationStore  *self,
                                                          const char        *wallet_code,
                                                          const FestSaleLine *lines,
                                                          guint              n_lines,
                                                          gint64            *total,
                                                          GError           **error);
/* record_payment with the operation's key allocated up front (@idempotency_key nullable: a new one)
 * and the state to record: PENDING (the offline rules apply), ACKED (the server accepted it online:
 * @entity is its transaction, the cached balance takes its balance_after) or UNCONFIRMED. */
FestOutboxOp      *fest_station_store_record_payment_full (FestStationStore  *self,
                                                          const char        *idempotency_key,
                                                          const char        *wallet_code,
                                                          const FestSaleLine *lines,
                                                          guint              n_lines,
                                                          gint64             allowance,
                                                          FestOutboxState    state,
                                                          const char        *entity,
                                                          gint64            *total,
                                                          GError           **error);
/* A recharge (credit): always accepted offline. @method "CASH", "CARD" or "COMP" (staff credit). */
FestOutboxOp      *fest_station_store_record_recharge    (FestStationStore  *self,
                                                          const char        *wallet_code,
                                                          gint64             amount,
                                                          const char        *method,
                                                          GError           **error);
JsonNode          *fest_station_store_build_recharge     (FestStationStore  *self,
                                                          const char        *wallet_code,
                                                          gint64             amount,
                                                          const char        *method,
                                                          GError           **error);
/* record_recharge with its key and state (PENDING or ACKED with @entity), as for payments. */
FestOutboxOp      *fest_station_store_record_recharge_full (FestStationStore *self,
                                                           const char       *idempotency_key,
                                                           const char       *wallet_code,
                                                           gint64            amount,
                                                           const char       *method,
                                                           FestOutboxState   state,
                                                           const char       *entity,
                                                           GError          **error);
/* CANCEL of this station's last sale, if it is acknowledged by the server (its id is needed)
 * and younger than @max_age_seconds. */
FestOutboxOp      *fest_station_store_record_cancel_last (FestStationStore  *self,
                                                          gint64             max_age_seconds,
                                                          GError           **error);
/* The station's last sale (pending or acked), NULL if none or if it is cancelled. */
FestOutboxOp      *fest_station_store_get_last_sale      (FestStationStore  *self);

/* The gate's verdict for a scanned QR text: signature and validity with the cached key,
 * cancellation and the used set from the cache and local scans; on ACCEPT the entry is committed
 * (local used set + outbox) before returning. FALSE only on a storage error. */
gboolean           fest_station_store_record_scan        (FestStationStore  *self,
                                                          const char        *qr,
                                                          const char        *gate,
                                                          GDateTime         *now,
                                                          FestScanVerdict   *verdict,
                                                          GError           **error);
/* The same with a direction, "IN" or "OUT". Ticket types with re-entry (cached ticket_types,
 * matched on the code signed in the ticket) may go OUT while inside and come back IN. */
gboolean           fest_station_store_record_scan_direction (FestStationStore *self,
                                                             const char       *qr,
                                                             const char       *gate,
                                                             const char       *direction,
                                                             GDateTime        *now,
                                                             FestScanVerdict  *verdict,
                                                             GError          **error);
/* The cached holder's name and ticket type name of @ticket_id (each NULL when not known); FALSE
 * if the ticket is not cached. */
gboolean           fest_station_store_describe_ticket    (FestStationStore  *self,
                                                          const char        *ticket_id,
                                                          char             **holder,
                                                          char             **type_name);
/* Entries admitted by this station (all gates of this store). */
guint              fest_station_store_count_entries      (FestStationStore  *self);

/* An incident report: @type FIGHT THEFT MEDICAL FIRE LOST_PERSON SOS OTHER. */
FestOutboxOp      *fest_station_store_record_incident    (FestStationStore  *self,
                                                          const char        *type,
                                                          double             lat,
                                                          double             lng,
                                                          const char        *description,
                                                          GError           **error);

/* The incidents assigned to @account_id, as GET /incidents?assigned_to=me&status=ASSIGNED listed
 * them (@incidents: its data array): the cache for that account takes them, keeping those with a
 * resolution still waiting in the outbox (the server does not have it yet). */
gboolean           fest_station_store_replace_assigned_incidents (FestStationStore *self,
                                                                  const char       *account_id,
                                                                  JsonArray        *incidents,
                                                                  GError          **error);
/* The cached incidents of @account_id (FestStationIncident), newest first. */
GPtrArray         *fest_station_store_list_assigned_incidents    (FestStationStore *self,
                                                                  const char       *account_id);
/* Resolves a cached incident with @notes offline: an `incident.update` op (kind INCIDENT_UPDATE,
 * its own idempotency key) queued in the outbox, and the incident marked with it, in one
 * transaction. NOT_FOUND when the incident is not cached, INVALID when already resolved. */
FestOutboxOp      *fest_station_store_record_incident_update     (FestStationStore *self,
                                                                  const char       *incident_id,
                                                                  const char       *notes,
                                                                  GError          **error);
/* The server resolved it (PATCH answered): the cached incident says RESOLVED. */
gboolean           fest_station_store_set_incident_resolved      (FestStationStore *self,
                                                                  const char       *incident_id,
                                                                  const char       *notes,
                                                                  GError          **error);

/* The festival's gates (GET /gates' data array) replace the cached ones, in the server's order. */
gboolean           fest_station_store_replace_gates              (FestStationStore *self,
                                                                  JsonArray        *gates,
                                                                  GError          **error);
/* The cached gates (FestStationGate), in the server's order. */
GPtrArray         *fest_station_store_list_gates                 (FestStationStore *self);

/* Outbox, for the sync engine: the oldest pending ops (FestOutboxOp), at most @limit. */
GPtrArray         *fest_station_store_list_pending       (FestStationStore  *self,
                                                          guint              limit);
/* The same, split by who may push them: @person TRUE gives only the ops a person must push with
 * their own token (INCIDENT_UPDATE), FALSE all the others (the device's). */
GPtrArray         *fest_station_store_list_pending_for   (FestStationStore  *self,
                                                          guint              limit,
                                                          gboolean           person);
guint              fest_station_store_count_pending      (FestStationStore  *self);
/* UNCONFIRMED ops, oldest first. */
GPtrArray         *fest_station_store_list_unconfirmed   (FestStationStore  *self);
/* The server's word on an UNCONFIRMED op: @entity (its transaction) → ACKED, NULL → VOID. */
gboolean           fest_station_store_resolve_unconfirmed (FestStationStore *self,
                                                          const char       *idempotency_key,
                                                          const char       *entity,
                                                          GError          **error);
GPtrArray         *fest_station_store_list_rejected      (FestStationStore  *self);
GPtrArray         *fest_station_store_list_all_ops       (FestStationStore  *self);
/* The newest ops of @kind ("INCIDENT", "PAYMENT", …), newest first, at most @limit. */
GPtrArray         *fest_station_store_list_recent_ops    (FestStationStore  *self,
                                                          const char        *kind,
                                                          guint              limit);
/* Applies POST /sync's per-op results (array of {idempotency_key, status, error?, entity?}) in
 * one transaction. @n_acked/@n_rejected may be NULL. */
gboolean           fest_station_store_apply_results      (FestStationStore  *self,
                                                          JsonArray         *results,
                                                          guint             *n_acked,
                                                          guint             *n_rejected,
                                                          GError           **error);
/* Applies one GET /sync/changes page (wallets, tickets, products, stands, ticket_types, alerts,
 * cursor) in short transactions (slices of rows, the mutex free in between); the cursor is
 * stored with the last slice, so a page cut short is pulled and applied again. For a worker
 * thread. */
gboolean           fest_station_store_apply_changes      (FestStationStore  *self,
                                                          JsonObject        *changes,
                                                          guint             *n_alerts,
                                                          GError           **error);
/* "0" until something was pulled. */
char              *fest_station_store_get_cursor         (FestStationStore  *self);

/* Alerts pulled from the server not yet shown: JSON objects as received, oldest first. */
GPtrArray         *fest_station_store_take_new_alerts    (FestStationStore  *self);

/* End-of-shift figures since the shift start (the setting; the first op otherwise). */
FestShiftSummary  *fest_station_store_get_shift_summary  (FestStationStore  *self);
gboolean           fest_station_store_start_shift        (FestStationStore  *self,
                                                          GError           **error);

/* Cash shifts (shift.open / shift.close through the outbox, POST /sync). Opening records the
 * float and starts the shift; the server's shift id is the open op's entity once applied.
 * Closing queues shift.close (its shift_id filled in at push time when the open was still
 * pending) and gives the station's estimate of the expected cash: the float plus the CASH
 * recharges recorded since the opening. */
gboolean           fest_station_store_has_cash_shift     (FestStationStore  *self);
FestOutboxOp      *fest_station_store_open_cash_shift    (FestStationStore  *self,
                                                          gint64             opening_float,
                                                          GError           **error);
/* The server's id of the open shift, NULL while the open op is not applied. */
char              *fest_station_store_get_cash_shift_id  (FestStationStore  *self);
gint64             fest_station_store_estimate_expected_cash (FestStationStore *self);
FestOutboxOp      *fest_station_store_close_cash_shift   (FestStationStore  *self,
                                                          gint64             counted_cash,
                                                          const char        *note,
                                                          gint64            *estimated_expected,
                                                          GError           **error);
/* The payload to send for a shift.close op: shift_id resolved from its open op; NULL while that
 * open op is still pending (send it first). */
JsonNode          *fest_station_store_resolve_shift_close (FestStationStore *self,
                                                           const FestOutboxOp *op);
/* The server's figures of the last close once its op is applied (its entity): TRUE and
 * @expected, @difference, and the close settings updated; FALSE while not known. */
gboolean           fest_station_store_get_close_result   (FestStationStore  *self,
                                                          const char        *close_key,
                                                          gint64            *expected,
                                                          gint64            *difference);


/* The calls of a sale's (and a scan's) path as GTask pairs, for the GTK thread: each runs its
 * synchronous counterpart above in a worker thread and calls back on the caller's main context,
 * so the UI never waits for the store's mutex (the sync engine applies pulled changes in short
 * slices under it) nor for a durable commit. A NULL product or last sale without error: none. */
void                fest_station_store_get_product_async            (FestStationStore    *self,
                                                                     const char          *product_id,
                                                                     GCancellable        *cancellable,
                                                                     GAsyncReadyCallback  callback,
                                                                     gpointer             user_data);
FestStationProduct *fest_station_store_get_product_finish           (FestStationStore    *self,
                                                                     GAsyncResult        *result,
                                                                     GError             **error);
void                fest_station_store_list_products_async          (FestStationStore    *self,
                                                                     const char          *stand_id,
                                                                     GCancellable        *cancellable,
                                                                     GAsyncReadyCallback  callback,
                                                                     gpointer             user_data);
GPtrArray          *fest_station_store_list_products_finish         (FestStationStore    *self,
                                                                     GAsyncResult        *result,
                                                                     GError             **error);
void                fest_station_store_get_effective_balance_async  (FestStationStore    *self,
                                                                     const char          *wallet_code,
                                                                     GCancellable        *cancellable,
                                                                     GAsyncReadyCallback  callback,
                                                                     gpointer             user_data);
gint64              fest_station_store_get_effective_balance_finish (FestStationStore    *self,
                                                                     GAsyncResult        *result,
                                                                     GError             **error);
void                fest_station_store_build_payment_async          (FestStationStore    *self,
                                                                     const char          *wallet_code,
                                                                     const FestSaleLine  *lines,
                                                                     guint                n_lines,
                                                                     GCancellable        *cancellable,
                                                                     GAsyncReadyCallback  callback,
                                                                     gpointer             user_data);
JsonNode           *fest_station_store_build_payment_finish         (FestStationStore    *self,
                                                                     GAsyncResult        *result,
                                                                     gint64              *total,
                                                                     GError             **error);
void                fest_station_store_record_payment_full_async    (FestStationStore    *self,
                                                                     const char          *idempotency_key,
                                                                     const char          *wallet_code,
                                                                     const FestSaleLine  *lines,
                                                                     guint                n_lines,
                                                                     gint64               allowance,
                                                                     FestOutboxState      state,
                                                                     const char          *entity,
                                                                     GCancellable        *cancellable,
                                                                     GAsyncReadyCallback  callback,
                                                                     gpointer             user_data);
FestOutboxOp       *fest_station_store_record_payment_full_finish   (FestStationStore    *self,
                                                                     GAsyncResult        *result,
                                                                     gint64              *total,
                                                                     GError             **error);
void                fest_station_store_build_recharge_async         (FestStationStore    *self,
                                                                     const char          *wallet_code,
                                                                     gint64               amount,
                                                                     const char          *method,
                                                                     GCancellable        *cancellable,
                                                                     GAsyncReadyCallback  callback,
                                                                     gpointer             user_data);
JsonNode           *fest_station_store_build_recharge_finish        (FestStationStore    *self,
                                                                     GAsyncResult        *result,
                                                                     GError             **error);
void                fest_station_store_record_recharge_full_async   (FestStationStore    *self,
                                                                     const char          *idempotency_key,
                                                                     const char          *wallet_code,
                                                                     gint64               amount,
                                                                     const char          *method,
                                                                     FestOutboxState      state,
                                                                     const char          *entity,
                                                                     GCancellable        *cancellable,
                                                                     GAsyncReadyCallback  callback,
                                                                     gpointer             user_data);
FestOutboxOp       *fest_station_store_record_recharge_full_finish  (FestStationStore    *self,
                                                                     GAsyncResult        *result,
                                                                     GError             **error);
void                fest_station_store_get_last_sale_async          (FestStationStore    *self,
                                                                     GCancellable        *cancellable,
                                                                     GAsyncReadyCallback  callback,
                                                                     gpointer             user_data);
FestOutboxOp       *fest_station_store_get_last_sale_finish         (FestStationStore    *self,
                                                                     GAsyncResult        *result,
                                                                     GError             **error);
void                fest_station_store_record_cancel_last_async     (FestStationStore    *self,
                                                                     gint64               max_age_seconds,
                                                                     GCancellable        *cancellable,
                                                                     GAsyncReadyCallback  callback,
                                                                     gpointer             user_data);
FestOutboxOp       *fest_station_store_record_cancel_last_finish    (FestStationStore    *self,
                                                                     GAsyncResult        *result,
                                                                     GError             **error);
void                fest_station_store_record_scan_direction_async  (FestStationStore    *self,
                                                                     const char          *qr,
                                                                     const char          *gate,
                                                                     const char          *direction,
                                                                     GDateTime           *now,
                                                                     GCancellable        *cancellable,
                                                                     GAsyncReadyCallback  callback,
                                                                     gpointer             user_data);
/* @verdict gets the verdict (clear it with fest_scan_verdict_clear). */
gboolean            fest_station_store_record_scan_direction_finish (FestStationStore    *self,
                                                                     GAsyncResult        *result,
                                                                     FestScanVerdict     *verdict,
                                                                     GError             **error);

G_END_DECLS
