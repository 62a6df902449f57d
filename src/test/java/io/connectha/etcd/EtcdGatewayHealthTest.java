package io.connectha.etcd;

import com.sun.net.httpserver.HttpServer;
import io.connectha.error.ConnectError;
import io.connectha.net.Http;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Reading etcd's {@code /health} answer; the lab's integration tests prove it against a real etcd. */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class EtcdGatewayHealthTest {

    private HttpServer server;

    private String serve(int code, String body) throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/health", exchange -> {
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(code, bytes.length == 0 ? -1 : bytes.length);
            exchange.getResponseBody().write(bytes);
            exchange.close();
        });
        server.start();
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    @AfterEach
    void stop() {
        if (server != null) {
            server.stop(0);
        }
    }

    private static boolean healthy(String endpoint) {
        try (Http http = new Http(Duration.ofSeconds(1), Duration.ofSeconds(1))) {
            return new EtcdGateway(http).healthy(endpoint);
        }
    }

    @Test
    void a_member_that_says_true_is_healthy() throws IOException {
        assertThat(healthy(serve(200, "{\"health\":\"true\",\"reason\":\"\"}"))).isTrue();
    }

    @Test
    void a_member_without_quorum_answers_503_and_false_and_is_not_healthy() throws IOException {
        assertThat(healthy(serve(503, "{\"health\":\"false\",\"reason\":\"RAFT NO LEADER\"}"))).isFalse();
    }

    @Test
    void an_answer_that_is_not_json_names_etcd_and_its_address() throws IOException {
        String endpoint = serve(200, "<html>proxy error</html>");
        assertThatThrownBy(() -> healthy(endpoint)).isInstanceOf(ConnectError.class)
                .hasMessage("etcd at " + endpoint.substring("http://".length()) + " sent a health answer that is not JSON");
    }
}
