package io.connectha.etcd;

import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

import static org.assertj.core.api.Assertions.assertThat;

@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class EtcdValueTest {

    private static EtcdValue decode(String value, boolean json) {
        return EtcdValue.decode(value.getBytes(StandardCharsets.UTF_8), json);
    }

    @Test
    void a_member_document_becomes_a_json_object() {
        EtcdValue v = decode("{\"conn_url\":\"postgres://127.0.0.11:5432/postgres\",\"state\":\"running\",\"role\":\"master\",\"timeline\":1}", true);
        assertThat(v.format()).isEqualTo(EtcdValue.Format.json);
        assertThat(v.value().isObject()).isTrue();
        assertThat(v.value().get("conn_url").asText()).isEqualTo("postgres://127.0.0.11:5432/postgres");
        assertThat(v.value().get("timeline").asInt()).isEqualTo(1);
    }

    @Test
    void history_becomes_a_json_array() {
        EtcdValue v = decode("[[1,67109208,\"no recovery target specified\",\"2026-11-23T05:40:00+00:00\",\"pg2\"]]", true);
        assertThat(v.format()).isEqualTo(EtcdValue.Format.json);
        assertThat(v.value().isArray()).isTrue();
        assertThat(v.value().get(0).get(4).asText()).isEqualTo("pg2");
    }

    @Test
    void keys_patroni_writes_as_text_are_never_parsed_even_when_they_look_like_json() {
        EtcdValue initialize = decode("7711236861307103316", false);
        assertThat(initialize.format()).isEqualTo(EtcdValue.Format.text);
        assertThat(initialize.value().isTextual()).isTrue();
        assertThat(initialize.value().asText()).isEqualTo("7711236861307103316");
        assertThat(decode("pg1", false).value().asText()).isEqualTo("pg1");
    }

    @Test
    void a_json_key_holding_something_else_is_shown_as_text() {
        EtcdValue v = decode("{\"leader\": \"pg1\"} trailing", true);
        assertThat(v.format()).isEqualTo(EtcdValue.Format.text);
        assertThat(v.value().asText()).isEqualTo("{\"leader\": \"pg1\"} trailing");
        assertThat(decode("", true).format()).isEqualTo(EtcdValue.Format.text);
    }

    @Test
    void bytes_that_are_not_utf8_are_shown_as_base64() {
        byte[] raw = {(byte) 0xff, (byte) 0xfe, 0x00, 0x41};
        EtcdValue v = EtcdValue.decode(raw, true);
        assertThat(v.format()).isEqualTo(EtcdValue.Format.base64);
        assertThat(Base64.getDecoder().decode(v.value().asText())).isEqualTo(raw);
    }
}
