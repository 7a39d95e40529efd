/* A disk that fails on cue, for tests/test_disk_faults.py: loaded with LD_PRELOAD into a real `mubiao` process.

   MUBIAO_FAULT=<class>:<errno>:<text>   fail calls of <class> on a path containing <text> with <errno> (a number)
       class: write  (write, pwrite, writev, sendfile, copy_file_range, fallocate)
              fsync  (fsync, fdatasync, syncfs)
              rename (rename, renameat, renameat2: the path is the new name)
              open   (open for writing or creating)
   MUBIAO_FAULT=free:<MB>:<text>         statvfs of a path containing <text> says <MB> megabytes are free
   MUBIAO_FAULT_TIMES=<n>   fail only the first n such calls (default: every one, as a disk that stays full)
   MUBIAO_FAULT_LOG=<file>  append "<call> <path>" for each call failed, so that a test knows the fault struck

   The fault is armed from the start (or from mubiao_fault_configure()), or, with MUBIAO_FAULT_FROM set, from the moment the process calls
   mubiao_fault_arm(); mubiao_fault_disarm() ends it (foundation/checkpoints.py calls them at the checkpoints
   named by MUBIAO_FAULT_FROM and MUBIAO_FAULT_UNTIL).
*/
#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/sendfile.h>
#include <sys/statvfs.h>
#include <sys/types.h>
#include <sys/uio.h>
#include <unistd.h>

enum { NONE, WRITE, FSYNC, RENAME, OPEN, FREE };

static int fault_class = NONE, fault_errno, armed;
static long times = -1, struck;
static char text[512];
static const char *log_path;

/* Read the environment: at load, and again in a process forked from one that loaded it (tests/disk_faults.py). */
__attribute__((constructor)) void mubiao_fault_configure(void) {
    const char *spec = getenv("MUBIAO_FAULT");
    char name[16];
    fault_class = NONE;
    times = -1;
    struck = 0;
    if (!spec || sscanf(spec, "%15[^:]:%d:%511[^\n]", name, &fault_errno, text) != 3)
        return;
    fault_class = !strcmp(name, "write")    ? WRITE
                  : !strcmp(name, "fsync")  ? FSYNC
                  : !strcmp(name, "rename") ? RENAME
                  : !strcmp(name, "open")   ? OPEN
                  : !strcmp(name, "free")   ? FREE
                                            : NONE;
    const char *from = getenv("MUBIAO_FAULT_FROM");
    armed = !(from && *from);
    const char *count = getenv("MUBIAO_FAULT_TIMES");
    if (count && *count)
        times = atol(count);
    log_path = getenv("MUBIAO_FAULT_LOG");
}

void mubiao_fault_arm(void) { __atomic_store_n(&armed, 1, __ATOMIC_SEQ_CST); }

void mubiao_fault_disarm(void) { __atomic_store_n(&armed, 0, __ATOMIC_SEQ_CST); }

static void note(const char *call, const char *path) {
    if (!log_path)
        return;
    static ssize_t (*real_write)(int, const void *, size_t);
    static int (*real_open)(const char *, int, ...);
    if (!real_write) {
        real_write = dlsym(RTLD_NEXT, "write");
        real_open = dlsym(RTLD_NEXT, "open");
    }
    char line[4200];
    int length = snprintf(line, sizeof line, "%s %s\n", call, path);
    int fd = real_open(log_path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
    if (fd >= 0) {
        real_write(fd, line, length > (int)sizeof line ? (int)sizeof line : length);
        close(fd);
    }
}

/* Whether this call fails: on the class's path, while armed and not yet used up. */
static int strikes(int class, const char *call, const char *path) {
    if (fault_class != class || !__atomic_load_n(&armed, __ATOMIC_SEQ_CST) || !path || !strstr(path, text))
        return 0;
    if (times >= 0 && __atomic_add_fetch(&struck, 1, __ATOMIC_SEQ_CST) > times)
        return 0;
    note(call, path);
    errno = fault_errno;
    return 1;
}

static int strikes_fd(int class, const char *call, int fd) {
    if (fault_class != class || !__atomic_load_n(&armed, __ATOMIC_SEQ_CST))
        return 0;
    char link[64], path[4096];
    snprintf(link, sizeof link, "/proc/self/fd/%d", fd);
    ssize_t length = readlink(link, path, sizeof path - 1);
    if (length < 0)
        return 0;
    path[length] = 0;
    return strikes(class, call, path);
}

#define REAL(name) static __typeof__(name) *real; if (!real) real = dlsym(RTLD_NEXT, #name)

ssize_t write(int fd, const void *buffer, size_t count) {
    REAL(write);
    return strikes_fd(WRITE, "write", fd) ? -1 : real(fd, buffer, count);
}

ssize_t pwrite(int fd, const void *buffer, size_t count, off_t offset) {
    REAL(pwrite);
    return strikes_fd(WRITE, "pwrite", fd) ? -1 : real(fd, buffer, count, offset);
}

ssize_t pwrite64(int fd, const void *buffer, size_t count, off64_t offset) {
    REAL(pwrite64);
    return strikes_fd(WRITE, "pwrite64", fd) ? -1 : real(fd, buffer, count, offset);
}

ssize_t writev(int fd, const struct iovec *vector, int count) {
    REAL(writev);
    return strikes_fd(WRITE, "writev", fd) ? -1 : real(fd, vector, count);
}

ssize_t sendfile(int out, int in, off_t *offset, size_t count) {
    REAL(sendfile);
    return strikes_fd(WRITE, "sendfile", out) ? -1 : real(out, in, offset, count);
}

ssize_t sendfile64(int out, int in, off64_t *offset, size_t count) {
    REAL(sendfile64);
    return strikes_fd(WRITE, "sendfile64", out) ? -1 : real(out, in, offset, count);
}

ssize_t copy_file_range(int in, off64_t *in_offset, int out, off64_t *out_offset, size_t count, unsigned flags) {
    REAL(copy_file_range);
    return strikes_fd(WRITE, "copy_file_range", out) ? -1 : real(in, in_offset, out, out_offset, count, flags);
}

int fallocate(int fd, int mode, off_t offset, off_t length) {
    REAL(fallocate);
    return strikes_fd(WRITE, "fallocate", fd) ? -1 : real(fd, mode, offset, length);
}

int fsync(int fd) {
    REAL(fsync);
    return strikes_fd(FSYNC, "fsync", fd) ? -1 : real(fd);
}

int fdatasync(int fd) {
    REAL(fdatasync);
    return strikes_fd(FSYNC, "fdatasync", fd) ? -1 : real(fd);
}

int syncfs(int fd) {
    REAL(syncfs);
    return strikes_fd(FSYNC, "syncfs", fd) ? -1 : real(fd);
}

int rename(const char *old, const char *new) {
    REAL(rename);
    return strikes(RENAME, "rename", new) ? -1 : real(old, new);
}

int renameat(int old_dir, const char *old, int new_dir, const char *new) {
    REAL(renameat);
    return strikes(RENAME, "renameat", new) ? -1 : real(old_dir, old, new_dir, new);
}

int renameat2(int old_dir, const char *old, int new_dir, const char *new, unsigned flags) {
    REAL(renameat2);
    return strikes(RENAME, "renameat2", new) ? -1 : real(old_dir, old, new_dir, new, flags);
}

#define WRITING(flags) ((flags) & (O_WRONLY | O_RDWR | O_CREAT | O_TRUNC | O_APPEND))

#define OPENER(name, ...)                                                                                  \
    int name(__VA_ARGS__, int flags, ...) {                                                                \
        mode_t mode = 0;                                                                                   \
        if (flags & (O_CREAT | O_TMPFILE)) {                                                               \
            va_list rest;                                                                                  \
            va_start(rest, flags);                                                                         \
            mode = va_arg(rest, mode_t);                                                                   \
            va_end(rest);                                                                                  \
        }                                                                                                  \
        REAL(name);

OPENER(open, const char *path)
    return WRITING(flags) && strikes(OPEN, "open", path) ? -1 : real(path, flags, mode);
}

OPENER(open64, const char *path)
    return WRITING(flags) && strikes(OPEN, "open64", path) ? -1 : real(path, flags, mode);
}

OPENER(openat, int dir, const char *path)
    return WRITING(flags) && strikes(OPEN, "openat", path) ? -1 : real(dir, path, flags, mode);
}

OPENER(openat64, int dir, const char *path)
    return WRITING(flags) && strikes(OPEN, "openat64", path) ? -1 : real(dir, path, flags, mode);
}

static void report_free(const char *path, struct statvfs64 *found) {
    if (fault_class == FREE && strstr(path, text)) {
        found->f_bavail = found->f_bfree = ((unsigned long)fault_errno << 20) / found->f_frsize;
        note("statvfs", path);
    }
}

int statvfs64(const char *path, struct statvfs64 *found) {
    REAL(statvfs64);
    int result = real(path, found);
    if (result == 0)
        report_free(path, found);
    return result;
}

int statvfs(const char *path, struct statvfs *found) {
    REAL(statvfs);
    int result = real(path, found);
    if (result == 0)
        report_free(path, (struct statvfs64 *)found);
    return result;
}
