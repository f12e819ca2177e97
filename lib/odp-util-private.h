/* SPDX-License-Identifier: Apache-2.0 */
/*
 * odp-util-private: what the three files of the ovs-dpctl text syntax share.
 *
 *   odp-util.c     the lexer, value parsers (numbers, MACs, IP addresses)
 *                  and odp_flow_to_packet();
 *   odp-key.c      the table of flow key attributes and their fields, and
 *                  the parser and formatter of keys (also used for the body
 *                  of set(...) actions);
 *   odp-actions.c  action lists.
 *
 * The lexer never allocates except for its error message; every parser
 * returns false after recording the first error in the lexer.
 */
#ifndef TERN_ODP_UTIL_PRIVATE_H
#define TERN_ODP_UTIL_PRIVATE_H 1

#include "lib/odp-util.h"

/* Longest single value token ("2001:db8::1", "00:11:22:33:44:55"). */
#define ODP_TOKEN_MAX 64

struct odp_lexer {
    const char *start; /* Whole input, for error positions. */
    const char *p;     /* Next character to read. */
    char *error;       /* First error, owned; NULL while all is well. */
};

void odp_lex_init__(struct odp_lexer *, const char *s);
/* Records 'format' as the error (unless one is already recorded), adding
 * the position of the cursor.  Always returns false. */
bool odp_lex_error__(struct odp_lexer *, const char *format, ...)
    TERN_PRINTF(2, 3);
/* Skips white space, then returns the next character (0 at the end). */
int odp_lex_peek__(struct odp_lexer *);
/* Consumes 'c' if it comes next (after white space). */
bool odp_lex_accept__(struct odp_lexer *, char c);
/* Like odp_lex_accept__() but records an error if 'c' does not come next. */
bool odp_lex_expect__(struct odp_lexer *, char c);
/* Reads a name ([A-Za-z0-9_]+) into 'buf'. */
bool odp_lex_name__(struct odp_lexer *, char *buf, size_t size);
/* Reads a value: everything up to the next ',', '/', '(', ')', white space
 * or the end.  'what' names the value in the error message. */
bool odp_lex_value__(struct odp_lexer *, const char *what, char *buf,
                     size_t size);
/* Returns true if only white space is left. */
bool odp_lex_at_end__(struct odp_lexer *);
/* Checks that 's' is no longer than ODP_MAX_INPUT_LEN; returns an error
 * message (caller frees) or NULL. */
char *odp_check_length__(const char *s);

/* Value parsers: true on success.  Integers are decimal or 0x-hex. */
bool odp_parse_uint__(const char *s, uint64_t max, uint64_t *out);
bool odp_parse_mac__(const char *s, struct eth_addr *ea);
/* IPv4 mask: dotted quad or prefix length; IPv6: address or length. */
bool odp_parse_ipv4__(const char *s, tern_be32 *ip);
bool odp_parse_ipv4_mask__(const char *s, tern_be32 *ip);
bool odp_parse_ipv6__(const char *s, struct in6_addr *ip);
bool odp_parse_ipv6_mask__(const char *s, struct in6_addr *ip);

/* Where a key is being parsed or formatted. */
enum odp_ctx {
    ODP_CTX_KEY,    /* A flow key with masks. */
    ODP_CTX_PACKET, /* A packet description: no masks allowed. */
    ODP_CTX_SET,    /* The body of set(...): settable fields only. */
};

/* Parses a comma-separated list of key attributes into 'key' and 'mask'
 * (both zeroed by the caller), stopping before a ')' or the end of the
 * input. */
bool odp_key_parse__(struct odp_lexer *, enum odp_ctx, struct flow *key,
                     struct flow *mask);
/* Appends the attributes of 'key' under 'mask' to 'ds'. */
void odp_key_format__(const struct flow *key, const struct flow *mask,
                      enum odp_ctx, struct ds *ds);

#endif /* TERN_ODP_UTIL_PRIVATE_H */
