package io.connectha.cluster;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * Where one password comes from: exactly one of an environment variable, a file of mode 0600
 * (its first line), or the libpq password file ({@code ~/.pgpass}, or {@code PGPASSFILE}).
 * A password written in the cluster file itself is refused when the file is loaded.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record SecretSource(
        String env,
        String file,
        Boolean pgpass,
        @JsonProperty(value = "password", access = JsonProperty.Access.WRITE_ONLY) String inlinePassword) {

    /** A bare string where a source belongs is a password written inline; validation refuses it. */
    @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
    static SecretSource inline(String password) {
        return new SecretSource(null, null, null, password);
    }

    @JsonCreator(mode = JsonCreator.Mode.PROPERTIES)
    public static SecretSource of(@JsonProperty("env") String env, @JsonProperty("file") String file,
                                  @JsonProperty("pgpass") Boolean pgpass,
                                  @JsonProperty("password") String inlinePassword) {
        return new SecretSource(env, file, pgpass, inlinePassword);
    }

    public static SecretSource env(String variable) {
        return new SecretSource(variable, null, null, null);
    }

    public static SecretSource file(String path) {
        return new SecretSource(null, path, null, null);
    }

    int sourceCount() {
        return (env != null ? 1 : 0) + (file != null ? 1 : 0) + (Boolean.TRUE.equals(pgpass) ? 1 : 0);
    }

    /** Where the secret is, for messages: never the secret itself. */
    public String describe() {
        if (env != null) {
            return "environment variable " + env;
        }
        if (file != null) {
            return "file " + file;
        }
        return "~/.pgpass";
    }
}
