package io.connectha.status;

import io.connectha.error.ConnectError;

/**
 * What one question to one component got: the answer, or why there is none and what kind of failure
 * that was. A question not asked has neither (the read port of a one-member cluster).
 */
record Outcome<T>(T value, String error, ConnectError.Kind kind) {

    static <T> Outcome<T> answered(T value) {
        return new Outcome<>(value, null, null);
    }

    static <T> Outcome<T> failed(ConnectError.Kind kind, String error) {
        return new Outcome<>(null, error, kind);
    }

    static <T> Outcome<T> notAsked() {
        return new Outcome<>(null, null, null);
    }

    boolean ok() {
        return error == null;
    }

    boolean authenticationFailed() {
        return kind == ConnectError.Kind.AUTHENTICATION_FAILED;
    }
}
