package io.connectha.net;

import io.connectha.error.ConnectError;
import okhttp3.ConnectionSpec;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.ConnectException;
import java.time.Duration;
import java.util.List;

/**
 * HTTP for Patroni's REST API, HAProxy's stats page and etcd's health endpoint: okhttp with a
 * connect, read and overall timeout on every call, and no retries (a retry doubles the time a dead
 * component takes to show as down). Cleartext unless the cluster file gives TLS for the component
 * ({@link #Http(Duration, Duration, Tls)}): building okhttp's TLS stack costs over 100 ms of start-up.
 */
public final class Http implements AutoCloseable {

    private final OkHttpClient client;
    private final Duration connectTimeout;
    private final Duration readTimeout;
    private final Tls tls;

    public Http(Duration connectTimeout, Duration readTimeout) {
        this(connectTimeout, readTimeout, false, null);
    }

    /**
     * A client for a component the cluster file gives TLS for: https, trusting the CA it names and with
     * its client certificate; okhttp verifies the host name (IP addresses against the IP SANs). A null
     * {@code tls} is a plain client.
     */
    public Http(Duration connectTimeout, Duration readTimeout, Tls tls) {
        this(connectTimeout, readTimeout, tls != null, tls);
    }

    private Http(Duration connectTimeout, Duration readTimeout, boolean tls, Tls material) {
        this.connectTimeout = connectTimeout;
        this.readTimeout = readTimeout;
        this.tls = material;
        OkHttpClient.Builder builder = new OkHttpClient.Builder();
        if (material != null) {
            builder.sslSocketFactory(material.socketFactory(), material.trustManager());
        }
        this.client = builder
                .connectionSpecs(tls ? List.of(ConnectionSpec.MODERN_TLS, ConnectionSpec.CLEARTEXT) : List.of(ConnectionSpec.CLEARTEXT))
                .connectTimeout(connectTimeout)
                .readTimeout(readTimeout)
                .writeTimeout(readTimeout)
                .callTimeout(connectTimeout.plus(readTimeout))
                .retryOnConnectionFailure(false)
                .followRedirects(false)
                .build();
    }

    private Http(OkHttpClient client, Duration connectTimeout, Duration readTimeout, Tls tls) {
        this.client = client;
        this.connectTimeout = connectTimeout;
        this.readTimeout = readTimeout;
        this.tls = tls;
    }

    /**
     * The same client (its connections and threads shared) with a longer wait for the answer: for the
     * one request that answers only when its work is done, such as Patroni's switchover.
     */
    public Http withReadTimeout(Duration longerReadTimeout) {
        return new Http(client.newBuilder().readTimeout(longerReadTimeout).writeTimeout(longerReadTimeout)
                .callTimeout(connectTimeout.plus(longerReadTimeout)).build(), connectTimeout, longerReadTimeout, tls);
    }

    public Duration connectTimeout() {
        return connectTimeout;
    }

    public Duration readTimeout() {
        return readTimeout;
    }

    /** {@code https} when this client was given TLS, else {@code http}. */
    public String scheme() {
        return tls == null ? "http" : "https";
    }

    /** A client for one URL the user gave (a drill's HTTP probe): with TLS only when it is https, since TLS costs start-up. */
    public static Http forUrl(String url, Duration connectTimeout, Duration readTimeout) {
        return new Http(connectTimeout, readTimeout, url.regionMatches(true, 0, "https:", 0, 6), null);
    }

    /** A finished exchange; the body is read in full. */
    public record Reply(int code, String body) {
        public boolean ok() {
            return code >= 200 && code < 300;
        }
    }

    /**
     * Executes a request, naming {@code component} and {@code address} in any error. Only a
     * failure to connect or to hear back is an error; any HTTP status is a reply.
     */
    public Reply execute(Request request, String component, String address) {
        try (Response response = client.newCall(request).execute()) {
            return new Reply(response.code(), response.body() == null ? "" : response.body().string());
        } catch (InterruptedIOException e) {
            // the JDK says "Connect timed out" when no connection was made; otherwise the answer is what never came
            if (String.valueOf(e.getMessage()).regionMatches(true, 0, "connect", 0, 7)) {
                throw ConnectError.unreachable(component, address, connectTimeout, "no connection (timed out)", e);
            }
            throw ConnectError.unreachable(component, address, connectTimeout.plus(readTimeout), "no answer (timed out)", e);
        } catch (javax.net.ssl.SSLException e) {
            String reason = tls == null ? null : tls.reason(e);
            throw ConnectError.tls(component, address, reason != null ? reason : "TLS handshake failed", e);
        } catch (ConnectException e) {
            throw ConnectError.unreachable(component, address, connectTimeout, "connection refused", e);
        } catch (IOException e) {
            throw ConnectError.unreachable(component, address, connectTimeout,
                    e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage(), e);
        }
    }

    /**
     * A request whose answer never ends (etcd's watch): the connect timeout holds, but neither the read nor
     * the call timeout, since silence is normal there; whoever holds it decides when it is dead and closes
     * it, from any thread, which ends the call even while {@link #open} still waits for the answer to start.
     */
    public final class Stream implements AutoCloseable {
        private final okhttp3.Call call;
        private final String component;
        private final String address;
        private volatile Response response;

        private Stream(okhttp3.Call call, String component, String address) {
            this.call = call;
            this.component = component;
            this.address = address;
        }

        /** Sends the request and waits for the answer to start; its body is then read as it comes. */
        public java.io.InputStream open() {
            Response r;
            try {
                r = call.execute();
            } catch (InterruptedIOException e) {
                throw ConnectError.unreachable(component, address, connectTimeout, "no connection (timed out)", e);
            } catch (javax.net.ssl.SSLException e) {
                String reason = tls == null ? null : tls.reason(e);
                throw ConnectError.tls(component, address, reason != null ? reason : "TLS handshake failed", e);
            } catch (IOException e) {
                throw ConnectError.unreachable(component, address, connectTimeout,
                        e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage(), e);
            }
            if (!r.isSuccessful() || r.body() == null) {
                int code = r.code();
                r.close();
                throw new ConnectError(ConnectError.Kind.FAILURE, component + " at " + address + " answered " + code);
            }
            response = r;
            return r.body().byteStream();
        }

        @Override
        public void close() {
            call.cancel();
            Response r = response;
            if (r != null) {
                r.close();
            }
        }
    }

    public Stream stream(Request request, String component, String address) {
        return new Stream(client.newBuilder().readTimeout(Duration.ZERO).callTimeout(Duration.ZERO).build().newCall(request),
                component, address);
    }

    public Reply get(String url, String component, String address) {
        return execute(new Request.Builder().url(url).get().build(), component, address);
    }

    @Override
    public void close() {
        client.dispatcher().executorService().shutdown();
        client.connectionPool().evictAll();
    }
}
