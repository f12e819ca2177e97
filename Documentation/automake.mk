# SPDX-License-Identifier: Apache-2.0
EXTRA_DIST += Documentation/datapath.md Documentation/testing.md Documentation/tern-vswitchd.md
EXTRA_DIST += Documentation/vswitch-schema.md
EXTRA_DIST += Documentation/ovsdb.md
EXTRA_DIST += Documentation/tern-ctl.md
EXTRA_DIST += Documentation/tern-vsctl.md
EXTRA_DIST += Documentation/tern-dbserver.md
EXTRA_DIST += Documentation/openflow.md
EXTRA_DIST += Documentation/tern-ofctl.md
EXTRA_DIST += Documentation/afxdp.md
EXTRA_DIST += Documentation/vhost-user.md
EXTRA_DIST += Documentation/internal-ports.md
