package dev.recdata.cli;

import dev.recdata.common.RecdataException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;

/**
 * Downloads a MovieLens archive once into a local cache folder and unpacks it there. The archive
 * goes to a temporary file, is checked against its expected checksum, unpacked into a temporary
 * folder and only then renamed to {@code CACHE/NAME}: a killed or failed download never leaves an
 * entry that looks complete, and an existing entry is used without any request. JDK only ({@link
 * HttpClient}, {@link ZipFile}): two small edges do not justify a library.
 */
final class MovieLensCache {
  private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(30);
  private static final Pattern MD5_HEX = Pattern.compile("\\b([0-9a-fA-F]{32})\\b");

  private final Path cacheDir;
  private final URI baseUrl;
  private final HttpClient http;

  MovieLensCache(Path cacheDir, String baseUrl) {
    this.cacheDir = cacheDir.toAbsolutePath().normalize();
    this.baseUrl = URI.create(baseUrl.endsWith("/") ? baseUrl : baseUrl + "/");
    this.http =
        HttpClient.newBuilder()
            .connectTimeout(CONNECT_TIMEOUT)
            .followRedirects(HttpClient.Redirect.NORMAL)
            .build();
  }

  /** What the downloaded archive must hash to, and where that value came from (for messages). */
  record Checksum(String algorithm, String hex, Long bytes, String source) {
    Checksum {
      hex = hex.toLowerCase(Locale.ROOT);
    }

    /** {@code md5:HEX} or {@code sha256:HEX}, as given to --movielens-checksum. */
    static Checksum parse(String value) {
      String[] parts = value.strip().split(":", 2);
      String algorithm =
          parts.length != 2
              ? null
              : switch (parts[0].toLowerCase(Locale.ROOT)) {
                case "md5" -> "MD5";
                case "sha256", "sha-256" -> "SHA-256";
                default -> null;
              };
      int hexLength = "MD5".equals(algorithm) ? 32 : 64;
      RecdataException.checkInput(
          algorithm != null && parts[1].matches("[0-9a-fA-F]{" + hexLength + "}"),
          "--movielens-checksum %s: expected md5:<32 hex digits> or sha256:<64 hex digits>",
          value);
      return new Checksum(algorithm, parts[1], null, "--movielens-checksum");
    }
  }

  /**
   * The folder of the archive's files (e.g. {@code CACHE/ml-100k/ml-100k}), downloading it first if
   * not cached.
   */
  Path fetch(MovieLensArchive archive, Checksum override) {
    Path entry = cacheDir.resolve(archive.id);
    if (Files.isDirectory(entry)) {
      return dataFolder(entry);
    }
    URI url = baseUrl.resolve(archive.fileName());
    Checksum expected = override != null ? override : expected(archive);
    Path zip = null;
    Path unpacked = null;
    try {
      Files.createDirectories(cacheDir);
      zip = Files.createTempFile(cacheDir, "." + archive.id + "-", ".zip.part");
      Checksum actual = download(url, zip, expected.algorithm());
      boolean sizeMatches = expected.bytes() == null || expected.bytes().equals(actual.bytes());
      if (!sizeMatches || !expected.hex().equals(actual.hex())) {
        throw RecdataException.badInput(
            "downloaded %s does not match its %s %s checksum: expected %s%s, got %s (%,d bytes); the download is"
                + " truncated or not the published archive, nothing was cached",
            url,
            expected.source(),
            expected.algorithm(),
            expected.hex(),
            expected.bytes() == null ? "" : String.format(" (%,d bytes)", expected.bytes()),
            actual.hex(),
            actual.bytes());
      }
      unpacked = Files.createTempDirectory(cacheDir, "." + archive.id + "-unpack-");
      unzip(url, zip, unpacked);
      try {
        Files.move(unpacked, entry, StandardCopyOption.ATOMIC_MOVE);
        unpacked = null;
      } catch (FileAlreadyExistsException | DirectoryNotEmptyException raced) {
        // Another run cached the same archive meanwhile; both copies are verified, keep the first.
      }
      return dataFolder(entry);
    } catch (IOException e) {
      throw RecdataException.badInput(
          e, "cannot cache %s in %s: %s", url, cacheDir, e.getMessage());
    } finally {
      deleteQuietly(zip);
      deleteQuietly(unpacked);
    }
  }

  /**
   * The built-in SHA-256, or the MD5 GroupLens publishes beside the archive when none is built in.
   */
  private Checksum expected(MovieLensArchive archive) {
    if (archive.sha256 != null) {
      return new Checksum("SHA-256", archive.sha256, archive.bytes, "built-in");
    }
    URI md5Url = baseUrl.resolve(archive.fileName() + ".md5");
    String body;
    try {
      HttpResponse<String> response =
          http.send(
              HttpRequest.newBuilder(md5Url).GET().build(),
              HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
      checkStatus(md5Url, response.statusCode());
      body = response.body();
    } catch (IOException e) {
      throw RecdataException.badInput(e, "cannot download %s: %s", md5Url, e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while downloading " + md5Url, e);
    }
    // GroupLens writes "MD5 (ml-10m.zip) = <hex>"; md5sum writes "<hex>  ml-10m.zip". Either way:
    // one 32-digit hex.
    Matcher hex = MD5_HEX.matcher(body);
    RecdataException.checkInput(
        hex.find(), "%s holds no MD5 checksum (expected 32 hex digits): %s", md5Url, body.strip());
    return new Checksum("MD5", hex.group(1), null, md5Url.toString());
  }

  /**
   * Streams the archive into {@code target}, hashing on the way; returns the actual checksum and
   * size.
   */
  private Checksum download(URI url, Path target, String algorithm) throws IOException {
    MessageDigest digest = digest(algorithm);
    try {
      HttpResponse<InputStream> response =
          http.send(
              HttpRequest.newBuilder(url).GET().build(), HttpResponse.BodyHandlers.ofInputStream());
      try (InputStream body = response.body()) {
        checkStatus(url, response.statusCode());
        long bytes;
        try (OutputStream out = new DigestOutputStream(Files.newOutputStream(target), digest)) {
          bytes = body.transferTo(out);
        }
        return new Checksum(
            algorithm, HexFormat.of().formatHex(digest.digest()), bytes, url.toString());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while downloading " + url, e);
    } catch (IOException e) {
      // A connection closed before Content-Length bytes arrived ends here: name the URL, nothing is
      // cached.
      throw new IOException(
          "download of "
              + url
              + " failed: "
              + reason(e)
              + " (no network here? fetch "
              + url
              + " elsewhere and unzip it into "
              + cacheDir
              + "/<name>/, or pass --input with the unzipped folder)",
          e);
    }
  }

  /**
   * What went wrong, in words: the JDK's connection errors often carry no message ({@code
   * ConnectException} from the HTTP client says "null"), so the exception types along the cause
   * chain say it instead.
   */
  static String reason(Throwable e) {
    List<String> parts = new ArrayList<>();
    for (Throwable t = e; t != null && parts.size() < 3; t = t.getCause()) {
      String message = t.getMessage();
      String part =
          t.getClass().getSimpleName()
              + (message == null || message.isBlank() ? "" : ": " + message);
      if (!parts.contains(part)) {
        parts.add(part);
      }
    }
    return String.join(" <- ", parts);
  }

  private static void checkStatus(URI url, int status) {
    RecdataException.checkInput(
        status == 200,
        "cannot download %s: HTTP %d%s",
        url,
        status,
        status == 404 ? " (not found: check --movielens and --movielens-base-url)" : "");
  }

  /**
   * Unpacks every entry below {@code target}; an entry that would land outside it (zip slip)
   * rejects the archive.
   */
  private static void unzip(URI url, Path zip, Path target) throws IOException {
    try (ZipFile archive = new ZipFile(zip.toFile())) {
      for (ZipEntry entry : archive.stream().toList()) {
        Path destination = target.resolve(entry.getName()).normalize();
        RecdataException.checkInput(
            destination.startsWith(target) && !destination.equals(target),
            "archive %s has an entry outside its folder: %s; refusing to unpack it",
            url,
            entry.getName());
        if (entry.isDirectory()) {
          Files.createDirectories(destination);
          continue;
        }
        Files.createDirectories(destination.getParent());
        try (InputStream in = archive.getInputStream(entry)) {
          Files.copy(in, destination);
        }
      }
    } catch (ZipException e) {
      throw RecdataException.badInput(
          e, "archive %s is not a readable zip: %s", url, e.getMessage());
    }
  }

  /**
   * The archive's single top folder (GroupLens archives hold one, e.g. ml-10M100K/), else the entry
   * itself.
   */
  private static Path dataFolder(Path entry) {
    try (Stream<Path> children = Files.list(entry)) {
      List<Path> all = children.toList();
      return all.size() == 1 && Files.isDirectory(all.get(0)) ? all.get(0) : entry;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list " + entry, e);
    }
  }

  private static MessageDigest digest(String algorithm) {
    try {
      return MessageDigest.getInstance(algorithm);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(algorithm + " is part of every JDK", e);
    }
  }

  private static void deleteQuietly(Path path) {
    if (path == null || !Files.exists(path)) {
      return;
    }
    try (Stream<Path> walk = Files.walk(path)) {
      for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    } catch (IOException ignored) {
      // Best effort: a leftover hidden temporary never looks like a cache entry and the next run
      // creates new ones.
    }
  }
}
