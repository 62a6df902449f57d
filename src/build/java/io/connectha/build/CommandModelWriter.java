package io.connectha.build;

import io.connectha.cli.Main;
import io.connectha.startup.CommandModel;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.IAnnotatedElement;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Model.PositionalParamSpec;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.lang.reflect.Field;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Writes {@link CommandModel}'s snapshot: what picocli reads from the annotations of every command
 * and mixin, as data. Run by the build after compiling, before the tests ({@code process-test-classes}), so the snapshot
 * always comes from the classes it ships with; the annotations stay the one definition.
 *
 * <p>Only what {@link CommandModel} can replay is written. A command that uses anything else (an
 * argument group, a parent-command field, a custom completion or parameter consumer, a
 * {@code @Command} attribute not in {@link #COMMAND_ATTRIBUTES}) is left out, and a run builds it
 * from its annotations as before: slower, never different. The test {@code CommandModelTest}
 * checks every replayed command against picocli's own model of it.
 */
public final class CommandModelWriter {

    /** {@code @Command} attributes the replay sets; any other one with a value of its own leaves the class out. */
    static final Set<String> COMMAND_ATTRIBUTES = Set.of("name", "aliases", "description", "header", "footer", "headerHeading",
            "synopsisHeading", "descriptionHeading", "parameterListHeading", "optionListHeading", "commandListHeading", "footerHeading",
            "exitCodeListHeading", "exitCodeList", "versionProvider", "resourceBundle", "mixinStandardHelpOptions", "helpCommand",
            "subcommands");

    /** Attributes with several values; every other one is a single string, class or boolean. */
    private static final Set<String> ARRAY_ATTRIBUTES = Set.of("aliases", "description", "header", "footer", "exitCodeList");

    private final Map<String, byte[]> records = new LinkedHashMap<>();
    private final Map<String, String> skipped = new LinkedHashMap<>();

    private CommandModelWriter() {
    }

    /** {@code args[0]}: the file to write. */
    public static void main(String[] args) throws IOException {
        Path out = Path.of(args[0]);
        CommandModelWriter writer = new CommandModelWriter();
        writer.addTree(Main.newCommandLine());
        writer.add(new CommandLine.HelpCommand());
        byte[] bytes = writer.toBytes();
        Files.createDirectories(out.toAbsolutePath().getParent());
        Path tmp = out.resolveSibling(out.getFileName() + ".tmp");
        Files.write(tmp, bytes);
        Files.move(tmp, out, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        System.out.println("[connect build] command model: " + writer.records.size() + " commands and mixins replayable, "
                + writer.skipped.size() + " built from annotations" + (writer.skipped.isEmpty() ? "" : " " + writer.skipped));
    }

    /** The snapshot for a tree, as {@link CommandModel} reads it (tests). */
    public static byte[] snapshot(CommandLine tree) throws IOException {
        CommandModelWriter writer = new CommandModelWriter();
        writer.addTree(tree);
        writer.add(new CommandLine.HelpCommand());
        return writer.toBytes();
    }

    /** Classes left out, with the reason (tests). */
    public static Map<String, String> skipped(CommandLine tree) {
        CommandModelWriter writer = new CommandModelWriter();
        writer.addTree(tree);
        return writer.skipped;
    }

    private void addTree(CommandLine cmd) {
        Object user = cmd.getCommandSpec().userObject();
        if (user != null && !(user instanceof Method)) {
            add(freshInstance(user.getClass()));
        }
        cmd.getSubcommands().values().stream().distinct().forEach(this::addTree);
    }

    private byte[] toBytes() throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(bytes);
        out.writeUTF(CommandModel.MAGIC);
        out.writeInt(CommandModel.VERSION);
        out.writeInt(records.size());
        for (Map.Entry<String, byte[]> e : records.entrySet()) {
            out.writeUTF(e.getKey());
            out.writeInt(e.getValue().length);
            out.write(e.getValue());
        }
        out.flush();
        return bytes.toByteArray();
    }

    /** Adds the class of {@code command} (a fresh instance: picocli reads its fields' initial values), and its mixins and declared subcommands. */
    private boolean add(Object command) {
        String name = command.getClass().getName();
        if (records.containsKey(name)) {
            return true;
        }
        if (skipped.containsKey(name)) {
            return false;
        }
        try {
            CommandSpec spec = CommandSpec.forAnnotatedObject(command);
            byte[] record = commandRecord(command.getClass(), spec);
            records.put(name, record);
            return true;
        } catch (Unsupported e) {
            skipped.put(name, e.getMessage());
            return false;
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Something the replay does not do. */
    private static final class Unsupported extends Exception {
        private static final long serialVersionUID = 1L;

        Unsupported(String message) {
            super(message, null, false, false);
        }
    }

    private byte[] commandRecord(Class<?> type, CommandSpec spec) throws IOException, Unsupported {
        if (!spec.argGroups().isEmpty()) {
            throw new Unsupported("argument groups");
        }
        if (!spec.parentCommandElements().isEmpty()) {
            throw new Unsupported("@ParentCommand");
        }
        if (spec.unmatchedArgsBindings().size() > 0) {
            throw new Unsupported("@Unmatched");
        }
        if (spec.userObject() instanceof Method) {
            throw new Unsupported("a command method");
        }
        for (Method m : type.getDeclaredMethods()) {
            if (m.isAnnotationPresent(Command.class) || m.isAnnotationPresent(CommandLine.Option.class)
                    || m.isAnnotationPresent(CommandLine.Parameters.class)) {
                throw new Unsupported("annotated method " + m.getName());
            }
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(bytes);

        Map<String, Object> attributes = commandAttributes(type);
        out.writeInt(attributes.size());
        for (Map.Entry<String, Object> a : attributes.entrySet()) {
            out.writeUTF(a.getKey());
            if (a.getValue() instanceof String[] values) {
                writeStrings(out, values);
            } else {
                out.writeUTF(String.valueOf(a.getValue()));
            }
        }

        List<IAnnotatedElement> specs = spec.specElements();
        out.writeInt(specs.size());
        for (IAnnotatedElement e : specs) {
            if (!e.isAnnotationPresent(CommandLine.Spec.class)
                    || e.getAnnotation(CommandLine.Spec.class).value() != CommandLine.Spec.Target.SELF) {
                throw new Unsupported("@Spec(MIXEE)");
            }
            writeField(out, type, e.getName());
        }

        // Each element in picocli's order: own options and positionals, and mixins where their first one appears.
        Map<ArgSpec, String> mixinOf = new IdentityHashMap<>();
        for (Map.Entry<String, CommandSpec> m : spec.mixins().entrySet()) {
            m.getValue().args().forEach(a -> mixinOf.put(a, m.getKey()));
        }
        List<Object[]> elements = new ArrayList<>();
        List<String> mixinsSeen = new ArrayList<>();
        for (ArgSpec arg : spec.args()) {
            String mixin = mixinOf.get(arg);
            if (mixin != null) {
                if (!mixinsSeen.contains(mixin)) {
                    mixinsSeen.add(mixin);
                    elements.add(new Object[]{"mixin", mixin});
                }
            } else if (arg.inherited()) {
                throw new Unsupported("an inherited option in a lone command");
            } else {
                elements.add(new Object[]{"arg", arg});
            }
        }
        for (String m : spec.mixins().keySet()) {
            if (!mixinsSeen.contains(m)) {
                elements.add(new Object[]{"mixin", m});
            }
        }
        out.writeInt(elements.size());
        for (Object[] e : elements) {
            if (e[0].equals("mixin")) {
                out.writeByte('M');
                writeMixin(out, type, spec, (String) e[1]);
            } else if (e[1] instanceof OptionSpec o) {
                out.writeByte('O');
                writeOption(out, type, o);
            } else {
                out.writeByte('P');
                writePositional(out, type, (PositionalParamSpec) e[1]);
            }
        }

        // subcommands the annotations declare (CommandTree registers the rest)
        List<String> subs = new ArrayList<>();
        for (Class<?> c = type; c != null && c != Object.class; c = c.getSuperclass()) {
            Command cmd = c.getAnnotation(Command.class);
            if (cmd != null) {
                for (Class<?> sub : cmd.subcommands()) {
                    if (!add(freshInstance(sub))) {
                        throw new Unsupported("subcommand " + sub.getName() + " is not replayable");
                    }
                    subs.add(sub.getName());
                }
            }
        }
        writeStrings(out, subs.toArray(String[]::new));
        out.flush();
        return bytes.toByteArray();
    }

    /** The class's {@code @Command} attributes with values of their own, superclasses first, as picocli merges them. */
    private static Map<String, Object> commandAttributes(Class<?> type) throws Unsupported {
        List<Class<?>> hierarchy = new ArrayList<>();
        for (Class<?> c = type; c != null && c != Object.class; c = c.getSuperclass()) {
            hierarchy.add(0, c);
        }
        Map<String, Object> attributes = new LinkedHashMap<>();
        for (Class<?> c : hierarchy) {
            Command cmd = c.getAnnotation(Command.class);
            if (cmd == null) {
                continue;
            }
            Method[] methods = Command.class.getDeclaredMethods();
            // the JVM lists methods in no set order; the snapshot is the same from every build
            Arrays.sort(methods, java.util.Comparator.comparing(Method::getName));
            for (Method m : methods) {
                Object value = invoke(m, cmd);
                if (Objects.deepEquals(value, m.getDefaultValue())) {
                    continue;
                }
                if (!COMMAND_ATTRIBUTES.contains(m.getName())) {
                    throw new Unsupported("@Command(" + m.getName() + ")");
                }
                if (m.getName().equals("subcommands")) {
                    continue;
                }
                if (value instanceof Class<?> k) {
                    value = k.getName();
                }
                if (ARRAY_ATTRIBUTES.contains(m.getName()) != value instanceof String[]) {
                    throw new Unsupported("@Command(" + m.getName() + ") of type " + value.getClass().getSimpleName());
                }
                attributes.put(m.getName(), value);
            }
        }
        return attributes;
    }

    private static Object invoke(Method m, Object target) {
        try {
            return m.invoke(target);
        } catch (IllegalAccessException | InvocationTargetException e) {
            throw new IllegalStateException(e);
        }
    }

    private void writeMixin(DataOutputStream out, Class<?> type, CommandSpec spec, String name) throws IOException, Unsupported {
        out.writeUTF(name);
        CommandSpec mixin = spec.mixins().get(name);
        boolean standardHelp = name.equals("mixinStandardHelpOptions");
        out.writeBoolean(standardHelp);
        if (standardHelp) {
            // picocli's own -h/--help and -V/--version: replayed as plain options bound to nothing
            out.writeInt(mixin.options().size());
            for (OptionSpec o : mixin.options()) {
                writeOptionAttributes(out, o);
            }
            return;
        }
        IAnnotatedElement element = spec.mixinAnnotatedElements().get(name);
        if (element == null || mixin.userObject() == null) {
            throw new Unsupported("mixin " + name + " without a field");
        }
        Class<?> mixinType = mixin.userObject().getClass();
        if (mixinType.isAnnotationPresent(Command.class)) {
            throw new Unsupported("mixin " + mixinType.getName() + " with @Command attributes");
        }
        if (!mixin.mixins().isEmpty()) {
            throw new Unsupported("mixin " + mixinType.getName() + " with mixins of its own");
        }
        writeField(out, type, element.getName());
        out.writeUTF(mixinType.getName());
        if (!add(freshInstance(mixinType))) {
            throw new Unsupported("mixin " + mixinType.getName() + " is not replayable");
        }
    }

    private static void writeOption(DataOutputStream out, Class<?> type, OptionSpec o) throws IOException, Unsupported {
        writeOptionAttributes(out, o);
        writeBinding(out, type, o);
    }

    private static void writeOptionAttributes(DataOutputStream out, OptionSpec o) throws IOException, Unsupported {
        OptionSpec.Builder b = o.toBuilder();
        writeStrings(out, b.names());
        out.writeBoolean(b.help());
        out.writeBoolean(b.usageHelp());
        out.writeBoolean(b.versionHelp());
        out.writeBoolean(b.negatable());
        writeNullable(out, b.fallbackValue());
        writeNullable(out, b.mapFallbackValue());
        out.writeInt(b.order());
        writeArgAttributes(out, o, b);
    }

    private static void writePositional(DataOutputStream out, Class<?> type, PositionalParamSpec p) throws IOException, Unsupported {
        PositionalParamSpec.Builder b = p.toBuilder();
        out.writeUTF(b.index().isUnspecified() ? "" : b.index().originalValue());
        writeArgAttributes(out, p, b);
        writeBinding(out, type, p);
    }

    /**
     * What options and positionals share, read from the builder picocli makes of each (its values are
     * the raw ones, before interpolation). The builders' common superclass is not public, so its
     * getters are called by name; this runs at build time only.
     */
    private static void writeArgAttributes(DataOutputStream out, ArgSpec arg, Object builder) throws IOException, Unsupported {
        // picocli puts its own no-op ones where the annotation names none, as the programmatic builder does too
        if (!noOp(get(builder, "parameterConsumer"), "NullParameterConsumer") || !noOp(get(builder, "preprocessor"), "NoOpParameterPreprocessor")) {
            throw new Unsupported("a parameter consumer or preprocessor on " + arg);
        }
        Iterable<?> candidates = (Iterable<?>) get(builder, "completionCandidates");
        if (candidates != null && !enumCompletions(arg, candidates)) {
            throw new Unsupported("completion candidates on " + arg);
        }
        CommandLine.Range arity = (CommandLine.Range) get(builder, "arity");
        out.writeUTF(arity.isUnspecified() ? "" : arity.originalValue());
        writeNullable(out, (String) get(builder, "paramLabel"));
        out.writeBoolean((Boolean) get(builder, "hideParamSyntax"));
        writeStrings(out, (String[]) get(builder, "description"));
        writeNullable(out, (String) get(builder, "descriptionKey"));
        out.writeBoolean((Boolean) get(builder, "required"));
        out.writeBoolean((Boolean) get(builder, "hidden"));
        out.writeBoolean((Boolean) get(builder, "interactive"));
        out.writeBoolean((Boolean) get(builder, "echo"));
        writeNullable(out, (String) get(builder, "prompt"));
        out.writeUTF(((Class<?>) get(builder, "type")).getName());
        writeStrings(out, Arrays.stream((Class<?>[]) get(builder, "auxiliaryTypes")).map(Class::getName).toArray(String[]::new));
        List<String> converters = new ArrayList<>();
        for (CommandLine.ITypeConverter<?> c : (CommandLine.ITypeConverter<?>[]) get(builder, "converters")) {
            converters.add(c.getClass().getName());
        }
        writeStrings(out, converters.toArray(String[]::new));
        writeNullable(out, (String) get(builder, "defaultValue"));
        writeNullable(out, (String) get(builder, "splitRegex"));
        writeNullable(out, (String) get(builder, "splitRegexSynopsisLabel"));
        out.writeUTF(((CommandLine.Help.Visibility) get(builder, "showDefaultValue")).name());
        out.writeUTF(((CommandLine.ScopeType) get(builder, "scopeType")).name());
    }

    private static boolean noOp(Object hook, String picocliClass) {
        return hook == null || hook.getClass().getName().equals("picocli.CommandLine$" + picocliClass);
    }

    private static Object get(Object builder, String getter) {
        try {
            Method m = builder.getClass().getMethod(getter);
            m.setAccessible(true);
            return m.invoke(builder);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("picocli's builder has no " + getter + "()", e);
        }
    }

    /** picocli lists an enum's constants as its completion candidates by itself; those need not be replayed. */
    private static boolean enumCompletions(ArgSpec arg, Iterable<?> candidates) {
        if (!arg.typeInfo().isEnum()) {
            return false;
        }
        List<String> given = new ArrayList<>();
        candidates.forEach(c -> given.add(String.valueOf(c)));
        return given.equals(arg.typeInfo().getEnumConstantNames());
    }

    private static void writeBinding(DataOutputStream out, Class<?> type, ArgSpec arg) throws IOException, Unsupported {
        Object element = arg.userObject();
        if (!(element instanceof Field field)) {
            throw new Unsupported(arg + " is not bound to a field");
        }
        writeField(out, type, field.getName());
    }

    /** A field of {@code type} or a superclass, by the class that declares it and its name. */
    private static void writeField(DataOutputStream out, Class<?> type, String name) throws IOException, Unsupported {
        for (Class<?> c = type; c != null && c != Object.class; c = c.getSuperclass()) {
            for (Field f : c.getDeclaredFields()) {
                if (f.getName().equals(name)) {
                    out.writeUTF(c.getName());
                    out.writeUTF(name);
                    return;
                }
            }
        }
        throw new Unsupported("no field " + name + " in " + type.getName());
    }

    private static void writeStrings(DataOutputStream out, String[] values) throws IOException {
        out.writeInt(values == null ? -1 : values.length);
        if (values != null) {
            for (String v : values) {
                writeNullable(out, v);
            }
        }
    }

    private static void writeNullable(DataOutputStream out, String value) throws IOException {
        out.writeBoolean(value != null);
        if (value != null) {
            out.writeUTF(value);
        }
    }

    private static Object freshInstance(Class<?> type) {
        try {
            return CommandModel.newInstance(type);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot create " + type.getName(), e);
        }
    }
}
