package dev.recdata.etl.generate;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Writes a synthetic dataset in the MovieLens 20M/25M layout ({@code ratings.csv}, {@code
 * movies.csv}) for demos and benchmarks. Plain Java, not Spark: generation is embarrassingly
 * parallel per user and bound by formatting and disk, so blocks of users render into byte arrays on
 * a thread pool and one writer appends them in user order. Same options and seed give the same
 * bytes whatever the thread count.
 *
 * <p>{@code ratings.csv}: {@code userId,movieId,rating,timestamp}, users 1..U in order, each user's
 * lines by timestamp then movieId; every user has at least {@link UserActivity#minimumPerUser}
 * ratings (20 when rows allow) and rates a movie at most once.
 */
public final class MovieLensGenerator {
  public static final String RATINGS_FILE = "ratings.csv";
  public static final String MOVIES_FILE = "movies.csv";
  static final String RATINGS_HEADER = "userId,movieId,rating,timestamp\n";
  static final String MOVIES_HEADER = "movieId,title,genres\n";

  /** Rows per rendered block: a few MB each, enough blocks to keep every thread busy. */
  static final long BLOCK_ROWS = 1L << 18;

  private MovieLensGenerator() {}

  public static GenerateSummary generate(GenerateOptions options) {
    return generate(options, BLOCK_ROWS);
  }

  /**
   * With another block size: the bytes must not depend on it (tests use tiny blocks to prove so).
   */
  static GenerateSummary generate(GenerateOptions options, long blockRows) {
    long started = System.nanoTime();
    MovieCatalog catalog = MovieCatalog.build(options.items(), options.seed());
    int[] ratingsPerUser =
        UserActivity.ratingsPerUser(
            options.rows(), options.users(), options.items(), options.seed());
    // the marker moves first: a kill between the moves leaves files generate may replace on the
    // next run
    List<String> files = List.of(StagedFolder.MARKER, RATINGS_FILE, MOVIES_FILE);
    StagedFolder folder = StagedFolder.begin(options.out(), files);
    long ratingsBytes;
    try {
      ratingsBytes =
          writeRatings(folder.file(RATINGS_FILE), catalog, ratingsPerUser, options, blockRows);
      writeMovies(folder.file(MOVIES_FILE), catalog);
      writeMarker(folder.file(StagedFolder.MARKER), options);
      folder.commit(files);
    } catch (IOException e) {
      folder.abort();
      throw new UncheckedIOException(
          "cannot write the generated files beside " + folder.target(), e);
    } catch (RuntimeException | Error e) {
      folder.abort();
      throw e;
    }
    double seconds = Math.round((System.nanoTime() - started) / 1e6) / 1e3;
    return new GenerateSummary(
        options.rows(), options.users(), options.items(), ratingsBytes, seconds);
  }

  /**
   * Renders blocks of users in parallel, at most two per thread ahead of the writer; returns the
   * bytes.
   */
  private static long writeRatings(
      Path file,
      MovieCatalog catalog,
      int[] ratingsPerUser,
      GenerateOptions options,
      long blockRows)
      throws IOException {
    int[] blockStarts = blockStarts(ratingsPerUser, blockRows);
    ExecutorService pool =
        Executors.newFixedThreadPool(
            options.threads(),
            task -> {
              Thread thread = new Thread(task, "recdata-generate");
              thread.setDaemon(true);
              return thread;
            });
    try (OutputStream out = Files.newOutputStream(file)) {
      byte[] header = RATINGS_HEADER.getBytes(StandardCharsets.US_ASCII);
      out.write(header);
      long written = header.length;
      ArrayDeque<Future<RatingRows.Chunk>> pending = new ArrayDeque<>();
      int window = options.threads() * 2;
      for (int block = 0; block + 1 < blockStarts.length; block++) {
        int from = blockStarts[block];
        int to = blockStarts[block + 1];
        pending.add(
            pool.submit(
                () -> new RatingRows(catalog, options.seed()).render(from, to, ratingsPerUser)));
        if (pending.size() >= window) {
          written += write(out, pending.poll());
        }
      }
      while (!pending.isEmpty()) {
        written += write(out, pending.poll());
      }
      return written;
    } finally {
      pool.shutdownNow();
    }
  }

  private static long write(OutputStream out, Future<RatingRows.Chunk> pending) throws IOException {
    RatingRows.Chunk chunk;
    try {
      chunk = pending.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while generating ratings", e);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof RuntimeException runtime) {
        throw runtime;
      }
      throw new IllegalStateException("generating ratings failed", e.getCause());
    }
    out.write(chunk.bytes(), 0, chunk.length());
    return chunk.length();
  }

  /**
   * User indexes where blocks start, plus the end: consecutive users of about {@code blockRows}
   * rows.
   */
  static int[] blockStarts(int[] ratingsPerUser, long blockRows) {
    int[] starts = new int[ratingsPerUser.length + 1];
    int blocks = 0;
    long rowsInBlock = 0;
    for (int user = 0; user < ratingsPerUser.length; user++) {
      if (user == 0 || rowsInBlock >= blockRows) {
        starts[blocks++] = user;
        rowsInBlock = 0;
      }
      rowsInBlock += ratingsPerUser[user];
    }
    starts[blocks++] = ratingsPerUser.length;
    return Arrays.copyOf(starts, blocks);
  }

  /**
   * What generate wrote, so a later run knows the folder is its own (and a reader knows how it was
   * made).
   */
  private static void writeMarker(Path file, GenerateOptions options) throws IOException {
    String json =
        String.format(
            "{\n  \"stage\": \"%s\",\n  \"rows\": %d,\n  \"users\": %d,\n  \"items\": %d,\n"
                + "  \"seed\": %d,\n  \"files\": [\"%s\", \"%s\"]\n}\n",
            StagedFolder.STAGE,
            options.rows(),
            options.users(),
            options.items(),
            options.seed(),
            RATINGS_FILE,
            MOVIES_FILE);
    Files.writeString(file, json, StandardCharsets.UTF_8);
  }

  private static void writeMovies(Path file, MovieCatalog catalog) throws IOException {
    try (Writer out =
        new BufferedWriter(Files.newBufferedWriter(file, StandardCharsets.UTF_8), 1 << 16)) {
      out.write(MOVIES_HEADER);
      StringBuilder line = new StringBuilder(96);
      for (int item = 0; item < catalog.size(); item++) {
        line.setLength(0);
        catalog.appendCsvLine(item, line);
        line.append('\n');
        out.append(line);
      }
    }
  }
}
