package io.connectha.lab;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.RandomAccessFile;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** The end of log files, as {@code tail} shows them, and following them with {@code -f}. */
public final class LogTail {

    private LogTail() {
    }

    public static void print(PrintWriter out, Map<String, Path> logs, int lines, boolean follow) {
        Map<Path, Long> offsets = new HashMap<>();
        boolean headers = logs.size() > 1;
        try {
            for (Map.Entry<String, Path> e : logs.entrySet()) {
                if (headers) {
                    out.println("==> " + e.getKey() + " (" + e.getValue() + ") <==");
                }
                List<String> all = Files.readAllLines(e.getValue(), StandardCharsets.UTF_8);
                all.subList(Math.max(0, all.size() - lines), all.size()).forEach(out::println);
                offsets.put(e.getValue(), Files.size(e.getValue()));
                if (headers) {
                    out.println();
                }
            }
            out.flush();
            while (follow && !Thread.currentThread().isInterrupted()) {
                for (Map.Entry<String, Path> e : logs.entrySet()) {
                    long from = offsets.get(e.getValue());
                    long size = Files.size(e.getValue());
                    if (size > from) {
                        try (RandomAccessFile f = new RandomAccessFile(e.getValue().toFile(), "r")) {
                            f.seek(from);
                            byte[] buf = new byte[(int) (size - from)];
                            f.readFully(buf);
                            String text = new String(buf, StandardCharsets.UTF_8);
                            for (String line : text.split("\n")) {
                                out.println(headers ? e.getKey() + ": " + line : line);
                            }
                        }
                        offsets.put(e.getValue(), size);
                        out.flush();
                    }
                }
                Thread.sleep(250);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
