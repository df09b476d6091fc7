/* fest-wal-vfs.c: an SQLite VFS shim that hands a commit's WAL frames to the kernel in large writes
 *
 * Copyright 2026 The Festivals authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * SQLite writes a WAL frame as two pwrite(2) calls (its 24-byte header, then the page), frame
 * after frame, then syncs the file once for the commit. A group commit of a dozen payments is a
 * few dozen frames: a hundred-odd syscalls, a fifth of the writer thread's time on a
 * paravirtualised machine. This shim, over the default VFS, keeps the consecutive writes of a
 * WAL file in a buffer and writes it out in a few large calls before anything that needs it on
 * disk or visible: xSync (so durability is unchanged: a commit is acknowledged after the sync,
 * which comes after the write), a read, the size, a truncation, a write elsewhere in the file,
 * close.
 * Other processes and connections only read frames a commit has synced, and SQLite publishes them
 * in the shared-memory index only after that sync. Every other file, and every other method,
 * goes straight to the default VFS.
 */

#include "config.h"

#include <glib.h>
#include <sqlite3.h>
#include <string.h>

#include "fest-store-private.h"

#define VFS_NAME          "fest-wal-batch"
#define FLUSH_THRESHOLD   (4 * 1024 * 1024)
/* The unix VFS writes at most 0x1ffff bytes per call (seekAndWriteFd() masks the length) and
 * reports the rest as a full disk: larger buffers go in pieces below that. */
#define MAX_WRITE         (120 * 1024)

typedef struct
{
  sqlite3_file   base;
  sqlite3_file  *real;        /* the default VFS's file, allocated right after this struct */
  gboolean       is_wal;
  char          *buffer;
  gsize          length;
  gsize          capacity;
  sqlite3_int64  offset;      /* of buffer[0] in the file */
} BatchFile;

static sqlite3_vfs *real_vfs;

static int
batch_flush (BatchFile *file)
{
  int rc = SQLITE_OK;

  for (gsize done = 0; done < file->length && rc == SQLITE_OK; done += MAX_WRITE)
    rc = file->real->pMethods->xWrite (file->real, file->buffer + done,
                                       (int) MIN (file->length - done, MAX_WRITE),
                                       file->offset + (sqlite3_int64) done);
  file->length = 0;
  return rc;
}

static int
batch_close (sqlite3_file *f)
{
  BatchFile *file = (BatchFile *) f;
  int rc = batch_flush (file);
  int close_rc = file->real->pMethods->xClose (file->real);

  g_free (file->buffer);
  file->buffer = NULL;
  return rc != SQLITE_OK ? rc : close_rc;
}

static int
batch_read (sqlite3_file  *f,
            void          *data,
            int            amount,
            sqlite3_int64  offset)
{
  BatchFile *file = (BatchFile *) f;
  int rc = batch_flush (file);

  return rc != SQLITE_OK ? rc : file->real->pMethods->xRead (file->real, data, amount, offset);
}

static int
batch_write (sqlite3_file  *f,
             const void    *data,
             int            amount,
             sqlite3_int64  offset)
{
  BatchFile *file = (BatchFile *) f;

  if (!file->is_wal)
    return file->real->pMethods->xWrite (file->real, data, amount, offset);

  /* Not where the buffered bytes end: those go first, in order. */
  if (file->length > 0 && offset != file->offset + (sqlite3_int64) file->length)
    {
      int rc = batch_flush (file);

      if (rc != SQLITE_OK)
        return rc;
    }

  if (file->length == 0)
    file->offset = offset;
  if (file->length + amount > file->capacity)
    {
      file->capacity = MAX (file->capacity * 2, MAX (file->length + amount, 64 * 1024));
      file->buffer = g_realloc (file->buffer, file->capacity);
    }
  memcpy (file->buffer + file->length, data, amount);
  file->length += amount;

  return file->length >= FLUSH_THRESHOLD ? batch_flush (file) : SQLITE_OK;
}

static int
batch_truncate (sqlite3_file  *f,
                sqlite3_int64  size)
{
  BatchFile *file = (BatchFile *) f;
  int rc = batch_flush (file);

  return rc != SQLITE_OK ? rc : file->real->pMethods->xTruncate (file->real, size);
}

static int
batch_sync (sqlite3_file *f,
            int           flags)
{
  BatchFile *file = (BatchFile *) f;
  int rc = batch_flush (file);

  return rc != SQLITE_OK ? rc : file->real->pMethods->xSync (file->real, flags);
}

static int
batch_file_size (sqlite3_file  *f,
                 sqlite3_int64 *size)
{
  BatchFile *file = (BatchFile *) f;
  int rc = batch_flush (file);

  return rc != SQLITE_OK ? rc : file->real->pMethods->xFileSize (file->real, size);
}

/* The rest goes straight through. */

#define REAL(f) (((BatchFile *) (f))->real)

static int
batch_lock (sqlite3_file *f,
            int           level)
{
  return REAL (f)->pMethods->xLock (REAL (f), level);
}

static int
batch_unlock (sqlite3_file *f,
              int           level)
{
  return REAL (f)->pMethods->xUnlock (REAL (f), level);
}

static int
batch_check_reserved_lock (sqlite3_file *f,
                           int          *out)
{
  return REAL (f)->pMethods->xCheckReservedLock (REAL (f), out);
}

static int
batch_file_control (sqlite3_file *f,
                    int           op,
                    void         *arg)
{
  return REAL (f)->pMethods->xFileControl (REAL (f), op, arg);
}

static int
batch_sector_size (sqlite3_file *f)
{
  return REAL (f)->pMethods->xSectorSize (REAL (f));
}

static int
batch_device_characteristics (sqlite3_file *f)
{
  return REAL (f)->pMethods->xDeviceCharacteristics (REAL (f));
}

static int
batch_shm_map (sqlite3_file  *f,
               int            region,
               int            size,
               int            extend,
               void volatile **out)
{
  return REAL (f)->pMethods->xShmMap (REAL (f), region, size, extend, out);
}

static int
batch_shm_lock (sqlite3_file *f,
                int           offset,
                int           n,
                int           flags)
{
  return REAL (f)->pMethods->xShmLock (REAL (f), offset, n, flags);
}

static void
batch_shm_barrier (sqlite3_file *f)
{
  REAL (f)->pMethods->xShmBarrier (REAL (f));
}

static int
batch_shm_unmap (sqlite3_file *f,
                 int           delete_flag)
{
  return REAL (f)->pMethods->xShmUnmap (REAL (f), delete_flag);
}

static int
batch_fetch (sqlite3_file   *f,
             sqlite3_int64   offset,
             int             amount,
             void          **out)
{
  BatchFile *file = (BatchFile *) f;
  int rc = batch_flush (file);

  return rc != SQLITE_OK ? rc : file->real->pMethods->xFetch (file->real, offset, amount, out);
}

static int
batch_unfetch (sqlite3_file  *f,
               sqlite3_int64  offset,
               void          *p)
{
  return REAL (f)->pMethods->xUnfetch (REAL (f), offset, p);
}

static const sqlite3_io_methods batch_io_methods = {
  .iVersion = 3,
  .xClose = batch_close,
  .xRead = batch_read,
  .xWrite = batch_write,
  .xTruncate = batch_truncate,
  .xSync = batch_sync,
  .xFileSize = batch_file_size,
  .xLock = batch_lock,
  .xUnlock = batch_unlock,
  .xCheckReservedLock = batch_check_reserved_lock,
  .xFileControl = batch_file_control,
  .xSectorSize = batch_sector_size,
  .xDeviceCharacteristics = batch_device_characteristics,
  .xShmMap = batch_shm_map,
  .xShmLock = batch_shm_lock,
  .xShmBarrier = batch_shm_barrier,
  .xShmUnmap = batch_shm_unmap,
  .xFetch = batch_fetch,
  .xUnfetch = batch_unfetch,
};

static int
batch_open (sqlite3_vfs  *vfs,
            const char   *name,
            sqlite3_file *f,
            int           flags,
            int          *out_flags)
{
  BatchFile *file = (BatchFile *) f;
  int rc;

  memset (file, 0, sizeof *file);
  file->real = (sqlite3_file *) &file[1];
  file->is_wal = (flags & SQLITE_OPEN_WAL) != 0;

  rc = real_vfs->xOpen (real_vfs, name, file->real, flags, out_flags);
  /* The unix VFS's files are version 3 (WAL and memory mapping); anything less is left alone. */
  if (file->real->pMethods != NULL && file->real->pMethods->iVersion >= 3)
    file->base.pMethods = &batch_io_methods;
  else if (file->real->pMethods != NULL)
    {
      /* Our xClose must not run: let SQLite call the real methods on the real struct. */
      file->base.pMethods = NULL;
      file->real->pMethods->xClose (file->real);
      return SQLITE_CANTOPEN;
    }
  return rc;
}

/* The VFS methods other than xOpen: the default VFS's, on the default VFS. */

static int
batch_delete (sqlite3_vfs *vfs,
              const char  *name,
              int          sync_dir)
{
  return real_vfs->xDelete (real_vfs, name, sync_dir);
}

static int
batch_access (sqlite3_vfs *vfs,
              const char  *name,
              int          flags,
              int         *out)
{
  return real_vfs->xAccess (real_vfs, name, flags, out);
}

static int
batch_full_pathname (sqlite3_vfs *vfs,
                     const char  *name,
                     int          n_out,
                     char        *out)
{
  return real_vfs->xFullPathname (real_vfs, name, n_out, out);
}

static void *
batch_dl_open (sqlite3_vfs *vfs,
               const char  *name)
{
  return real_vfs->xDlOpen (real_vfs, name);
}

static void
batch_dl_error (sqlite3_vfs *vfs,
                int          n,
                char        *out)
{
  real_vfs->xDlError (real_vfs, n, out);
}

static void (*batch_dl_sym (sqlite3_vfs *vfs,
                            void        *handle,
                            const char  *symbol)) (void)
{
  return real_vfs->xDlSym (real_vfs, handle, symbol);
}

static void
batch_dl_close (sqlite3_vfs *vfs,
                void        *handle)
{
  real_vfs->xDlClose (real_vfs, handle);
}

static int
batch_randomness (sqlite3_vfs *vfs,
                  int          n,
                  char        *out)
{
  return real_vfs->xRandomness (real_vfs, n, out);
}

static int
batch_sleep (sqlite3_vfs *vfs,
             int          microseconds)
{
  return real_vfs->xSleep (real_vfs, microseconds);
}

static int
batch_current_time (sqlite3_vfs *vfs,
                    double      *out)
{
  return real_vfs->xCurrentTime (real_vfs, out);
}

static int
batch_get_last_error (sqlite3_vfs *vfs,
                      int          n,
                      char        *out)
{
  return real_vfs->xGetLastError (real_vfs, n, out);
}

static int
batch_current_time_int64 (sqlite3_vfs   *vfs,
                          sqlite3_int64 *out)
{
  return real_vfs->xCurrentTimeInt64 (real_vfs, out);
}

static sqlite3_vfs batch_vfs = {
  .iVersion = 2,
  .zName = VFS_NAME,
  .xOpen = batch_open,
  .xDelete = batch_delete,
  .xAccess = batch_access,
  .xFullPathname = batch_full_pathname,
  .xDlOpen = batch_dl_open,
  .xDlError = batch_dl_error,
  .xDlSym = batch_dl_sym,
  .xDlClose = batch_dl_close,
  .xRandomness = batch_randomness,
  .xSleep = batch_sleep,
  .xCurrentTime = batch_current_time,
  .xGetLastError = batch_get_last_error,
  .xCurrentTimeInt64 = batch_current_time_int64,
};

const char *
_fest_wal_vfs_name (void)
{
  static gsize registered = 0;

  if (g_once_init_enter (&registered))
    {
      real_vfs = sqlite3_vfs_find (NULL);
      g_assert (real_vfs != NULL && real_vfs->iVersion >= 2);
      batch_vfs.szOsFile = (int) sizeof (BatchFile) + real_vfs->szOsFile;
      batch_vfs.mxPathname = real_vfs->mxPathname;
      if (sqlite3_vfs_register (&batch_vfs, 0) != SQLITE_OK)
        g_error ("Cannot register the SQLite VFS %s", VFS_NAME);
      g_once_init_leave (&registered, 1);
    }

  return VFS_NAME;
}
