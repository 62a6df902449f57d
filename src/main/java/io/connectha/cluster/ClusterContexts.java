package io.connectha.cluster;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What the contexts file holds: the contexts in the order they were added, and the current one (null for none).
 * Immutable: a change gives a new value, which {@link ContextStore} writes.
 */
public record ClusterContexts(List<ClusterContext> contexts, String current) {

    public static final ClusterContexts EMPTY = new ClusterContexts(List.of(), null);

    public ClusterContexts {
        contexts = List.copyOf(contexts);
    }

    public Optional<ClusterContext> find(String name) {
        return contexts.stream().filter(c -> c.name().equals(name)).findFirst();
    }

    public Optional<ClusterContext> currentContext() {
        return current == null ? Optional.empty() : find(current);
    }

    public List<String> names() {
        return contexts.stream().map(ClusterContext::name).toList();
    }

    /** With {@code name} naming {@code file}: added at the end, or replaced in its place. */
    ClusterContexts with(String name, Path file) {
        List<ClusterContext> list = new ArrayList<>(contexts);
        ClusterContext context = new ClusterContext(name, file);
        int at = names().indexOf(name);
        if (at >= 0) {
            list.set(at, context);
        } else {
            list.add(context);
        }
        return new ClusterContexts(list, current);
    }

    /** Without {@code name}; when it was current, no context is current any more. */
    ClusterContexts without(String name) {
        return new ClusterContexts(contexts.stream().filter(c -> !c.name().equals(name)).toList(),
                name.equals(current) ? null : current);
    }

    ClusterContexts withCurrent(String name) {
        return new ClusterContexts(contexts, name);
    }
}
