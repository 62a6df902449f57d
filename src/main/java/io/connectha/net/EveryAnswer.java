package io.connectha.net;

import io.connectha.error.ConnectError;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;

/**
 * Asks several targets the same question at once and keeps every answer, under one deadline for all:
 * what a per-member view (versions, restarts, reloads) needs, where {@link FirstAnswer} stops at the first.
 */
public final class EveryAnswer {

    private EveryAnswer() {
    }

    /** One target's answer, or why there is none. */
    public record Answer<T, R>(T target, R value, ConnectError error) {
        public boolean ok() {
            return error == null;
        }
    }

    /**
     * Each target's answer to {@code call}, in the order of {@code targets}. A target still silent at
     * {@code deadline} gets the error {@code late} makes for it; its thread is a daemon and is left behind.
     */
    public static <T, R> List<Answer<T, R>> of(List<T> targets, Function<T, R> call, Function<T, ConnectError> late, Duration deadline) {
        if (targets.isEmpty()) {
            return List.of();
        }
        ExecutorService pool = Executors.newFixedThreadPool(targets.size(), r -> {
            Thread t = new Thread(r, "every-answer");
            t.setDaemon(true);
            return t;
        });
        try {
            List<Future<R>> futures = new ArrayList<>();
            for (T target : targets) {
                futures.add(pool.submit(() -> call.apply(target)));
            }
            long until = System.nanoTime() + deadline.toNanos();
            List<Answer<T, R>> answers = new ArrayList<>();
            for (int i = 0; i < targets.size(); i++) {
                T target = targets.get(i);
                try {
                    answers.add(new Answer<>(target, futures.get(i).get(Math.max(0, until - System.nanoTime()), TimeUnit.NANOSECONDS), null));
                } catch (TimeoutException e) {
                    answers.add(new Answer<>(target, null, late.apply(target)));
                } catch (ExecutionException e) {
                    answers.add(new Answer<>(target, null, FirstAnswer.asConnectError(e.getCause())));
                }
            }
            return answers;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ConnectError(ConnectError.Kind.FAILURE, "interrupted", e);
        } finally {
            pool.shutdownNow();
        }
    }
}
