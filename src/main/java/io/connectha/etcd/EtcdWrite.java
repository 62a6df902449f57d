package io.connectha.etcd;

/**
 * The outcome of a compare-and-swap write.
 *
 * @param written        whether the key still had {@code readRevision} and now holds the new value
 * @param readRevision   the key's mod_revision when it was read, the one the write was conditioned on
 * @param modRevision    the key's mod_revision now: the write's when written, else whoever's came in between
 *                       (0 when the key is gone)
 */
public record EtcdWrite(boolean written, long readRevision, long modRevision) {
}
