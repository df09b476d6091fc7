/* fest-slow-login-preload.c: LD_PRELOAD library for tests: makes every password check slow
 *
 * Copyright 2026 The Festivals authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * test-cli.c starts the real festivals-server with this library preloaded to have a login still
 * being verified when SIGTERM arrives. It wraps libsodium's crypto_pwhash_str_verify(), which the
 * server calls in a worker thread for each login: the call sleeps FEST_SLOW_LOGIN_MS milliseconds
 * (read once) before the real check. Nothing in the production code knows about it.
 *
 * Plain libc, no GLib.
 */

#define _GNU_SOURCE

#include <dlfcn.h>
#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <time.h>

typedef int (*VerifyFunc) (const char *str, const char *passwd, unsigned long long passwdlen);

static VerifyFunc real_verify;
static long delay_ms;

static void
init (void)
{
  const char *value = getenv ("FEST_SLOW_LOGIN_MS");

  real_verify = (VerifyFunc) dlsym (RTLD_NEXT, "crypto_pwhash_str_verify");
  delay_ms = value != NULL ? strtol (value, NULL, 10) : 0;
}

int crypto_pwhash_str_verify (const char *str, const char *passwd, unsigned long long passwdlen);

int
crypto_pwhash_str_verify (const char         *str,
                          const char         *passwd,
                          unsigned long long  passwdlen)
{
  static pthread_once_t once = PTHREAD_ONCE_INIT;
  struct timespec left;

  pthread_once (&once, init);
  left.tv_sec = delay_ms / 1000;
  left.tv_nsec = (delay_ms % 1000) * 1000000L;
  while (delay_ms > 0 && nanosleep (&left, &left) != 0 && errno == EINTR)
    ;
  if (real_verify == NULL)
    abort ();
  return real_verify (str, passwd, passwdlen);
}
