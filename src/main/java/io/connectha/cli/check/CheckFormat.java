package io.connectha.cli.check;

/** Output of the checks: a Nagios line, JSON or YAML, Prometheus text, or a table for people. */
public enum CheckFormat { nagios, json, yaml, prometheus, table }
