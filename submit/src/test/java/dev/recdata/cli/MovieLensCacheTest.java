package dev.recdata.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import dev.recdata.common.Json;
import dev.recdata.common.RecdataException;
import dev.recdata.common.testing.SharedSpark;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** --movielens against a local HTTP server serving a small archive in the MovieLens 100K layout. */
class MovieLensCacheTest {
  private static final int USERS = 30;
  private static final int ITEMS_PER_USER = 10;

  private HttpServer server;
  private final Map<String, byte[]> files = new ConcurrentHashMap<>();
  private final AtomicInteger requests = new AtomicInteger();
  @TempDir Path tmp;

  @BeforeEach
  void startServer() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext(
        "/",
        exchange -> {
          requests.incrementAndGet();
          String name = exchange.getRequestURI().getPath().substring(1);
          byte[] body = files.get(name);
          if (body == null) {
            exchange.sendResponseHeaders(404, -1);
            exchange.close();
            return;
          }
          exchange.sendResponseHeaders(200, body.length);
          try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
          }
        });
    server.start();
  }

  @AfterEach
  void stopServer() {
    server.stop(0);
  }

  private String baseUrl() {
    return "http://127.0.0.1:" + server.getAddress().getPort() + "/movielens";
  }

  /** ml-100k layout: ml-100k/u.data (tab-separated), u.item and u.user (pipe-separated). */
  static byte[] ml100kZip(String folder, String... extraEntries) throws IOException {
    StringBuilder ratings = new StringBuilder();
    for (int user = 1; user <= USERS; user++) {
      for (int k = 0; k < ITEMS_PER_USER; k++) {
        int item = 1 + (user * 7 + k * 3) % 40;
        ratings
            .append(user)
            .append('\t')
            .append(item)
            .append('\t')
            .append(1 + (user + k) % 5)
            .append('\t')
            .append(880_000_000L + user * 1000L + k)
            .append('\n');
      }
    }
    StringBuilder items = new StringBuilder();
    for (int item = 1; item <= 40; item++) {
      items
          .append(item)
          .append("|Movie ")
          .append(item)
          .append(" (1995)|01-Jan-1995||http://example.org/")
          .append(item)
          .append("|0|0|0|1|1|0|0|0|0|0|0|0|0|0|0|0|0|0|0\n");
    }
    StringBuilder users = new StringBuilder();
    for (int user = 1; user <= USERS; user++) {
      users
          .append(user)
          .append('|')
          .append(20 + user)
          .append('|')
          .append(user % 2 == 0 ? 'F' : 'M')
          .append("|other|55455\n");
    }
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
      zip.putNextEntry(new ZipEntry(folder + "/"));
      for (var file : Map.of("u.data", ratings, "u.item", items, "u.user", users).entrySet()) {
        zip.putNextEntry(new ZipEntry(folder + "/" + file.getKey()));
        zip.write(file.getValue().toString().getBytes(StandardCharsets.UTF_8));
      }
      for (String extra : extraEntries) {
        zip.putNextEntry(new ZipEntry(extra));
        zip.write("x".getBytes(StandardCharsets.UTF_8));
      }
    }
    return bytes.toByteArray();
  }

  static String md5(byte[] bytes) throws Exception {
    return HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(bytes));
  }

  private List<Path> cacheEntries(Path cache) throws IOException {
    if (!Files.exists(cache)) {
      return List.of();
    }
    try (Stream<Path> list = Files.list(cache)) {
      return list.toList();
    }
  }

  @Test
  void pipelineDownloadsOnceVerifiesAndUsesTheArchiveAsEtlInput() throws Exception {
    byte[] zip = ml100kZip("ml-100k");
    files.put("movielens/ml-100k.zip", zip);
    Path cache = tmp.resolve("cache");
    String out = tmp.resolve("runs-root").toString();
    String[] args = {
      "pipeline",
      "--movielens",
      "ml-100k",
      "--movielens-base-url",
      baseUrl(),
      "--movielens-checksum",
      "md5:" + md5(zip),
      "--cache-dir",
      cache.toString(),
      "--out",
      out,
      "--to",
      "etl"
    };
    StringWriter err = new StringWriter();
    SharedSpark.session();

    int first =
        Recdata.execute(
            args, new PrintWriter(new StringWriter(), true), new PrintWriter(err, true));
    assertThat(first).as(err.toString()).isZero();
    assertThat(requests.get()).isEqualTo(1);
    assertThat(cache.resolve("ml-100k/ml-100k/u.data")).isRegularFile();
    assertThat(cacheEntries(cache)).containsExactly(cache.resolve("ml-100k"));

    int second =
        Recdata.execute(
            args, new PrintWriter(new StringWriter(), true), new PrintWriter(err, true));
    assertThat(second).as(err.toString()).isZero();
    assertThat(requests.get()).as("the second run reads the cache").isEqualTo(1);

    try (Stream<Path> runs = Files.list(Path.of(out, "runs"))) {
      for (Path run : runs.toList()) {
        JsonNode etl =
            Json.read(
                SharedSpark.session().sparkContext().hadoopConfiguration(),
                run.resolve("etl/manifest.json").toString());
        assertThat(etl.get("counts").get("input").asLong()).isEqualTo(USERS * ITEMS_PER_USER);
        JsonNode pipeline =
            Json.read(
                SharedSpark.session().sparkContext().hadoopConfiguration(),
                run.resolve("pipeline.json").toString());
        assertThat(pipeline.get("movielens").asText()).isEqualTo("ml-100k");
      }
    }
  }

  @Test
  void publishedMd5BesideTheArchiveIsTheReferenceWhenNoneIsBuiltIn() throws Exception {
    byte[] zip = ml100kZip("ml-10M100K");
    files.put("movielens/ml-10m.zip", zip);
    files.put(
        "movielens/ml-10m.zip.md5",
        ("MD5 (ml-10m.zip) = " + md5(zip) + "\n").getBytes(StandardCharsets.UTF_8));

    Path folder =
        new MovieLensCache(tmp.resolve("cache"), baseUrl()).fetch(MovieLensArchive.ML_10M, null);

    assertThat(folder).isEqualTo(tmp.resolve("cache/ml-10m/ml-10M100K"));
    assertThat(Files.readAllLines(folder.resolve("u.data"))).hasSize(USERS * ITEMS_PER_USER);
  }

  @Test
  void truncatedDownloadIsRejectedAndNothingIsCached() throws Exception {
    byte[] zip = ml100kZip("ml-10M100K");
    byte[] half = java.util.Arrays.copyOf(zip, zip.length / 2);
    files.put("movielens/ml-10m.zip", half);
    files.put(
        "movielens/ml-10m.zip.md5", (md5(zip) + "  ml-10m.zip\n").getBytes(StandardCharsets.UTF_8));
    Path cache = tmp.resolve("cache");

    // A server (or proxy) that stores a cut-off file: complete response, wrong bytes.
    assertThatThrownBy(
            () -> new MovieLensCache(cache, baseUrl()).fetch(MovieLensArchive.ML_10M, null))
        .isInstanceOf(RecdataException.class)
        .hasMessageContaining(baseUrl() + "/ml-10m.zip")
        .hasMessageContaining("expected " + md5(zip))
        .hasMessageContaining("got " + md5(half))
        .hasMessageContaining(String.format("%,d bytes", half.length));
    assertThat(cacheEntries(cache)).isEmpty();

    // A connection that drops before Content-Length bytes arrived.
    try (ServerSocket dropping = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      Thread serve =
          new Thread(
              () -> {
                try (Socket client = dropping.accept()) {
                  client.getInputStream().read(new byte[8192]);
                  OutputStream out = client.getOutputStream();
                  out.write(
                      ("HTTP/1.1 200 OK\r\nContent-Length: " + zip.length + "\r\n\r\n")
                          .getBytes(StandardCharsets.US_ASCII));
                  out.write(half);
                  out.flush();
                } catch (IOException ignored) {
                  // the test asserts on the client side
                }
              });
      serve.start();
      String droppingUrl = "http://127.0.0.1:" + dropping.getLocalPort() + "/movielens";
      assertThatThrownBy(
              () ->
                  new MovieLensCache(cache, droppingUrl)
                      .fetch(
                          MovieLensArchive.ML_10M,
                          MovieLensCache.Checksum.parse("md5:" + md5(zip))))
          .isInstanceOf(RecdataException.class)
          .hasMessageContaining(droppingUrl + "/ml-10m.zip")
          .satisfies(e -> assertThat(((RecdataException) e).exitCode()).isEqualTo(2));
      serve.join();
    }
    assertThat(cacheEntries(cache)).isEmpty();
  }

  @Test
  void wrongChecksumIsRejectedWithExpectedAndActualAndExitCodeTwo() throws Exception {
    byte[] zip = ml100kZip("ml-100k");
    files.put("movielens/ml-100k.zip", zip);
    Path cache = tmp.resolve("cache");
    String wrong = "0".repeat(32);
    StringWriter err = new StringWriter();
    SharedSpark.session();

    int code =
        Recdata.execute(
            new String[] {
              "pipeline",
              "--movielens",
              "ml-100k",
              "--movielens-base-url",
              baseUrl(),
              "--movielens-checksum",
              "md5:" + wrong,
              "--cache-dir",
              cache.toString(),
              "--out",
              tmp.resolve("o").toString(),
              "--to",
              "etl"
            },
            new PrintWriter(new StringWriter(), true),
            new PrintWriter(err, true));

    assertThat(code).isEqualTo(2);
    assertThat(err.toString())
        .contains(baseUrl() + "/ml-100k.zip", "expected " + wrong, "got " + md5(zip));
    assertThat(cacheEntries(cache)).isEmpty();
  }

  @Test
  void builtInSha256RejectsAnArchiveThatIsNotThePublishedOne() throws Exception {
    byte[] zip = ml100kZip("ml-100k");
    files.put("movielens/ml-100k.zip", zip);
    Path cache = tmp.resolve("cache");

    assertThatThrownBy(
            () -> new MovieLensCache(cache, baseUrl()).fetch(MovieLensArchive.ML_100K, null))
        .isInstanceOf(RecdataException.class)
        .hasMessageContaining("built-in SHA-256")
        .hasMessageContaining("expected " + MovieLensArchive.ML_100K.sha256 + " (4,924,029 bytes)");
    assertThat(cacheEntries(cache)).isEmpty();
  }

  @Test
  void missingArchiveNamesTheUrlAndTheStatus() {
    Path cache = tmp.resolve("cache");
    assertThatThrownBy(
            () ->
                new MovieLensCache(cache, baseUrl())
                    .fetch(
                        MovieLensArchive.ML_1M,
                        MovieLensCache.Checksum.parse("md5:" + "a".repeat(32))))
        .isInstanceOf(RecdataException.class)
        .hasMessageContaining(baseUrl() + "/ml-1m.zip")
        .hasMessageContaining("HTTP 404");
  }

  /** No network: the JDK's ConnectException has no message, which printed "failed: null". */
  @Test
  void anUnreachableServerIsNamedWithTheCauseAndWhatToDo() throws Exception {
    int closedPort;
    try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
      closedPort = socket.getLocalPort();
    }
    Path cache = tmp.resolve("cache");
    assertThatThrownBy(
            () ->
                new MovieLensCache(cache, "http://127.0.0.1:" + closedPort + "/")
                    .fetch(MovieLensArchive.ML_1M, null))
        .isInstanceOf(RecdataException.class)
        .hasMessageContaining("http://127.0.0.1:" + closedPort + "/ml-1m.zip")
        .hasMessageContaining("ConnectException")
        .hasMessageNotContaining("failed: null")
        .hasMessageContaining("pass --input");
  }

  @Test
  void entryOutsideTheArchiveFolderIsRejected() throws Exception {
    byte[] zip = ml100kZip("ml-100k", "ml-100k/../../escaped.txt");
    files.put("movielens/ml-100k.zip", zip);
    Path cache = tmp.resolve("cache");

    assertThatThrownBy(
            () ->
                new MovieLensCache(cache, baseUrl())
                    .fetch(
                        MovieLensArchive.ML_100K, MovieLensCache.Checksum.parse("md5:" + md5(zip))))
        .isInstanceOf(RecdataException.class)
        .hasMessageContaining("outside its folder: ml-100k/../../escaped.txt");
    assertThat(tmp.resolve("escaped.txt")).doesNotExist();
    assertThat(cacheEntries(cache)).isEmpty();
  }

  @Test
  void unknownArchiveNameListsTheKnownOnes() {
    assertThatThrownBy(() -> MovieLensArchive.fromCli("ml-5m"))
        .hasMessageContaining("ml-5m")
        .hasMessageContaining("ml-100k, ml-1m, ml-10m, ml-20m, ml-25m, ml-32m, ml-latest-small");
  }
}
