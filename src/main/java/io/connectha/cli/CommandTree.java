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
import io.connectha.startup.CommandModel;
import io.connectha.startup.PartialTree;
import io.connectha.startup.StartupSwitches;
import picocli.CommandLine;
import picocli.CommandLine.Command;

import java.util.List;
import java.util.Optional;

/**
 * The command tree, registered in code rather than in annotations, so that a run builds only the
 * branch it uses ({@link PartialTree}), from the jar's command model ({@link CommandModel}). Help,
 * completion and man pages get the whole tree.
 */
public final class CommandTree {

    /** The children of {@code connect ha}, in the order --help lists them. */
    static final List<Class<?>> HA_CHILDREN = List.of(StatusCommand.class, DashboardCommand.class, MonitorCommand.class, CheckCommand.class, LagCommand.class,
            SlotsCommand.class, PatroniCommand.class, EtcdCommand.class, PgbouncerCommand.class, HaproxyCommand.class,
            DsnCommand.class, DrillCommand.class, ConfigCommand.class, io.connectha.cli.context.ContextCommand.class, DiscoverCommand.class,
            LabCommand.class, io.connectha.cli.replication.ReplicationCommand.class);

    /** Root options that take a value, so that their value is not read as a command name. */
    private static final List<String> OPTIONS_WITH_VALUE = List.of("-c", "--cluster", "--context");

    private CommandTree() {
    }

    /** Every command, from its annotations (help, completion, man pages, and tests read this tree). */
    public static CommandLine full(ConnectCommand root) {
        return build(root, HA_CHILDREN, true, null);
    }

    /** Only the branch {@code args} names ({@link PartialTree}), each command from the jar's command model. */
    public static CommandLine forArgs(ConnectCommand root, String[] args) {
        return forArgs(root, args, StartupSwitches.on("command-model") ? CommandModel.bundled() : null);
    }

    /** Every command, each from {@code model}'s snapshot where it has one (tests compare it with {@link #full}). */
    static CommandLine full(ConnectCommand root, CommandModel model) {
        return build(root, HA_CHILDREN, true, model);
    }

    /** As {@link #forArgs(ConnectCommand, String[])}, with the commands built from {@code model} (tests). */
    static CommandLine forArgs(ConnectCommand root, String[] args, CommandModel model) {
        PartialTree.Branch branch = PartialTree.forArgs(args, OPTIONS_WITH_VALUE, HA_CHILDREN, child -> name(child, model));
        return build(root, branch.haChildren(), branch.withHelpCommand(), model);
    }

    /** The tree; each command from {@code model}'s snapshot where it has one, else (and with no model) from its annotations. */
    private static CommandLine build(ConnectCommand root, List<Class<?>> children, boolean withHelpCommand, CommandModel model) {
        CommandLine ha = commandLine(new HaCommand(), model);
        for (Class<?> child : children) {
            ha.addSubcommand(name(child, model), commandLine(instantiate(child), model));
        }
        CommandLine connect = commandLine(root, model);
        connect.addSubcommand("ha", ha);
        if (withHelpCommand) {
            connect.addSubcommand("help", commandLine(new CommandLine.HelpCommand(), model));
        }
        return connect;
    }

    private static CommandLine commandLine(Object command, CommandModel model) {
        return model == null ? new CommandLine(command) : model.commandLine(command);
    }

    /** A command's name: from the snapshot when it has the class (reading the annotation costs a run its first annotation proxy). */
    private static String name(Class<?> command, CommandModel model) {
        if (model != null) {
            Optional<String> name = model.name(command);
            if (name.isPresent()) {
                return name.get();
            }
        }
        return command.getAnnotation(Command.class).name();
    }

    private static Object instantiate(Class<?> command) {
        try {
            return command.getDeclaredConstructor().newInstance();
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot create " + command.getName(), e);
        }
    }
}
