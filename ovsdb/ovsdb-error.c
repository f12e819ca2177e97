/* SPDX-License-Identifier: Apache-2.0 */
/* The OVSDB engine library; see ovsdb.h. */
#include <config.h>
