/* fest-page.c: the base class of the back-office pages (client, reload, loading/empty/error)
 *
 * Copyright 2026 The Festivals authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>

#include "fest-page-util.h"
#include "fest-page.h"

typedef struct
{
  FestClient      *client;
  FestEventStream *stream;
  JsonObject      *festival;
  GtkStack        *stack;
  GtkSpinner      *spinner;
  AdwStatusPage   *error_status;
  FestPageState    state;
} FestPagePrivate;

G_DEFINE_ABSTRACT_TYPE_WITH_PRIVATE (FestPage, fest_page, GTK_TYPE_WIDGET)

enum
{
  PROP_0,
  PROP_CLIENT,
  PROP_STATE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

enum
{
  FESTIVAL_CHANGED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

void
fest_page_status_show_error_kind (AdwStatusPage *status,
                                  const GError  *error)
{
  GObject *object = G_OBJECT (status);
  const char *icon;
  const char *title;

  g_return_if_fail (ADW_IS_STATUS_PAGE (status));
  g_return_if_fail (error != NULL);

  if (g_object_get_data (object, "fest-network-title") == NULL)
    {
      g_object_set_data_full (object, "fest-network-title",
                              g_strdup (adw_status_page_get_title (status)), g_free);
      g_object_set_data_full (object, "fest-network-icon",
                              g_strdup (adw_status_page_get_icon_name (status)), g_free);
    }
  icon = g_object_get_data (object, "fest-network-icon");
  title = g_object_get_data (object, "fest-network-title");

  if (g_error_matches (error, FEST_ERROR, FEST_ERROR_FORBIDDEN))
    {
      icon = "action-unavailable-symbolic";
      title = _("Not Allowed");
    }
  else if (g_error_matches (error, FEST_ERROR, FEST_ERROR_UNAUTHENTICATED))
    {
      icon = "action-unavailable-symbolic";
      title = _("Signed Out");
    }
  else if (error->domain == FEST_ERROR)
    {
      /* The server answered: it is not a network failure. */
      icon = "dialog-warning-symbolic";
    }

  adw_status_page_set_icon_name (status, icon);
  adw_status_page_set_title (status, title);
}

const char *
fest_page_state_to_string (FestPageState state)
{
  switch (state)
    {
    case FEST_PAGE_STATE_LOADING:
      return "loading";
    case FEST_PAGE_STATE_ERROR:
      return "error";
    case FEST_PAGE_STATE_EMPTY:
      return "empty";
    case FEST_PAGE_STATE_CONTENT:
    default:
      return "content";
    }
}

static void
fest_page_dispose (GObject *object)
{
  FestPage *self = FEST_PAGE (object);
  FestPagePrivate *priv = fest_page_get_instance_private (self);

  priv->stack = NULL;
  priv->spinner = NULL;
  priv->error_status = NULL;
  g_clear_object (&priv->stream);
  g_clear_object (&priv->client);

  G_OBJECT_CLASS (fest_page_parent_class)->dispose (object);
}

static void
fest_page_finalize (GObject *object)
{
  FestPage *self = FEST_PAGE (object);
  FestPagePrivate *priv = fest_page_get_instance_private (self);

  g_clear_pointer (&priv->festival, json_object_unref);

  G_OBJECT_CLASS (fest_page_parent_class)->finalize (object);
}

static void
fest_page_get_property (GObject    *object,
                        guint       prop_id,
                        GValue     *value,
                        GParamSpec *pspec)
{
  FestPage *self = FEST_PAGE (object);
  FestPagePrivate *priv = fest_page_get_instance_private (self);

  switch (prop_id)
    {
    case PROP_CLIENT:
      g_value_set_object (value, priv->client);
      break;
    case PROP_STATE:
      g_value_set_string (value, fest_page_state_to_string (priv->state));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
fest_page_set_property (GObject      *object,
                        guint         prop_id,
                        const GValue *value,
                        GParamSpec   *pspec)
{
  FestPage *self = FEST_PAGE (object);
  FestPagePrivate *priv = fest_page_get_instance_private (self);

  switch (prop_id)
    {
    case PROP_CLIENT:
      priv->client = g_value_dup_object (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
fest_page_class_init (FestPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = fest_page_dispose;
  object_class->finalize = fest_page_finalize;
  object_class->get_property = fest_page_get_property;
  object_class->set_property = fest_page_set_property;

  properties[PROP_CLIENT] =
    g_param_spec_object ("client", NULL, NULL, FEST_TYPE_CLIENT,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_STATE] =
    g_param_spec_string ("state", NULL, NULL, "loading",
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  signals[FESTIVAL_CHANGED] = g_signal_new ("festival-changed", G_TYPE_FROM_CLASS (klass),
                                            G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                                            G_TYPE_NONE, 1, JSON_TYPE_OBJECT);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
}

static void
fest_page_init (FestPage *self)
{
  FestPagePrivate *priv = fest_page_get_instance_private (self);

  priv->state = FEST_PAGE_STATE_LOADING;
}

FestClient *
fest_page_get_client (FestPage *self)
{
  FestPagePrivate *priv = fest_page_get_instance_private (self);

  g_return_val_if_fail (FEST_IS_PAGE (self), NULL);

  return priv->client;
}

void
fest_page_reload (FestPage *self)
{
  g_return_if_fail (FEST_IS_PAGE (self));

  if (FEST_PAGE_GET_CLASS (self)->reload != NULL)
    FEST_PAGE_GET_CLASS (self)->reload (self);
}

void
fest_page_pause (FestPage *self)
{
  g_return_if_fail (FEST_IS_PAGE (self));

  if (FEST_PAGE_GET_CLASS (self)->pause != NULL)
    FEST_PAGE_GET_CLASS (self)->pause (self);
}

void
fest_page_set_festival (FestPage   *self,
                        JsonObject *festival)
{
  FestPagePrivate *priv = fest_page_get_instance_private (self);

  g_return_if_fail (FEST_IS_PAGE (self));

  if (festival != priv->festival)
    {
      if (festival != NULL)
        json_object_ref (festival);
      g_clear_pointer (&priv->festival, json_object_unref);
      priv->festival = festival;
    }
  if (festival != NULL && FEST_PAGE_GET_CLASS (self)->festival_changed != NULL)
    FEST_PAGE_GET_CLASS (self)->festival_changed (self, festival);
}

JsonObject *
fest_page_get_festival (FestPage *self)
{
  FestPagePrivate *priv = fest_page_get_instance_private (self);

  g_return_val_if_fail (FEST_IS_PAGE (self), NULL);

  return priv->festival;
}

void
fest_page_set_event_stream (FestPage        *self,
                            FestEventStream *stream)
{
  FestPagePrivate *priv = fest_page_get_instance_private (self);

  g_return_if_fail (FEST_IS_PAGE (self));
  g_return_if_fail (stream == NULL || FEST_IS_EVENT_STREAM (stream));

  g_set_object (&priv->stream, stream);
  if (FEST_PAGE_GET_CLASS (self)->stream_changed != NULL)
    FEST_PAGE_GET_CLASS (self)->stream_changed (self, stream);
}

FestEventStream *
fest_page_get_event_stream (FestPage *self)
{
  FestPagePrivate *priv = fest_page_get_instance_private (self);

  g_return_val_if_fail (FEST_IS_PAGE (self), NULL);

  return priv->stream;
}

void
fest_page_emit_festival_changed (FestPage   *self,
                                 JsonObject *festival)
{
  g_return_if_fail (FEST_IS_PAGE (self));

  g_signal_emit (self, signals[FESTIVAL_CHANGED], 0, festival);
}

void
fest_page_set_state_widgets (FestPage      *self,
                             GtkStack      *stack,
                             GtkSpinner    *spinner,
                             AdwStatusPage *error_status)
{
  FestPagePrivate *priv = fest_page_get_instance_private (self);

  g_return_if_fail (FEST_IS_PAGE (self));

  priv->stack = stack;
  priv->spinner = spinner;
  priv->error_status = error_status;
}

FestPageState
fest_page_get_state (FestPage *self)
{
  FestPagePrivate *priv = fest_page_get_instance_private (self);

  g_return_val_if_fail (FEST_IS_PAGE (self), FEST_PAGE_STATE_LOADING);

  return priv->state;
}

const char *
fest_page_get_state_name (FestPage *self)
{
  g_return_val_if_fail (FEST_IS_PAGE (self), NULL);

  return fest_page_state_to_string (fest_page_get_state (self));
}

void
fest_page_set_state (FestPage      *self,
                     FestPageState  state)
{
  FestPagePrivate *priv = fest_page_get_instance_private (self);
  gboolean changed;

  g_return_if_fail (FEST_IS_PAGE (self));

  changed = priv->state != state;
  priv->state = state;
  if (priv->spinner != NULL)
    gtk_spinner_set_spinning (priv->spinner, state == FEST_PAGE_STATE_LOADING);
  if (priv->stack != NULL)
    gtk_stack_set_visible_child_name (priv->stack, fest_page_state_to_string (state));
  if (changed)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATE]);
}

void
fest_page_show_error (FestPage     *self,
                      const GError *error)
{
  FestPagePrivate *priv = fest_page_get_instance_private (self);
  g_autofree char *text = NULL;

  g_return_if_fail (FEST_IS_PAGE (self));
  g_return_if_fail (error != NULL);

  if (priv->error_status != NULL)
    {
      text = fest_page_error_text (error);
      fest_page_status_show_error_kind (priv->error_status, error);
      adw_status_page_set_description (priv->error_status, text);
    }
  fest_page_set_state (self, FEST_PAGE_STATE_ERROR);
}

gboolean
fest_page_type_has_attention (GType page_type)
{
  g_autoptr(GTypeClass) klass = NULL;
  GParamSpec *pspec;

  g_return_val_if_fail (g_type_is_a (page_type, FEST_TYPE_PAGE), FALSE);

  klass = g_type_class_ref (page_type);
  pspec = g_object_class_find_property (G_OBJECT_CLASS (klass), "attention-count");
  return pspec != NULL && pspec->value_type == G_TYPE_UINT;
}

static gboolean
badge_text_transform (GBinding     *binding,
                      const GValue *from,
                      GValue       *to,
                      gpointer      user_data)
{
  g_value_take_string (to, g_strdup_printf ("%u", g_value_get_uint (from)));
  return TRUE;
}

static gboolean
badge_visible_transform (GBinding     *binding,
                         const GValue *from,
                         GValue       *to,
                         gpointer      user_data)
{
  g_value_set_boolean (to, g_value_get_uint (from) > 0);
  return TRUE;
}

GtkWidget *
fest_page_attention_badge_new (FestPage *page)
{
  GtkWidget *badge;

  g_return_val_if_fail (FEST_IS_PAGE (page), NULL);
  g_return_val_if_fail (fest_page_type_has_attention (G_OBJECT_TYPE (page)), NULL);

  badge = gtk_label_new (NULL);
  gtk_widget_add_css_class (badge, "sidebar-badge");
  gtk_widget_set_valign (badge, GTK_ALIGN_CENTER);
  gtk_widget_set_name (badge, "attention-badge");
  g_object_bind_property_full (page, "attention-count", badge, "label", G_BINDING_SYNC_CREATE,
                               badge_text_transform, NULL, NULL, NULL);
  g_object_bind_property_full (page, "attention-count", badge, "visible", G_BINDING_SYNC_CREATE,
                               badge_visible_transform, NULL, NULL, NULL);
  return badge;
}
