package io.connectha.cluster;

import com.fasterxml.jackson.annotation.JsonIgnore;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Where each password comes from. A secret left out is read from the environment variable
 * {@code CONNECT_<NAME>_PASSWORD}, for example {@code CONNECT_SUPERUSER_PASSWORD}.
 */
public record SecretsSpec(
        SecretSource superuser,
        SecretSource replication,
        SecretSource app,
        SecretSource restApi,
        SecretSource pgbouncerAdmin,
        SecretSource haproxyStats) {

    static final SecretsSpec EMPTY = new SecretsSpec(null, null, null, null, null, null);

    SecretsSpec withDefaults() {
        return new SecretsSpec(
                orEnv(superuser, "superuser"), orEnv(replication, "replication"), orEnv(app, "app"),
                orEnv(restApi, "rest_api"), orEnv(pgbouncerAdmin, "pgbouncer_admin"), orEnv(haproxyStats, "haproxy_stats"));
    }

    private static SecretSource orEnv(SecretSource source, String name) {
        return source != null ? source : SecretSource.env("CONNECT_" + name.toUpperCase(java.util.Locale.ROOT) + "_PASSWORD");
    }

    /** The secrets by their cluster-file names, in file order. */
    @JsonIgnore
    public Map<SecretName, SecretSource> byName() {
        Map<SecretName, SecretSource> map = new LinkedHashMap<>();
        map.put(SecretName.superuser, superuser);
        map.put(SecretName.replication, replication);
        map.put(SecretName.app, app);
        map.put(SecretName.rest_api, restApi);
        map.put(SecretName.pgbouncer_admin, pgbouncerAdmin);
        map.put(SecretName.haproxy_stats, haproxyStats);
        return map;
    }

    public SecretSource get(SecretName name) {
        return byName().get(name);
    }
}
