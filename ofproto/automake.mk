# SPDX-License-Identifier: Apache-2.0
# ofproto/: not built yet (see Documentation/).
