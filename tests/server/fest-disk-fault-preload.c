/* fest-disk-fault-preload.c: LD_PRELOAD library for tests: fails a server's disk writes on demand
 *
 * Copyright 2026 The Festivals authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * test-disk-faults.c starts the real festivals-server with this library preloaded, so that the
 * server's own binary, SQLite and its WAL VFS meet a full or failing disk exactly as they would
 * in production: the C library's write and sync calls fail with ENOSPC or EIO. Nothing in the
 * production code knows about it. That is why it is a preload rather than a fault-injecting
 * SQLite VFS in a test build of the server: the binary under test is the one shipped, and the
 * fault comes from where a real one comes from, below the WAL VFS (fest-wal-vfs.c) and SQLite's
 * unix VFS, through their own handling of short and failed writes. (In sanitizer builds the test
 * preloads the ASan runtime first; see test-disk-faults.c.)
 *
 * Two variables, read once at load time, configure it:
 *   FEST_DISK_FAULT_DIR      only files (and the directory itself) under this directory fail
 *                            (the server's data dir): its stdout, sockets and eventfds never do;
 *   FEST_DISK_FAULT_CONTROL  a file the test creates to start a fault and deletes to end it.
 *                            Its content names the calls that fail and how: "write ENOSPC",
 *                            "fsync EIO" ("write" covers write/pwrite/writev, "fsync" covers
 *                            fsync/fdatasync).
 * The control file is looked at on every call, so a fault starts and ends between two calls of
 * a running server, as a disk would fill up or recover.
 *
 * Plain libc, no GLib: this runs inside every write of the server, including GLib's own.
 */

#define _GNU_SOURCE
/* pwrite and pwrite64 are both defined here: 64-bit file offsets would rename the first. */
#undef _FILE_OFFSET_BITS

#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/uio.h>
#include <unistd.h>

typedef enum
{
  CALL_WRITE,
  CALL_FSYNC,
} CallKind;

static ssize_t (*real_write) (int, const void *, size_t);
static ssize_t (*real_pwrite) (int, const void *, size_t, off_t);
static ssize_t (*real_pwrite64) (int, const void *, size_t, off64_t);
static ssize_t (*real_writev) (int, const struct iovec *, int);
static ssize_t (*real_pwritev) (int, const struct iovec *, int, off_t);
static int (*real_fsync) (int);
static int (*real_fdatasync) (int);

static char fault_dir[PATH_MAX];
static size_t fault_dir_len;
static char control_path[PATH_MAX];

/* The next definition of a function: the C library's, or a sanitizer's interceptor. Looked up on
 * first use, since a library's constructor may write before ours runs. */
#define RESOLVE(name) \
  do { if (real_##name == NULL) real_##name = dlsym (RTLD_NEXT, #name); } while (0)

__attribute__((constructor)) static void
disk_fault_init (void)
{
  const char *dir = getenv ("FEST_DISK_FAULT_DIR");
  const char *control = getenv ("FEST_DISK_FAULT_CONTROL");

  /* /proc/self/fd links name canonical paths: compare with the canonical directory. */
  if (dir != NULL && control != NULL && realpath (dir, fault_dir) != NULL
      && strlen (control) < sizeof control_path)
    {
      strcpy (control_path, control);
      fault_dir_len = strlen (fault_dir);
    }
}

/* The errno the call must fail with, or 0 to let it through. */
static int
injected_errno (int      fd,
                CallKind kind)
{
  char text[64];
  char link[64];
  char path[PATH_MAX];
  struct stat st;
  ssize_t n;
  int control;

  if (fault_dir_len == 0)
    return 0;

  control = open (control_path, O_RDONLY | O_CLOEXEC);
  if (control < 0)
    return 0;
  n = read (control, text, sizeof text - 1);
  close (control);
  if (n <= 0)
    return 0;
  text[n] = '\0';

  if (strstr (text, kind == CALL_WRITE ? "write" : "fsync") == NULL)
    return 0;

  if (fstat (fd, &st) != 0 || !(S_ISREG (st.st_mode) || S_ISDIR (st.st_mode)))
    return 0;
  snprintf (link, sizeof link, "/proc/self/fd/%d", fd);
  n = readlink (link, path, sizeof path - 1);
  if (n <= 0)
    return 0;
  path[n] = '\0';
  if (strncmp (path, fault_dir, fault_dir_len) != 0
      || (path[fault_dir_len] != '\0' && path[fault_dir_len] != '/'))
    return 0;

  if (strstr (text, "ENOSPC") != NULL)
    return ENOSPC;
  return EIO;
}

ssize_t
write (int         fd,
       const void *data,
       size_t      size)
{
  int fault = injected_errno (fd, CALL_WRITE);

  if (fault != 0)
    {
      errno = fault;
      return -1;
    }
  RESOLVE (write);
  return real_write (fd, data, size);
}

ssize_t
pwrite (int         fd,
        const void *data,
        size_t      size,
        off_t       offset)
{
  int fault = injected_errno (fd, CALL_WRITE);

  if (fault != 0)
    {
      errno = fault;
      return -1;
    }
  RESOLVE (pwrite);
  return real_pwrite (fd, data, size, offset);
}

ssize_t
pwrite64 (int         fd,
          const void *data,
          size_t      size,
          off64_t     offset)
{
  int fault = injected_errno (fd, CALL_WRITE);

  if (fault != 0)
    {
      errno = fault;
      return -1;
    }
  RESOLVE (pwrite64);
  return real_pwrite64 (fd, data, size, offset);
}

ssize_t
writev (int                 fd,
        const struct iovec *iov,
        int                 n_iov)
{
  int fault = injected_errno (fd, CALL_WRITE);

  if (fault != 0)
    {
      errno = fault;
      return -1;
    }
  RESOLVE (writev);
  return real_writev (fd, iov, n_iov);
}

ssize_t
pwritev (int                 fd,
         const struct iovec *iov,
         int                 n_iov,
         off_t               offset)
{
  int fault = injected_errno (fd, CALL_WRITE);

  if (fault != 0)
    {
      errno = fault;
      return -1;
    }
  RESOLVE (pwritev);
  return real_pwritev (fd, iov, n_iov, offset);
}

int
fsync (int fd)
{
  int fault = injected_errno (fd, CALL_FSYNC);

  if (fault != 0)
    {
      errno = fault;
      return -1;
    }
  RESOLVE (fsync);
  return real_fsync (fd);
}

int
fdatasync (int fd)
{
  int fault = injected_errno (fd, CALL_FSYNC);

  if (fault != 0)
    {
      errno = fault;
      return -1;
    }
  RESOLVE (fdatasync);
  return real_fdatasync (fd);
}
