package io.connectha.discover;

import io.connectha.error.ConnectError;

import java.util.ArrayList;
import java.util.List;

/** What discovery has learnt so far and from where, what it has not, and which live sources did not answer. */
final class Findings {

    final List<DiscoveryReport.Found> found = new ArrayList<>();
    final List<DiscoveryReport.Missing> missing = new ArrayList<>();
    final List<String> warnings = new ArrayList<>();
    /** Live sources that did not answer: their errors, first first. */
    final List<ConnectError> unreachable = new ArrayList<>();

    void found(String item, Object value, String source) {
        found.add(new DiscoveryReport.Found(item, String.valueOf(value), source));
    }

    void missing(String item, String reason) {
        missing.add(new DiscoveryReport.Missing(item, reason));
    }

    /** A live source that did not answer: missing, and counted when it was unreachable (not merely refusing). */
    void noAnswer(String source, ConnectError e) {
        if (e.kind() == ConnectError.Kind.UNREACHABLE) {
            unreachable.add(e);
        }
        missing(source, e.getMessage());
    }
}
