/* fest-member.h: a member of the festival team, as the Team page lists it
 *
 * Copyright 2026 The Festivals authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib-object.h>
#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/* A member of the festival team; "roles" is a FestRoles mask (fest-role.h). Built from the API's
 * JSON (DESIGN §5 resource fields), with read-only properties for GtkExpression lookups in the
 * page's column views and ready-to-show "-text" properties formatted for the locale. */
#define FEST_TYPE_MEMBER (fest_member_get_type ())
G_DECLARE_FINAL_TYPE (FestMember, fest_member, FEST, MEMBER, GObject)

FestMember *fest_member_new_from_json  (JsonObject *object);
const char *fest_member_get_id         (FestMember *self);
const char *fest_member_get_email      (FestMember *self);
const char *fest_member_get_name       (FestMember *self);
gint64      fest_member_get_roles      (FestMember *self);
const char *fest_member_get_roles_text (FestMember *self);

/* "Organiser", "Cashier"… for one FestRole bit (a FestRole from fest-role.h). */
const char *fest_member_role_label (guint role);

G_END_DECLS
