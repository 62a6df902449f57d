package io.connectha.cli;

import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

import java.net.InetSocketAddress;

/** {@code HOST:PORT}, {@code :PORT} (every address) or {@code [IPV6]:PORT}: where a server listens. Nothing is resolved here. */
public final class ListenConverter implements ITypeConverter<InetSocketAddress> {

    @Override
    public InetSocketAddress convert(String text) {
        String t = text.strip();
        int colon = t.lastIndexOf(':');
        if (colon < 0) {
            throw new TypeConversionException("'" + t + "' is not HOST:PORT (for example 127.0.0.1:9187)");
        }
        String host = t.substring(0, colon);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        int port;
        try {
            port = Integer.parseInt(t.substring(colon + 1));
        } catch (NumberFormatException e) {
            throw new TypeConversionException("'" + t + "' has no port number after the last ':'");
        }
        if (port < 0 || port > 65535) {
            throw new TypeConversionException("port " + port + " is not between 0 and 65535");
        }
        return host.isEmpty() ? new InetSocketAddress(port) : InetSocketAddress.createUnresolved(host, port);
    }
}
