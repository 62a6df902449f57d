package io.connectha.pg;

import io.connectha.cluster.ClusterSpec;
import io.connectha.cluster.MemberSpec;
import io.connectha.cluster.PostgresSpec;
import io.connectha.units.Units;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The PostgreSQL settings of a member, in sections. Both postgresql.conf and Patroni's parameters
 * are made from this, so the two never disagree.
 */
public final class PostgresSettings {

    /** Settings that must be the same on every member; Patroni keeps them in the DCS. */
    public static final List<String> CLUSTER_WIDE = List.of("max_connections", "max_wal_senders",
            "max_replication_slots", "wal_level", "wal_log_hints", "wal_keep_size", "hot_standby",
            "hot_standby_feedback", "password_encryption", "max_worker_processes", "max_prepared_transactions",
            "max_locks_per_transaction", "track_commit_timestamp");

    /** Settings Patroni sets itself from its own configuration and refuses to take as parameters. */
    public static final List<String> PATRONI_MANAGED = List.of("listen_addresses", "port", "cluster_name",
            "primary_conninfo", "primary_slot_name", "recovery_target_timeline", "synchronous_standby_names",
            "hba_file", "ident_file", "data_directory", "config_file");

    private PostgresSettings() {
    }

    public static List<PgConf.Section> primary(ClusterSpec spec, MemberSpec member, MemorySizing memory) {
        PostgresSpec pg = spec.postgresql();
        List<PgConf.Section> sections = new ArrayList<>();

        Map<String, String> connections = new LinkedHashMap<>();
        connections.put("listen_addresses", member.host());
        connections.put("port", Integer.toString(member.port()));
        connections.put("unix_socket_directories", pg.unixSocketDir());
        connections.put("max_connections", Integer.toString(pg.maxConnections()));
        connections.put("superuser_reserved_connections", "3");
        connections.put("password_encryption", "scram-sha-256");
        connections.put("cluster_name", spec.name() + "-" + member.name());
        sections.add(new PgConf.Section("Connections and authentication", connections));

        Map<String, String> mem = new LinkedHashMap<>();
        mem.put("shared_buffers", Units.pgSize(memory.sharedBuffers()));
        mem.put("effective_cache_size", Units.pgSize(memory.effectiveCacheSize()));
        mem.put("work_mem", Units.pgSize(memory.workMem()));
        mem.put("maintenance_work_mem", Units.pgSize(memory.maintenanceWorkMem()));
        mem.put("huge_pages", "try");
        sections.add(new PgConf.Section("Memory, sized for " + Units.pgSize(memory.totalMemory()) + " of RAM", mem));

        Map<String, String> storage = new LinkedHashMap<>();
        boolean ssd = pg.storage() == PostgresSpec.Storage.ssd;
        storage.put("random_page_cost", ssd ? "1.1" : "4");
        storage.put("effective_io_concurrency", ssd ? "200" : "2");
        sections.add(new PgConf.Section("Storage: " + pg.storage(), storage));

        Map<String, String> wal = new LinkedHashMap<>();
        wal.put("wal_level", "replica");
        // pg_rewind needs hint bits in WAL unless data checksums are on; cheap insurance either way
        wal.put("wal_log_hints", "on");
        wal.put("wal_buffers", Units.pgSize(memory.walBuffers()));
        wal.put("wal_compression", "on");
        wal.put("min_wal_size", Units.pgSize(memory.minWalSize()));
        wal.put("max_wal_size", Units.pgSize(memory.maxWalSize()));
        wal.put("checkpoint_completion_target", "0.9");
        wal.put("max_wal_senders", Integer.toString(pg.maxWalSenders()));
        wal.put("max_replication_slots", Integer.toString(pg.maxReplicationSlots()));
        wal.put("wal_keep_size", Units.pgSize(pg.walKeepSize().bytes()));
        wal.put("hot_standby", "on");
        wal.put("hot_standby_feedback", "on");
        wal.put("synchronous_commit", "on");
        if (spec.patroni().synchronousMode() && spec.members().size() > 1) {
            List<String> others = spec.members().stream().filter(m -> !m.name().equals(member.name()))
                    .map(MemberSpec::name).toList();
            wal.put("synchronous_standby_names", "ANY 1 (" + String.join(", ", others) + ")");
        }
        sections.add(new PgConf.Section("WAL and replication", wal));

        Map<String, String> logging = new LinkedHashMap<>();
        logging.put("log_line_prefix", "%m [%p] %q%u@%d ");
        logging.put("log_checkpoints", "on");
        logging.put("log_lock_waits", "on");
        logging.put("log_temp_files", "0");
        logging.put("track_io_timing", "on");
        sections.add(new PgConf.Section("Logging and statistics", logging));

        sections.add(new PgConf.Section("From the cluster file's postgresql.parameters", new LinkedHashMap<>(pg.parameters())));
        return sections;
    }

    /** The primary's settings plus what a standby of {@code upstream} needs. */
    public static List<PgConf.Section> standby(ClusterSpec spec, MemberSpec member, MemberSpec upstream, MemorySizing memory) {
        List<PgConf.Section> sections = new ArrayList<>(primary(spec, member, memory));
        Map<String, String> standby = new LinkedHashMap<>();
        standby.put("primary_conninfo", primaryConninfo(spec, member, upstream));
        standby.put("primary_slot_name", member.slotName());
        standby.put("recovery_target_timeline", "latest");
        sections.add(sections.size() - 1, new PgConf.Section("Standby of " + upstream.name()
                + " (with an empty standby.signal in the data directory)", standby));
        // a standby never names synchronous standbys of its own
        sections.replaceAll(s -> {
            if (!s.settings().containsKey("synchronous_standby_names")) {
                return s;
            }
            Map<String, String> copy = new LinkedHashMap<>(s.settings());
            copy.remove("synchronous_standby_names");
            return new PgConf.Section(s.title(), copy);
        });
        return sections;
    }

    /** libpq keywords only, no password: it comes from the passfile. */
    public static String primaryConninfo(ClusterSpec spec, MemberSpec member, MemberSpec upstream) {
        return "host=" + upstream.host() + " port=" + upstream.port() + " user=" + spec.postgresql().replicationUser()
                + " passfile=" + spec.postgresql().replicationPassfile() + " application_name=" + member.name()
                + " connect_timeout=5 sslmode=prefer";
    }
}
