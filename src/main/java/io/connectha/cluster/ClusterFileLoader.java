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
import io.connectha.error.ConnectError;

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

    /** The index keeps a scalar value's position under this prefix and its pointer; the key's under the pointer alone. */
    static final String VALUE = "=";

    private final Map<String, String> environment;
    /** Where validated models are kept between runs; null for none. */
    private final KeptModels cache;

    /**
     * Validated models kept between runs, keyed by the cluster file and its exact bytes. Only the
     * start-up layer implements it ({@code io.connectha.startup.ClusterModelCache}).
     */
    public interface KeptModels {

        /** The model kept for this file with exactly these bytes, if there is one. */
        Optional<KeptModel> get(Path file, byte[] content);

        /** Keeps a validated model; failing to keep it only costs the next run its time. */
        void put(Path file, byte[] content, KeptModel model);
    }

    /**
     * A validated model as it is kept: the effective spec, and the fields the file itself set (JSON
     * pointers, as {@code /patroni/ttl}), since defaults filled in cannot be told from them afterwards.
     */
    public record KeptModel(ClusterSpec spec, List<String> setInFile) {
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
        refuseWhatIsNoClusterFile(file);
        byte[] bytes;
        String text;
        try {
            bytes = Files.readAllBytes(file);
            // as Files.readString: a file that is not UTF-8 is refused, not silently mended
            text = decodeUtf8(file, bytes);
        } catch (NoSuchFileException e) {
            throw new ClusterFileException(file, new ClusterFileProblem(0, 0, "",
                    "no such cluster file (give one with -c FILE or CONNECT_CLUSTER)"), e);
        } catch (IOException e) {
            throw new ClusterFileException(file, new ClusterFileProblem(0, 0, "", "cannot read: " + e.getMessage()), e);
        }
        if (cache != null) {
            Optional<KeptModel> kept = cache.get(file, bytes);
            if (kept.isPresent()) {
                // the file is as it was when validated; what lies outside it (secret files, variables) may not be
                ClusterValidator validator = new ClusterValidator(file, lazyLocations(file, text), environment);
                List<ClusterFileProblem> problems = validator.validateSecretSources(kept.get().spec());
                if (!problems.isEmpty()) {
                    throw new ClusterFileException(file, problems);
                }
                return new LoadedCluster(file, kept.get().spec(), List.copyOf(validator.warnings()),
                        java.util.Set.copyOf(kept.get().setInFile()));
            }
        }
        LoadedCluster loaded = parse(file, text);
        if (cache != null) {
            cache.put(file, bytes, new KeptModel(loaded.spec(), loaded.setInFile().stream().sorted().toList()));
        }
        return loaded;
    }

    /** Far above any real cluster file (a few kB), far below what would exhaust the heap. */
    static final long MAX_BYTES = 1024 * 1024;

    /**
     * Refuses, before a byte is read, what cannot be a cluster file: an empty path, a directory, a
     * device such as /dev/zero (read for ever, until the heap is exhausted), a FIFO (blocks until a
     * writer comes), or a file too large to be one.
     */
    private void refuseWhatIsNoClusterFile(Path file) {
        if (file.toString().isEmpty()) {
            throw ConnectError.invalidInput("".equals(environment.get("CONNECT_CLUSTER"))
                    ? "CONNECT_CLUSTER is set but empty; set it to a cluster file, or unset it to use ./cluster.yaml"
                    : "the cluster file's path is empty; give one with -c FILE");
        }
        java.nio.file.attribute.BasicFileAttributes attributes;
        try {
            attributes = Files.readAttributes(file, java.nio.file.attribute.BasicFileAttributes.class);
        } catch (IOException e) {
            return; // missing or unreadable: reading says so, in its own words
        }
        if (attributes.isDirectory()) {
            throw ConnectError.invalidInput(file + ": is a directory, not a cluster file");
        }
        if (!attributes.isRegularFile()) {
            throw ConnectError.invalidInput(file + ": is not a regular file (a device, FIFO or socket), so not a cluster file");
        }
        if (attributes.size() > MAX_BYTES) {
            throw ConnectError.invalidInput(file + ": is " + attributes.size() + " bytes; a cluster file is at most "
                    + MAX_BYTES + " bytes (1 MiB)");
        }
    }

    /**
     * The file as text. Bytes that are not UTF-8 (a binary file, a file saved as Latin-1) are
     * reported where the first one is: line, column and byte offset.
     */
    static String decodeUtf8(Path file, byte[] bytes) {
        java.nio.charset.CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(java.nio.charset.CodingErrorAction.REPORT)
                .onUnmappableCharacter(java.nio.charset.CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.wrap(bytes);
        java.nio.CharBuffer out = java.nio.CharBuffer.allocate(bytes.length + 1);
        java.nio.charset.CoderResult result = decoder.decode(in, out, true);
        if (!result.isError()) {
            result = decoder.flush(out);
        }
        if (result.isError()) {
            int offset = in.position();
            String before = new String(bytes, 0, offset, StandardCharsets.UTF_8);
            int line = (int) before.chars().filter(c -> c == '\n').count() + 1;
            int column = before.length() - (before.lastIndexOf('\n') + 1) + 1;
            throw new ClusterFileException(file, List.of(new ClusterFileProblem(line, column, "",
                    "not a text file (invalid UTF-8 at byte " + offset + "); a cluster file is YAML in UTF-8")));
        }
        return out.flip().toString();
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
        try (JsonParser parser = Yaml.MAPPER.createParser(text)) {
            try {
                raw = Yaml.MAPPER.readValue(parser, ClusterSpec.class);
            } catch (JsonMappingException e) {
                // a password key outside secrets is an unknown field; indexing refuses it with the precise message
                throw new ClusterFileException(file, describe(e, locations.get()), e);
            } catch (JsonProcessingException e) {
                throw new ClusterFileException(file, syntaxProblem(e, parser), e);
            }
        } catch (IOException e) {
            // reading a String fails only as YAML does, above; closing a String reader cannot fail
            throw new ClusterFileException(file, new ClusterFileProblem(1, 1, "", "cannot read: " + e.getMessage()), e);
        }
        if (raw == null) {
            throw new ClusterFileException(file, List.of(new ClusterFileProblem(1, 1, "", "the cluster file is empty")));
        }
        ClusterSpec spec = raw.withDefaults().resolvedAgainst(file);
        ClusterValidator validator = new ClusterValidator(file, locations, environment);
        List<ClusterFileProblem> problems = validator.validate(spec);
        if (!problems.isEmpty()) {
            throw new ClusterFileException(file, problems);
        }
        return new LoadedCluster(file, spec, List.copyOf(validator.warnings()), setFields(raw));
    }

    /**
     * The JSON pointers of every field the file sets (as {@code /patroni/ttl}, {@code /members/0/name}),
     * read from the model as bound, before defaults fill the rest: a few microseconds of reflection,
     * where indexing the YAML's locations would read the text a second time.
     */
    static java.util.Set<String> setFields(ClusterSpec raw) {
        java.util.Set<String> pointers = new java.util.HashSet<>();
        collectSet("", raw, pointers);
        return java.util.Set.copyOf(pointers);
    }

    private static void collectSet(String pointer, Object value, java.util.Set<String> pointers) {
        if (value == null) {
            return;
        }
        if (!pointer.isEmpty()) {
            pointers.add(pointer);
        }
        if (value instanceof Record r) {
            for (java.lang.reflect.RecordComponent c : r.getClass().getRecordComponents()) {
                try {
                    collectSet(pointer + "/" + snakeCase(c.getName()), c.getAccessor().invoke(r), pointers);
                } catch (ReflectiveOperationException e) {
                    throw new IllegalStateException("cannot read " + c.getName() + " of " + r.getClass().getSimpleName(), e);
                }
            }
        } else if (value instanceof Map<?, ?> map) {
            map.forEach((k, v) -> collectSet(pointer + "/" + String.valueOf(k).replace("~", "~0").replace("/", "~1"), v, pointers));
        } else if (value instanceof List<?> list) {
            for (int i = 0; i < list.size(); i++) {
                collectSet(pointer + "/" + i, list.get(i), pointers);
            }
        }
    }

    /** A record component's name as the file spells it: {@code loopWait} is {@code loop_wait}. */
    private static String snakeCase(String camel) {
        StringBuilder sb = new StringBuilder(camel.length() + 4);
        for (char ch : camel.toCharArray()) {
            if (Character.isUpperCase(ch)) {
                sb.append('_').append(Character.toLowerCase(ch));
            } else {
                sb.append(ch);
            }
        }
        return sb.toString();
    }

    /**
     * A problem placed where the file has {@code pointer}'s value, else its key, else its nearest parent
     * (line 1 when the file has none of them): for a refusal made after loading, from the model alone.
     */
    public static ClusterFileProblem problemAt(Path file, String pointer, String message) {
        Map<String, JsonLocation> locations;
        try {
            locations = indexLocations(file, java.nio.file.Files.readString(file));
        } catch (java.io.IOException | RuntimeException e) {
            locations = Map.of();
        }
        JsonLocation at = locations.get(VALUE + pointer);
        for (String p = pointer; at == null && !p.isEmpty(); p = p.substring(0, p.lastIndexOf('/'))) {
            at = locations.get(p);
        }
        return new ClusterFileProblem(at == null ? 1 : at.getLineNr(), at == null ? 1 : at.getColumnNr(), prettyPath(pointer), message);
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
            String valueOf = null;
            while ((token = parser.nextToken()) != null) {
                if (valueOf != null) {
                    // a scalar is reported where its value is; a mapping or list where its key is
                    if (token.isScalarValue()) {
                        locations.putIfAbsent(VALUE + valueOf, parser.currentTokenLocation());
                    }
                    valueOf = null;
                }
                if (token == JsonToken.FIELD_NAME) {
                    String pointer = parser.getParsingContext().pathAsPointer().toString();
                    locations.putIfAbsent(pointer, parser.currentTokenLocation());
                    valueOf = pointer;
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
            throw new ClusterFileException(file, syntaxProblem(e, null), e);
        } catch (IOException e) {
            throw new ClusterFileException(file, new ClusterFileProblem(1, 1, "", "cannot read: " + e.getMessage()), e);
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

    /**
     * A YAML error at the place SnakeYAML found the problem (its problem mark, 0-based), not where
     * the construct it was reading began; its own words, without the parser's internals.
     */
    static ClusterFileProblem syntaxProblem(JsonProcessingException e, JsonParser parser) {
        if (e instanceof com.fasterxml.jackson.core.exc.StreamConstraintsException) {
            // the limits guard against hostile files (a cluster file nests five levels at most)
            JsonLocation at = parser != null ? parser.currentLocation() : e.getLocation();
            String what = e.getOriginalMessage().contains("nesting depth") ? "nested too deeply (more than 1000 levels)"
                    : "too large a value";
            return new ClusterFileProblem(line(at), column(at), "", "invalid YAML: " + what);
        }
        if (e.getCause() instanceof org.yaml.snakeyaml.error.MarkedYAMLException y && y.getProblemMark() != null) {
            String problem = y.getProblem() == null ? "invalid YAML" : y.getProblem().replaceAll("\\s+", " ").strip();
            if (problem.contains("\\t(TAB)")) {
                problem = "a tab character; YAML indents with spaces only";
            }
            return new ClusterFileProblem(y.getProblemMark().getLine() + 1, y.getProblemMark().getColumn() + 1, "",
                    "invalid YAML: " + problem);
        }
        JsonLocation at = e.getLocation() != null ? e.getLocation() : parser != null ? parser.currentLocation() : null;
        String message = e.getOriginalMessage().lines().findFirst().orElse("invalid YAML");
        return new ClusterFileProblem(line(at), column(at), "", "invalid YAML: " + message);
    }

    private static int line(JsonLocation at) {
        return at == null || at.getLineNr() < 1 ? 1 : at.getLineNr();
    }

    private static int column(JsonLocation at) {
        return at == null || at.getColumnNr() < 1 ? 1 : at.getColumnNr();
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
        return new ClusterFileProblem(line(at), column(at), path, message);
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
