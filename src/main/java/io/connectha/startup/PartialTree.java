package io.connectha.startup;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * Which commands a run builds: only the branch its arguments name. picocli builds every registered
 * command when the tree is made, and all 45 cost a fresh JVM more than the command it runs
 * (docs/bench.md: switched off, a lag check took 50 % more CPU and --help twice as much).
 */
public final class PartialTree {

    /**
     * The children of {@code ha} to build, and whether the root's {@code help} command is built too.
     * A run below {@code ha} goes without the root's {@code help} command, which it cannot reach:
     * building picocli's {@code HelpCommand} costs a run one more annotation type and its reflection.
     */
    public record Branch(List<Class<?>> haChildren, boolean withHelpCommand) {
    }

    private PartialTree() {
    }

    /**
     * The branch {@code args} names (such as {@code ha lag ...}): that child of {@code ha} alone. With no
     * command at all ({@code --help}, {@code --version}), no child: the root's help lists {@code ha} by its
     * description. Otherwise, or with the piece switched off, the whole tree.
     */
    public static Branch forArgs(String[] args, List<String> optionsWithValue, List<Class<?>> haChildren,
                                 Function<Class<?>, String> name) {
        Branch whole = new Branch(haChildren, true);
        if (!StartupSwitches.on("partial-tree")) {
            return whole;
        }
        List<String> words = positionals(args, optionsWithValue);
        if (words.isEmpty()) {
            return new Branch(List.of(), true);
        }
        if (words.size() >= 2 && words.get(0).equals("ha")) {
            for (Class<?> child : haChildren) {
                if (name.apply(child).equals(words.get(1))) {
                    return new Branch(List.of(child), false);
                }
            }
        }
        return whole;
    }

    private static List<String> positionals(String[] args, List<String> optionsWithValue) {
        List<String> words = new ArrayList<>();
        for (int i = 0; i < args.length && words.size() < 2; i++) {
            String a = args[i];
            if (a.startsWith("-")) {
                if (optionsWithValue.contains(a)) {
                    i++;
                }
                continue;
            }
            words.add(a);
        }
        return words;
    }
}
