package dev.recdata.export.serve;

import dev.recdata.common.JdbcTarget;
import dev.recdata.common.RecdataException;
import java.nio.file.Path;

/**
 * How {@code recdata serve} runs.
 *
 * @param run a pipeline root whose {@code latest} names the run served, a run folder, or an export
 *     folder
 * @param port 0 picks a free port
 * @param topK items answered per user (at most what the export holds)
 * @param pollMillis how often {@code run} is checked for a new version; 0 = never (tests reload by
 *     hand)
 * @param jdbc where feedback goes; null = {@code /feedback} answers 503
 * @param poolSize PostgreSQL connections kept for feedback
 * @param dbTimeoutMillis how long a feedback request waits for a connection before it is answered
 *     503
 */
public record ServeOptions(
    Path run,
    String host,
    int port,
    int topK,
    long pollMillis,
    JdbcTarget jdbc,
    String feedbackTable,
    int poolSize,
    long dbTimeoutMillis) {
  public ServeOptions {
    RecdataException.checkInput(
        run != null, "--run is required: a pipeline root, run folder or export folder");
    RecdataException.checkInput(
        port >= 0 && port <= 65535, "--port %d is not a port: expected 0 to 65535", port);
    RecdataException.checkInput(topK >= 1, "--top-k %d must be at least 1", topK);
    RecdataException.checkInput(pollMillis >= 0, "--poll-seconds must be 0 or more");
    RecdataException.checkInput(poolSize >= 1, "--pool-size %d must be at least 1", poolSize);
    RecdataException.checkInput(
        dbTimeoutMillis >= 1, "--db-timeout-ms %d must be at least 1", dbTimeoutMillis);
  }
}
