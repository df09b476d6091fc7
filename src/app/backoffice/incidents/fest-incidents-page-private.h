/* fest-incidents-page-private.h: the Incidents page's state, shared with its actions
 *
 * Copyright 2026 The Festivals authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "fest-incident.h"
#include "fest-incidents-page.h"

G_BEGIN_DECLS

/* A stand, stage or gate with a position. */
typedef struct
{
  char   *name;
  double  latitude;
  double  longitude;
} FestIncidentsPlace;

struct _FestIncidentsPage
{
  FestPage            parent_instance;

  GtkStack           *stack;
  GtkSpinner         *spinner;
  AdwStatusPage      *error_status;
  GtkDropDown        *status_dropdown;
  GtkDropDown        *type_dropdown;
  GtkLabel           *count_label;
  GtkRevealer        *notice_revealer;
  GtkLabel           *notice_label;
  GtkBox             *map_box;
  GtkStack           *list_stack;
  GtkColumnView      *incidents_view;
  GtkLabel           *details_title;
  GtkLabel           *details_description;
  GtkDropDown        *assignee_dropdown;
  GtkWidget          *assign_box;
  GtkWidget          *flag_button;

  FestIncidentMap    *map;
  GCancellable       *cancellable;
  GListStore         *incidents;      /* FestIncident, newest first */
  GHashTable         *by_id;          /* id → FestIncident (borrowed) */
  GtkFilter          *filter;
  GtkFilterListModel *visible;
  GtkSingleSelection *selection;
  GtkStringList      *security_names;
  GPtrArray          *security_ids;   /* char*, NULL-terminated */
  GHashTable         *member_names;   /* account id → name */
  GArray             *places;         /* FestIncidentsPlace */
  FestEventStream    *stream;
  GtkWidget          *dialog;         /* nullable, weak */

  const char         *status_filter;  /* static strings, nullable */
  const char         *type_filter;
  char               *festival_id;
  guint               age_timer;
  guint               places_generation;  /* a newer load of the places drops an older one */
  guint               attention_count;
  gboolean            loaded;
  gboolean            load_failed;
  gboolean            syncing;
  gboolean            can_assign;     /* ORGANISER or SECURITY_LEAD: assign and flag */
};

/* fest-incidents-page.c */
FestIncident *_fest_incidents_page_upsert     (FestIncidentsPage *self,
                                               JsonObject        *object,
                                               gboolean           announce);
FestIncident *_fest_incidents_page_lookup     (FestIncidentsPage *self,
                                               const char        *id);
FestIncident *_fest_incidents_page_selected   (FestIncidentsPage *self);
void          _fest_incidents_page_set_dialog (FestIncidentsPage *self,
                                               GtkWidget         *dialog);
/* Places and assignees again, after the members or the places arrived. */
void          _fest_incidents_page_refresh_descriptions (FestIncidentsPage *self);

/* fest-incidents-data.c */
void          _fest_incidents_page_place_clear       (gpointer           data);
void          _fest_incidents_page_describe_place    (FestIncidentsPage *self,
                                                      FestIncident      *incident);
void          _fest_incidents_page_describe_assignee (FestIncidentsPage *self,
                                                      FestIncident      *incident);
/* GET /members (fest_page_fetch_all_async) done: takes a reference on the page as user_data. */
void          _fest_incidents_page_members_cb        (GObject           *source,
                                                      GAsyncResult      *result,
                                                      gpointer           user_data);
/* GET @path (stands, stages, gates), each with a location, into the places of @kind. */
void          _fest_incidents_page_load_places       (FestIncidentsPage *self,
                                                      const char        *path,
                                                      const char        *kind);
void          _fest_incidents_page_add_column        (FestIncidentsPage *self,
                                                      const char        *title,
                                                      const char        *property,
                                                      gboolean           expand);

/* fest-incidents-actions.c */
void          _fest_incidents_page_install_actions (GtkWidgetClass    *widget_class);
void          _fest_incidents_page_update_actions  (FestIncidentsPage *self);

G_END_DECLS
