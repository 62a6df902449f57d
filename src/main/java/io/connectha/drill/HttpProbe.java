package io.connectha.drill;

import io.connectha.error.ConnectError;
import io.connectha.net.Http;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Probes an HTTP URL (the application's health endpoint) at a fixed rate during a drill, as the seed's
 * k6 test did: a 2xx answer is up, anything else (another status, a refused connection, a timeout) is
 * down. Each probe has a connect and a read timeout of the interval or 1 s, whichever is longer.
 */
final class HttpProbe {

    /** What the probe saw: probes sent, those that failed, and the longest run of failures (ns). */
    record Result(String url, long probes, long failed, long longestOutageNanos, String lastError) {
    }

    private record Sample(long atNanos, boolean up, String error) {
    }

    private final String url;
    private final Duration interval;
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final List<Sample> samples = new ArrayList<>();
    private Thread thread;

    HttpProbe(String url, Duration interval) {
        this.url = url;
        this.interval = interval;
    }

    void start() {
        Duration timeout = interval.compareTo(Duration.ofSeconds(1)) > 0 ? interval : Duration.ofSeconds(1);
        thread = new Thread(() -> {
            try (Http http = Http.forUrl(url, timeout, timeout)) {
                while (running.get()) {
                    long tick = System.nanoTime();
                    Sample s;
                    try {
                        Http.Reply r = http.get(url, "the HTTP probe", url);
                        s = new Sample(tick, r.ok(), r.ok() ? null : "HTTP " + r.code());
                    } catch (ConnectError e) {
                        s = new Sample(tick, false, e.getMessage());
                    }
                    synchronized (samples) {
                        samples.add(s);
                    }
                    WriteLoad.pause(Math.max(0, interval.toMillis() - Drills.ms(System.nanoTime() - tick)));
                }
            }
        }, "drill-http-probe");
        thread.setDaemon(true);
        thread.start();
    }

    Result stop() {
        running.set(false);
        WriteLoad.join(List.of(thread));
        synchronized (samples) {
            return summarise(url, samples);
        }
    }

    private static Result summarise(String url, List<Sample> samples) {
        long failed = 0;
        long longest = 0;
        long downSince = -1;
        String lastError = null;
        for (Sample s : samples) {
            if (s.up()) {
                if (downSince >= 0) {
                    longest = Math.max(longest, s.atNanos() - downSince);
                    downSince = -1;
                }
            } else {
                failed++;
                lastError = s.error();
                if (downSince < 0) {
                    downSince = s.atNanos();
                }
            }
        }
        if (downSince >= 0 && !samples.isEmpty()) {
            longest = Math.max(longest, samples.get(samples.size() - 1).atNanos() - downSince);
        }
        return new Result(url, samples.size(), failed, longest, lastError);
    }
}
