package dev.recdata.export;

import com.fasterxml.jackson.databind.node.ObjectNode;

/** What an export wrote: its run id, folder, row counts per set and the manifest as written. */
public record ExportSummary(
    String runId, String outputDir, ObjectNode counts, ObjectNode manifest) {}
