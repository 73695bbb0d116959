// Output publishing syscalls and the signal handlers that clean up after them.
//
// The tables below are read from signal handlers, so they are fixed arrays of inline
// paths guarded by an atomic state (0 free, 1 being filled, 2 in use): a handler only
// reads slots in state 2 and never allocates. Everything a handler calls is on the
// POSIX async-signal-safe list (unlink, write, raise, _exit).
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#if defined(__linux__)
#include <sys/syscall.h>
#endif
#include "CKernels.h"

#ifndef PATH_MAX
#define PATH_MAX 4096
#endif

int wk_open_unnamed(const char *directory) {
#if defined(O_TMPFILE)
    return open(directory, O_TMPFILE | O_WRONLY | O_CLOEXEC, 0644);
#else
    (void)directory;
    errno = EOPNOTSUPP;
    return -1;
#endif
}

int wk_link_unnamed(int fd, const char *path) {
#if defined(AT_EMPTY_PATH)
    if (linkat(fd, "", AT_FDCWD, path, AT_EMPTY_PATH) == 0) return 0;
    // Without CAP_DAC_READ_SEARCH the kernel answers ENOENT; the /proc form works for anyone.
    if (errno != ENOENT && errno != EPERM) return -1;
    char proc[64];
    snprintf(proc, sizeof proc, "/proc/self/fd/%d", fd);
    return linkat(AT_FDCWD, proc, AT_FDCWD, path, AT_SYMLINK_FOLLOW);
#else
    (void)fd;
    (void)path;
    errno = EOPNOTSUPP;
    return -1;
#endif
}

int wk_rename_noreplace(const char *from, const char *to) {
#if defined(__linux__) && defined(SYS_renameat2)
    if (syscall(SYS_renameat2, AT_FDCWD, from, AT_FDCWD, to, 1 /* RENAME_NOREPLACE */) == 0) return 0;
    if (errno != ENOSYS && errno != EINVAL) return -1;
#endif
    // link fails with EEXIST when `to` exists, so this is no-clobber too.
    if (link(from, to) != 0) return -1;
    unlink(from);
    return 0;
}

// MARK: names to remove on a signal

#define CLEANUP_SLOTS 256
struct cleanup_slot {
    atomic_int state;
    char path[PATH_MAX];
};
static struct cleanup_slot cleanup_slots[CLEANUP_SLOTS];

static int claim(atomic_int *state) {
    int expected = 0;
    return atomic_compare_exchange_strong(state, &expected, 1);
}

int wk_cleanup_register(const char *path) {
    size_t length = strlen(path);
    if (length >= PATH_MAX) return -1;
    for (int slot = 0; slot < CLEANUP_SLOTS; slot++) {
        if (!claim(&cleanup_slots[slot].state)) continue;
        memcpy(cleanup_slots[slot].path, path, length + 1);
        atomic_store(&cleanup_slots[slot].state, 2);
        return slot;
    }
    return -1;
}

void wk_cleanup_unregister(int slot) {
    if (slot >= 0 && slot < CLEANUP_SLOTS) atomic_store(&cleanup_slots[slot].state, 0);
}

// Files first, then directories (a model folder being assembled): rmdir succeeds only
// once a directory is empty, so the passes repeat until a pass removes nothing.
static void remove_registered(void) {
    int directories = 0;
    for (int slot = 0; slot < CLEANUP_SLOTS; slot++) {
        if (atomic_load(&cleanup_slots[slot].state) != 2) continue;
        if (unlink(cleanup_slots[slot].path) != 0 && (errno == EISDIR || errno == EPERM)) directories++;
    }
    for (int pass = 0; pass < 32 && directories > 0; pass++) {
        int removed = 0;
        for (int slot = 0; slot < CLEANUP_SLOTS; slot++) {
            if (atomic_load(&cleanup_slots[slot].state) == 2 && rmdir(cleanup_slots[slot].path) == 0) removed++;
        }
        if (removed == 0) break;
        directories -= removed;
    }
}

// MARK: mapped inputs

#define MAPPING_SLOTS 512
struct mapping_slot {
    atomic_int state;
    uintptr_t start, end;
    char path[PATH_MAX];
};
static struct mapping_slot mapping_slots[MAPPING_SLOTS];

int wk_mapping_register(const void *start, size_t length, const char *path) {
    size_t path_length = strlen(path);
    if (path_length >= PATH_MAX) return -1;
    for (int slot = 0; slot < MAPPING_SLOTS; slot++) {
        if (!claim(&mapping_slots[slot].state)) continue;
        mapping_slots[slot].start = (uintptr_t)start;
        mapping_slots[slot].end = (uintptr_t)start + length;
        memcpy(mapping_slots[slot].path, path, path_length + 1);
        atomic_store(&mapping_slots[slot].state, 2);
        return slot;
    }
    return -1;
}

void wk_mapping_unregister(int slot) {
    if (slot >= 0 && slot < MAPPING_SLOTS) atomic_store(&mapping_slots[slot].state, 0);
}

static int find_mapping(uintptr_t address) {
    for (int slot = 0; slot < MAPPING_SLOTS; slot++) {
        struct mapping_slot *mapping = &mapping_slots[slot];
        if (atomic_load(&mapping->state) == 2 && mapping->start <= address && address < mapping->end) return slot;
    }
    return -1;
}

int wk_mapping_path(const void *address, char *buffer, size_t capacity) {
    int slot = find_mapping((uintptr_t)address);
    if (slot < 0 || capacity == 0) return -1;
    size_t length = strnlen(mapping_slots[slot].path, PATH_MAX);
    if (length >= capacity) length = capacity - 1;
    memcpy(buffer, mapping_slots[slot].path, length);
    buffer[length] = 0;
    return 0;
}

// MARK: handlers

static char error_prefix[64];

// Buffered write(2) to stderr, with control characters escaped as \u00XX so a file
// name cannot forge terminal output.
struct line {
    char bytes[256];
    size_t count;
};

static void flush_line(struct line *line) {
    size_t done = 0;
    while (done < line->count) {
        ssize_t written = write(STDERR_FILENO, line->bytes + done, line->count - done);
        if (written < 0 && errno == EINTR) continue;
        if (written <= 0) break;
        done += (size_t)written;
    }
    line->count = 0;
}

static void put(struct line *line, char byte) {
    if (line->count == sizeof line->bytes) flush_line(line);
    line->bytes[line->count++] = byte;
}

static void put_text(struct line *line, const char *text, int escape) {
    static const char hex[] = "0123456789abcdef";
    for (; *text; text++) {
        unsigned char byte = (unsigned char)*text;
        if (escape && (byte < 0x20 || byte == 0x7f)) {
            const char escaped[] = {'\\', 'u', '0', '0', hex[byte >> 4], hex[byte & 15], 0};
            for (const char *e = escaped; *e; e++) put(line, *e);
        } else {
            put(line, (char)byte);
        }
    }
}

static void on_termination(int signal_number) {
    remove_registered();
    // SA_RESETHAND restored the default action; the signal is blocked until we return,
    // then it ends the process so the exit status still says which signal it was.
    raise(signal_number);
}

static void on_bus_error(int signal_number, siginfo_t *info, void *context) {
    (void)context;
    int slot = info->si_code > 0 ? find_mapping((uintptr_t)info->si_addr) : -1;
    if (slot >= 0) {
        int saved = errno;
        struct line line = {.count = 0};
        put_text(&line, error_prefix, 0);
        put_text(&line, mapping_slots[slot].path, 1);
        put_text(&line, ": the file shrank while being read (truncated by another process?)\n", 0);
        flush_line(&line);
        remove_registered();
        errno = saved;
        _exit(1);
    }
    // Not one of our mappings: the default action (reset by SA_RESETHAND) takes over,
    // when the faulting access is retried or, for a sent signal, now.
    if (info->si_code <= 0) raise(signal_number);
}

void wk_install_signal_cleanup(const char *prefix) {
    size_t length = strlen(prefix);
    if (length >= sizeof error_prefix) length = sizeof error_prefix - 1;
    memcpy(error_prefix, prefix, length);
    error_prefix[length] = 0;

    struct sigaction action;
    memset(&action, 0, sizeof action);
    sigemptyset(&action.sa_mask);
    action.sa_flags = SA_RESETHAND;
    action.sa_handler = on_termination;
    const int terminating[] = {SIGINT, SIGTERM, SIGHUP};
    for (size_t i = 0; i < sizeof terminating / sizeof terminating[0]; i++) {
        struct sigaction previous;
        // A signal ignored by whoever started us (nohup, a shell's background job) stays ignored.
        if (sigaction(terminating[i], NULL, &previous) == 0 && previous.sa_handler == SIG_IGN) continue;
        sigaction(terminating[i], &action, NULL);
    }

    memset(&action, 0, sizeof action);
    sigemptyset(&action.sa_mask);
    action.sa_flags = SA_SIGINFO | SA_RESETHAND;
    action.sa_sigaction = on_bus_error;
    sigaction(SIGBUS, &action, NULL);

    // A mask inherited from the parent (a thread pool that spawned us, say) would hold
    // these signals back until exit; threads started later inherit this thread's mask.
    sigset_t handled;
    sigemptyset(&handled);
    for (size_t i = 0; i < sizeof terminating / sizeof terminating[0]; i++) sigaddset(&handled, terminating[i]);
    sigaddset(&handled, SIGBUS);
    pthread_sigmask(SIG_UNBLOCK, &handled, NULL);
}
