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
 * component takes to show as down). Cleartext only: building okhttp's TLS stack costs over 100 ms
 * of start-up, and every endpoint here is plain HTTP.
 */
public final class Http implements AutoCloseable {

    private final OkHttpClient client;
    private final Duration connectTimeout;
    private final Duration readTimeout;

    public Http(Duration connectTimeout, Duration readTimeout) {
        this(connectTimeout, readTimeout, false);
    }

    private Http(Duration connectTimeout, Duration readTimeout, boolean tls) {
        this.connectTimeout = connectTimeout;
        this.readTimeout = readTimeout;
        this.client = new OkHttpClient.Builder()
                .connectionSpecs(tls ? List.of(ConnectionSpec.MODERN_TLS, ConnectionSpec.CLEARTEXT) : List.of(ConnectionSpec.CLEARTEXT))
                .connectTimeout(connectTimeout)
                .readTimeout(readTimeout)
                .writeTimeout(readTimeout)
                .callTimeout(connectTimeout.plus(readTimeout))
                .retryOnConnectionFailure(false)
                .followRedirects(false)
                .build();
    }

    private Http(OkHttpClient client, Duration connectTimeout, Duration readTimeout) {
        this.client = client;
        this.connectTimeout = connectTimeout;
        this.readTimeout = readTimeout;
    }

    /**
     * The same client (its connections and threads shared) with a longer wait for the answer: for the
     * one request that answers only when its work is done, such as Patroni's switchover.
     */
    public Http withReadTimeout(Duration longerReadTimeout) {
        return new Http(client.newBuilder().readTimeout(longerReadTimeout).writeTimeout(longerReadTimeout)
                .callTimeout(connectTimeout.plus(longerReadTimeout)).build(), connectTimeout, longerReadTimeout);
    }

    public Duration connectTimeout() {
        return connectTimeout;
    }

    public Duration readTimeout() {
        return readTimeout;
    }

    /** A client for one URL the user gave (a drill's HTTP probe): with TLS only when it is https, since TLS costs start-up. */
    public static Http forUrl(String url, Duration connectTimeout, Duration readTimeout) {
        return new Http(connectTimeout, readTimeout, url.regionMatches(true, 0, "https:", 0, 6));
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
        } catch (ConnectException e) {
            throw ConnectError.unreachable(component, address, connectTimeout, "connection refused", e);
        } catch (IOException e) {
            throw ConnectError.unreachable(component, address, connectTimeout,
                    e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage(), e);
        }
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
