package io.connectha.startup;

import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.IGetter;
import picocli.CommandLine.Model.ISetter;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Model.PositionalParamSpec;
import picocli.CommandLine.Model.UsageMessageSpec;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.Field;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The command tree without reading annotations at run time. picocli builds a command's model from
 * its annotations, and the JDK makes every annotation it reads from a proxy class that it generates
 * then, on every run: in a fresh JVM that and picocli's reflection were 80-100 ms of a lag check's
 * 400 (measured on this project's 2-core VMs), the largest cost on the main thread. The build
 * ({@code io.connectha.build.CommandModelWriter}) writes what picocli reads from the annotations into a snapshot in the
 * jar; this class builds the same model from it with picocli's programmatic API.
 *
 * <p>The annotations remain the only definition of every command. A class missing from the
 * snapshot (one the replay cannot express, or a run from classes without a snapshot) is built from
 * its annotations, as before; {@code CommandModelTest} compares every replayed command with
 * picocli's own model and help of it.
 */
public final class CommandModel {

    /** The snapshot's resource, beside this class. */
    public static final String RESOURCE = "commands.model";
    /** The snapshot's format: the writer and this reader must agree on both. */
    public static final String MAGIC = "connect-command-model";
    public static final int VERSION = 1;

    private final Map<String, byte[]> records;

    private CommandModel(Map<String, byte[]> records) {
        this.records = records;
    }

    /** The snapshot in the jar, once per process; empty when there is none or it cannot be read. */
    private static final class Bundled {
        static final CommandModel MODEL = load();

        private static CommandModel load() {
            try (InputStream in = CommandModel.class.getResourceAsStream(RESOURCE)) {
                return in == null ? new CommandModel(Map.of()) : read(in.readAllBytes());
            } catch (IOException | RuntimeException e) {
                return new CommandModel(Map.of());
            }
        }
    }

    public static CommandModel bundled() {
        return Bundled.MODEL;
    }

    /** A model from a snapshot's bytes; an unknown format gives an empty model (everything from annotations). */
    public static CommandModel read(byte[] snapshot) throws IOException {
        DataInputStream in = new DataInputStream(new java.io.ByteArrayInputStream(snapshot));
        if (!MAGIC.equals(in.readUTF()) || in.readInt() != VERSION) {
            return new CommandModel(Map.of());
        }
        int n = in.readInt();
        Map<String, byte[]> records = new HashMap<>(n * 2);
        for (int i = 0; i < n; i++) {
            String type = in.readUTF();
            byte[] record = new byte[in.readInt()];
            in.readFully(record);
            records.put(type, record);
        }
        return new CommandModel(records);
    }

    public boolean has(Class<?> type) {
        return records.containsKey(type.getName());
    }

    /** The command's name, from the snapshot; empty when the class is not in it. */
    public Optional<String> name(Class<?> type) {
        byte[] record = records.get(type.getName());
        if (record == null) {
            return Optional.empty();
        }
        try {
            return Optional.ofNullable((String) readAttributes(new DataInputStream(new java.io.ByteArrayInputStream(record))).get("name"));
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /** {@code command} as picocli would build it from its annotations: from the snapshot when it is there, else from them. */
    public CommandLine commandLine(Object command) {
        if (!has(command.getClass())) {
            return new CommandLine(command);
        }
        try {
            return new CommandLine(spec(command));
        } catch (IOException | ReflectiveOperationException | RuntimeException e) {
            // a snapshot that does not fit these classes: the annotations are the truth
            return new CommandLine(command);
        }
    }

    private CommandSpec spec(Object command) throws IOException, ReflectiveOperationException {
        DataInputStream in = new DataInputStream(new java.io.ByteArrayInputStream(records.get(command.getClass().getName())));
        CommandSpec spec = CommandSpec.wrapWithoutInspection(command);
        applyAttributes(spec, readAttributes(in));

        int specFields = in.readInt();
        for (int i = 0; i < specFields; i++) {
            new FieldAccess(field(in), command).set(spec);
        }
        int elements = in.readInt();
        for (int i = 0; i < elements; i++) {
            switch (in.readByte()) {
                case 'M' -> addMixin(in, spec, command);
                case 'O' -> spec.addOption(option(in, command, true));
                case 'P' -> spec.addPositional(positional(in, command));
                default -> throw new IOException("bad element");
            }
        }
        String[] subcommands = strings(in);
        for (String type : subcommands) {
            Object sub = newInstance(Class.forName(type, true, CommandModel.class.getClassLoader()));
            CommandSpec subSpec = spec(sub);
            spec.addSubcommand(subSpec.name(), new CommandLine(subSpec));
        }
        return spec;
    }

    private static Map<String, Object> readAttributes(DataInputStream in) throws IOException {
        int n = in.readInt();
        Map<String, Object> attributes = new LinkedHashMap<>();
        for (int i = 0; i < n; i++) {
            String key = in.readUTF();
            attributes.put(key, switch (key) {
                case "aliases", "description", "header", "footer", "exitCodeList" -> strings(in);
                default -> in.readUTF();
            });
        }
        return attributes;
    }

    private static void applyAttributes(CommandSpec spec, Map<String, Object> attributes) throws ReflectiveOperationException {
        UsageMessageSpec usage = spec.usageMessage();
        for (Map.Entry<String, Object> a : attributes.entrySet()) {
            Object v = a.getValue();
            switch (a.getKey()) {
                case "name" -> spec.name((String) v);
                case "aliases" -> spec.aliases((String[]) v);
                case "description" -> usage.description((String[]) v);
                case "header" -> usage.header((String[]) v);
                case "footer" -> usage.footer((String[]) v);
                case "headerHeading" -> usage.headerHeading((String) v);
                case "synopsisHeading" -> usage.synopsisHeading((String) v);
                case "descriptionHeading" -> usage.descriptionHeading((String) v);
                case "parameterListHeading" -> usage.parameterListHeading((String) v);
                case "optionListHeading" -> usage.optionListHeading((String) v);
                case "commandListHeading" -> usage.commandListHeading((String) v);
                case "footerHeading" -> usage.footerHeading((String) v);
                case "exitCodeListHeading" -> usage.exitCodeListHeading((String) v);
                case "exitCodeList" -> usage.exitCodeList(keyValues((String[]) v));
                case "versionProvider" -> spec.versionProvider((CommandLine.IVersionProvider) newInstance(
                        Class.forName((String) v, true, CommandModel.class.getClassLoader())));
                case "resourceBundle" -> spec.resourceBundleBaseName((String) v);
                case "helpCommand" -> spec.helpCommand(Boolean.parseBoolean((String) v));
                // -h and -V come as the standard help mixin, replayed with the other mixins
                case "mixinStandardHelpOptions" -> { }
                default -> throw new IllegalStateException("attribute " + a.getKey());
            }
        }
    }

    /** {@code "0:OK"} as picocli reads an exit code list: the key before the first colon. */
    private static Map<String, String> keyValues(String[] entries) {
        Map<String, String> map = new LinkedHashMap<>();
        for (String e : entries) {
            int colon = e.indexOf(':');
            if (colon < 0) {
                map.put(e, "");
            } else {
                map.put(e.substring(0, colon), e.substring(colon + 1));
            }
        }
        return map;
    }

    private void addMixin(DataInputStream in, CommandSpec spec, Object command) throws IOException, ReflectiveOperationException {
        String name = in.readUTF();
        boolean standardHelp = in.readBoolean();
        if (standardHelp) {
            CommandSpec help = CommandSpec.create();
            int n = in.readInt();
            for (int i = 0; i < n; i++) {
                help.addOption(option(in, null, false));
            }
            spec.addMixin(name, help);
            return;
        }
        FieldAccess field = new FieldAccess(field(in), command);
        Class<?> mixinType = Class.forName(in.readUTF(), true, CommandModel.class.getClassLoader());
        Object mixin = field.get();
        if (mixin == null) {
            mixin = newInstance(mixinType);
            field.set(mixin);
        }
        spec.addMixin(name, spec(mixin));
    }

    private static OptionSpec option(DataInputStream in, Object target, boolean bound) throws IOException, ReflectiveOperationException {
        OptionSpec.Builder b = OptionSpec.builder(strings(in));
        b.help(in.readBoolean()).usageHelp(in.readBoolean()).versionHelp(in.readBoolean()).negatable(in.readBoolean());
        String fallback = nullable(in);
        String mapFallback = nullable(in);
        if (fallback != null) {
            b.fallbackValue(fallback);
        }
        if (mapFallback != null) {
            b.mapFallbackValue(mapFallback);
        }
        b.order(in.readInt());
        Arg a = Arg.read(in);
        if (a.arity != null) {
            b.arity(a.arity);
        }
        if (a.paramLabel != null) {
            b.paramLabel(a.paramLabel);
        }
        if (a.description != null) {
            b.description(a.description);
        }
        b.hideParamSyntax(a.hideParamSyntax).descriptionKey(a.descriptionKey).required(a.required).hidden(a.hidden)
                .interactive(a.interactive).echo(a.echo).prompt(a.prompt).type(a.type).auxiliaryTypes(a.auxiliaryTypes)
                .converters(a.converters).defaultValue(a.defaultValue).splitRegex(a.splitRegex)
                .splitRegexSynopsisLabel(a.splitRegexSynopsisLabel).showDefaultValue(a.showDefaultValue).scopeType(a.scopeType);
        if (bound) {
            Field field = field(in);
            FieldAccess access = new FieldAccess(field, target);
            b.getter(access).setter(access).userObject(field).initialValue(access.get()).hasInitialValue(true);
        } else if (a.type == boolean.class) {
            // picocli's -h and -V: their fields in picocli's help mixin start false
            b.initialValue(false).hasInitialValue(true);
        }
        return b.build();
    }

    private static PositionalParamSpec positional(DataInputStream in, Object target) throws IOException, ReflectiveOperationException {
        PositionalParamSpec.Builder b = PositionalParamSpec.builder();
        String index = in.readUTF();
        if (!index.isEmpty()) {
            b.index(index);
        }
        Arg a = Arg.read(in);
        if (a.arity != null) {
            b.arity(a.arity);
        }
        if (a.paramLabel != null) {
            b.paramLabel(a.paramLabel);
        }
        if (a.description != null) {
            b.description(a.description);
        }
        // the same calls as for an option: picocli's builders share no public type to call them on
        b.hideParamSyntax(a.hideParamSyntax).descriptionKey(a.descriptionKey).required(a.required).hidden(a.hidden)
                .interactive(a.interactive).echo(a.echo).prompt(a.prompt).type(a.type).auxiliaryTypes(a.auxiliaryTypes)
                .converters(a.converters).defaultValue(a.defaultValue).splitRegex(a.splitRegex)
                .splitRegexSynopsisLabel(a.splitRegexSynopsisLabel).showDefaultValue(a.showDefaultValue).scopeType(a.scopeType);
        Field field = field(in);
        FieldAccess access = new FieldAccess(field, target);
        b.getter(access).setter(access).userObject(field).initialValue(access.get()).hasInitialValue(true);
        return b.build();
    }

    /** What options and positionals share, as the build writes it; a null arity or label is picocli's default. */
    private record Arg(String arity, String paramLabel, boolean hideParamSyntax, String[] description, String descriptionKey,
                       boolean required, boolean hidden, boolean interactive, boolean echo, String prompt, Class<?> type,
                       Class<?>[] auxiliaryTypes, CommandLine.ITypeConverter<?>[] converters, String defaultValue, String splitRegex,
                       String splitRegexSynopsisLabel, CommandLine.Help.Visibility showDefaultValue, CommandLine.ScopeType scopeType) {

        static Arg read(DataInputStream in) throws IOException, ReflectiveOperationException {
            String arity = in.readUTF();
            String paramLabel = nullable(in);
            boolean hideParamSyntax = in.readBoolean();
            String[] description = strings(in);
            String descriptionKey = nullable(in);
            boolean required = in.readBoolean();
            boolean hidden = in.readBoolean();
            boolean interactive = in.readBoolean();
            boolean echo = in.readBoolean();
            String prompt = nullable(in);
            ClassLoader loader = CommandModel.class.getClassLoader();
            Class<?> type = classNamed(in.readUTF(), loader);
            String[] auxiliary = strings(in);
            Class<?>[] auxiliaryTypes = new Class<?>[auxiliary.length];
            for (int i = 0; i < auxiliary.length; i++) {
                auxiliaryTypes[i] = classNamed(auxiliary[i], loader);
            }
            String[] converterTypes = strings(in);
            CommandLine.ITypeConverter<?>[] converters = new CommandLine.ITypeConverter<?>[converterTypes.length];
            for (int i = 0; i < converters.length; i++) {
                converters[i] = (CommandLine.ITypeConverter<?>) newInstance(Class.forName(converterTypes[i], true, loader));
            }
            return new Arg(arity.isEmpty() ? null : arity, paramLabel, hideParamSyntax, description, descriptionKey, required, hidden,
                    interactive, echo, prompt, type, auxiliaryTypes, converters, nullable(in), nullable(in), nullable(in),
                    CommandLine.Help.Visibility.valueOf(in.readUTF()), CommandLine.ScopeType.valueOf(in.readUTF()));
        }
    }

    private static Class<?> classNamed(String name, ClassLoader loader) throws ClassNotFoundException {
        return switch (name) {
            case "boolean" -> boolean.class;
            case "int" -> int.class;
            case "long" -> long.class;
            case "double" -> double.class;
            case "float" -> float.class;
            case "short" -> short.class;
            case "byte" -> byte.class;
            case "char" -> char.class;
            default -> Class.forName(name, false, loader);
        };
    }

    /**
     * A field of a command or mixin, read and set through a {@link java.lang.invoke.VarHandle}. Not
     * through {@link Field#set}: since JDK 18 core reflection reaches fields through method handles it
     * adapts to {@code (Object, Object)} with {@code asType}, and each such adaptation spins a lambda-form
     * class at run time, every run (the class-data cache cannot hold them): 13-17 ms of a fresh JVM for
     * the few field types a command has (measured). A VarHandle called with its own erased types links
     * straight to the JDK's pre-generated accessors; so each primitive type gets calls of its own shape.
     */
    static final class FieldAccess implements IGetter, ISetter {
        private final Field field;
        private final Object target;
        private final java.lang.invoke.VarHandle handle;
        private final Class<?> type;

        FieldAccess(Field field, Object target) throws IllegalAccessException {
            this.field = field;
            this.target = target;
            this.type = field.getType();
            boolean direct = !java.lang.reflect.Modifier.isFinal(field.getModifiers())
                    && (!type.isPrimitive() || type == boolean.class || type == int.class || type == long.class);
            if (direct) {
                this.handle = java.lang.invoke.MethodHandles.privateLookupIn(field.getDeclaringClass(), java.lang.invoke.MethodHandles.lookup())
                        .unreflectVarHandle(field);
            } else {
                // a final field (a VarHandle cannot set it) or a rarer primitive: plain reflection
                field.setAccessible(true);
                this.handle = null;
            }
        }

        @Override
        @SuppressWarnings("unchecked")
        public <T> T get() {
            Object value;
            if (handle == null) {
                value = reflectively(() -> field.get(target));
            } else if (!type.isPrimitive()) {
                value = (Object) handle.get(target);
            } else if (type == boolean.class) {
                value = (boolean) handle.get(target);
            } else if (type == int.class) {
                value = (int) handle.get(target);
            } else {
                value = (long) handle.get(target);
            }
            return (T) value;
        }

        @Override
        public <T> T set(T value) {
            T old = get();
            if (handle == null) {
                reflectively(() -> {
                    field.set(target, value);
                    return null;
                });
            } else if (!type.isPrimitive()) {
                handle.set(target, (Object) value);
            } else if (type == boolean.class) {
                handle.set(target, (boolean) (Boolean) value);
            } else if (type == int.class) {
                handle.set(target, (int) (Integer) value);
            } else {
                handle.set(target, (long) (Long) value);
            }
            return old;
        }

        private interface Access {
            Object run() throws IllegalAccessException;
        }

        private Object reflectively(Access access) {
            try {
                return access.run();
            } catch (IllegalAccessException e) {
                throw new CommandLine.PicocliException("cannot reach " + field, e);
            }
        }

        @Override
        public String toString() {
            return "field " + field.getName() + " of " + field.getDeclaringClass().getSimpleName();
        }
    }

    private static Field field(DataInputStream in) throws IOException, ReflectiveOperationException {
        Class<?> declaring = Class.forName(in.readUTF(), false, CommandModel.class.getClassLoader());
        return declaring.getDeclaredField(in.readUTF());
    }

    /** An instance made with the class's no-argument constructor, private or not, as picocli makes commands and mixins. */
    public static Object newInstance(Class<?> type) throws ReflectiveOperationException {
        var constructor = type.getDeclaredConstructor();
        constructor.setAccessible(true);
        return constructor.newInstance();
    }

    private static String[] strings(DataInputStream in) throws IOException {
        int n = in.readInt();
        if (n < 0) {
            return null;
        }
        String[] values = new String[n];
        for (int i = 0; i < n; i++) {
            values[i] = nullable(in);
        }
        return values;
    }

    private static String nullable(DataInputStream in) throws IOException {
        return in.readBoolean() ? in.readUTF() : null;
    }
}
