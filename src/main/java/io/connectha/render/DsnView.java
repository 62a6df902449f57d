package io.connectha.render;

import io.connectha.config.Dsn;

import java.io.PrintWriter;

/** The connection string alone on one line, so that {@code $(connect ha dsn)} is the string. */
public final class DsnView {

    private DsnView() {
    }

    public static void print(PrintWriter out, Dsn dsn) {
        out.println(dsn.dsn());
    }
}
