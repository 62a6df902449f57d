/**
 * {@code connect ha monitor}: a resident observer. It gathers the cluster's state with the status
 * session (one way to gather, shared with the dashboard), watches Patroni's leader key in etcd, probes
 * the application's write and read paths as a client does, keeps availability against an SLO, and
 * emits events when something changes. Scrapes read the last gathered state and never wait on a component.
 */
package io.connectha.monitor;
