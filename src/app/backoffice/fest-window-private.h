/* fest-window-private.h: the back-office window's fields, shared by its source files
 *
 * Copyright 2026 The Festivals authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "fest-artist-view.h"
#include "fest-connect-page.h"
#include "fest-connection-indicator.h"
#include "fest-event-stream.h"
#include "fest-festival-chooser.h"
#include "fest-login-page.h"
#include "fest-page.h"
#include "fest-role-view.h"
#include "fest-role.h"
#include "fest-session.h"
#include "fest-window.h"

G_BEGIN_DECLS

struct _FestWindow
{
  AdwApplicationWindow     parent_instance;

  AdwToastOverlay         *toast_overlay;
  GtkStack                *main_stack;
  GtkSpinner              *loading_spinner;
  AdwStatusPage           *loading_status;
  FestConnectPage         *connect_page;
  FestLoginPage           *login_page;
  FestFestivalChooser     *festival_chooser;
  AdwLeaflet              *leaflet;
  GtkMenuButton           *festival_button;
  GtkLabel                *festival_label;
  GtkListBox              *sidebar_list;
  GtkLabel                *fallback_label;
  GtkBox                  *content_box;
  AdwWindowTitle          *content_title;
  GtkMenuButton           *account_button;
  FestConnectionIndicator *connection_indicator;
  GtkStack                *content_stack;
  GMenu                   *account_menu;
  AdwWindowTitle          *role_title;
  FestRoleView            *role_view;
  AdwWindowTitle          *artist_title;
  GtkBox                  *artist_box;

  FestSession             *session;
  FestClient              *client;       /* the session's, for the stream and indicator */
  FestClient              *pages_client;
  FestEventStream         *stream;
  FestRoles                pages_roles;  /* the roles the sidebar was built for */
};

typedef struct
{
  const char     *name;
  const char     *title;
  const char     *icon;
  FestPermission  perm;   /* what the page is for: without it the page is not shown */
  GType         (*get_type) (void);
  guint           alt_key; /* Alt+this key shows the page (0: none) */
} FestWindowPageInfo;

/* fest-window.c */
void                      _fest_window_festival_changed_cb   (FestWindow     *self,
                                                              JsonObject     *festival);

/* fest-window-pages.c: the page table, the sidebar and the pages built from it. */
void                      _fest_window_class_init_pages      (GtkWidgetClass *widget_class);
gboolean                  _fest_window_page_available        (FestWindow     *self,
                                                              const FestWindowPageInfo *info);
const FestWindowPageInfo *_fest_window_find_page_info        (const char     *name);
/* Calls @func on every page built so far. */
void                      _fest_window_foreach_page          (FestWindow     *self,
                                                              void          (*func) (FestPage *page,
                                                                                     gpointer  data),
                                                              gpointer        data);
void                      _fest_window_set_page_festival     (FestPage       *page,
                                                              gpointer        festival);
void                      _fest_window_set_page_stream       (FestPage       *page,
                                                              gpointer        stream);
/* Pauses @page unless it is @visible. */
void                      _fest_window_pause_page            (FestPage       *page,
                                                              gpointer        visible);
void                      _fest_window_reload_attention_page (FestPage       *page,
                                                              gpointer        visible);
void                      _fest_window_clear_pages           (FestWindow     *self);
/* Builds the sidebar for @roles; returns the number of pages in it. */
guint                     _fest_window_ensure_pages          (FestWindow     *self,
                                                              FestRoles       roles);
void                      _fest_window_select_page           (FestWindow     *self,
                                                              const char     *name,
                                                              gboolean        navigate);
void                      _fest_window_sidebar_row_activated_cb (FestWindow    *self,
                                                                 GtkListBoxRow *row);
void                      _fest_window_folded_changed_cb     (FestWindow     *self);

G_END_DECLS
