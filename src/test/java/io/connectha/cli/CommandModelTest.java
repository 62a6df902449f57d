package io.connectha.cli;

import io.connectha.build.CommandModelWriter;
import io.connectha.startup.CommandModel;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Model.PositionalParamSpec;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.lang.reflect.Field;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The replayed command model ({@link CommandModel}) against picocli's own, read from the annotations:
 * the same options with the same attributes, the same help, the same parse results and errors.
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class CommandModelTest {

    private static CommandModel model;

    @BeforeAll
    static void snapshot() throws Exception {
        model = CommandModel.read(CommandModelWriter.snapshot(Main.newCommandLine()));
    }

    @Test
    void the_commands_a_cron_check_or_status_runs_are_replayed_not_read_from_annotations() {
        for (Class<?> c : List.of(ConnectCommand.class, HaCommand.class, StatusCommand.class, io.connectha.cli.check.LagCommand.class,
                io.connectha.cli.check.LagCheckCommand.class, io.connectha.cli.patroni.PatroniCommand.class,
                io.connectha.cli.patroni.PatroniListCommand.class, GlobalOptions.class, OutputOptions.class, CommandLine.HelpCommand.class)) {
            assertThat(model.has(c)).as(c.getName()).isTrue();
        }
        // any other command may fall back to its annotations (an argument group, a mixin with mixins):
        // slower, never different, and no test to fix; the writer names each one and why
        assertThat(CommandModelWriter.skipped(Main.newCommandLine())).as("built from annotations, with the reason")
                .containsEntry(DsnCommand.class.getName(), "argument groups")
                .doesNotContainKeys(StatusCommand.class.getName(), io.connectha.cli.check.LagCheckCommand.class.getName(),
                        io.connectha.cli.patroni.PatroniListCommand.class.getName());
    }

    @Test
    void the_jar_carries_the_snapshot_of_these_classes() throws Exception {
        assertThat(CommandModel.bundled().has(io.connectha.cli.check.LagCheckCommand.class)).isTrue();
        byte[] bundled = CommandModel.class.getResourceAsStream(CommandModel.RESOURCE).readAllBytes();
        assertThat(bundled).as("target/classes holds the snapshot of the classes compiled with it")
                .isEqualTo(CommandModelWriter.snapshot(Main.newCommandLine()));
    }

    @Test
    void every_command_has_the_same_model_and_help_as_from_its_annotations() {
        Map<String, CommandLine> fromAnnotations = commands(CommandTree.full(new ConnectCommand()));
        Map<String, CommandLine> replayed = commands(CommandTree.full(new ConnectCommand(), model));
        assertThat(replayed.keySet()).containsExactlyElementsOf(fromAnnotations.keySet());
        for (String name : fromAnnotations.keySet()) {
            CommandSpec a = fromAnnotations.get(name).getCommandSpec();
            CommandSpec r = replayed.get(name).getCommandSpec();
            assertThat(describe(r)).as(name).isEqualTo(describe(a));
            assertThat(replayed.get(name).getUsageMessage(CommandLine.Help.Ansi.OFF))
                    .as("help of " + name).isEqualTo(fromAnnotations.get(name).getUsageMessage(CommandLine.Help.Ansi.OFF));
            assertThat(r.userObject().getClass()).isEqualTo(a.userObject().getClass());
        }
    }

    @Test
    void a_parse_sets_the_same_fields_and_fails_the_same_way() throws Exception {
        List<String[]> lines = List.of(
                new String[]{"ha", "lag", "check"},
                new String[]{"-v", "-c", "/tmp/c.yaml", "ha", "lag", "check", "--warning", "2MB", "--critical-time=1min", "-o", "json",
                        "--textfile", "/tmp/lag.prom", "--heartbeat", "--member", "pg2"},
                new String[]{"ha", "status", "-q", "-o", "yaml", "--connect-timeout", "3s"},
                new String[]{"ha", "status", "--watch"},
                new String[]{"ha", "status", "--watch", "5"},
                new String[]{"ha", "patroni", "list", "-o", "json"},
                new String[]{"ha", "patroni", "switchover", "--dry-run", "--yes"},
                new String[]{"ha", "etcd", "get", "/service/lab/leader", "-c", "x.yaml"},
                new String[]{"ha", "config", "generate", "patroni", "haproxy", "--dry-run", "--memory", "2GB"},
                new String[]{"ha", "lab", "up", "--profile", "default", "--members", "2"},
                new String[]{"ha", "pgbouncer", "pause", "app"},
                new String[]{"ha", "patroni", "list", "-o", "nope"},
                new String[]{"ha", "lag", "check", "--no-such"},
                new String[]{"ha", "lag", "check", "--warning"},
                new String[]{"ha", "status", "extra"},
                new String[]{"help", "ha"});
        for (String[] args : lines) {
            String line = String.join(" ", args);
            Object[] a = parse(CommandTree.full(new ConnectCommand()), args);
            Object[] r = parse(CommandTree.full(new ConnectCommand(), model), args);
            assertThat(r[0]).as("outcome of " + line).isEqualTo(a[0]);
            assertThat(r[1]).as("fields after " + line).isEqualTo(a[1]);
        }
    }

    @Test
    void a_stale_or_foreign_snapshot_is_ignored_and_the_annotations_are_used() throws Exception {
        // a snapshot of another format: its magic is not ours
        CommandModel empty = CommandModel.read(new byte[]{0, 4, 'n', 'o', 'p', 'e', 0, 0, 0, 1});
        assertThat(empty.has(StatusCommand.class)).isFalse();
        CommandLine fromAnnotations = empty.commandLine(new StatusCommand());
        assertThat(fromAnnotations.getUsageMessage(CommandLine.Help.Ansi.OFF))
                .isEqualTo(new CommandLine(new StatusCommand()).getUsageMessage(CommandLine.Help.Ansi.OFF));
    }

    /** The outcome (usage error or the matched command) and every annotated field of the commands the line reached. */
    private static Object[] parse(CommandLine tree, String[] args) throws IllegalAccessException {
        StringWriter err = new StringWriter();
        tree.setErr(new PrintWriter(err, true));
        tree.setOut(new PrintWriter(new StringWriter(), true));
        try {
            List<CommandLine> parsed = tree.parseArgs(args).asCommandLineList();
            Map<String, Object> fields = new LinkedHashMap<>();
            for (CommandLine c : parsed) {
                collectFields(c.getCommandSpec().qualifiedName(), c.getCommandSpec().userObject(), fields, 0);
            }
            return new Object[]{"parsed " + parsed.get(parsed.size() - 1).getCommandSpec().qualifiedName(), fields};
        } catch (CommandLine.ParameterException e) {
            return new Object[]{"error: " + e.getMessage(), Map.of()};
        }
    }

    private static void collectFields(String prefix, Object o, Map<String, Object> into, int depth) throws IllegalAccessException {
        if (o == null || depth > 2) {
            return;
        }
        for (Class<?> c = o.getClass(); c != null && c != Object.class; c = c.getSuperclass()) {
            for (Field f : c.getDeclaredFields()) {
                if (java.lang.reflect.Modifier.isStatic(f.getModifiers()) || f.getType() == CommandSpec.class) {
                    continue;
                }
                f.setAccessible(true);
                Object v = f.get(o);
                if (f.isAnnotationPresent(CommandLine.Mixin.class)) {
                    collectFields(prefix + "." + f.getName(), v, into, depth + 1);
                } else if (f.isAnnotationPresent(CommandLine.Option.class) || f.isAnnotationPresent(CommandLine.Parameters.class)) {
                    into.put(prefix + "." + f.getName(), v instanceof Object[] array ? Arrays.asList(array) : v);
                }
            }
        }
    }

    private static Map<String, CommandLine> commands(CommandLine tree) {
        Map<String, CommandLine> all = new LinkedHashMap<>();
        collect(tree, all);
        return all;
    }

    private static void collect(CommandLine cmd, Map<String, CommandLine> into) {
        into.put(cmd.getCommandSpec().qualifiedName(), cmd);
        cmd.getSubcommands().values().stream().distinct().forEach(c -> collect(c, into));
    }

    /** Everything picocli's model says of a command that a parse or its help depends on. */
    private static List<String> describe(CommandSpec spec) {
        List<String> d = new ArrayList<>();
        d.add("name " + spec.name() + " aliases " + Arrays.toString(spec.aliases()) + " help command " + spec.helpCommand());
        d.add("mixins " + spec.mixins().keySet() + " subcommands " + spec.subcommands().keySet());
        d.add("version " + (spec.versionProvider() == null ? null : spec.versionProvider().getClass().getName())
                + " bundle " + spec.resourceBundleBaseName() + " standard help " + spec.mixinStandardHelpOptions());
        d.add("usage " + Arrays.toString(spec.usageMessage().description()) + " " + spec.usageMessage().exitCodeList()
                + " " + spec.usageMessage().exitCodeListHeading());
        for (ArgSpec arg : spec.args()) {
            d.add(describe(arg));
        }
        return d;
    }

    private static String describe(ArgSpec a) {
        StringBuilder s = new StringBuilder();
        if (a instanceof OptionSpec o) {
            s.append("option ").append(Arrays.toString(o.names())).append(" help ").append(o.help()).append(o.usageHelp())
                    .append(o.versionHelp()).append(" negatable ").append(o.negatable()).append(" fallback ").append(o.fallbackValue())
                    .append(" order ").append(o.order());
        } else {
            PositionalParamSpec p = (PositionalParamSpec) a;
            s.append("positional ").append(p.index());
        }
        List<String> candidates = new ArrayList<>();
        if (a.completionCandidates() != null) {
            a.completionCandidates().forEach(candidates::add);
        }
        List<String> converters = new ArrayList<>();
        for (CommandLine.ITypeConverter<?> c : a.converters()) {
            converters.add(c.getClass().getName());
        }
        var t = a.typeInfo();
        return s.append(" arity ").append(a.arity()).append(" label ").append(a.paramLabel()).append(" hideSyntax ").append(a.hideParamSyntax())
                .append(" description ").append(Arrays.toString(a.description())).append(" key ").append(a.descriptionKey())
                .append(" required ").append(a.required()).append(" hidden ").append(a.hidden()).append(" interactive ").append(a.interactive())
                .append(" type ").append(a.type().getName()).append(" aux ").append(Arrays.toString(a.auxiliaryTypes()))
                .append(" default ").append(a.defaultValue()).append(" initial ").append(a.initialValue())
                .append(" split ").append(a.splitRegex()).append(" show default ").append(a.showDefaultValue())
                .append(" scope ").append(a.scopeType()).append(" inherited ").append(a.inherited())
                .append(" converters ").append(converters).append(" candidates ").append(candidates)
                .append(" typeinfo ").append(t.getClassName()).append(t.isBoolean()).append(t.isMultiValue()).append(t.isArray())
                .append(t.isCollection()).append(t.isMap()).append(t.isEnum()).append(t.isOptional()).append(t.getEnumConstantNames())
                .append(" group ").append(a.group()).toString();
    }
}
