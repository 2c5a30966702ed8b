package dev.recdata.etl;

import com.fasterxml.jackson.databind.node.ObjectNode;

/** What an etl run produced; the same numbers are in its manifest. */
public record EtlSummary(
    String runId,
    long input,
    long output,
    long rejected,
    long deduplicated,
    long filtered,
    long users,
    long items,
    ObjectNode manifest) {}
