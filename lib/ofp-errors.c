/* SPDX-License-Identifier: Apache-2.0 */
/*
 * ofp-errors: the table of OpenFlow errors.  Each 'enum ofperr' has one
 * row giving its name, a one-line description, its (type, code) on the
 * wire in OpenFlow 1.0, 1.3, 1.4 and 1.5, and the error sent instead in a
 * version that cannot express it.  Everything else in this file walks
 * that table.
 *
 * Wire forms:
 *   W(type, code)  a standard error.
 *   ONF(code)      1.3 only: an experimenter error (type 0xffff) with the
 *                  ONF experimenter id, as the ONF extensions for bundles,
 *                  async config and a few 1.4 codes define it.
 *   NONE           the version has no encoding; the row's fallback is used.
 *
 * Versions 1.1 and 1.2 use the 1.3 numbering (Tern only ever sends them
 * OFPBRC_BAD_VERSION and hello failures, which are the same in every
 * version); versions past 1.5 use the 1.5 numbering.
 *
 * OFPBRC_PIPELINE_FIELDS_ONLY exists on the wire in 1.5 only; in earlier
 * versions it is sent as OFPBRC_EPERM.
 */
#include <config.h>

#include "lib/ofp-errors.h"

#include <string.h>

#include "lib/ofp-msgs.h"

#define OFPET_EXPERIMENTER 0xffff

#define WIRE_STD 0x80000000u
#define WIRE_ONF 0x40000000u
#define W(T, C)  (WIRE_STD | (uint32_t)(T) << 16 | (uint32_t)(C))
#define ONF(C)   (WIRE_ONF | (uint32_t)(C))
#define NONE     0u

/* Columns of 'wire': 1.0, 1.3 (also 1.1/1.2), 1.4, 1.5 (and later). */
enum { COL_10, COL_13, COL_14, COL_15, N_COLS };

struct ofperr_info {
    const char *name;
    const char *desc;
    uint32_t wire[N_COLS];
    enum ofperr fallback; /* Sent when the version lacks this error. */
};

static const struct ofperr_info ofperr_table[OFPERR_N_ERRORS] = {
    [OFPERR_OFPHFC_INCOMPATIBLE] = {"OFPHFC_INCOMPATIBLE",
                                    "hello failed: incompatible",
                                    {W(0, 0), W(0, 0), W(0, 0), W(0, 0)},
                                    OFPERR_OFPBRC_EPERM},
    [OFPERR_OFPHFC_EPERM] = {"OFPHFC_EPERM",
                             "hello failed: permission denied",
                             {W(0, 1), W(0, 1), W(0, 1), W(0, 1)},
                             OFPERR_OFPBRC_EPERM},
    [OFPERR_OFPBRC_BAD_VERSION] = {"OFPBRC_BAD_VERSION",
                                   "bad request: bad version",
                                   {W(1, 0), W(1, 0), W(1, 0), W(1, 0)},
                                   OFPERR_OFPBRC_EPERM},
    [OFPERR_OFPBRC_BAD_TYPE] = {"OFPBRC_BAD_TYPE",
                                "bad request: bad type",
                                {W(1, 1), W(1, 1), W(1, 1), W(1, 1)},
                                OFPERR_OFPBRC_EPERM},
    [OFPERR_OFPBRC_BAD_MULTIPART] = {"OFPBRC_BAD_MULTIPART",
                                     "bad request: bad multipart",
                                     {W(1, 2), W(1, 2), W(1, 2), W(1, 2)},
                                     OFPERR_OFPBRC_EPERM},
    [OFPERR_OFPBRC_BAD_EXPERIMENTER] = {"OFPBRC_BAD_EXPERIMENTER",
                                        "bad request: bad experimenter",
                                        {W(1, 3), W(1, 3), W(1, 3), W(1, 3)},
                                        OFPERR_OFPBRC_EPERM},
    [OFPERR_OFPBRC_BAD_EXP_TYPE] = {"OFPBRC_BAD_EXP_TYPE",
                                    "bad request: bad experimenter type",
                                    {W(1, 4), W(1, 4), W(1, 4), W(1, 4)},
                                    OFPERR_OFPBRC_EPERM},
    [OFPERR_OFPBRC_EPERM] = {"OFPBRC_EPERM",
                             "bad request: permission denied",
                             {W(1, 5), W(1, 5), W(1, 5), W(1, 5)},
                             OFPERR_OFPBRC_EPERM},
    [OFPERR_OFPBRC_BAD_LEN] = {"OFPBRC_BAD_LEN",
                               "bad request: bad length",
                               {W(1, 6), W(1, 6), W(1, 6), W(1, 6)},
                               OFPERR_OFPBRC_BAD_LEN},
    [OFPERR_OFPBRC_BUFFER_EMPTY] = {"OFPBRC_BUFFER_EMPTY",
                                    "bad request: buffer empty",
                                    {W(1, 7), W(1, 7), W(1, 7), W(1, 7)},
                                    OFPERR_OFPBRC_EPERM},
    [OFPERR_OFPBRC_BUFFER_UNKNOWN] = {"OFPBRC_BUFFER_UNKNOWN",
                                      "bad request: buffer unknown",
                                      {W(1, 8), W(1, 8), W(1, 8), W(1, 8)},
                                      OFPERR_OFPBRC_EPERM},
    [OFPERR_OFPBRC_BAD_TABLE_ID] = {"OFPBRC_BAD_TABLE_ID",
                                    "bad request: bad table id",
                                    {NONE, W(1, 9), W(1, 9), W(1, 9)},
                                    OFPERR_OFPBRC_EPERM},
    [OFPERR_OFPBRC_IS_SLAVE] = {"OFPBRC_IS_SLAVE",
                                "bad request: is slave",
                                {NONE, W(1, 10), W(1, 10), W(1, 10)},
                                OFPERR_OFPBRC_EPERM},
    [OFPERR_OFPBRC_BAD_PORT] = {"OFPBRC_BAD_PORT",
                                "bad request: bad port",
                                {NONE, W(1, 11), W(1, 11), W(1, 11)},
                                OFPERR_OFPBRC_EPERM},
    [OFPERR_OFPBRC_BAD_PACKET] = {"OFPBRC_BAD_PACKET",
                                  "bad request: bad packet",
                                  {NONE, W(1, 12), W(1, 12), W(1, 12)},
                                  OFPERR_OFPBRC_EPERM},
    [OFPERR_OFPBRC_MULTIPART_BUFFER_OVERFLOW] =
        {"OFPBRC_MULTIPART_BUFFER_OVERFLOW",
         "bad request: multipart buffer overflow",
         {NONE, W(1, 13), W(1, 13), W(1, 13)},
         OFPERR_OFPBRC_EPERM},
    [OFPERR_OFPBRC_MULTIPART_REQUEST_TIMEOUT] =
        {"OFPBRC_MULTIPART_REQUEST_TIMEOUT",
         "bad request: multipart request timeout",
         {NONE, ONF(2640), W(1, 14), W(1, 14)},
         OFPERR_OFPBRC_EPERM},
    [OFPERR_OFPBRC_MULTIPART_REPLY_TIMEOUT] =
        {"OFPBRC_MULTIPART_REPLY_TIMEOUT",
         "bad request: multipart reply timeout",
         {NONE, ONF(2641), W(1, 15), W(1, 15)},
         OFPERR_OFPBRC_EPERM},
    [OFPERR_OFPBRC_PIPELINE_FIELDS_ONLY] =
        {"OFPBRC_PIPELINE_FIELDS_ONLY",
         "bad request: pipeline fields only",
         {NONE, NONE, NONE, W(1, 17)},
         OFPERR_OFPBRC_EPERM},
    [OFPERR_OFPBAC_BAD_TYPE] = {"OFPBAC_BAD_TYPE",
                                "bad action: bad type",
                                {W(2, 0), W(2, 0), W(2, 0), W(2, 0)},
                                OFPERR_OFPBAC_BAD_ARGUMENT},
    [OFPERR_OFPBAC_BAD_LEN] = {"OFPBAC_BAD_LEN",
                               "bad action: bad length",
                               {W(2, 1), W(2, 1), W(2, 1), W(2, 1)},
                               OFPERR_OFPBAC_BAD_ARGUMENT},
    [OFPERR_OFPBAC_BAD_EXPERIMENTER] = {"OFPBAC_BAD_EXPERIMENTER",
                                        "bad action: bad experimenter",
                                        {W(2, 2), W(2, 2), W(2, 2), W(2, 2)},
                                        OFPERR_OFPBAC_BAD_ARGUMENT},
    [OFPERR_OFPBAC_BAD_EXP_TYPE] = {"OFPBAC_BAD_EXP_TYPE",
                                    "bad action: bad experimenter type",
                                    {W(2, 3), W(2, 3), W(2, 3), W(2, 3)},
                                    OFPERR_OFPBAC_BAD_ARGUMENT},
    [OFPERR_OFPBAC_BAD_OUT_PORT] = {"OFPBAC_BAD_OUT_PORT",
                                    "bad action: bad out port",
                                    {W(2, 4), W(2, 4), W(2, 4), W(2, 4)},
                                    OFPERR_OFPBAC_BAD_ARGUMENT},
    [OFPERR_OFPBAC_BAD_ARGUMENT] = {"OFPBAC_BAD_ARGUMENT",
                                    "bad action: bad argument",
                                    {W(2, 5), W(2, 5), W(2, 5), W(2, 5)},
                                    OFPERR_OFPBAC_BAD_ARGUMENT},
    [OFPERR_OFPBAC_EPERM] = {"OFPBAC_EPERM",
                             "bad action: permission denied",
                             {W(2, 6), W(2, 6), W(2, 6), W(2, 6)},
                             OFPERR_OFPBAC_BAD_ARGUMENT},
    [OFPERR_OFPBAC_TOO_MANY] = {"OFPBAC_TOO_MANY",
                                "bad action: too many",
                                {W(2, 7), W(2, 7), W(2, 7), W(2, 7)},
                                OFPERR_OFPBAC_BAD_ARGUMENT},
    [OFPERR_OFPBAC_BAD_QUEUE] = {"OFPBAC_BAD_QUEUE",
                                 "bad action: bad queue",
                                 {W(2, 8), W(2, 8), W(2, 8), W(2, 8)},
                                 OFPERR_OFPBAC_BAD_ARGUMENT},
    [OFPERR_OFPBAC_BAD_OUT_GROUP] = {"OFPBAC_BAD_OUT_GROUP",
                                     "bad action: bad out group",
                                     {NONE, W(2, 9), W(2, 9), W(2, 9)},
                                     OFPERR_OFPBAC_BAD_ARGUMENT},
    [OFPERR_OFPBAC_MATCH_INCONSISTENT] = {"OFPBAC_MATCH_INCONSISTENT",
                                          "bad action: match inconsistent",
                                          {NONE, W(2, 10), W(2, 10), W(2, 10)},
                                          OFPERR_OFPBAC_BAD_ARGUMENT},
    [OFPERR_OFPBAC_UNSUPPORTED_ORDER] = {"OFPBAC_UNSUPPORTED_ORDER",
                                         "bad action: unsupported order",
                                         {NONE, W(2, 11), W(2, 11), W(2, 11)},
                                         OFPERR_OFPBAC_BAD_ARGUMENT},
    [OFPERR_OFPBAC_BAD_TAG] = {"OFPBAC_BAD_TAG",
                               "bad action: bad tag",
                               {NONE, W(2, 12), W(2, 12), W(2, 12)},
                               OFPERR_OFPBAC_BAD_ARGUMENT},
    [OFPERR_OFPBAC_BAD_SET_TYPE] = {"OFPBAC_BAD_SET_TYPE",
                                    "bad action: bad set type",
                                    {NONE, W(2, 13), W(2, 13), W(2, 13)},
                                    OFPERR_OFPBAC_BAD_ARGUMENT},
    [OFPERR_OFPBAC_BAD_SET_LEN] = {"OFPBAC_BAD_SET_LEN",
                                   "bad action: bad set length",
                                   {NONE, W(2, 14), W(2, 14), W(2, 14)},
                                   OFPERR_OFPBAC_BAD_ARGUMENT},
    [OFPERR_OFPBAC_BAD_SET_ARGUMENT] = {"OFPBAC_BAD_SET_ARGUMENT",
                                        "bad action: bad set argument",
                                        {NONE, W(2, 15), W(2, 15), W(2, 15)},
                                        OFPERR_OFPBAC_BAD_ARGUMENT},
    [OFPERR_OFPBIC_UNKNOWN_INST] = {"OFPBIC_UNKNOWN_INST",
                                    "bad instruction: unknown instruction",
                                    {NONE, W(3, 0), W(3, 0), W(3, 0)},
                                    OFPERR_OFPBRC_EPERM},
    [OFPERR_OFPBIC_UNSUP_INST] = {"OFPBIC_UNSUP_INST",
                                  "bad instruction: unsupported instruction",
                                  {NONE, W(3, 1), W(3, 1), W(3, 1)},
                                  OFPERR_OFPBRC_EPERM},
    [OFPERR_OFPBIC_BAD_TABLE_ID] = {"OFPBIC_BAD_TABLE_ID",
                                    "bad instruction: bad table id",
                                    {NONE, W(3, 2), W(3, 2), W(3, 2)},
                                    OFPERR_OFPBRC_EPERM},
    [OFPERR_OFPBIC_UNSUP_METADATA] = {"OFPBIC_UNSUP_METADATA",
                                      "bad instruction: unsupported metadata",
                                      {NONE, W(3, 3), W(3, 3), W(3, 3)},
                                      OFPERR_OFPBRC_EPERM},
    [OFPERR_OFPBIC_UNSUP_METADATA_MASK] =
        {"OFPBIC_UNSUP_METADATA_MASK",
         "bad instruction: unsupported metadata mask",
         {NONE, W(3, 4), W(3, 4), W(3, 4)},
         OFPERR_OFPBRC_EPERM},
    [OFPERR_OFPBIC_BAD_EXPERIMENTER] = {"OFPBIC_BAD_EXPERIMENTER",
                                        "bad instruction: bad experimenter",
                                        {NONE, W(3, 5), W(3, 5), W(3, 5)},
                                        OFPERR_OFPBRC_EPERM},
    [OFPERR_OFPBIC_BAD_EXP_TYPE] = {"OFPBIC_BAD_EXP_TYPE",
                                    "bad instruction: bad experimenter type",
                                    {NONE, W(3, 6), W(3, 6), W(3, 6)},
                                    OFPERR_OFPBRC_EPERM},
    [OFPERR_OFPBIC_BAD_LEN] = {"OFPBIC_BAD_LEN",
                               "bad instruction: bad length",
                               {NONE, W(3, 7), W(3, 7), W(3, 7)},
                               OFPERR_OFPBRC_BAD_LEN},
    [OFPERR_OFPBIC_EPERM] = {"OFPBIC_EPERM",
                             "bad instruction: permission denied",
                             {NONE, W(3, 8), W(3, 8), W(3, 8)},
                             OFPERR_OFPBRC_EPERM},
    [OFPERR_OFPBIC_DUP_INST] = {"OFPBIC_DUP_INST",
                                "bad instruction: duplicate instruction",
                                {NONE, ONF(2600), W(3, 9), W(3, 9)},
                                OFPERR_OFPBRC_EPERM},
    [OFPERR_OFPBMC_BAD_TYPE] = {"OFPBMC_BAD_TYPE",
                                "bad match: bad type",
                                {NONE, W(4, 0), W(4, 0), W(4, 0)},
                                OFPERR_OFPBRC_EPERM},
    [OFPERR_OFPBMC_BAD_LEN] = {"OFPBMC_BAD_LEN",
                               "bad match: bad length",
                               {NONE, W(4, 1), W(4, 1), W(4, 1)},
                               OFPERR_OFPBRC_BAD_LEN},
    [OFPERR_OFPBMC_BAD_TAG] = {"OFPBMC_BAD_TAG",
                               "bad match: bad tag",
                               {NONE, W(4, 2), W(4, 2), W(4, 2)},
                               OFPERR_OFPBRC_EPERM},
    [OFPERR_OFPBMC_BAD_DL_ADDR_MASK] = {"OFPBMC_BAD_DL_ADDR_MASK",
                                        "bad match: bad Ethernet address mask",
                                        {NONE, W(4, 3), W(4, 3), W(4, 3)},
                                        OFPERR_OFPBRC_EPERM},
    [OFPERR_OFPBMC_BAD_NW_ADDR_MASK] = {"OFPBMC_BAD_NW_ADDR_MASK",
                                        "bad match: bad IP address mask",
                                        {NONE, W(4, 4), W(4, 4), W(4, 4)},
                                        OFPERR_OFPBRC_EPERM},
    [OFPERR_OFPBMC_BAD_WILDCARDS] = {"OFPBMC_BAD_WILDCARDS",
                                     "bad match: bad wildcards",
                                     {NONE, W(4, 5), W(4, 5), W(4, 5)},
                                     OFPERR_OFPBRC_EPERM},
    [OFPERR_OFPBMC_BAD_FIELD] = {"OFPBMC_BAD_FIELD",
                                 "bad match: bad field",
                                 {NONE, W(4, 6), W(4, 6), W(4, 6)},
                                 OFPERR_OFPBRC_EPERM},
    [OFPERR_OFPBMC_BAD_VALUE] = {"OFPBMC_BAD_VALUE",
                                 "bad match: bad value",
                                 {NONE, W(4, 7), W(4, 7), W(4, 7)},
                                 OFPERR_OFPBRC_EPERM},
    [OFPERR_OFPBMC_BAD_MASK] = {"OFPBMC_BAD_MASK",
                                "bad match: bad mask",
                                {NONE, W(4, 8), W(4, 8), W(4, 8)},
                                OFPERR_OFPBRC_EPERM},
    [OFPERR_OFPBMC_BAD_PREREQ] = {"OFPBMC_BAD_PREREQ",
                                  "bad match: bad prerequisites",
                                  {NONE, W(4, 9), W(4, 9), W(4, 9)},
                                  OFPERR_OFPBRC_EPERM},
    [OFPERR_OFPBMC_DUP_FIELD] = {"OFPBMC_DUP_FIELD",
                                 "bad match: duplicate field",
                                 {NONE, W(4, 10), W(4, 10), W(4, 10)},
                                 OFPERR_OFPBRC_EPERM},
    [OFPERR_OFPBMC_EPERM] = {"OFPBMC_EPERM",
                             "bad match: permission denied",
                             {NONE, W(4, 11), W(4, 11), W(4, 11)},
                             OFPERR_OFPBRC_EPERM},
    [OFPERR_OFPFMFC_UNKNOWN] = {"OFPFMFC_UNKNOWN",
                                "flow mod failed: unknown",
                                {NONE, W(5, 0), W(5, 0), W(5, 0)},
                                OFPERR_OFPFMFC_EPERM},
    [OFPERR_OFPFMFC_TABLE_FULL] = {"OFPFMFC_TABLE_FULL",
                                   "flow mod failed: table full",
                                   {W(3, 0), W(5, 1), W(5, 1), W(5, 1)},
                                   OFPERR_OFPFMFC_EPERM},
    [OFPERR_OFPFMFC_BAD_TABLE_ID] = {"OFPFMFC_BAD_TABLE_ID",
                                     "flow mod failed: bad table id",
                                     {NONE, W(5, 2), W(5, 2), W(5, 2)},
                                     OFPERR_OFPFMFC_EPERM},
    [OFPERR_OFPFMFC_OVERLAP] = {"OFPFMFC_OVERLAP",
                                "flow mod failed: overlap",
                                {W(3, 1), W(5, 3), W(5, 3), W(5, 3)},
                                OFPERR_OFPFMFC_EPERM},
    [OFPERR_OFPFMFC_EPERM] = {"OFPFMFC_EPERM",
                              "flow mod failed: permission denied",
                              {W(3, 2), W(5, 4), W(5, 4), W(5, 4)},
                              OFPERR_OFPFMFC_EPERM},
    [OFPERR_OFPFMFC_BAD_TIMEOUT] = {"OFPFMFC_BAD_TIMEOUT",
                                    "flow mod failed: bad timeout",
                                    {NONE, W(5, 5), W(5, 5), W(5, 5)},
                                    OFPERR_OFPFMFC_EPERM},
    [OFPERR_OFPFMFC_BAD_COMMAND] = {"OFPFMFC_BAD_COMMAND",
                                    "flow mod failed: bad command",
                                    {W(3, 4), W(5, 6), W(5, 6), W(5, 6)},
                                    OFPERR_OFPFMFC_EPERM},
    [OFPERR_OFPFMFC_BAD_FLAGS] = {"OFPFMFC_BAD_FLAGS",
                                  "flow mod failed: bad flags",
                                  {NONE, W(5, 7), W(5, 7), W(5, 7)},
                                  OFPERR_OFPFMFC_EPERM},
    [OFPERR_OFPFMFC_BAD_PRIORITY] = {"OFPFMFC_BAD_PRIORITY",
                                     "flow mod failed: bad priority",
                                     {NONE, ONF(2360), W(5, 9), W(5, 9)},
                                     OFPERR_OFPFMFC_EPERM},
    [OFPERR_OFPFMFC_UNSUPPORTED] = {"OFPFMFC_UNSUPPORTED",
                                    "flow mod failed: unsupported",
                                    {W(3, 5), NONE, NONE, NONE},
                                    OFPERR_OFPBAC_UNSUPPORTED_ORDER},
    [OFPERR_OFPGMFC_GROUP_EXISTS] = {"OFPGMFC_GROUP_EXISTS",
                                     "group mod failed: group exists",
                                     {NONE, W(6, 0), W(6, 0), W(6, 0)},
                                     OFPERR_OFPBRC_EPERM},
    [OFPERR_OFPGMFC_INVALID_GROUP] = {"OFPGMFC_INVALID_GROUP",
                                      "group mod failed: invalid group",
                                      {NONE, W(6, 1), W(6, 1), W(6, 1)},
                                      OFPERR_OFPBRC_EPERM},
    [OFPERR_OFPGMFC_WEIGHT_UNSUPPORTED] =
        {"OFPGMFC_WEIGHT_UNSUPPORTED",
         "group mod failed: weight unsupported",
         {NONE, W(6, 2), W(6, 2), W(6, 2)},
         OFPERR_OFPBRC_EPERM},
    [OFPERR_OFPGMFC_OUT_OF_GROUPS] = {"OFPGMFC_OUT_OF_GROUPS",
                                      "group mod failed: out of groups",
                                      {NONE, W(6, 3), W(6, 3), W(6, 3)},
                                      OFPERR_OFPBRC_EPERM},
    [OFPERR_OFPGMFC_OUT_OF_BUCKETS] = {"OFPGMFC_OUT_OF_BUCKETS",
                                       "group mod failed: out of buckets",
                                       {NONE, W(6, 4), W(6, 4), W(6, 4)},
                                       OFPERR_OFPBRC_EPERM},
    [OFPERR_OFPGMFC_CHAINING_UNSUPPORTED] =
        {"OFPGMFC_CHAINING_UNSUPPORTED",
         "group mod failed: chaining unsupported",
         {NONE, W(6, 5), W(6, 5), W(6, 5)},
         OFPERR_OFPBRC_EPERM},
    [OFPERR_OFPGMFC_WATCH_UNSUPPORTED] =
        {"OFPGMFC_WATCH_UNSUPPORTED",
         "group mod failed: watch unsupported",
         {NONE, W(6, 6), W(6, 6), W(6, 6)},
         OFPERR_OFPBRC_EPERM},
    [OFPERR_OFPGMFC_LOOP] = {"OFPGMFC_LOOP",
                             "group mod failed: loop",
                             {NONE, W(6, 7), W(6, 7), W(6, 7)},
                             OFPERR_OFPBRC_EPERM},
    [OFPERR_OFPGMFC_UNKNOWN_GROUP] = {"OFPGMFC_UNKNOWN_GROUP",
                                      "group mod failed: unknown group",
                                      {NONE, W(6, 8), W(6, 8), W(6, 8)},
                                      OFPERR_OFPBRC_EPERM},
    [OFPERR_OFPGMFC_CHAINED_GROUP] = {"OFPGMFC_CHAINED_GROUP",
                                      "group mod failed: chained group",
                                      {NONE, W(6, 9), W(6, 9), W(6, 9)},
                                      OFPERR_OFPBRC_EPERM},
    [OFPERR_OFPGMFC_BAD_TYPE] = {"OFPGMFC_BAD_TYPE",
                                 "group mod failed: bad type",
                                 {NONE, W(6, 10), W(6, 10), W(6, 10)},
                                 OFPERR_OFPBRC_EPERM},
    [OFPERR_OFPGMFC_BAD_COMMAND] = {"OFPGMFC_BAD_COMMAND",
                                    "group mod failed: bad command",
                                    {NONE, W(6, 11), W(6, 11), W(6, 11)},
                                    OFPERR_OFPBRC_EPERM},
    [OFPERR_OFPGMFC_BAD_BUCKET] = {"OFPGMFC_BAD_BUCKET",
                                   "group mod failed: bad bucket",
                                   {NONE, W(6, 12), W(6, 12), W(6, 12)},
                                   OFPERR_OFPBRC_EPERM},
    [OFPERR_OFPGMFC_BAD_WATCH] = {"OFPGMFC_BAD_WATCH",
                                  "group mod failed: bad watch",
                                  {NONE, W(6, 13), W(6, 13), W(6, 13)},
                                  OFPERR_OFPBRC_EPERM},
    [OFPERR_OFPGMFC_EPERM] = {"OFPGMFC_EPERM",
                              "group mod failed: permission denied",
                              {NONE, W(6, 14), W(6, 14), W(6, 14)},
                              OFPERR_OFPBRC_EPERM},
    [OFPERR_OFPGMFC_UNKNOWN_BUCKET] = {"OFPGMFC_UNKNOWN_BUCKET",
                                       "group mod failed: unknown bucket",
                                       {NONE, NONE, NONE, W(6, 15)},
                                       OFPERR_OFPGMFC_BAD_BUCKET},
    [OFPERR_OFPGMFC_BUCKET_EXISTS] = {"OFPGMFC_BUCKET_EXISTS",
                                      "group mod failed: bucket exists",
                                      {NONE, NONE, NONE, W(6, 16)},
                                      OFPERR_OFPGMFC_BAD_BUCKET},
    [OFPERR_OFPPMFC_BAD_PORT] = {"OFPPMFC_BAD_PORT",
                                 "port mod failed: bad port",
                                 {W(4, 0), W(7, 0), W(7, 0), W(7, 0)},
                                 OFPERR_OFPBRC_EPERM},
    [OFPERR_OFPPMFC_BAD_HW_ADDR] = {"OFPPMFC_BAD_HW_ADDR",
                                    "port mod failed: bad hardware address",
                                    {W(4, 1), W(7, 1), W(7, 1), W(7, 1)},
                                    OFPERR_OFPBRC_EPERM},
    [OFPERR_OFPPMFC_BAD_CONFIG] = {"OFPPMFC_BAD_CONFIG",
                                   "port mod failed: bad config",
                                   {NONE, W(7, 2), W(7, 2), W(7, 2)},
                                   OFPERR_OFPBRC_EPERM},
    [OFPERR_OFPPMFC_BAD_ADVERTISE] = {"OFPPMFC_BAD_ADVERTISE",
                                      "port mod failed: bad advertise",
                                      {NONE, W(7, 3), W(7, 3), W(7, 3)},
                                      OFPERR_OFPBRC_EPERM},
    [OFPERR_OFPPMFC_EPERM] = {"OFPPMFC_EPERM",
                              "port mod failed: permission denied",
                              {NONE, W(7, 4), W(7, 4), W(7, 4)},
                              OFPERR_OFPBRC_EPERM},
    [OFPERR_OFPTMFC_BAD_TABLE] = {"OFPTMFC_BAD_TABLE",
                                  "table mod failed: bad table",
                                  {NONE, W(8, 0), W(8, 0), W(8, 0)},
                                  OFPERR_OFPBRC_EPERM},
    [OFPERR_OFPTMFC_BAD_CONFIG] = {"OFPTMFC_BAD_CONFIG",
                                   "table mod failed: bad config",
                                   {NONE, W(8, 1), W(8, 1), W(8, 1)},
                                   OFPERR_OFPBRC_EPERM},
    [OFPERR_OFPTMFC_EPERM] = {"OFPTMFC_EPERM",
                              "table mod failed: permission denied",
                              {NONE, W(8, 2), W(8, 2), W(8, 2)},
                              OFPERR_OFPBRC_EPERM},
    [OFPERR_OFPQOFC_BAD_PORT] = {"OFPQOFC_BAD_PORT",
                                 "queue op failed: bad port",
                                 {W(5, 0), W(9, 0), W(9, 0), W(9, 0)},
                                 OFPERR_OFPBRC_EPERM},
    [OFPERR_OFPQOFC_BAD_QUEUE] = {"OFPQOFC_BAD_QUEUE",
                                  "queue op failed: bad queue",
                                  {W(5, 1), W(9, 1), W(9, 1), W(9, 1)},
                                  OFPERR_OFPBRC_EPERM},
    [OFPERR_OFPQOFC_EPERM] = {"OFPQOFC_EPERM",
                              "queue op failed: permission denied",
                              {W(5, 2), W(9, 2), W(9, 2), W(9, 2)},
                              OFPERR_OFPBRC_EPERM},
    [OFPERR_OFPSCFC_BAD_FLAGS] = {"OFPSCFC_BAD_FLAGS",
                                  "switch config failed: bad flags",
                                  {NONE, W(10, 0), W(10, 0), W(10, 0)},
                                  OFPERR_OFPBRC_EPERM},
    [OFPERR_OFPSCFC_BAD_LEN] = {"OFPSCFC_BAD_LEN",
                                "switch config failed: bad length",
                                {NONE, W(10, 1), W(10, 1), W(10, 1)},
                                OFPERR_OFPBRC_BAD_LEN},
    [OFPERR_OFPSCFC_EPERM] = {"OFPSCFC_EPERM",
                              "switch config failed: permission denied",
                              {NONE, W(10, 2), W(10, 2), W(10, 2)},
                              OFPERR_OFPBRC_EPERM},
    [OFPERR_OFPRRFC_STALE] = {"OFPRRFC_STALE",
                              "role request failed: stale",
                              {NONE, W(11, 0), W(11, 0), W(11, 0)},
                              OFPERR_OFPBRC_EPERM},
    [OFPERR_OFPRRFC_UNSUP] = {"OFPRRFC_UNSUP",
                              "role request failed: unsupported",
                              {NONE, W(11, 1), W(11, 1), W(11, 1)},
                              OFPERR_OFPBRC_EPERM},
    [OFPERR_OFPRRFC_BAD_ROLE] = {"OFPRRFC_BAD_ROLE",
                                 "role request failed: bad role",
                                 {NONE, W(11, 2), W(11, 2), W(11, 2)},
                                 OFPERR_OFPBRC_EPERM},
    [OFPERR_OFPMMFC_UNKNOWN] = {"OFPMMFC_UNKNOWN",
                                "meter mod failed: unknown",
                                {NONE, W(12, 0), W(12, 0), W(12, 0)},
                                OFPERR_OFPBRC_EPERM},
    [OFPERR_OFPMMFC_METER_EXISTS] = {"OFPMMFC_METER_EXISTS",
                                     "meter mod failed: meter exists",
                                     {NONE, W(12, 1), W(12, 1), W(12, 1)},
                                     OFPERR_OFPBRC_EPERM},
    [OFPERR_OFPMMFC_INVALID_METER] = {"OFPMMFC_INVALID_METER",
                                      "meter mod failed: invalid meter",
                                      {NONE, W(12, 2), W(12, 2), W(12, 2)},
                                      OFPERR_OFPBRC_EPERM},
    [OFPERR_OFPMMFC_UNKNOWN_METER] = {"OFPMMFC_UNKNOWN_METER",
                                      "meter mod failed: unknown meter",
                                      {NONE, W(12, 3), W(12, 3), W(12, 3)},
                                      OFPERR_OFPBRC_EPERM},
    [OFPERR_OFPMMFC_BAD_COMMAND] = {"OFPMMFC_BAD_COMMAND",
                                    "meter mod failed: bad command",
                                    {NONE, W(12, 4), W(12, 4), W(12, 4)},
                                    OFPERR_OFPBRC_EPERM},
    [OFPERR_OFPMMFC_BAD_FLAGS] = {"OFPMMFC_BAD_FLAGS",
                                  "meter mod failed: bad flags",
                                  {NONE, W(12, 5), W(12, 5), W(12, 5)},
                                  OFPERR_OFPBRC_EPERM},
    [OFPERR_OFPMMFC_BAD_RATE] = {"OFPMMFC_BAD_RATE",
                                 "meter mod failed: bad rate",
                                 {NONE, W(12, 6), W(12, 6), W(12, 6)},
                                 OFPERR_OFPBRC_EPERM},
    [OFPERR_OFPMMFC_BAD_BURST] = {"OFPMMFC_BAD_BURST",
                                  "meter mod failed: bad burst",
                                  {NONE, W(12, 7), W(12, 7), W(12, 7)},
                                  OFPERR_OFPBRC_EPERM},
    [OFPERR_OFPMMFC_BAD_BAND] = {"OFPMMFC_BAD_BAND",
                                 "meter mod failed: bad band",
                                 {NONE, W(12, 8), W(12, 8), W(12, 8)},
                                 OFPERR_OFPBRC_EPERM},
    [OFPERR_OFPMMFC_BAD_BAND_VALUE] = {"OFPMMFC_BAD_BAND_VALUE",
                                       "meter mod failed: bad band value",
                                       {NONE, W(12, 9), W(12, 9), W(12, 9)},
                                       OFPERR_OFPBRC_EPERM},
    [OFPERR_OFPMMFC_OUT_OF_METERS] = {"OFPMMFC_OUT_OF_METERS",
                                      "meter mod failed: out of meters",
                                      {NONE, W(12, 10), W(12, 10), W(12, 10)},
                                      OFPERR_OFPBRC_EPERM},
    [OFPERR_OFPMMFC_OUT_OF_BANDS] = {"OFPMMFC_OUT_OF_BANDS",
                                     "meter mod failed: out of bands",
                                     {NONE, W(12, 11), W(12, 11), W(12, 11)},
                                     OFPERR_OFPBRC_EPERM},
    [OFPERR_OFPTFFC_BAD_TABLE] = {"OFPTFFC_BAD_TABLE",
                                  "table features failed: bad table",
                                  {NONE, W(13, 0), W(13, 0), W(13, 0)},
                                  OFPERR_OFPBRC_EPERM},
    [OFPERR_OFPTFFC_BAD_METADATA] = {"OFPTFFC_BAD_METADATA",
                                     "table features failed: bad metadata",
                                     {NONE, W(13, 1), W(13, 1), W(13, 1)},
                                     OFPERR_OFPBRC_EPERM},
    [OFPERR_OFPTFFC_BAD_TYPE] = {"OFPTFFC_BAD_TYPE",
                                 "table features failed: bad type",
                                 {NONE, W(13, 2), NONE, NONE},
                                 OFPERR_OFPBPC_BAD_TYPE},
    [OFPERR_OFPTFFC_BAD_LEN] = {"OFPTFFC_BAD_LEN",
                                "table features failed: bad length",
                                {NONE, W(13, 3), NONE, NONE},
                                OFPERR_OFPBPC_BAD_LEN},
    [OFPERR_OFPTFFC_BAD_ARGUMENT] = {"OFPTFFC_BAD_ARGUMENT",
                                     "table features failed: bad argument",
                                     {NONE, W(13, 4), NONE, NONE},
                                     OFPERR_OFPBPC_BAD_VALUE},
    [OFPERR_OFPTFFC_EPERM] = {"OFPTFFC_EPERM",
                              "table features failed: permission denied",
                              {NONE, W(13, 5), W(13, 5), W(13, 5)},
                              OFPERR_OFPBRC_EPERM},
    [OFPERR_OFPBPC_BAD_TYPE] = {"OFPBPC_BAD_TYPE",
                                "bad property: bad type",
                                {NONE, W(13, 2), W(14, 0), W(14, 0)},
                                OFPERR_OFPBRC_EPERM},
    [OFPERR_OFPBPC_BAD_LEN] = {"OFPBPC_BAD_LEN",
                               "bad property: bad length",
                               {NONE, W(13, 3), W(14, 1), W(14, 1)},
                               OFPERR_OFPBRC_BAD_LEN},
    [OFPERR_OFPBPC_BAD_VALUE] = {"OFPBPC_BAD_VALUE",
                                 "bad property: bad value",
                                 {NONE, W(13, 4), W(14, 2), W(14, 2)},
                                 OFPERR_OFPBRC_EPERM},
    [OFPERR_OFPBPC_TOO_MANY] = {"OFPBPC_TOO_MANY",
                                "bad property: too many",
                                {NONE, NONE, W(14, 3), W(14, 3)},
                                OFPERR_OFPBPC_BAD_VALUE},
    [OFPERR_OFPBPC_DUP_TYPE] = {"OFPBPC_DUP_TYPE",
                                "bad property: duplicate type",
                                {NONE, NONE, W(14, 4), W(14, 4)},
                                OFPERR_OFPBPC_BAD_VALUE},
    [OFPERR_OFPBPC_BAD_EXPERIMENTER] = {"OFPBPC_BAD_EXPERIMENTER",
                                        "bad property: bad experimenter",
                                        {NONE, NONE, W(14, 5), W(14, 5)},
                                        OFPERR_OFPBRC_BAD_EXPERIMENTER},
    [OFPERR_OFPBPC_BAD_EXP_TYPE] = {"OFPBPC_BAD_EXP_TYPE",
                                    "bad property: bad experimenter type",
                                    {NONE, NONE, W(14, 6), W(14, 6)},
                                    OFPERR_OFPBRC_BAD_EXP_TYPE},
    [OFPERR_OFPBPC_BAD_EXP_VALUE] = {"OFPBPC_BAD_EXP_VALUE",
                                     "bad property: bad experimenter value",
                                     {NONE, NONE, W(14, 7), W(14, 7)},
                                     OFPERR_OFPBPC_BAD_VALUE},
    [OFPERR_OFPBPC_EPERM] = {"OFPBPC_EPERM",
                             "bad property: permission denied",
                             {NONE, NONE, W(14, 8), W(14, 8)},
                             OFPERR_OFPBRC_EPERM},
    [OFPERR_OFPACFC_INVALID] = {"OFPACFC_INVALID",
                                "async config failed: invalid",
                                {NONE, ONF(2370), W(15, 0), W(15, 0)},
                                OFPERR_OFPBRC_EPERM},
    [OFPERR_OFPACFC_UNSUPPORTED] = {"OFPACFC_UNSUPPORTED",
                                    "async config failed: unsupported",
                                    {NONE, ONF(2371), W(15, 1), W(15, 1)},
                                    OFPERR_OFPBRC_EPERM},
    [OFPERR_OFPACFC_EPERM] = {"OFPACFC_EPERM",
                              "async config failed: permission denied",
                              {NONE, ONF(2372), W(15, 2), W(15, 2)},
                              OFPERR_OFPBRC_EPERM},
    [OFPERR_OFPBFC_UNKNOWN] = {"OFPBFC_UNKNOWN",
                               "bundle failed: unknown",
                               {NONE, ONF(2300), W(17, 0), W(17, 0)},
                               OFPERR_OFPBRC_EPERM},
    [OFPERR_OFPBFC_EPERM] = {"OFPBFC_EPERM",
                             "bundle failed: permission denied",
                             {NONE, ONF(2301), W(17, 1), W(17, 1)},
                             OFPERR_OFPBRC_EPERM},
    [OFPERR_OFPBFC_BAD_ID] = {"OFPBFC_BAD_ID",
                              "bundle failed: bad id",
                              {NONE, ONF(2302), W(17, 2), W(17, 2)},
                              OFPERR_OFPBRC_EPERM},
    [OFPERR_OFPBFC_BUNDLE_EXIST] = {"OFPBFC_BUNDLE_EXIST",
                                    "bundle failed: bundle exist",
                                    {NONE, ONF(2303), W(17, 3), W(17, 3)},
                                    OFPERR_OFPBRC_EPERM},
    [OFPERR_OFPBFC_BUNDLE_CLOSED] = {"OFPBFC_BUNDLE_CLOSED",
                                     "bundle failed: bundle closed",
                                     {NONE, ONF(2304), W(17, 4), W(17, 4)},
                                     OFPERR_OFPBRC_EPERM},
    [OFPERR_OFPBFC_OUT_OF_BUNDLES] = {"OFPBFC_OUT_OF_BUNDLES",
                                      "bundle failed: out of bundles",
                                      {NONE, ONF(2305), W(17, 5), W(17, 5)},
                                      OFPERR_OFPBRC_EPERM},
    [OFPERR_OFPBFC_BAD_TYPE] = {"OFPBFC_BAD_TYPE",
                                "bundle failed: bad type",
                                {NONE, ONF(2306), W(17, 6), W(17, 6)},
                                OFPERR_OFPBRC_EPERM},
    [OFPERR_OFPBFC_BAD_FLAGS] = {"OFPBFC_BAD_FLAGS",
                                 "bundle failed: bad flags",
                                 {NONE, ONF(2307), W(17, 7), W(17, 7)},
                                 OFPERR_OFPBRC_EPERM},
    [OFPERR_OFPBFC_MSG_BAD_LEN] = {"OFPBFC_MSG_BAD_LEN",
                                   "bundle failed: message bad length",
                                   {NONE, ONF(2308), W(17, 8), W(17, 8)},
                                   OFPERR_OFPBRC_BAD_LEN},
    [OFPERR_OFPBFC_MSG_BAD_XID] = {"OFPBFC_MSG_BAD_XID",
                                   "bundle failed: message bad xid",
                                   {NONE, ONF(2309), W(17, 9), W(17, 9)},
                                   OFPERR_OFPBRC_EPERM},
    [OFPERR_OFPBFC_MSG_UNSUP] = {"OFPBFC_MSG_UNSUP",
                                 "bundle failed: message unsupported",
                                 {NONE, ONF(2310), W(17, 10), W(17, 10)},
                                 OFPERR_OFPBRC_EPERM},
    [OFPERR_OFPBFC_MSG_CONFLICT] = {"OFPBFC_MSG_CONFLICT",
                                    "bundle failed: message conflict",
                                    {NONE, ONF(2311), W(17, 11), W(17, 11)},
                                    OFPERR_OFPBRC_EPERM},
    [OFPERR_OFPBFC_MSG_TOO_MANY] = {"OFPBFC_MSG_TOO_MANY",
                                    "bundle failed: message too many",
                                    {NONE, ONF(2312), W(17, 12), W(17, 12)},
                                    OFPERR_OFPBRC_EPERM},
    [OFPERR_OFPBFC_MSG_FAILED] = {"OFPBFC_MSG_FAILED",
                                  "bundle failed: message failed",
                                  {NONE, ONF(2313), W(17, 13), W(17, 13)},
                                  OFPERR_OFPBRC_EPERM},
    [OFPERR_OFPBFC_TIMEOUT] = {"OFPBFC_TIMEOUT",
                               "bundle failed: timeout",
                               {NONE, ONF(2314), W(17, 14), W(17, 14)},
                               OFPERR_OFPBRC_EPERM},
    [OFPERR_OFPBFC_BUNDLE_IN_PROGRESS] = {"OFPBFC_BUNDLE_IN_PROGRESS",
                                          "bundle failed: bundle in progress",
                                          {NONE, ONF(2315), W(17, 15),
                                           W(17, 15)},
                                          OFPERR_OFPBRC_EPERM},
};

/* Other spellings accepted by ofperr_from_name() (1.0 names, and the ones
 * ovs-ofctl prints). */
static const struct {
    const char *name;
    enum ofperr error;
} ofperr_aliases[] = {
    {"OFPBRC_BAD_STAT", OFPERR_OFPBRC_BAD_MULTIPART},
    {"OFPBRC_BAD_VENDOR", OFPERR_OFPBRC_BAD_EXPERIMENTER},
    {"OFPBRC_BAD_SUBTYPE", OFPERR_OFPBRC_BAD_EXP_TYPE},
    {"OFPBRC_IS_SECONDARY", OFPERR_OFPBRC_IS_SLAVE},
    {"OFPBAC_BAD_VENDOR", OFPERR_OFPBAC_BAD_EXPERIMENTER},
    {"OFPBAC_BAD_VENDOR_TYPE", OFPERR_OFPBAC_BAD_EXP_TYPE},
    {"OFPFMFC_ALL_TABLES_FULL", OFPERR_OFPFMFC_TABLE_FULL},
};

static bool
ofperr_is_valid(enum ofperr error)
{
    return error > OFPERR_NONE && error < OFPERR_N_ERRORS;
}

/* Column of 'wire' for 'version'. */
static int
ofperr_column(uint8_t version)
{
    switch (version) {
    case OFP10_VERSION:
        return COL_10;
    case OFP11_VERSION:
    case OFP12_VERSION:
    case OFP13_VERSION:
        return COL_13;
    case OFP14_VERSION:
        return COL_14;
    default:
        return version < OFP10_VERSION ? COL_10 : COL_15;
    }
}

const char *
ofperr_get_name(enum ofperr error)
{
    return ofperr_is_valid(error) ? ofperr_table[error].name : "<unknown>";
}

const char *
ofperr_get_description(enum ofperr error)
{
    return ofperr_is_valid(error) ? ofperr_table[error].desc
                                  : "<unknown error>";
}

enum ofperr
ofperr_from_name(const char *name)
{
    if (!strncmp(name, "OFPERR_", 7)) {
        name += 7;
    }
    for (int i = 1; i < OFPERR_N_ERRORS; i++) {
        if (!strcmp(ofperr_table[i].name, name)) {
            return (enum ofperr)i;
        }
    }
    for (size_t i = 0; i < ARRAY_SIZE(ofperr_aliases); i++) {
        if (!strcmp(ofperr_aliases[i].name, name)) {
            return ofperr_aliases[i].error;
        }
    }
    return OFPERR_NONE;
}

/* The wire form of 'error' in 'version', NONE if it has none. */
static uint32_t
ofperr_wire(enum ofperr error, uint8_t version)
{
    return ofperr_is_valid(error)
               ? ofperr_table[error].wire[ofperr_column(version)]
               : NONE;
}

bool
ofperr_get_type_code(enum ofperr error, uint8_t version, uint16_t *type,
                     uint16_t *code)
{
    uint32_t w = ofperr_wire(error, version);

    if (w & WIRE_STD) {
        *type = (w >> 16) & 0x7fff;
        *code = w & 0xffff;
        return true;
    } else if (w & WIRE_ONF) {
        *type = OFPET_EXPERIMENTER;
        *code = w & 0xffff;
        return true;
    }
    return false;
}

enum ofperr
ofperr_from_type_code(uint8_t version, uint16_t type, uint16_t code)
{
    int col = ofperr_column(version);
    uint32_t w = (type == OFPET_EXPERIMENTER ? ONF(code) : W(type, code));

    for (int i = 1; i < OFPERR_N_ERRORS; i++) {
        if (ofperr_table[i].wire[col] == w) {
            return (enum ofperr)i;
        }
    }
    return OFPERR_NONE;
}

/* 'error', or the first error along its fallback chain that 'version' can
 * express.  Always returns an expressible error (OFPBRC_EPERM exists in
 * every version). */
static enum ofperr
ofperr_resolve(enum ofperr error, uint8_t version)
{
    if (!ofperr_is_valid(error)) {
        error = OFPERR_OFPBRC_EPERM;
    }
    for (int depth = 0; depth < 4; depth++) {
        if (ofperr_wire(error, version) != NONE) {
            return error;
        }
        error = ofperr_table[error].fallback;
    }
    return OFPERR_OFPBRC_EPERM;
}

/* Builds an OFPT_ERROR for 'error' in 'version' with 'xid' and 'data_len'
 * bytes of 'data' (copied).  The caller owns the returned buffer. */
static struct ofpbuf *
ofperr_encode__(enum ofperr error, uint8_t version, uint32_t xid,
                const void *data, size_t data_len)
{
    struct ofpbuf *b = ofpbuf_new(16 + data_len);
    uint16_t type, code;
    uint8_t hdr[2];
    uint8_t *len;

    error = ofperr_resolve(error, version);
    ofperr_get_type_code(error, version, &type, &code);

    hdr[0] = version;
    hdr[1] = 1; /* OFPT_ERROR in every version. */
    ofpbuf_put(b, hdr, 2);
    ofpbuf_put_be16(b, 0); /* Length, set below. */
    ofpbuf_put_be32(b, xid);
    ofpbuf_put_be16(b, type);
    ofpbuf_put_be16(b, code);
    if (type == OFPET_EXPERIMENTER) {
        ofpbuf_put_be32(b, ONF_VENDOR_ID);
    }
    if (data_len) {
        ofpbuf_put(b, data, data_len);
    }
    len = b->data + 2;
    len[0] = b->size >> 8;
    len[1] = b->size & 0xff;
    return b;
}

struct ofpbuf *
ofperr_encode_reply(enum ofperr error, const struct ofp_header *request,
                    size_t request_len)
{
    const uint8_t *p = (const uint8_t *)request;
    uint32_t xid = 0;
    uint8_t version = OFP13_VERSION;

    if (request_len >= sizeof *request) {
        version = p[0];
        xid = (uint32_t)p[4] << 24 | (uint32_t)p[5] << 16 |
              (uint32_t)p[6] << 8 | p[7];
    } else if (request_len >= 1) {
        version = p[0];
    }
    return ofperr_encode__(error, version, xid, request, MIN(request_len, 64));
}

struct ofpbuf *
ofperr_encode_hello(enum ofperr error, uint8_t version, uint32_t xid,
                    const char *reason)
{
    return ofperr_encode__(error, version, xid, reason,
                           reason ? strlen(reason) : 0);
}
