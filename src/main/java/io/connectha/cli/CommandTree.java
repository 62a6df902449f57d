package io.connectha.cli;

import io.connectha.cli.check.CheckCommand;
import io.connectha.cli.check.LagCommand;
import io.connectha.cli.check.SlotsCommand;
import io.connectha.cli.config.ConfigCommand;
import io.connectha.cli.drill.DrillCommand;
import io.connectha.cli.etcd.EtcdCommand;
import io.connectha.cli.haproxy.HaproxyCommand;
import io.connectha.cli.lab.LabCommand;
import io.connectha.cli.patroni.PatroniCommand;
import io.connectha.cli.pgbouncer.PgbouncerCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;

import java.util.List;
import java.util.Optional;

/**
 * The command tree, registered in code rather than in annotations, so that a run builds only the
 * branch it uses. picocli builds every registered command by reflection when the tree is made:
 * for all 45 commands that is about 200 ms of a fresh JVM (measured), the largest cost of a cron
 * check. Help, completion and man pages get the whole tree.
 */
public final class CommandTree {

    /** The children of {@code connect ha}, in the order --help lists them. */
    static final List<Class<?>> HA_CHILDREN = List.of(StatusCommand.class, DashboardCommand.class, CheckCommand.class, LagCommand.class,
            SlotsCommand.class, PatroniCommand.class, EtcdCommand.class, PgbouncerCommand.class, HaproxyCommand.class,
            DsnCommand.class, DrillCommand.class, ConfigCommand.class, LabCommand.class, io.connectha.cli.replication.ReplicationCommand.class);

    /** Root options that take a value, so that their value is not read as a command name. */
    private static final List<String> OPTIONS_WITH_VALUE = List.of("-c", "--cluster");

    private CommandTree() {
    }

    /** Every command. */
    public static CommandLine full(ConnectCommand root) {
        return build(root, HA_CHILDREN, true);
    }

    /**
     * Only the branch {@code args} names (such as {@code ha lag ...}). With no command at all
     * ({@code --help}, {@code --version}), only the root and {@code ha} itself: the root's help lists
     * {@code ha} by its description, and nothing below it is read. Otherwise the whole tree.
     * A run below {@code ha} also goes without the root's {@code help} command, which it cannot reach:
     * picocli's {@code HelpCommand} is the only command with {@code @Parameters}, so building it costs
     * a run one more annotation type (a proxy class spun on every run) and its reflection.
     */
    public static CommandLine forArgs(ConnectCommand root, String[] args) {
        List<String> words = positionals(args);
        if (words.isEmpty()) {
            return build(root, List.of(), true);
        }
        if (words.size() >= 2 && words.get(0).equals("ha")) {
            Optional<Class<?>> child = HA_CHILDREN.stream().filter(c -> name(c).equals(words.get(1))).findFirst();
            if (child.isPresent()) {
                return build(root, List.of(child.get()), false);
            }
        }
        return full(root);
    }

    private static CommandLine build(ConnectCommand root, List<Class<?>> children, boolean withHelpCommand) {
        CommandLine ha = new CommandLine(new HaCommand());
        for (Class<?> child : children) {
            ha.addSubcommand(name(child), instantiate(child));
        }
        CommandLine connect = new CommandLine(root);
        connect.addSubcommand("ha", ha);
        if (withHelpCommand) {
            connect.addSubcommand("help", new CommandLine.HelpCommand());
        }
        return connect;
    }

    private static String name(Class<?> command) {
        return command.getAnnotation(Command.class).name();
    }

    private static Object instantiate(Class<?> command) {
        try {
            return command.getDeclaredConstructor().newInstance();
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot create " + command.getName(), e);
        }
    }

    private static List<String> positionals(String[] args) {
        List<String> words = new java.util.ArrayList<>();
        for (int i = 0; i < args.length && words.size() < 2; i++) {
            String a = args[i];
            if (a.startsWith("-")) {
                if (OPTIONS_WITH_VALUE.contains(a)) {
                    i++;
                }
                continue;
            }
            words.add(a);
        }
        return words;
    }
}
