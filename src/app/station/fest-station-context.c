/* fest-station-context.c: what a station mode page works with (store, engine, client, money)
 *
 * Copyright 2026 The Festivals authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The station window owns one context and hands it to its mode page as a construct-only
 * property: the page reads the store, the sync engine and the device's client from it, formats
 * money with the festival's currency, and talks back through its signals ("toast",
 * "operation-queued"), never through a pointer to the window. The store, engine and client change
 * when the station is enrolled again; pages fetch them each time they need them.
 */

#include "config.h"

#include <glib/gi18n.h>

#include "fest-core.h"
#include "fest-station-context.h"

struct _FestStationContext
{
  GObject           parent_instance;

  char             *mode;
  char             *server_url;
  FestStationStore *store;
  FestSyncEngine   *engine;
  FestClient       *station_client;
};

G_DEFINE_FINAL_TYPE (FestStationContext, fest_station_context, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_MODE,
  PROP_SERVER_URL,
  PROP_STORE,
  PROP_ENGINE,
  PROP_STATION_CLIENT,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

enum {
  TOAST,
  OPERATION_QUEUED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
fest_station_context_dispose (GObject *object)
{
  FestStationContext *self = FEST_STATION_CONTEXT (object);

  g_clear_object (&self->engine);
  g_clear_object (&self->station_client);
  g_clear_object (&self->store);

  G_OBJECT_CLASS (fest_station_context_parent_class)->dispose (object);
}

static void
fest_station_context_finalize (GObject *object)
{
  FestStationContext *self = FEST_STATION_CONTEXT (object);

  g_free (self->mode);
  g_free (self->server_url);

  G_OBJECT_CLASS (fest_station_context_parent_class)->finalize (object);
}

static void
fest_station_context_get_property (GObject    *object,
                                   guint       prop_id,
                                   GValue     *value,
                                   GParamSpec *pspec)
{
  FestStationContext *self = FEST_STATION_CONTEXT (object);

  switch (prop_id)
    {
    case PROP_MODE:
      g_value_set_string (value, self->mode);
      break;
    case PROP_SERVER_URL:
      g_value_set_string (value, self->server_url);
      break;
    case PROP_STORE:
      g_value_set_object (value, self->store);
      break;
    case PROP_ENGINE:
      g_value_set_object (value, self->engine);
      break;
    case PROP_STATION_CLIENT:
      g_value_set_object (value, self->station_client);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
fest_station_context_set_property (GObject      *object,
                                   guint         prop_id,
                                   const GValue *value,
                                   GParamSpec   *pspec)
{
  FestStationContext *self = FEST_STATION_CONTEXT (object);

  switch (prop_id)
    {
    case PROP_MODE:
      self->mode = g_value_dup_string (value);
      break;
    case PROP_SERVER_URL:
      fest_station_context_set_server_url (self, g_value_get_string (value));
      break;
    case PROP_STORE:
      fest_station_context_set_store (self, g_value_get_object (value));
      break;
    case PROP_ENGINE:
      fest_station_context_set_engine (self, g_value_get_object (value));
      break;
    case PROP_STATION_CLIENT:
      fest_station_context_set_station_client (self, g_value_get_object (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
fest_station_context_class_init (FestStationContextClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = fest_station_context_dispose;
  object_class->finalize = fest_station_context_finalize;
  object_class->get_property = fest_station_context_get_property;
  object_class->set_property = fest_station_context_set_property;

  properties[PROP_MODE] =
    g_param_spec_string ("mode", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_SERVER_URL] =
    g_param_spec_string ("server-url", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_STORE] =
    g_param_spec_object ("store", NULL, NULL, FEST_TYPE_STATION_STORE,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_ENGINE] =
    g_param_spec_object ("engine", NULL, NULL, FEST_TYPE_SYNC_ENGINE,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_STATION_CLIENT] =
    g_param_spec_object ("station-client", NULL, NULL, FEST_TYPE_CLIENT,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  signals[TOAST] =
    g_signal_new ("toast", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, G_TYPE_STRING);
  signals[OPERATION_QUEUED] =
    g_signal_new ("operation-queued", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL,
                  NULL, G_TYPE_NONE, 0);
}

static void
fest_station_context_init (FestStationContext *self)
{
}

const char *
fest_station_mode_title (const char *mode)
{
  if (g_strcmp0 (mode, "cashier") == 0)
    return _("Cashier");
  if (g_strcmp0 (mode, "recharge") == 0)
    return _("Recharge Desk");
  if (g_strcmp0 (mode, "scanner") == 0)
    return _("Gate Scanner");
  if (g_strcmp0 (mode, "security") == 0)
    return _("Security");
  return _("Station");
}

FestStationContext *
fest_station_context_new (const char       *mode,
                          const char       *server_url,
                          FestStationStore *store)
{
  g_return_val_if_fail (mode != NULL, NULL);
  g_return_val_if_fail (server_url != NULL, NULL);
  g_return_val_if_fail (FEST_IS_STATION_STORE (store), NULL);

  return g_object_new (FEST_TYPE_STATION_CONTEXT, "mode", mode, "server-url", server_url,
                       "store", store, NULL);
}

const char *
fest_station_context_get_mode (FestStationContext *self)
{
  g_return_val_if_fail (FEST_IS_STATION_CONTEXT (self), NULL);
  return self->mode;
}

const char *
fest_station_context_get_server_url (FestStationContext *self)
{
  g_return_val_if_fail (FEST_IS_STATION_CONTEXT (self), NULL);
  return self->server_url;
}

void
fest_station_context_set_server_url (FestStationContext *self,
                                     const char         *server_url)
{
  g_return_if_fail (FEST_IS_STATION_CONTEXT (self));

  if (g_strcmp0 (self->server_url, server_url) == 0)
    return;
  g_free (self->server_url);
  self->server_url = g_strdup (server_url);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SERVER_URL]);
}

char *
fest_station_context_dup_secret_key (FestStationContext *self)
{
  g_return_val_if_fail (FEST_IS_STATION_CONTEXT (self), NULL);
  return g_strconcat (self->server_url, "#", self->mode, NULL);
}

FestStationStore *
fest_station_context_get_store (FestStationContext *self)
{
  g_return_val_if_fail (FEST_IS_STATION_CONTEXT (self), NULL);
  return self->store;
}

void
fest_station_context_set_store (FestStationContext *self,
                                FestStationStore   *store)
{
  g_return_if_fail (FEST_IS_STATION_CONTEXT (self));
  g_return_if_fail (store == NULL || FEST_IS_STATION_STORE (store));

  if (g_set_object (&self->store, store))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STORE]);
}

FestSyncEngine *
fest_station_context_get_engine (FestStationContext *self)
{
  g_return_val_if_fail (FEST_IS_STATION_CONTEXT (self), NULL);
  return self->engine;
}

void
fest_station_context_set_engine (FestStationContext *self,
                                 FestSyncEngine     *engine)
{
  g_return_if_fail (FEST_IS_STATION_CONTEXT (self));
  g_return_if_fail (engine == NULL || FEST_IS_SYNC_ENGINE (engine));

  if (g_set_object (&self->engine, engine))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ENGINE]);
}

FestClient *
fest_station_context_get_station_client (FestStationContext *self)
{
  g_return_val_if_fail (FEST_IS_STATION_CONTEXT (self), NULL);
  return self->station_client;
}

void
fest_station_context_set_station_client (FestStationContext *self,
                                         FestClient         *client)
{
  g_return_if_fail (FEST_IS_STATION_CONTEXT (self));
  g_return_if_fail (client == NULL || FEST_IS_CLIENT (client));

  if (g_set_object (&self->station_client, client))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATION_CLIENT]);
}

gboolean
fest_station_context_is_online (FestStationContext *self)
{
  g_return_val_if_fail (FEST_IS_STATION_CONTEXT (self), FALSE);
  return self->engine != NULL && fest_sync_engine_get_online (self->engine);
}

char *
fest_station_context_format_money (FestStationContext *self,
                                   gint64              amount)
{
  g_autofree char *currency = NULL;
  g_autofree char *units = NULL;
  g_autofree char *eur = NULL;
  gint64 rate;
  gint64 eur_cents;

  g_return_val_if_fail (FEST_IS_STATION_CONTEXT (self), NULL);

  currency = fest_station_store_get_setting (self->store, FEST_STATION_KEY_CURRENCY_NAME);
  rate = fest_station_store_get_setting_int (self->store, FEST_STATION_KEY_EXCHANGE_RATE, 0);
  units = fest_money_format (amount, currency ? currency : _("Tokens"));
  if (rate > 0 && fest_money_to_eur_cents (amount, rate, &eur_cents))
    {
      eur = fest_money_format_eur (eur_cents);
      return g_strdup_printf ("%s · %s", units, eur);
    }
  return g_steal_pointer (&units);
}

void
fest_station_context_toast (FestStationContext *self,
                            const char         *text)
{
  g_return_if_fail (FEST_IS_STATION_CONTEXT (self));
  g_signal_emit (self, signals[TOAST], 0, text);
}

void
fest_station_context_operation_queued (FestStationContext *self)
{
  g_return_if_fail (FEST_IS_STATION_CONTEXT (self));
  if (self->engine == NULL)
    return;
  fest_sync_engine_refresh_pending (self->engine);
  fest_sync_engine_sync_now (self->engine);
  g_signal_emit (self, signals[OPERATION_QUEUED], 0);
}
