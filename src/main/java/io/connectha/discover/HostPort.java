package io.connectha.discover;

/** {@code host:port}; null for text that is not one. */
record HostPort(String host, int port) {

    static HostPort parse(String text) {
        if (text == null) {
            return null;
        }
        int colon = text.lastIndexOf(':');
        if (colon < 0) {
            return null;
        }
        try {
            String host = text.substring(0, colon);
            return new HostPort(host.isEmpty() ? "*" : host, Integer.parseInt(text.substring(colon + 1)));
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /** A bind address that means every address: no address a client can be given. */
    static boolean isWildcard(String host) {
        return host.equals("*") || host.equals("0.0.0.0") || host.equals("::") || host.isEmpty();
    }
}
