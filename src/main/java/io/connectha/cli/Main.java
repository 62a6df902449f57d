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
        int code = newCommandLine().execute(args);
        System.exit(code);
    }

    /** The whole tree, ready to execute; tests use it with their own out and err writers. */
    public static CommandLine newCommandLine() {
        ConnectCommand root = new ConnectCommand();
        CommandLine cmd = new CommandLine(root);
        ErrorHandler errors = new ErrorHandler(root.global);
        cmd.setExecutionExceptionHandler(errors);
        cmd.setParameterExceptionHandler(errors);
        cmd.setExecutionStrategy(parseResult -> {
            configureLogging(root.global);
            return new CommandLine.RunLast().execute(parseResult);
        });
        return cmd;
    }

    /** Held so that the JDK does not collect it and forget its level. */
    private static final java.util.logging.Logger PGJDBC = java.util.logging.Logger.getLogger("org.postgresql");

    static void configureLogging(GlobalOptions global) {
        // pgjdbc logs through java.util.logging straight to stderr; its warnings (such as PgBouncer's
        // "unsupported server version") are noise unless debugging
        PGJDBC.setLevel(global.verbose() ? java.util.logging.Level.FINE : java.util.logging.Level.OFF);
        Level level = global.verbose() ? Level.DEBUG : global.quiet() ? Level.ERROR : Level.WARN;
        ((Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME)).setLevel(level);
        if (!global.verbose()) {
            // the gRPC and Netty stacks under jetcd are chatty at INFO even when all is well
            ((Logger) LoggerFactory.getLogger("io.grpc")).setLevel(Level.ERROR);
            ((Logger) LoggerFactory.getLogger("io.netty")).setLevel(Level.ERROR);
            ((Logger) LoggerFactory.getLogger("io.vertx")).setLevel(Level.ERROR);
            // jetcd warns of every failed call it would retry; the command reports the failure itself, once
            ((Logger) LoggerFactory.getLogger("io.etcd")).setLevel(Level.ERROR);
        }
    }
}
