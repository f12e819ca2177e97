# SPDX-License-Identifier: Apache-2.0
# ovsdb/: the OVSDB database engine (RFC 7047) and tern-dbserver.  One line
# per module family; add a file to the line of its family.

noinst_LIBRARIES += ovsdb/libovsdb.a
ovsdb_libovsdb_a_SOURCES =
# Errors, types, atoms and datums (JSON and ovs-vsctl notation).
ovsdb_libovsdb_a_SOURCES += ovsdb/ovsdb-error.c ovsdb/ovsdb-error.h ovsdb/ovsdb-data.h \
	ovsdb/ovsdb-types.c ovsdb/ovsdb-data.c ovsdb/ovsdb-data-string.c
# Schemas, the in-memory database and transactions.
ovsdb_libovsdb_a_SOURCES += ovsdb/ovsdb.h ovsdb/ovsdb-private.h \
	ovsdb/ovsdb-schema.c ovsdb/ovsdb.c ovsdb/ovsdb-txn.c ovsdb/ovsdb-ops.c \
	ovsdb/ovsdb-condition.c ovsdb/ovsdb-mutation.c
# The durable database file (journal, compaction, recovery).
ovsdb_libovsdb_a_SOURCES += ovsdb/ovsdb-journal.c ovsdb/ovsdb-journal.h
# Monitors and locks of tern-dbserver.
ovsdb_libovsdb_a_SOURCES += ovsdb/ovsdb-monitor.c ovsdb/ovsdb-monitor.h \
	ovsdb/ovsdb-locks.c ovsdb/ovsdb-locks.h

# tern-dbserver: the daemon, its listeners and client sessions.
sbin_PROGRAMS += ovsdb/tern-dbserver
ovsdb_tern_dbserver_SOURCES = ovsdb/tern-dbserver.c ovsdb/ovsdb-session.c \
	ovsdb/ovsdb-session.h
ovsdb_tern_dbserver_CPPFLAGS = $(AM_CPPFLAGS) \
	-DTERN_DBDIR_DEFAULT='"$(localstatedir)/lib/tern"'
ovsdb_tern_dbserver_LDADD = ovsdb/libovsdb.a lib/libtern.a $(TERN_LIBS)

# tern-dbtool: creates, inspects, compacts and repairs database files.
bin_PROGRAMS += ovsdb/tern-dbtool
ovsdb_tern_dbtool_SOURCES = ovsdb/tern-dbtool.c
ovsdb_tern_dbtool_LDADD = ovsdb/libovsdb.a lib/libtern.a $(TERN_LIBS)
