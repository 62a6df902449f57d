package io.connectha.cli;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;

/** Entry point: builds the command tree, wires error handling and logging, and exits with the command's code. */
public final class Main {

    private Main() {
    }

    public static void main(String[] args) {
        CommandLine tree = commandLineFor(args);
        int code = tree.execute(args);
        System.exit(code);
    }

    /** The tree a run with these arguments uses: only the branch they name (see {@link CommandTree#forArgs}). */
    static CommandLine commandLineFor(String[] args) {
        ConnectCommand root = new ConnectCommand();
        return configure(CommandTree.forArgs(root, args), root);
    }

    /** The whole tree, ready to execute; tests use it with their own out and err writers. */
    public static CommandLine newCommandLine() {
        ConnectCommand root = new ConnectCommand();
        return configure(CommandTree.full(root), root);
    }

    /** Error handling and logging for a tree; after the tree is built, since picocli applies them to the commands present. */
    private static CommandLine configure(CommandLine cmd, ConnectCommand root) {
        exitCodes(cmd, true);
        ErrorHandler errors = new ErrorHandler(root.global);
        cmd.setExecutionExceptionHandler(errors);
        cmd.setParameterExceptionHandler(errors);
        cmd.setExecutionStrategy(parseResult -> {
            if (root.global.clusterFile() != null && root.global.context() != null) {
                // a usage error for every command, also one that reads no cluster file
                CommandLine.ParseResult leaf = parseResult;
                while (leaf.hasSubcommand()) {
                    leaf = leaf.subcommand();
                }
                throw new CommandLine.ParameterException(leaf.commandSpec().commandLine(), CommandContext.BOTH_CLUSTER_AND_CONTEXT);
            }
            configureLogging(root.global);
            return new CommandLine.RunLast().execute(parseResult);
        });
        return cmd;
    }

    /** Commands that name no exit codes of their own list those of a command that asks the components. */
    private static void exitCodes(CommandLine cmd, boolean top) {
        CommandLine.Model.UsageMessageSpec usage = cmd.getCommandSpec().usageMessage();
        if (usage.exitCodeListHeading() == null || usage.exitCodeListHeading().isEmpty()) {
            usage.exitCodeListHeading("%nExit codes:%n");
        }
        if (usage.exitCodeList().isEmpty()) {
            Object command = cmd.getCommandSpec().userObject();
            String[] lines = top || command instanceof HaCommand ? ExitCodes.ALL
                    // a group alone only shows its usage
                    : command instanceof GroupCommand || command instanceof CommandLine.HelpCommand ? new String[] {ExitCodes.LINE_OK, ExitCodes.LINE_USAGE}
                    : ExitCodes.NETWORK_COMMAND;
            java.util.Map<String, String> list = new java.util.LinkedHashMap<>();
            for (String line : lines) {
                list.put(line.substring(0, line.indexOf(':')), line.substring(line.indexOf(':') + 1));
            }
            usage.exitCodeList(list);
        }
        cmd.getSubcommands().values().forEach(sub -> exitCodes(sub, false));
    }

    static void configureLogging(GlobalOptions global) {
        // pgjdbc's own loggers are set when it is first used, so that a run that never opens a JDBC
        // connection does not start java.util.logging
        io.connectha.pg.PgjdbcLogging.verbose(global.verbose());
        // Logback starts only when something logs (LoggingConfigurator sets the quiet defaults then);
        // touching it here for every command would cost its start-up on every run
        if (global.verbose() || global.quiet()) {
            Level level = global.verbose() ? Level.DEBUG : Level.ERROR;
            ((Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME)).setLevel(level);
            if (global.verbose()) {
                for (String chatty : LoggingConfigurator.CHATTY) {
                    ((Logger) LoggerFactory.getLogger(chatty)).setLevel(Level.DEBUG);
                }
            }
        }
    }
}
