package io.connectha.config;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.connectha.cluster.ClusterSpec;
import io.connectha.cluster.MemberSpec;
import io.connectha.cluster.PatroniSpec;
import io.connectha.cluster.SecretName;
import io.connectha.config.Component;
import io.connectha.config.ConfigGenerator;
import io.connectha.config.GeneratedFile;
import io.connectha.config.GenerationContext;
import io.connectha.pg.HbaRules;
import io.connectha.pg.MemorySizing;
import io.connectha.pg.PgConf;
import io.connectha.pg.PostgresSettings;
import io.connectha.pg.RoleSql;
import io.connectha.config.EnvFiles;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * patroni/: one YAML file per member, with an {@code etcd3} section (etcd 3.4 has the v2 API off),
 * REST API authentication, and bootstrap DCS settings carrying the cluster's timings. Passwords
 * are not in the YAML: Patroni reads them from the environment, from patroni.env.
 */
public final class PatroniConfigGenerator implements ConfigGenerator {

    public static final String ENV_FILE = "patroni/patroni.env";
    public static final String POST_BOOTSTRAP = "post-bootstrap.sh";

    private static final ObjectMapper YAML = YAMLMapper.builder()
            .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
            .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
            .enable(YAMLGenerator.Feature.INDENT_ARRAYS_WITH_INDICATOR)
            .build();

    @Override
    public Component component() {
        return Component.patroni;
    }

    @Override
    public List<GeneratedFile> generate(GenerationContext ctx) {
        ClusterSpec spec = ctx.spec();
        MemorySizing memory = MemorySizing.forMachine(ctx.memoryBytes(), spec.postgresql().maxConnections());
        List<GeneratedFile> files = new ArrayList<>();
        for (MemberSpec member : spec.members()) {
            String text = "# " + ctx.header("patroni") + "\n"
                    + "# Passwords come from the environment: start Patroni with " + spec.patroni().configDir() + "/patroni.env.\n"
                    + yaml(memberConfig(spec, member, memory));
            files.add(GeneratedFile.config("patroni/" + member.name() + ".yml", text));
        }
        files.add(GeneratedFile.secret(ENV_FILE, envFile(ctx)));
        files.add(new GeneratedFile("patroni/" + POST_BOOTSTRAP, postBootstrap(ctx), GeneratedFile.Kind.SECRET_SCRIPT));
        return files;
    }

    static Map<String, Object> memberConfig(ClusterSpec spec, MemberSpec member, MemorySizing memory) {
        PatroniSpec p = spec.patroni();
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("scope", p.scope());
        root.put("namespace", p.namespace() + "/");
        root.put("name", member.name());

        Map<String, Object> restapi = new LinkedHashMap<>();
        restapi.put("listen", member.restAddress());
        restapi.put("connect_address", member.restAddress());
        if (p.restApiAuth() == PatroniSpec.RestApiAuth.basic) {
            restapi.put("authentication", Map.of("username", p.restUser()));
        }
        root.put("restapi", restapi);

        Map<String, Object> etcd = new LinkedHashMap<>();
        etcd.put("hosts", spec.etcd().members().stream().map(e -> e.host() + ":" + e.clientPort()).toList());
        etcd.put("protocol", "http");
        root.put("etcd3", etcd);

        Map<String, String> settings = PgConf.flatten(PostgresSettings.primary(spec, member, memory));
        Map<String, Object> dcsParameters = new LinkedHashMap<>();
        Map<String, Object> localParameters = new LinkedHashMap<>();
        settings.forEach((k, v) -> {
            if (PostgresSettings.PATRONI_MANAGED.contains(k)) {
                return;
            }
            (PostgresSettings.CLUSTER_WIDE.contains(k) ? dcsParameters : localParameters).put(k, v);
        });

        Map<String, Object> dcsPostgres = new LinkedHashMap<>();
        dcsPostgres.put("use_pg_rewind", p.usePgRewind());
        dcsPostgres.put("use_slots", p.useSlots());
        dcsPostgres.put("parameters", dcsParameters);
        List<String> hba = HbaRules.forCluster(spec).stream().map(HbaRules.Rule::line).toList();
        dcsPostgres.put("pg_hba", hba);

        Map<String, Object> dcs = new LinkedHashMap<>();
        dcs.put("ttl", p.ttl());
        dcs.put("loop_wait", p.loopWait());
        dcs.put("retry_timeout", p.retryTimeout());
        dcs.put("maximum_lag_on_failover", p.maximumLagOnFailover().bytes());
        dcs.put("synchronous_mode", p.synchronousMode());
        dcs.put("postgresql", dcsPostgres);

        Map<String, Object> bootstrap = new LinkedHashMap<>();
        bootstrap.put("dcs", dcs);
        bootstrap.put("initdb", List.of(Map.of("encoding", "UTF8"), Map.of("locale", "C.UTF-8"), "data-checksums",
                Map.of("auth-host", "scram-sha-256"), Map.of("auth-local", "peer")));
        // Patroni 3.0 validates a bootstrap pg_hba too; the same rules as the DCS ones
        bootstrap.put("pg_hba", hba);
        bootstrap.put("post_bootstrap", p.configDir() + "/" + POST_BOOTSTRAP);
        root.put("bootstrap", bootstrap);

        Map<String, Object> postgresql = new LinkedHashMap<>();
        postgresql.put("listen", member.address());
        postgresql.put("connect_address", member.address());
        postgresql.put("data_dir", member.dataDir());
        postgresql.put("bin_dir", spec.postgresql().binDir());
        // Patroni writes its own passfile for replication and rewind; one per member, next to the data directory
        postgresql.put("pgpass", member.dataDir() + ".pgpass");
        Map<String, Object> auth = new LinkedHashMap<>();
        auth.put("superuser", Map.of("username", spec.postgresql().superuser()));
        auth.put("replication", Map.of("username", spec.postgresql().replicationUser()));
        // pg_rewind connects as the superuser: no extra role, and its password is the superuser's
        auth.put("rewind", Map.of("username", spec.postgresql().superuser()));
        postgresql.put("authentication", auth);
        postgresql.put("parameters", localParameters);
        postgresql.put("create_replica_methods", List.of("basebackup"));
        postgresql.put("basebackup", Map.of("checkpoint", "fast"));
        postgresql.put("remove_data_directory_on_rewind_failure", true);
        root.put("postgresql", postgresql);

        Map<String, Object> tags = new LinkedHashMap<>();
        tags.put("nofailover", member.tags().nofailover());
        tags.put("noloadbalance", member.tags().noloadbalance());
        tags.put("clonefrom", member.tags().clonefrom());
        tags.put("nosync", member.tags().nosync());
        if (member.tags().replicatefrom() != null) {
            tags.put("replicatefrom", member.tags().replicatefrom());
        }
        root.put("tags", tags);
        root.put("watchdog", Map.of("mode", "off"));
        return root;
    }

    private static String yaml(Map<String, Object> config) {
        try {
            return YAML.writeValueAsString(config);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String envFile(GenerationContext ctx) {
        return "# " + ctx.header("patroni") + "\n"
                + "# Environment for every member's Patroni (systemd: EnvironmentFile=). Mode 0600.\n"
                + EnvFiles.line("PATRONI_SUPERUSER_PASSWORD", ctx.password(SecretName.superuser))
                + EnvFiles.line("PATRONI_REWIND_PASSWORD", ctx.password(SecretName.superuser))
                + EnvFiles.line("PATRONI_REPLICATION_PASSWORD", ctx.password(SecretName.replication))
                + (ctx.spec().patroni().restApiAuth() == PatroniSpec.RestApiAuth.basic
                        ? EnvFiles.line("PATRONI_RESTAPI_PASSWORD", ctx.password(SecretName.rest_api)) : "");
    }

    private static String postBootstrap(GenerationContext ctx) {
        ClusterSpec spec = ctx.spec();
        String sql = RoleSql.render(ctx.header("patroni"), spec, ctx.scramVerifier(spec.postgresql().appUser(), SecretName.app));
        return "#!/bin/sh\n"
                + "# " + ctx.header("patroni") + "\n"
                + "# Patroni runs this once, after bootstrapping the cluster, with the superuser's connection URL as $1.\n"
                + "set -eu\n"
                + "exec " + spec.postgresql().binDir() + "/psql -X -q -v ON_ERROR_STOP=1 -d \"$1\" <<'SQL'\n"
                + sql
                + "SQL\n";
    }
}
