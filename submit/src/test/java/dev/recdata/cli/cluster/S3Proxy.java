package dev.recdata.cli.cluster;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * S3Proxy (an S3 API over an in-memory blob store) as a separate JVM on 127.0.0.1: its Jetty and
 * Jackson never meet Spark's. The identity and credential are the test's own and must not leak into
 * recdata's output.
 */
public final class S3Proxy implements AutoCloseable {
  public static final String IDENTITY = "recdata-it-identity";
  public static final String CREDENTIAL = "recdata-it-Secret-9f3b1c7e";

  private final ChildProcess process;
  private final String endpoint;

  private S3Proxy(ChildProcess process, String endpoint) {
    this.process = process;
    this.endpoint = endpoint;
  }

  public static S3Proxy start(Path jar, Path workDir) {
    try {
      int port;
      // S3Proxy cannot report a port it chose, so take a free one; nothing else binds loopback
      // ports here.
      try (ServerSocket socket =
          new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
        port = socket.getLocalPort();
      }
      String endpoint = "http://127.0.0.1:" + port;
      Files.createDirectories(workDir);
      Path properties = workDir.resolve("s3proxy.properties");
      Files.writeString(
          properties,
          String.join(
              "\n",
              "s3proxy.endpoint=" + endpoint,
              "s3proxy.authorization=aws-v2-or-v4",
              "s3proxy.identity=" + IDENTITY,
              "s3proxy.credential=" + CREDENTIAL,
              "jclouds.provider=transient",
              "jclouds.identity=" + IDENTITY,
              "jclouds.credential=" + CREDENTIAL,
              ""));
      String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
      ChildProcess process =
          ChildProcess.start(
              "s3proxy",
              List.of(
                  java, "-Xmx512m", "-jar", jar.toString(), "--properties", properties.toString()),
              Map.of(),
              workDir.resolve("s3proxy.log"));
      S3Proxy proxy = new S3Proxy(process, endpoint);
      proxy.awaitReady();
      return proxy;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start S3Proxy", e);
    }
  }

  /** Ready when it answers HTTP at all (an anonymous request gets 403). */
  private void awaitReady() {
    HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
    HttpRequest request =
        HttpRequest.newBuilder(URI.create(endpoint + "/")).timeout(Duration.ofSeconds(2)).build();
    ChildProcess.await(
        "S3Proxy at " + endpoint,
        Duration.ofSeconds(60),
        () -> {
          if (!process.process().isAlive()) {
            throw new IllegalStateException("S3Proxy exited:\n" + process.tail());
          }
          try {
            client.send(request, HttpResponse.BodyHandlers.discarding());
            return true;
          } catch (IOException e) {
            return false;
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
          }
        });
  }

  public String endpoint() {
    return endpoint;
  }

  /** The Hadoop settings that point s3a at this proxy; credentials are not among them. */
  public Map<String, String> s3aSettings() {
    return Map.of(
        "fs.s3a.endpoint", endpoint,
        "fs.s3a.endpoint.region", "us-east-1",
        "fs.s3a.path.style.access", "true",
        "fs.s3a.connection.ssl.enabled", "false",
        // S3Proxy's transient store keeps no object versions; skip the version check S3A could do.
        "fs.s3a.change.detection.version.required", "false",
        // copyFromLocalFile's transfer-manager upload signs its payload in a way S3Proxy rejects
        // (XAmzContentSHA256Mismatch); the plain upload path works with every S3-compatible store.
        "fs.s3a.optimized.copy.from.local.enabled", "false");
  }

  @Override
  public void close() {
    process.close();
  }
}
