# SPDX-License-Identifier: Apache-2.0
# vhost/: not built yet (see Documentation/).
