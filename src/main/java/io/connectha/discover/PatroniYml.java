package io.connectha.discover;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.connectha.error.ConnectError;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What one member's patroni.yml says, read as Patroni reads it: {@code etcd3} (or {@code etcd}) hosts as a
 * list or a comma-separated string, {@code restapi} and {@code postgresql} addresses, TLS files, and the
 * user names of the authentication sections. Passwords in the file are noticed, never kept.
 *
 * @param etcdHosts        {@code host:port} of each etcd endpoint Patroni talks to
 * @param etcdProtocol     {@code http} or {@code https}
 * @param restTls          the REST API serves https ({@code restapi.certfile} is set)
 * @param restCaFile       the CA a client trusts the REST API with ({@code ctl.cacert}, else {@code restapi.cafile})
 * @param restUser         the REST API's basic-auth user; null when the REST API asks for no authentication
 * @param sslmode          libpq's sslmode of the superuser's connections, from {@code postgresql.authentication.superuser}
 * @param dcsTimings       {@code bootstrap.dcs} ttl, loop_wait, retry_timeout and friends: what the cluster started with
 * @param holdsPasswords   the authentication sections that carry a password in the file
 */
public record PatroniYml(
        String scope, String namespace, String name,
        List<String> etcdHosts, String etcdProtocol, String etcdCaFile, String etcdCertFile, String etcdKeyFile,
        String restListen, String restConnectAddress, boolean restTls, String restCaFile, String restCertFile, String restKeyFile,
        String restUser,
        String pgListen, String pgConnectAddress, String dataDir, String binDir,
        String superuser, String replicationUser,
        String sslmode, String sslRootCert, String sslCert, String sslKey,
        Map<String, String> parameters, Map<String, Object> dcsTimings, List<String> holdsPasswords) {

    private static final ObjectMapper YAML = new YAMLMapper();

    public static PatroniYml read(Path file) {
        String text;
        try {
            text = Files.readString(file);
        } catch (NoSuchFileException e) {
            throw ConnectError.invalidInput("--patroni-config " + file + ": no such file");
        } catch (IOException e) {
            throw ConnectError.invalidInput("--patroni-config " + file + ": " + ConnectError.ioReason(e));
        }
        return parse(file.toString(), text);
    }

    static PatroniYml parse(String source, String text) {
        JsonNode root;
        try {
            root = YAML.readTree(text);
        } catch (IOException e) {
            throw ConnectError.invalidInput("--patroni-config " + source + ": not YAML: "
                    + String.valueOf(e.getMessage()).lines().findFirst().orElse(""));
        }
        if (root == null || !root.isObject()) {
            throw ConnectError.invalidInput("--patroni-config " + source + ": not a Patroni configuration (no mapping at the top)");
        }
        if (!root.has("scope")) {
            throw ConnectError.invalidInput("--patroni-config " + source + ": not a Patroni configuration (no scope)");
        }
        JsonNode etcd = root.has("etcd3") ? root.path("etcd3") : root.path("etcd");
        List<String> hosts = new ArrayList<>();
        JsonNode h = etcd.has("hosts") ? etcd.get("hosts") : etcd.get("host");
        if (h != null && h.isArray()) {
            h.forEach(x -> hosts.add(x.asText().strip()));
        } else if (h != null && !h.isNull()) {
            for (String part : h.asText().split(",")) {
                if (!part.isBlank()) {
                    hosts.add(part.strip());
                }
            }
        }
        JsonNode rest = root.path("restapi");
        JsonNode ctl = root.path("ctl");
        JsonNode pg = root.path("postgresql");
        JsonNode auth = pg.path("authentication");
        JsonNode su = auth.path("superuser");

        List<String> passwords = new ArrayList<>();
        if (rest.path("authentication").has("password")) {
            passwords.add("restapi");
        }
        auth.fields().forEachRemaining(e -> {
            if (e.getValue().has("password")) {
                passwords.add(e.getKey());
            }
        });

        Map<String, String> parameters = new LinkedHashMap<>();
        pg.path("parameters").fields().forEachRemaining(e -> parameters.put(e.getKey(), e.getValue().asText()));
        Map<String, Object> timings = new LinkedHashMap<>();
        JsonNode dcs = root.path("bootstrap").path("dcs");
        for (String key : List.of("ttl", "loop_wait", "retry_timeout", "maximum_lag_on_failover", "synchronous_mode")) {
            if (dcs.has(key) && dcs.get(key).isValueNode()) {
                timings.put(key, dcs.get(key).isNumber() ? (Object) dcs.get(key).asLong()
                        : dcs.get(key).isBoolean() ? (Object) dcs.get(key).asBoolean() : dcs.get(key).asText());
            }
        }
        for (String key : List.of("use_pg_rewind", "use_slots")) {
            JsonNode v = dcs.path("postgresql").path(key);
            if (v.isBoolean()) {
                timings.put(key, v.asBoolean());
            }
        }
        String restUser = rest.path("authentication").has("username") ? rest.path("authentication").path("username").asText() : null;
        String protocol = text(etcd, "protocol");
        String etcdCa = text(etcd, "cacert");
        return new PatroniYml(root.path("scope").asText(), text(root, "namespace"), text(root, "name"),
                List.copyOf(hosts), protocol == null ? (etcdCa != null ? "https" : "http") : protocol, etcdCa,
                text(etcd, "cert"), text(etcd, "key"),
                text(rest, "listen"), text(rest, "connect_address"), rest.hasNonNull("certfile"),
                firstText(ctl, "cacert", rest, "cafile"), text(ctl, "certfile"), text(ctl, "keyfile"),
                restUser,
                text(pg, "listen"), text(pg, "connect_address"), text(pg, "data_dir"), text(pg, "bin_dir"),
                text(su, "username"), text(auth.path("replication"), "username"),
                text(su, "sslmode"), text(su, "sslrootcert"), text(su, "sslcert"), text(su, "sslkey"),
                parameters, timings, List.copyOf(passwords));
    }

    /** Patroni's REST API address as others reach it: connect_address, else listen. */
    public String restAddress() {
        return restConnectAddress != null ? restConnectAddress : restListen;
    }

    public String pgAddress() {
        return pgConnectAddress != null ? pgConnectAddress : pgListen;
    }

    private static String text(JsonNode node, String field) {
        JsonNode v = node.get(field);
        return v == null || v.isNull() || v.isContainerNode() ? null : v.asText();
    }

    private static String firstText(JsonNode a, String fa, JsonNode b, String fb) {
        String v = text(a, fa);
        return v != null ? v : text(b, fb);
    }
}
