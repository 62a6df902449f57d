package io.connectha.check;

import java.util.List;

/** One check item judged: its Nagios state, what it found, and its perfdata. */
public record ItemResult(CheckItem item, CheckStatus status, ItemFacts facts, List<Measure> measures) {
}
