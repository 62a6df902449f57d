package io.connectha.cluster;

import io.connectha.error.ConnectError;

import java.util.List;

/** A context name that the contexts file does not hold; the command line adds what was probably meant. */
public final class UnknownContextException extends ConnectError {

    private final String name;
    private final List<String> known;
    private final String from;

    /** @param from where the name came from when it was not typed on this command line ("CONNECT_CONTEXT"), else null */
    public UnknownContextException(String name, List<String> known, String from) {
        super(Kind.INVALID_INPUT, message(name, known, from, List.of()));
        this.name = name;
        this.known = List.copyOf(known);
        this.from = from;
    }

    public String name() {
        return name;
    }

    public List<String> known() {
        return known;
    }

    /** The message, naming {@code closest} as what was probably meant when there is any. */
    public String messageWith(List<String> closest) {
        return message(name, known, from, closest);
    }

    private static String message(String name, List<String> known, String from, List<String> closest) {
        String what = "unknown context '" + name + "'" + (from == null ? "" : " (from " + from + ")");
        if (known.isEmpty()) {
            return what + ": there are no contexts yet; add one with 'connect ha context add NAME FILE'";
        }
        if (!closest.isEmpty()) {
            List<String> quoted = closest.stream().map(c -> "'" + c + "'").toList();
            String or = quoted.size() == 1 ? quoted.get(0)
                    : String.join(", ", quoted.subList(0, quoted.size() - 1)) + " or " + quoted.get(quoted.size() - 1);
            return what + "; did you mean " + or + "?";
        }
        return what + "; known contexts: " + String.join(", ", known);
    }
}
