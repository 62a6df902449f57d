package io.connectha.cluster;

/**
 * Patroni's scope, DCS namespace and timings, in Patroni's names and units (seconds, bytes).
 *
 * @param configDir where the member files are installed on each host
 * @param restUser  user name for the REST API's authentication (its password is the {@code rest_api} secret)
 * @param restApiAuth {@code basic}: changes authenticate with {@code rest_user} and the {@code rest_api} secret;
 *                    {@code none}: the REST API asks for no authentication, so no secret is needed
 * @param restApiTls  present when the REST API is https
 */
public record PatroniSpec(
        String scope,
        String namespace,
        Integer ttl,
        Integer loopWait,
        Integer retryTimeout,
        ByteSize maximumLagOnFailover,
        Boolean synchronousMode,
        Boolean usePgRewind,
        Boolean useSlots,
        String configDir,
        String restUser,
        RestApiAuth restApiAuth,
        TlsSpec restApiTls) {

    public enum RestApiAuth { basic, none }

    static final PatroniSpec EMPTY = new PatroniSpec(null, null, null, null, null, null, null, null, null, null, null, null, null);

    PatroniSpec resolvedAgainst(java.nio.file.Path clusterFile) {
        return restApiTls == null ? this : new PatroniSpec(scope, namespace, ttl, loopWait, retryTimeout, maximumLagOnFailover,
                synchronousMode, usePgRewind, useSlots, configDir, restUser, restApiAuth, restApiTls.resolvedAgainst(clusterFile));
    }

    /** The REST API's scheme: https when {@link #restApiTls()} is set. */
    public String restScheme() {
        return restApiTls == null ? "http" : "https";
    }

    PatroniSpec withDefaults(String clusterName) {
        String ns = namespace == null ? "/service" : namespace;
        if (!ns.startsWith("/")) {
            ns = "/" + ns;
        }
        while (ns.length() > 1 && ns.endsWith("/")) {
            ns = ns.substring(0, ns.length() - 1);
        }
        return new PatroniSpec(scope == null ? clusterName : scope, ns,
                ttl == null ? 30 : ttl,
                loopWait == null ? 10 : loopWait,
                retryTimeout == null ? 10 : retryTimeout,
                maximumLagOnFailover == null ? ByteSize.ofMegabytes(1) : maximumLagOnFailover,
                synchronousMode != null && synchronousMode,
                usePgRewind == null || usePgRewind,
                useSlots == null || useSlots,
                configDir == null ? "/etc/patroni" : configDir,
                restUser == null ? "patroni" : restUser,
                restApiAuth == null ? RestApiAuth.basic : restApiAuth,
                restApiTls);
    }
}
