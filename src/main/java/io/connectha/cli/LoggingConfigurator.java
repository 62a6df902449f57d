package io.connectha.cli;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.Configurator;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.spi.ContextAwareBase;

/**
 * Logback configured in code (found through the ServiceLoader): every log line goes to stderr,
 * never stdout, and no XML is parsed at start-up.
 */
public final class LoggingConfigurator extends ContextAwareBase implements Configurator {

    /**
     * Quiet unless -v: the gRPC, Netty and Vert.x stacks under jetcd are chatty at INFO even when all
     * is well, and jetcd warns of every failed call it would retry; the command reports failures itself.
     */
    static final String[] CHATTY = {"io.grpc", "io.netty", "io.vertx", "io.etcd"};

    @Override
    public ExecutionStatus configure(LoggerContext context) {
        PatternLayoutEncoder encoder = new PatternLayoutEncoder();
        encoder.setContext(context);
        encoder.setPattern("%d{HH:mm:ss.SSS} %-5level %logger{20} - %msg%n");
        encoder.start();

        ConsoleAppender<ILoggingEvent> stderr = new ConsoleAppender<>();
        stderr.setContext(context);
        stderr.setName("stderr");
        stderr.setTarget("System.err");
        stderr.setEncoder(encoder);
        stderr.start();

        Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
        root.setLevel(Level.WARN);
        root.addAppender(stderr);
        for (String chatty : CHATTY) {
            context.getLogger(chatty).setLevel(Level.ERROR);
        }
        return ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY;
    }
}
