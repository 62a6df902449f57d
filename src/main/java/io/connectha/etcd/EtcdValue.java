package io.connectha.etcd;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.TextNode;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * A value read from etcd, made readable: Patroni's JSON documents as JSON, other UTF-8 as text,
 * anything else as base64. As a JSON node, so that {@code -o json} embeds a document as an object.
 */
public record EtcdValue(Format format, JsonNode value) {

    public enum Format { json, text, base64 }

    private static final ObjectMapper JSON = JsonMapper.builder()
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();

    /**
     * @param json whether the key is one Patroni writes JSON to; other keys are never parsed, since
     *             {@code initialize} holds a number and {@code leader} a name, and both read as text
     */
    public static EtcdValue decode(byte[] raw, boolean json) {
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(raw))
                    .toString();
        } catch (CharacterCodingException e) {
            return new EtcdValue(Format.base64, TextNode.valueOf(Base64.getEncoder().encodeToString(raw)));
        }
        if (json && !text.isBlank()) {
            try {
                return new EtcdValue(Format.json, JSON.readTree(text));
            } catch (JsonProcessingException e) {
                // a value Patroni did not write, or an older format: still worth showing as it is
            }
        }
        return new EtcdValue(Format.text, TextNode.valueOf(text));
    }
}
