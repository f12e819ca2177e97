# SPDX-License-Identifier: Apache-2.0
# ovsdb/: not built yet (see Documentation/).
