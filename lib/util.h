/* SPDX-License-Identifier: Apache-2.0 */
/*
 * util: small helpers every Tern module uses — checked allocation, a growable
 * string ("ds"), byte-order types and a few macros.  Nothing here has policy
 * or state; everything is safe from any thread.
 *
 * Allocation failures abort the process (xmalloc and friends): they happen
 * only on the control path, never per packet.
 */
#ifndef TERN_UTIL_H
#define TERN_UTIL_H 1

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

/* Network byte order types: documentation for the reader, plain integers to
 * the compiler. */
typedef uint16_t tern_be16;
typedef uint32_t tern_be32;
typedef uint64_t tern_be64;

#define ARRAY_SIZE(a)      (sizeof(a) / sizeof((a)[0]))
#define MIN(a, b)          ((a) < (b) ? (a) : (b))
#define MAX(a, b)          ((a) > (b) ? (a) : (b))
#define ROUND_UP(x, y)     (((x) + ((y)-1)) / (y) * (y))
#define DIV_ROUND_UP(x, y) (((x) + ((y)-1)) / (y))
#define CONTAINER_OF(ptr, type, member)                                       \
    ((type *)(void *)((char *)(ptr)-offsetof(type, member)))
#define TERN_UNUSED        __attribute__((unused))
#define TERN_PRINTF(f, a)  __attribute__((format(printf, f, a)))
#define TERN_NORETURN      __attribute__((noreturn))
#define TERN_LIKELY(x)     __builtin_expect(!!(x), 1)
#define TERN_UNLIKELY(x)   __builtin_expect(!!(x), 0)
#define BUILD_ASSERT(expr) _Static_assert(expr, #expr)

/* Allocation that never returns NULL (aborts instead).  The caller owns the
 * returned memory and frees it with free(). */
void *xmalloc(size_t size);
void *xzalloc(size_t size);
void *xcalloc(size_t n, size_t size);
void *xrealloc(void *p, size_t size);
void *xmemdup(const void *p, size_t size);
char *xstrdup(const char *s);
char *xasprintf(const char *format, ...) TERN_PRINTF(1, 2);
char *xvasprintf(const char *format, va_list args) TERN_PRINTF(1, 0);

/* Prints "PROGRAM: message" to stderr and exits with status 1. */
void tern_fatal(const char *format, ...) TERN_PRINTF(1, 2) TERN_NORETURN;
/* Sets the program name used by tern_fatal() from argv[0]. */
void set_program_name(const char *argv0);
const char *get_program_name(void);

/* Returns strerror() text for a positive errno value, thread-safely. */
const char *tern_strerror(int error);

/* Parsing helpers: each returns true on success and leaves *out untouched on
 * failure.  Integers accept decimal and 0x-prefixed hexadecimal and reject
 * trailing garbage and out-of-range values. */
bool str_to_u64(const char *s, uint64_t *out);
bool str_to_u32(const char *s, uint32_t *out);
bool str_to_u16(const char *s, uint16_t *out);
bool str_to_u8(const char *s, uint8_t *out);

/* Returns the value of the ASCII hex digit 'c' (either case), or -1 for
 * any other character (including EOF and NUL). */
int hex_digit_value(int c);

/* Parses hex digits (whitespace allowed between bytes) into at most
 * 'max' bytes at 'out'.  Returns the number of bytes, or -1 on an odd digit
 * count, a non-hex character or overflow of 'max'. */
int hex_to_bytes(const char *s, uint8_t *out, size_t max);

/* A growable, always NUL-terminated string.  Initialise with DS_EMPTY or
 * ds_init(); the ds owns 'string' until ds_steal_cstr() or ds_destroy(). */
struct ds {
    char *string;
    size_t length;
    size_t allocated;
};
#define DS_EMPTY                                                              \
    {                                                                         \
        NULL, 0, 0                                                            \
    }
void ds_init(struct ds *);
void ds_clear(struct ds *);
void ds_destroy(struct ds *);
void ds_reserve(struct ds *, size_t min_length);
void ds_put_char(struct ds *, char);
void ds_put_cstr(struct ds *, const char *);
void ds_put_buffer(struct ds *, const char *, size_t n);
void ds_put_format(struct ds *, const char *format, ...) TERN_PRINTF(2, 3);
void ds_put_format_valist(struct ds *, const char *format, va_list)
    TERN_PRINTF(2, 0);
void ds_put_hex(struct ds *, const void *, size_t n);
void ds_chomp(struct ds *, int c);
const char *ds_cstr(struct ds *);
char *ds_steal_cstr(struct ds *);

/* Monotonic time. */
long long time_msec(void);
long long time_usec(void);
/* Wall clock in milliseconds since the epoch. */
long long time_wall_msec(void);

#endif /* TERN_UTIL_H */
