/* fest-models.h: the GObjects the back-office pages list (stands, products, tickets, team, audit)
 *
 * Copyright 2026 The Festivals authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Each object is built from the API's JSON (DESIGN §5 resource fields) and exposes read-only
 * properties for GtkExpression lookups in the pages' column views, plus ready-to-show "-text"
 * properties formatted for the locale. A few display properties (a stand's product count, a
 * ticket's type name, a device's stand name, an audit row's actor name) are set by the page
 * from other lists.
 */

#pragma once

#include <glib-object.h>
#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/* Stand: a stand (bar, food, merch, recharge desk) */
#define FEST_TYPE_STAND (fest_stand_get_type ())
G_DECLARE_FINAL_TYPE (FestStand, fest_stand, FEST, STAND, GObject)

FestStand  *fest_stand_new_from_json     (JsonObject *object);
const char *fest_stand_get_id            (FestStand *self);
const char *fest_stand_get_name          (FestStand *self);
const char *fest_stand_get_stand_type    (FestStand *self);
const char *fest_stand_get_zone          (FestStand *self);
double      fest_stand_get_lat           (FestStand *self);
double      fest_stand_get_lng           (FestStand *self);
gboolean    fest_stand_get_has_location  (FestStand *self);
gboolean    fest_stand_get_is_active     (FestStand *self);
const char *fest_stand_get_type_label    (FestStand *self);
const char *fest_stand_get_active_text   (FestStand *self);
gint64      fest_stand_get_product_count (FestStand *self);
void        fest_stand_set_product_count (FestStand *self,
                                          gint64 value);

/* Product: a product sold at a stand */
#define FEST_TYPE_PRODUCT (fest_product_get_type ())
G_DECLARE_FINAL_TYPE (FestProduct, fest_product, FEST, PRODUCT, GObject)

FestProduct *fest_product_new_from_json   (JsonObject *object,
                                           const char *currency_name);
const char  *fest_product_get_id          (FestProduct *self);
const char  *fest_product_get_stand_id    (FestProduct *self);
const char  *fest_product_get_name        (FestProduct *self);
gint64       fest_product_get_price       (FestProduct *self);
double       fest_product_get_vat_rate    (FestProduct *self);
const char  *fest_product_get_category    (FestProduct *self);
gint64       fest_product_get_stock       (FestProduct *self);
gboolean     fest_product_get_is_active   (FestProduct *self);
const char  *fest_product_get_active_text (FestProduct *self);
const char  *fest_product_get_price_text  (FestProduct *self);
const char  *fest_product_get_vat_text    (FestProduct *self);
const char  *fest_product_get_stock_text  (FestProduct *self);

/* TicketType: a ticket type (day pass, weekend pass…) */
#define FEST_TYPE_TICKET_TYPE (fest_ticket_type_get_type ())
G_DECLARE_FINAL_TYPE (FestTicketType, fest_ticket_type, FEST, TICKET_TYPE, GObject)

FestTicketType *fest_ticket_type_new_from_json       (JsonObject *object,
                                                      const char *currency_name);
const char     *fest_ticket_type_get_id              (FestTicketType *self);
const char     *fest_ticket_type_get_name            (FestTicketType *self);
const char     *fest_ticket_type_get_code            (FestTicketType *self);
gint64          fest_ticket_type_get_price           (FestTicketType *self);
gint64          fest_ticket_type_get_quota           (FestTicketType *self);
gint64          fest_ticket_type_get_issued          (FestTicketType *self);
const char     *fest_ticket_type_get_valid_from      (FestTicketType *self);
const char     *fest_ticket_type_get_valid_until     (FestTicketType *self);
gboolean        fest_ticket_type_get_reentry_allowed (FestTicketType *self);
const char     *fest_ticket_type_get_reentry_text    (FestTicketType *self);
const char     *fest_ticket_type_get_price_text      (FestTicketType *self);
const char     *fest_ticket_type_get_quota_text      (FestTicketType *self);
const char     *fest_ticket_type_get_validity_text   (FestTicketType *self);

/* Ticket: an issued ticket */
#define FEST_TYPE_TICKET (fest_ticket_get_type ())
G_DECLARE_FINAL_TYPE (FestTicket, fest_ticket, FEST, TICKET, GObject)

FestTicket *fest_ticket_new_from_json      (JsonObject *object);
const char *fest_ticket_get_id             (FestTicket *self);
const char *fest_ticket_get_ticket_type_id (FestTicket *self);
const char *fest_ticket_get_holder_name    (FestTicket *self);
const char *fest_ticket_get_holder_email   (FestTicket *self);
const char *fest_ticket_get_qr_code        (FestTicket *self);
const char *fest_ticket_get_status         (FestTicket *self);
const char *fest_ticket_get_used_at        (FestTicket *self);
const char *fest_ticket_get_created_at     (FestTicket *self);
const char *fest_ticket_get_status_label   (FestTicket *self);
const char *fest_ticket_get_used_at_text   (FestTicket *self);
const char *fest_ticket_get_type_name      (FestTicket *self);
void        fest_ticket_set_type_name      (FestTicket *self,
                                            const char *value);

/* Member: a member of the festival team; "roles" is a FestRoles mask (fest-role.h) */
#define FEST_TYPE_MEMBER (fest_member_get_type ())
G_DECLARE_FINAL_TYPE (FestMember, fest_member, FEST, MEMBER, GObject)

FestMember *fest_member_new_from_json  (JsonObject *object);
const char *fest_member_get_id         (FestMember *self);
const char *fest_member_get_email      (FestMember *self);
const char *fest_member_get_name       (FestMember *self);
gint64      fest_member_get_roles      (FestMember *self);
const char *fest_member_get_roles_text (FestMember *self);

/* Device: an enrolled station device */
#define FEST_TYPE_DEVICE (fest_device_get_type ())
G_DECLARE_FINAL_TYPE (FestDevice, fest_device, FEST, DEVICE, GObject)

FestDevice *fest_device_new_from_json       (JsonObject *object);
const char *fest_device_get_id              (FestDevice *self);
const char *fest_device_get_name            (FestDevice *self);
const char *fest_device_get_stand_id        (FestDevice *self);
const char *fest_device_get_mode            (FestDevice *self);
const char *fest_device_get_created_at      (FestDevice *self);
const char *fest_device_get_mode_label      (FestDevice *self);
const char *fest_device_get_created_at_text (FestDevice *self);
const char *fest_device_get_stand_name      (FestDevice *self);
void        fest_device_set_stand_name      (FestDevice *self,
                                             const char *value);
gboolean    fest_device_get_revoked         (FestDevice *self);
const char *fest_device_get_status_text     (FestDevice *self);

/* AuditEntry: one row of the festival's audit log */
#define FEST_TYPE_AUDIT_ENTRY (fest_audit_entry_get_type ())
G_DECLARE_FINAL_TYPE (FestAuditEntry, fest_audit_entry, FEST, AUDIT_ENTRY, GObject)

/* @currency: the festival's currency name, for the amounts in the entry's texts. */
FestAuditEntry *fest_audit_entry_new_from_json       (JsonObject *object,
                                                      const char *currency);
const char     *fest_audit_entry_get_id              (FestAuditEntry *self);
const char     *fest_audit_entry_get_actor_id        (FestAuditEntry *self);
const char     *fest_audit_entry_get_device_id       (FestAuditEntry *self);
const char     *fest_audit_entry_get_action          (FestAuditEntry *self);
const char     *fest_audit_entry_get_entity_type     (FestAuditEntry *self);
const char     *fest_audit_entry_get_entity_id       (FestAuditEntry *self);
const char     *fest_audit_entry_get_old_values      (FestAuditEntry *self);
const char     *fest_audit_entry_get_new_values      (FestAuditEntry *self);
const char     *fest_audit_entry_get_ip_address      (FestAuditEntry *self);
const char     *fest_audit_entry_get_user_agent      (FestAuditEntry *self);
const char     *fest_audit_entry_get_created_at      (FestAuditEntry *self);
const char     *fest_audit_entry_get_created_at_text (FestAuditEntry *self);
const char     *fest_audit_entry_get_actor_name      (FestAuditEntry *self);
void            fest_audit_entry_set_actor_name      (FestAuditEntry *self,
                                                      const char *value);
const char     *fest_audit_entry_get_entity_text     (FestAuditEntry *self);
/* The action in words ("Stand changed"), and what changed, one "Field: old → new" a line. */
const char     *fest_audit_entry_get_action_text     (FestAuditEntry *self);
const char     *fest_audit_entry_get_changes         (FestAuditEntry *self);

/* "Organiser", "Cashier"… for one FestRole bit (a FestRole from fest-role.h). */
const char *fest_member_role_label (guint role);

G_END_DECLS
