package dev.recdata.export.serve;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * serve's metrics, scraped from {@code GET /metrics} in Prometheus text format: {@code
 * recdata_serve_requests_total} and {@code recdata_serve_errors_total} per endpoint (errors also
 * per status), the latency histogram {@code recdata_serve_request_seconds}, {@code
 * recdata_serve_feedback_rows_total}, and {@code recdata_serve_model_info} (1, labelled with the
 * model version served) with the served users and time of the last swap.
 */
public final class ServeMetrics {
  private final PrometheusMeterRegistry registry =
      new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private final Map<String, Counter> requests = new ConcurrentHashMap<>();
  private final Map<String, Timer> latency = new ConcurrentHashMap<>();
  private final Map<String, Counter> errors = new ConcurrentHashMap<>();
  private final Counter feedbackRows;
  private final MultiGauge modelInfo;
  private final AtomicLong modelUsers = new AtomicLong();
  private final AtomicLong modelLoadedAt = new AtomicLong();

  public ServeMetrics() {
    feedbackRows =
        Counter.builder("recdata.serve.feedback.rows")
            .description("Feedback rows committed to PostgreSQL")
            .register(registry);
    modelInfo =
        MultiGauge.builder("recdata.serve.model.info")
            .description("1 for the model version served")
            .register(registry);
    registry.gauge("recdata.serve.model.users", modelUsers);
    registry.gauge("recdata.serve.model.loaded.timestamp.seconds", modelLoadedAt);
  }

  /** Counts one request of {@code endpoint} answered with {@code status} after {@code nanos}. */
  public void record(String endpoint, int status, long nanos) {
    requests
        .computeIfAbsent(
            endpoint,
            e ->
                Counter.builder("recdata.serve.requests")
                    .tag("endpoint", e)
                    .description("Requests answered")
                    .register(registry))
        .increment();
    latency
        .computeIfAbsent(
            endpoint,
            e ->
                Timer.builder("recdata.serve.request")
                    .tag("endpoint", e)
                    .description("Request latency")
                    .publishPercentileHistogram()
                    .minimumExpectedValue(Duration.ofMillis(1))
                    .maximumExpectedValue(Duration.ofSeconds(10))
                    .register(registry))
        .record(nanos, TimeUnit.NANOSECONDS);
    if (status >= 400) {
      errors
          .computeIfAbsent(
              endpoint + " " + status,
              k ->
                  Counter.builder("recdata.serve.errors")
                      .tag("endpoint", endpoint)
                      .tag("status", String.valueOf(status))
                      .description("Requests answered with an error status")
                      .register(registry))
          .increment();
    }
  }

  public void feedbackRows(int rows) {
    feedbackRows.increment(rows);
  }

  /** The version now served replaces the previous one's labelled gauge. */
  public void modelSwapped(ServedRun run) {
    modelInfo.register(
        List.of(MultiGauge.Row.of(Tags.of("model_version", run.modelVersion()), 1)), true);
    modelUsers.set(run.recommendations().size());
    modelLoadedAt.set(System.currentTimeMillis() / 1000);
  }

  public String scrape() {
    return registry.scrape();
  }
}
