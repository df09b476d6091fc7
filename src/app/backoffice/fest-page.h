/* fest-page.h: the base class of the back-office pages (client, reload, loading/empty/error)
 *
 * Copyright 2026 The Festivals authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>
#include <json-glib/json-glib.h>

#include "fest-client.h"
#include "fest-event-stream.h"

G_BEGIN_DECLS

/* A string for a GtkStack: "loading", "error", "empty" or "content". */
typedef enum
{
  FEST_PAGE_STATE_LOADING,
  FEST_PAGE_STATE_ERROR,
  FEST_PAGE_STATE_EMPTY,
  FEST_PAGE_STATE_CONTENT,
} FestPageState;

const char *fest_page_state_to_string (FestPageState state);

#define FEST_TYPE_PAGE (fest_page_get_type ())
G_DECLARE_DERIVABLE_TYPE (FestPage, fest_page, FEST, PAGE, GtkWidget)

/* A page of the back office. The window creates it with its context (the "client" property,
 * construct-only), shows it and calls reload(); it tells every page the festival in use and the
 * live event stream, and pauses the page it hides. A page that changes the festival itself emits
 * "festival-changed" (JsonObject *festival) with the server's object.
 *
 * The "state" property ("loading", "error", "empty", "content") names the child shown in the
 * page's stack when the page gave its stack, spinner and error page to
 * fest_page_set_state_widgets(). */
struct _FestPageClass
{
  GtkWidgetClass parent_class;

  /* Fetches the page's data again. */
  void (*reload)           (FestPage        *self);
  /* The page is hidden or the session ended: stop polling. Optional. */
  void (*pause)            (FestPage        *self);
  /* The festival in use (borrowed), after a switch or a save. Optional. */
  void (*festival_changed) (FestPage        *self,
                            JsonObject      *festival);
  /* The live updates of the festival in use (nullable). Optional. */
  void (*stream_changed)   (FestPage        *self,
                            FestEventStream *stream);

  gpointer padding[8];
};

FestClient      *fest_page_get_client        (FestPage        *self);
void             fest_page_reload            (FestPage        *self);
void             fest_page_pause             (FestPage        *self);
void             fest_page_set_festival      (FestPage        *self,
                                              JsonObject      *festival);
/* The festival set with fest_page_set_festival (borrowed), NULL before. */
JsonObject      *fest_page_get_festival      (FestPage        *self);
void             fest_page_set_event_stream  (FestPage        *self,
                                              FestEventStream *stream);
FestEventStream *fest_page_get_event_stream  (FestPage        *self);
/* Emits "festival-changed". */
void             fest_page_emit_festival_changed (FestPage    *self,
                                                  JsonObject  *festival);

/* The stack whose children are named after the states, its spinner (spinning while loading) and
 * its error page (nullable each). Call it once from the subclass's init. */
void             fest_page_set_state_widgets (FestPage        *self,
                                              GtkStack        *stack,
                                              GtkSpinner      *spinner,
                                              AdwStatusPage   *error_status);
FestPageState    fest_page_get_state         (FestPage        *self);
/* "loading", "error", "empty" or "content" (the "state" property). */
const char      *fest_page_get_state_name    (FestPage        *self);
void             fest_page_set_state         (FestPage        *self,
                                              FestPageState    state);
/* The error page says what went wrong (its kind in the icon and title, the server's message or a
 * network sentence below) and the page shows it. */
void             fest_page_show_error        (FestPage        *self,
                                              const GError    *error);

/* An error page's icon and title say what kind of failure @error is: "Not Allowed" (the role) is
 * not dressed as a network failure. The template's title and icon, kept on the first call, are
 * the network case. Set the description after it. */
void             fest_page_status_show_error_kind (AdwStatusPage *status,
                                                   const GError  *error);

/* A page class with a guint "attention-count" property (what needs the user now, e.g. the open
 * incidents) gets a badge with it on its sidebar row, and is kept loaded while hidden. */
gboolean         fest_page_type_has_attention (GType           page_type);
/* A small pill showing @page's attention count, hidden at 0. */
GtkWidget       *fest_page_attention_badge_new (FestPage       *page);

G_END_DECLS
