/* fest-net-private.h: the inside of the FestNet (fest-net.h): its sockets, their streams and
 * its limits, shared by fest-net*.c only
 *
 * Copyright 2026 The Festivals authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "fest-net.h"

G_BEGIN_DECLS

/* Output gathered per connection before a write must reach the kernel first. */
#define OUT_BUFFER_MAX (64 * 1024)

typedef enum
{
  ITEM_LISTENER,
  ITEM_SOCKET,
} ItemKind;

/* What an epoll event's data.ptr points to. */
typedef struct
{
  ItemKind kind;
} Item;

typedef struct
{
  Item     item;
  FestNet *net;
  GSocket *socket;
  guint    resume_id;     /* paused after a failed accept */
  gint64   warned_at;
} Listener;

/* The open connections of one remote address. */
typedef struct
{
  char   *address;
  GQueue  sockets;         /* of NetSocket* (unowned), oldest first */
} NetClient;

/* An accepted socket, shared (refcounted, main thread only) by its connection, its two streams,
 * their sources and the qdata of its remote address. */
typedef struct
{
  Item     item;
  FestNet *net;            /* NULL once closed */
  GSocket *socket;
  int      fd;             /* -1 once closed */
  GList    link;           /* in net->sockets while open */
  NetClient *client;       /* NULL once closed */
  GList    client_link;    /* in client->sockets while open */
  GList    dirty_link;     /* in net->dirty while it may have output to send */
  GByteArray *out;         /* written, not yet sent (NULL until the first buffered write) */
  int      send_errno;     /* a gathered send failed: the next write reports it */
  gint64   last_progress;  /* monotonic µs of the last byte moved (or of the accept) */
  gint64   request_started; /* monotonic µs of the accept or of a request's first byte; 0 when
                             * no request is on its way */
  gint64   drain_started;  /* monotonic µs of the refusal, when draining */
  gsize    header_bytes;   /* of the request on its way, while its headers last */
  guint    header_line;    /* characters of its current header line (CR aside) */
  guint    n_waits;        /* our sources alive */
  guint    readable : 1;
  guint    writable : 1;
  guint    peer_gone : 1;  /* hang-up seen by epoll */
  guint    peer_ended : 1; /* a read met the end of the peer's stream */
  guint    peer_gone_swept : 1;
  guint    busy : 1;       /* a request is under way */
  guint    keep_alive : 1; /* never timed out */
  guint    dirty : 1;      /* in net->dirty */
  guint    finished : 1;   /* closed by libsoup: the streams answer G_IO_ERROR_CLOSED */
  guint    lingering : 1;  /* finished with output left: the net holds a reference */
  guint    headers_done : 1; /* the end of the request's headers went by */
  guint    drain : 1;      /* once finished: end our side, drop the peer's input until it ends */
  guint    write_shut : 1; /* our side is ended (draining) */
} NetSocket;

typedef struct
{
  GSource  source;
  FestNet *net;
} NetSource;

struct _FestNet
{
  NetSource         *source;
  NetSource         *flush_source;
  GThread           *thread;      /* the one whose writes are gathered */
  GQueue             dirty;       /* of NetSocket* (unowned) with output to send */
  int                epfd;
  GPtrArray         *listeners;   /* of Listener* */
  GQueue             sockets;     /* of NetSocket* (unowned), open ones */
  FestNetAcceptFunc  accept_func;
  gpointer           user_data;
  guint              idle_timeout_s;
  guint              header_timeout_s;
  guint              max_per_client;
  GPtrArray         *uncapped_peers;  /* of GInetAddressMask: no per-address cap (proxies) */
  guint              max_connections; /* below the file descriptor limit */
  gsize              header_limit;
  GBytes            *header_refusal;  /* the response to headers over the limit */
  GHashTable        *clients;         /* remote address → NetClient */
  guint              sweep_id;
  gint64             now;         /* monotonic µs, at the last epoll dispatch */
};

/* NetSocket (fest-net-socket.c) */

static inline NetSocket *
net_socket_ref (NetSocket *s)
{
  return g_rc_box_acquire (s);
}

static inline void
note_progress (NetSocket *s)
{
  if (s->net != NULL)
    s->last_progress = s->net->now;
}

static inline void
net_socket_mark_dirty (NetSocket *s)
{
  if (!s->dirty && s->net != NULL)
    {
      s->dirty = TRUE;
      g_queue_push_tail_link (&s->net->dirty, &s->dirty_link);
    }
}

void      _fest_net_socket_unref          (NetSocket     *s);
/* Closes now; output the kernel cannot take at once is dropped. */
void      _fest_net_socket_close          (NetSocket     *s);
/* Closes once its output is sent (libsoup is done with it). */
void      _fest_net_socket_finish         (NetSocket     *s);
/* Closes a connection its peer ended, once libsoup is done with it and its output is out. */
void      _fest_net_socket_close_if_ended (NetSocket     *s);
/* Ends our side (a refused connection, once its output is out). */
void      _fest_net_socket_shut_write     (NetSocket     *s);
/* Reads and drops what the peer of a refused connection still sends. */
void      _fest_net_socket_drain_input    (NetSocket     *s);
/* Sends what was gathered, as far as the kernel takes it; TRUE when nothing is left. */
gboolean  _fest_net_socket_flush          (NetSocket     *s);
/* Whether the peer has sent what the server has not read yet. */
gboolean  _fest_net_socket_has_input      (NetSocket     *s);
/* What the streams call (fest-net-input.c, fest-net-output.c). */
gssize    _fest_net_socket_recv           (NetSocket     *s,
                                           void          *buffer,
                                           gsize          count,
                                           GError       **error);
gssize    _fest_net_socket_send           (NetSocket     *s,
                                           const void    *buffer,
                                           gsize          count,
                                           gboolean       gather,
                                           GError       **error);
gssize    _fest_net_socket_blocking       (NetSocket     *s,
                                           GIOCondition   condition,
                                           void          *buffer,
                                           gsize          count,
                                           GCancellable  *cancellable,
                                           GError       **error);
/* A source without fd, ready when the socket's flag for @condition is set. */
GSource  *_fest_net_wait_source_new       (NetSocket     *s,
                                           GObject       *stream,
                                           GIOCondition   condition,
                                           GCancellable  *cancellable);

/* The streams libsoup gets: FestNetConnection (fest-net-connection.c) over a FestNetInput
 * (fest-net-input.c) and a FestNetOutput (fest-net-output.c). Each holds a reference on @s. */
GInputStream  *_fest_net_input_new        (NetSocket     *s);
GOutputStream *_fest_net_output_new       (NetSocket     *s);
GIOStream     *_fest_net_connection_new   (NetSocket     *s);

/* Limits (fest-net-limits.c) */

void      _fest_net_client_free           (gpointer       data);
/* Makes room for a new connection from @address; FALSE when it must be refused. */
gboolean  _fest_net_make_room             (FestNet       *net,
                                           const char    *address,
                                           gboolean       capped);
/* Every SWEEP_PERIOD: idle timeouts, header deadlines, refused connections that drain. */
gboolean  _fest_net_sweep                 (gpointer       user_data);

G_END_DECLS
