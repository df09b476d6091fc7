/* fest-gates-section.h: the Gates list of the Tickets page (where tickets are scanned)
 *
 * Copyright 2026 The Festivals authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>
#include <json-glib/json-glib.h>

#include "fest-client.h"
#include "fest-event-stream.h"

G_BEGIN_DECLS

#define FEST_TYPE_GATES_SECTION (fest_gates_section_get_type ())
G_DECLARE_FINAL_TYPE (FestGatesSection, fest_gates_section, FEST, GATES_SECTION, GtkWidget)

/* The festival's gates (GET /gates), by name with their zone, and New / Edit / Delete (with a
 * confirmation) for organisers. Actions: gates.new, gates.edit, gates.delete, gates.reload. */
GtkWidget  *fest_gates_section_new         (void);
/* (Re)loads the gates through @client; @festival (nullable) centres the gate dialog's map. */
void        fest_gates_section_load        (FestGatesSection *self,
                                            FestClient       *client,
                                            JsonObject       *festival);
/* Reloads on the live "gate:updated" of @stream (nullable: none), another organiser's change. */
void        fest_gates_section_set_event_stream (FestGatesSection *self,
                                                 FestEventStream  *stream);
/* The gates as last loaded (a JSON array of gates, transfer none), NULL before. */
JsonArray  *fest_gates_section_get_gates   (FestGatesSection *self);
gboolean    fest_gates_section_select_gate (FestGatesSection *self,
                                            const char       *id);
/* The selected gate's JSON (transfer none), or NULL. */
JsonObject *fest_gates_section_get_selected (FestGatesSection *self);

G_END_DECLS
