package io.connectha.cluster;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Reads and validates a cluster file. Every problem is reported with the file, line and column of
 * the field it concerns: type errors from Jackson's own locations, and rule violations through an
 * index from JSON pointer to location built while the YAML is read.
 */
public final class ClusterFileLoader {

    /** Built on first use (about 15 ms in a fresh JVM): a run that finds its model cached needs no mapper. */
    private static final class Yaml {
        static final ObjectMapper MAPPER = YAMLMapper.builder()
                .enable(com.fasterxml.jackson.core.StreamReadFeature.STRICT_DUPLICATE_DETECTION)
                .propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
                .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
                .enable(DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY)
                // a port or a count is a plain integer: "5432" (a string) or 5432.9 (cut to 5432) is a mistake to report
                .withCoercionConfig(com.fasterxml.jackson.databind.type.LogicalType.Integer, c -> c
                        .setCoercion(com.fasterxml.jackson.databind.cfg.CoercionInputShape.String,
                                com.fasterxml.jackson.databind.cfg.CoercionAction.Fail)
                        .setCoercion(com.fasterxml.jackson.databind.cfg.CoercionInputShape.Float,
                                com.fasterxml.jackson.databind.cfg.CoercionAction.Fail))
                .build();
    }

    private final Map<String, String> environment;
    /** Where validated models are kept between runs; null for none. */
    private final KeptModels cache;

    /**
     * Validated models kept between runs, keyed by the cluster file and its exact bytes. Only the
     * start-up layer implements it ({@code io.connectha.startup.ClusterModelCache}).
     */
    public interface KeptModels {

        /** The model kept for this file with exactly these bytes, if there is one. */
        Optional<ClusterSpec> get(Path file, byte[] content);

        /** Keeps a validated model; failing to keep it only costs the next run its time. */
        void put(Path file, byte[] content, ClusterSpec spec);
    }

    public ClusterFileLoader(Map<String, String> environment) {
        this(environment, null);
    }

    private ClusterFileLoader(Map<String, String> environment, KeptModels cache) {
        this.environment = environment;
        this.cache = cache;
    }

    public ClusterFileLoader() {
        this(System.getenv());
    }

    /** This loader, keeping validated models in {@code cache} and reading them back while the file is unchanged. */
    public ClusterFileLoader withCache(KeptModels cache) {
        return new ClusterFileLoader(environment, cache);
    }

    /** The mapper the cluster file is read with, so that writers use the same names. */
    public static ObjectMapper mapper() {
        return Yaml.MAPPER;
    }

    public LoadedCluster load(Path file) {
        byte[] bytes;
        String text;
        try {
            bytes = Files.readAllBytes(file);
            // as Files.readString: a file that is not UTF-8 is refused, not silently mended
            text = StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(bytes)).toString();
        } catch (NoSuchFileException e) {
            throw new ClusterFileException(file, new ClusterFileProblem(0, 0, "",
                    "no such cluster file (give one with -c FILE or CONNECT_CLUSTER)"), e);
        } catch (IOException e) {
            throw new ClusterFileException(file, new ClusterFileProblem(0, 0, "", "cannot read: " + e.getMessage()), e);
        }
        if (cache != null) {
            Optional<ClusterSpec> kept = cache.get(file, bytes);
            if (kept.isPresent()) {
                // the file is as it was when validated; what lies outside it (secret files, variables) may not be
                List<ClusterFileProblem> problems = new ClusterValidator(file, lazyLocations(file, text), environment)
                        .validateSecretSources(kept.get());
                if (!problems.isEmpty()) {
                    throw new ClusterFileException(file, problems);
                }
                return new LoadedCluster(file, kept.get());
            }
        }
        LoadedCluster loaded = parse(file, text);
        if (cache != null) {
            cache.put(file, bytes, loaded.spec());
        }
        return loaded;
    }

    /**
     * Where each field is, for messages: indexed only when a message needs it, since reading the
     * YAML a second time costs start-up time on every run of a check.
     */
    private static java.util.function.Supplier<Map<String, JsonLocation>> lazyLocations(Path file, String text) {
        return new java.util.function.Supplier<>() {
            private Map<String, JsonLocation> index;

            @Override
            public Map<String, JsonLocation> get() {
                if (index == null) {
                    index = indexLocations(file, text);
                }
                return index;
            }
        };
    }

    public LoadedCluster parse(Path file, String text) {
        if (text.lines().allMatch(l -> l.isBlank() || l.strip().startsWith("#"))) {
            throw new ClusterFileException(file, List.of(new ClusterFileProblem(1, 1, "", "the cluster file is empty")));
        }
        java.util.function.Supplier<Map<String, JsonLocation>> locations = lazyLocations(file, text);
        ClusterSpec raw;
        try {
            raw = Yaml.MAPPER.readValue(text, ClusterSpec.class);
        } catch (JsonMappingException e) {
            // a password key outside secrets is an unknown field; indexing refuses it with the precise message
            throw new ClusterFileException(file, describe(e, locations.get()), e);
        } catch (JsonProcessingException e) {
            throw new ClusterFileException(file, syntaxProblem(e), e);
        }
        if (raw == null) {
            throw new ClusterFileException(file, List.of(new ClusterFileProblem(1, 1, "", "the cluster file is empty")));
        }
        ClusterSpec spec = raw.withDefaults();
        List<ClusterFileProblem> problems = new ClusterValidator(file, locations, environment).validate(spec);
        if (!problems.isEmpty()) {
            throw new ClusterFileException(file, problems);
        }
        return new LoadedCluster(file, spec);
    }

    /**
     * Walks the YAML once and remembers where each field and list element starts. A field named
     * {@code password} anywhere is refused here, before binding, so the message is the precise one.
     */
    private static Map<String, JsonLocation> indexLocations(Path file, String text) {
        Map<String, JsonLocation> locations = new HashMap<>();
        try (JsonParser parser = YAMLFactory.builder().enable(com.fasterxml.jackson.core.StreamReadFeature.STRICT_DUPLICATE_DETECTION)
                .build().createParser(text)) {
            JsonToken token;
            while ((token = parser.nextToken()) != null) {
                if (token == JsonToken.FIELD_NAME) {
                    String pointer = parser.getParsingContext().pathAsPointer().toString();
                    locations.putIfAbsent(pointer, parser.currentTokenLocation());
                    if (parser.currentName().equalsIgnoreCase("password")) {
                        parser.nextToken();
                        String value = parser.currentToken().isScalarValue() ? parser.getText() : "";
                        throw new ClusterFileException(file, List.of(inlinePasswordProblem(
                                parser.currentTokenLocation(), prettyPath(pointer), value)));
                    }
                } else if (token == JsonToken.START_OBJECT || token == JsonToken.START_ARRAY || token.isScalarValue()) {
                    var context = token.isStructStart() ? parser.getParsingContext().getParent() : parser.getParsingContext();
                    if (context != null && context.inArray()) {
                        locations.putIfAbsent(context.pathAsPointer().toString(), parser.currentTokenLocation());
                    }
                }
            }
        } catch (ClusterFileException e) {
            throw e;
        } catch (JsonProcessingException e) {
            throw new ClusterFileException(file, syntaxProblem(e), e);
        } catch (IOException e) {
            throw new ClusterFileException(file, new ClusterFileProblem(0, 0, "", e.getMessage()), e);
        }
        return locations;
    }

    static ClusterFileProblem inlinePasswordProblem(JsonLocation at, String path, String value) {
        String why = Placeholders.isPlaceholder(value)
                ? "placeholder password '" + value + "' written inline"
                : "password written inline";
        return new ClusterFileProblem(at.getLineNr(), at.getColumnNr(), path,
                why + "; give {env: VAR}, {file: PATH} (mode 0600) or {pgpass: true} instead");
    }

    private static ClusterFileProblem syntaxProblem(JsonProcessingException e) {
        JsonLocation at = e.getLocation();
        String message = e.getOriginalMessage().lines().findFirst().orElse("invalid YAML");
        return new ClusterFileProblem(at == null ? 0 : at.getLineNr(), at == null ? 0 : at.getColumnNr(), "",
                "invalid YAML: " + message);
    }

    private static ClusterFileProblem describe(JsonMappingException e, Map<String, JsonLocation> locations) {
        JsonLocation at = e.getLocation();
        String path = prettyPath(e.getPath());
        String message;
        if (e instanceof UnrecognizedPropertyException u) {
            path = prettyPath(e.getPath().subList(0, e.getPath().size() - 1));
            message = "unknown field '" + u.getPropertyName() + "'" + knownFields(u.getKnownPropertyIds());
            // Jackson points past the field; the index knows where its key is
            at = locations.getOrDefault(pointer(e.getPath()), at);
        } else if (e instanceof InvalidFormatException f) {
            message = "expected " + typeName(f.getTargetType()) + ", got '" + f.getValue() + "'";
        } else if (e instanceof ValueInstantiationException v && v.getCause() != null) {
            message = v.getCause().getMessage();
        } else if (e instanceof MismatchedInputException m && m.getTargetType() != null) {
            message = "expected " + typeName(m.getTargetType()) + refusedText(m);
        } else if (e.getCause() instanceof IllegalArgumentException iae) {
            message = iae.getMessage();
        } else {
            message = e.getOriginalMessage().lines().findFirst().orElse("invalid value");
        }
        return new ClusterFileProblem(at == null ? 0 : at.getLineNr(), at == null ? 0 : at.getColumnNr(), path, message);
    }

    /** The text Jackson would not coerce (a quoted "5432" for a port), when the parser still has it. */
    private static String refusedText(MismatchedInputException m) {
        if (m.getProcessor() instanceof JsonParser p && p.currentToken() == JsonToken.VALUE_STRING) {
            try {
                String text = p.getText();
                return ", got '" + text + "'" + (text.strip().matches("-?\\d+(\\.\\d+)?") ? " (quoted: a string)" : "");
            } catch (IOException ignored) {
                return "";
            }
        }
        return "";
    }

    private static String knownFields(Collection<Object> known) {
        if (known == null || known.isEmpty()) {
            return "";
        }
        return " (known fields: " + known.stream().map(Object::toString).sorted().collect(Collectors.joining(", ")) + ")";
    }

    private static String typeName(Class<?> type) {
        if (type == Integer.class || type == int.class || type == Long.class || type == long.class) {
            return "an integer";
        }
        if (type == Boolean.class || type == boolean.class) {
            return "true or false";
        }
        if (type.isEnum()) {
            return "one of " + java.util.Arrays.stream(type.getEnumConstants()).map(Object::toString)
                    .collect(Collectors.joining(", "));
        }
        if (type == ByteSize.class) {
            return "a size such as 512MB";
        }
        if (type == SecretSource.class) {
            return "{env: VAR}, {file: PATH} or {pgpass: true}";
        }
        if (List.class.isAssignableFrom(type)) {
            return "a list";
        }
        if (type == String.class) {
            return "a string";
        }
        if (Map.class.isAssignableFrom(type) || type.isRecord()) {
            return "a mapping of fields";
        }
        return "a " + type.getSimpleName();
    }

    private static String pointer(List<JsonMappingException.Reference> refs) {
        StringBuilder sb = new StringBuilder();
        for (JsonMappingException.Reference ref : refs) {
            sb.append('/').append(ref.getFieldName() != null ? ref.getFieldName() : Integer.toString(ref.getIndex()));
        }
        return sb.toString();
    }

    private static String prettyPath(List<JsonMappingException.Reference> refs) {
        StringBuilder sb = new StringBuilder();
        for (JsonMappingException.Reference ref : refs) {
            if (ref.getFieldName() != null) {
                if (sb.length() > 0) {
                    sb.append('.');
                }
                sb.append(ref.getFieldName());
            } else if (ref.getIndex() >= 0) {
                sb.append('[').append(ref.getIndex()).append(']');
            }
        }
        return sb.toString();
    }

    /** {@code /members/1/port} becomes {@code members[1].port}. */
    static String prettyPath(String pointer) {
        StringBuilder sb = new StringBuilder();
        for (String part : pointer.split("/")) {
            if (part.isEmpty()) {
                continue;
            }
            if (part.chars().allMatch(Character::isDigit)) {
                sb.append('[').append(part).append(']');
            } else {
                if (sb.length() > 0) {
                    sb.append('.');
                }
                sb.append(part.replace("~1", "/").replace("~0", "~"));
            }
        }
        return sb.toString();
    }
}
