/* fest-form-dialog.h: a small create/edit dialog that validates its fields and sends them to the API
 *
 * Copyright 2026 The Festivals authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Rows are named after the API field they fill ("name", "price"), so a VALIDATION_FAILED error
 * from the server, whose details name the field, marks the right row. The dialog stays open on
 * errors (local or from the server) and closes itself once the server accepted the request.
 */

#pragma once

#include <adwaita.h>

#include "fest-client.h"

G_BEGIN_DECLS

#define FEST_TYPE_FORM_DIALOG (fest_form_dialog_get_type ())
G_DECLARE_FINAL_TYPE (FestFormDialog, fest_form_dialog, FEST, FORM_DIALOG, AdwWindow)

/* Builds the request body from the rows, or calls fest_form_dialog_set_error and returns NULL.
 * Returns a new JsonNode (transfer full). */
typedef JsonNode *(*FestFormBuildFunc) (FestFormDialog *dialog,
                                        gpointer        user_data);

FestFormDialog *fest_form_dialog_new             (GtkWidget         *parent,
                                                  const char        *title,
                                                  const char        *save_label);
void            fest_form_dialog_set_description (FestFormDialog    *self,
                                                  const char        *description);
/* Where the body goes; @build runs on every save attempt. */
void            fest_form_dialog_set_request     (FestFormDialog    *self,
                                                  FestClient        *client,
                                                  const char        *method,
                                                  const char        *path,
                                                  FestFormBuildFunc  build,
                                                  gpointer           user_data,
                                                  GDestroyNotify     user_data_free);

GtkWidget      *fest_form_dialog_add_entry       (FestFormDialog    *self,
                                                  const char        *field,
                                                  const char        *title,
                                                  const char        *text);
GtkWidget      *fest_form_dialog_add_password    (FestFormDialog    *self,
                                                  const char        *field,
                                                  const char        *title);
/* @labels: NULL-terminated. */
GtkWidget      *fest_form_dialog_add_combo       (FestFormDialog    *self,
                                                  const char        *field,
                                                  const char        *title,
                                                  const char * const *labels,
                                                  guint              selected);
GtkWidget      *fest_form_dialog_add_check       (FestFormDialog    *self,
                                                  const char        *field,
                                                  const char        *title,
                                                  const char        *subtitle,
                                                  gboolean           active);
/* A row titled @title holding @child (a map, a list…) under the field name @field; @child gets
 * the keyboard focus from the row. Returns the row. */
GtkWidget      *fest_form_dialog_add_widget      (FestFormDialog    *self,
                                                  const char        *field,
                                                  const char        *title,
                                                  GtkWidget         *child);

GtkWidget      *fest_form_dialog_get_row         (FestFormDialog    *self,
                                                  const char        *field);
/* The entry's text, trimmed (transfer none, valid until the next call). */
const char     *fest_form_dialog_get_text        (FestFormDialog    *self,
                                                  const char        *field);
void            fest_form_dialog_set_text        (FestFormDialog    *self,
                                                  const char        *field,
                                                  const char        *text);
guint           fest_form_dialog_get_selected    (FestFormDialog    *self,
                                                  const char        *field);
void            fest_form_dialog_set_selected    (FestFormDialog    *self,
                                                  const char        *field,
                                                  guint              selected);
gboolean        fest_form_dialog_get_active      (FestFormDialog    *self,
                                                  const char        *field);
void            fest_form_dialog_set_active      (FestFormDialog    *self,
                                                  const char        *field,
                                                  gboolean           active);

/* Marks @field's row (nullable) and shows @message under the form. */
void            fest_form_dialog_set_error       (FestFormDialog    *self,
                                                  const char        *field,
                                                  const char        *message);
/* The message shown, or NULL. */
const char     *fest_form_dialog_get_error       (FestFormDialog    *self);
/* TRUE while the request is on its way. */
gboolean        fest_form_dialog_get_busy        (FestFormDialog    *self);

/* Validates and sends: the "form.save" action. */
void            fest_form_dialog_save            (FestFormDialog    *self);

G_END_DECLS
