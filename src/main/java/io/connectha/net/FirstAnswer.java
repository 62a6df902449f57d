package io.connectha.net;

import io.connectha.error.ConnectError;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionService;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorCompletionService;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * Asks several targets the same question at once and takes the first good answer, under one
 * deadline for all of them. Asking one after another would cost a black-holed target's timeout for
 * each, so a cluster of three dead members took three times what one took.
 */
public final class FirstAnswer {

    private FirstAnswer() {
    }

    /**
     * The first answer any of {@code targets} gives to {@code call} within {@code deadline}. Refused
     * credentials or invalid input end it at once, since every target would say the same. When none
     * answers, the error is the first target's (in the order given) that is not "unreachable", as a
     * failure says more than a silence; else the first target's. A target still silent at the deadline
     * counts as unreachable, with the error {@code late} makes for it.
     */
    public static <T, R> R among(List<T> targets, Function<T, R> call, Function<T, ConnectError> late, Duration deadline) {
        if (targets.isEmpty()) {
            throw ConnectError.invalidInput("nothing to ask: the cluster file lists no members");
        }
        // daemon threads: a call stuck in a socket read past the deadline must not keep the JVM alive
        ExecutorService pool = Executors.newFixedThreadPool(targets.size(), r -> {
            Thread t = new Thread(r, "first-answer");
            t.setDaemon(true);
            return t;
        });
        try {
            CompletionService<R> answers = new ExecutorCompletionService<>(pool);
            List<Future<R>> futures = new ArrayList<>();
            for (T target : targets) {
                futures.add(answers.submit(() -> call.apply(target)));
            }
            ConnectError[] errors = new ConnectError[targets.size()];
            long until = System.nanoTime() + deadline.toNanos();
            for (int pending = targets.size(); pending > 0; pending--) {
                Future<R> done = answers.poll(Math.max(0, until - System.nanoTime()), TimeUnit.NANOSECONDS);
                if (done == null) {
                    break;
                }
                try {
                    return done.get();
                } catch (ExecutionException e) {
                    ConnectError error = asConnectError(e.getCause());
                    // refused credentials or a bad request would be refused by every target alike: no point waiting
                    if (error.kind() == ConnectError.Kind.AUTHENTICATION_FAILED || error.kind() == ConnectError.Kind.INVALID_INPUT) {
                        throw error;
                    }
                    errors[futures.indexOf(done)] = error;
                }
            }
            for (int i = 0; i < errors.length; i++) {
                if (errors[i] == null) {
                    errors[i] = late.apply(targets.get(i));
                }
            }
            for (ConnectError e : errors) {
                if (e.kind() != ConnectError.Kind.UNREACHABLE) {
                    throw e;
                }
            }
            throw errors[0];
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ConnectError(ConnectError.Kind.FAILURE, "interrupted", e);
        } finally {
            pool.shutdownNow();
        }
    }

    static ConnectError asConnectError(Throwable t) {
        if (t instanceof ConnectError e) {
            return e;
        }
        String message = t.getMessage() == null ? "unexpected error" : t.getMessage().lines().findFirst().orElse("unexpected error");
        return new ConnectError(ConnectError.Kind.FAILURE, message, t);
    }
}
