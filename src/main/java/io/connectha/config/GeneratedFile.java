package io.connectha.config;

/**
 * One file a generator produces, relative to the output directory.
 *
 * @param kind decides the mode it is written with, and whether its content may be shown
 */
public record GeneratedFile(String path, String content, Kind kind) {

    public enum Kind {
        /** 0644, shown in diffs. */
        CONFIG("rw-r--r--"),
        /** 0600, shown in diffs with password hashes masked: a config that carries a hash. */
        PRIVATE_CONFIG("rw-------"),
        /** 0600, never shown: passwords, SCRAM verifiers, password hashes. */
        SECRET("rw-------"),
        /** 0700 and never shown: a script that carries secrets. */
        SECRET_SCRIPT("rwx------");

        private final String permissions;

        Kind(String permissions) {
            this.permissions = permissions;
        }

        public String permissions() {
            return permissions;
        }

        /** The mode in octal, as chmod takes it: 0644. */
        public String octal() {
            int bits = 0;
            for (char c : permissions.toCharArray()) {
                bits = (bits << 1) | (c == '-' ? 0 : 1);
            }
            return String.format("%04o", bits);
        }

        /** Whether the content must never be shown, not even in a diff. */
        public boolean secret() {
            return this == SECRET || this == SECRET_SCRIPT;
        }
    }

    public static GeneratedFile config(String path, String content) {
        return new GeneratedFile(path, content, Kind.CONFIG);
    }

    public static GeneratedFile secret(String path, String content) {
        return new GeneratedFile(path, content, Kind.SECRET);
    }
}
