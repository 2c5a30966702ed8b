package dev.recdata.etl.generate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.recdata.common.RecdataException;
import dev.recdata.etl.generate.GeneratedFiles.Rating;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MovieLensGeneratorTest {
  private static final Set<String> STARS =
      Set.of("0.5", "1.0", "1.5", "2.0", "2.5", "3.0", "3.5", "4.0", "4.5", "5.0");

  @TempDir static Path shared;
  private static Path sample;
  private static GenerateSummary sampleSummary;

  @TempDir Path dir;

  /**
   * 200 users, 800 movies, 30,000 ratings: small enough to check every line, big enough for tails.
   */
  @BeforeAll
  static void generateSample() {
    sample = shared.resolve("sample");
    sampleSummary =
        MovieLensGenerator.generate(new GenerateOptions(sample.toString(), 200, 800, 30_000, 7, 2));
  }

  @Test
  void sameSeedGivesIdenticalBytes() {
    Path again = dir.resolve("again");
    MovieLensGenerator.generate(new GenerateOptions(again.toString(), 200, 800, 30_000, 7, 2));

    assertThat(GeneratedFiles.sha256(again.resolve("ratings.csv")))
        .isEqualTo(GeneratedFiles.sha256(sample.resolve("ratings.csv")));
    assertThat(GeneratedFiles.sha256(again.resolve("movies.csv")))
        .isEqualTo(GeneratedFiles.sha256(sample.resolve("movies.csv")));
  }

  @Test
  void threadCountAndBlockSizeDoNotChangeTheBytes() {
    Path oneThread = dir.resolve("one");
    Path threeThreads = dir.resolve("three");
    // Blocks of ~500 rows: 60 blocks, so three threads really interleave.
    MovieLensGenerator.generate(
        new GenerateOptions(oneThread.toString(), 200, 800, 30_000, 7, 1), 500);
    MovieLensGenerator.generate(
        new GenerateOptions(threeThreads.toString(), 200, 800, 30_000, 7, 3), 500);

    String expected = GeneratedFiles.sha256(sample.resolve("ratings.csv"));
    assertThat(GeneratedFiles.sha256(oneThread.resolve("ratings.csv"))).isEqualTo(expected);
    assertThat(GeneratedFiles.sha256(threeThreads.resolve("ratings.csv"))).isEqualTo(expected);
  }

  @Test
  void differentSeedGivesDifferentBytes() {
    Path other = dir.resolve("other");
    MovieLensGenerator.generate(new GenerateOptions(other.toString(), 200, 800, 30_000, 8, 2));

    assertThat(GeneratedFiles.sha256(other.resolve("ratings.csv")))
        .isNotEqualTo(GeneratedFiles.sha256(sample.resolve("ratings.csv")));
    assertThat(GeneratedFiles.sha256(other.resolve("movies.csv")))
        .isNotEqualTo(GeneratedFiles.sha256(sample.resolve("movies.csv")));
  }

  @Test
  void ratingsHaveExactlyTheRequestedRowsAndValidValues() throws IOException {
    List<String> lines = GeneratedFiles.lines(sample.resolve("ratings.csv"));
    List<Rating> ratings = GeneratedFiles.ratings(sample);

    assertThat(lines.get(0)).isEqualTo("userId,movieId,rating,timestamp");
    assertThat(ratings).hasSize(30_000);
    assertThat(sampleSummary.rows()).isEqualTo(30_000);
    assertThat(sampleSummary.ratingsBytes()).isEqualTo(Files.size(sample.resolve("ratings.csv")));
    assertThat(ratings.stream().map(Rating::rating).collect(Collectors.toSet())).isEqualTo(STARS);
    assertThat(ratings.stream().mapToLong(Rating::timestamp).min().orElseThrow())
        .isGreaterThanOrEqualTo(RatingRows.FIRST_SECOND);
    assertThat(ratings.stream().mapToLong(Rating::timestamp).max().orElseThrow())
        .isLessThanOrEqualTo(RatingRows.LAST_SECOND);
    Set<Long> pairs = new HashSet<>();
    List<Rating> repeats =
        ratings.stream().filter(r -> !pairs.add(((long) r.userId() << 32) | r.movieId())).toList();
    assertThat(repeats).as("a (user, movie) pair rated twice").isEmpty();
  }

  @Test
  void everyUserRatesAtLeastTwentyMoviesAndUserIdsAreOneToU() {
    Map<Integer, Long> perUser =
        GeneratedFiles.ratings(sample).stream()
            .collect(Collectors.groupingBy(Rating::userId, Collectors.counting()));

    assertThat(perUser.keySet()).hasSize(200);
    assertThat(Collections.min(perUser.keySet())).isEqualTo(1);
    assertThat(Collections.max(perUser.keySet())).isEqualTo(200);
    assertThat(Collections.min(perUser.values())).isGreaterThanOrEqualTo(20L);
    assertThat(Collections.max(perUser.values())).isLessThanOrEqualTo(800L);
  }

  @Test
  void linesAreOrderedByUserThenTimestampThenMovie() {
    List<Rating> ratings = GeneratedFiles.ratings(sample);
    Comparator<Rating> mlOrder =
        Comparator.comparingInt(Rating::userId)
            .thenComparingLong(Rating::timestamp)
            .thenComparingInt(Rating::movieId);

    assertThat(ratings).isSortedAccordingTo(mlOrder);
  }

  @Test
  void everyRatedMovieIsInMoviesCsv() {
    Set<Integer> movieIds =
        moviesRecords(sample).stream()
            .skip(1)
            .map(record -> Integer.parseInt(record.get(0)))
            .collect(Collectors.toSet());

    Set<Integer> unknown =
        GeneratedFiles.ratings(sample).stream()
            .map(Rating::movieId)
            .collect(Collectors.toCollection(HashSet::new));
    unknown.removeAll(movieIds);

    assertThat(movieIds).hasSize(800);
    assertThat(unknown).isEmpty();
  }

  @Test
  void moviesCsvIsRfc4180WithQuotedTitlesAndMovieLensGenres() {
    List<List<String>> records = moviesRecords(sample);
    Set<String> genres = new HashSet<>(Arrays.asList(MovieCatalog.GENRES));

    assertThat(records.get(0)).containsExactly("movieId", "title", "genres");
    List<List<String>> movies = records.subList(1, records.size());
    assertThat(movies).extracting(List::size).containsOnly(3);
    assertThat(movies)
        .extracting(record -> record.get(1))
        .allMatch(title -> title.matches(".+ \\((19|20)\\d\\d\\)"));
    List<String> titles = movies.stream().map(record -> record.get(1)).toList();
    assertThat(titles).anyMatch(title -> title.contains(", The ("));
    assertThat(titles).anyMatch(title -> title.startsWith("\"Synthetic\" Movie"));
    assertThat(movies).extracting(record -> record.get(2)).contains("(no genres listed)");
    assertThat(movies).extracting(record -> record.get(2)).anyMatch(listed -> listed.contains("|"));
    List<String> unknownGenres = new ArrayList<>();
    for (List<String> record : movies) {
      if (record.get(2).equals("(no genres listed)")) {
        continue;
      }
      List<String> listed = Arrays.asList(record.get(2).split("\\|"));
      assertThat(listed).as("genres of %s", record).isSorted().doesNotHaveDuplicates();
      listed.stream().filter(genre -> !genres.contains(genre)).forEach(unknownGenres::add);
    }
    assertThat(unknownGenres).isEmpty();
    // Sparse ids like MovieLens (1..209,171 for 62,423 movies), increasing down the file.
    int[] ids = movies.stream().mapToInt(record -> Integer.parseInt(record.get(0))).toArray();
    assertThat(ids).isSorted();
    assertThat(ids[ids.length - 1]).isGreaterThan(ids.length * 3 / 2);
  }

  @Test
  void popularityAndActivityAreHeavyTailedAndRatingsLookLikeMovieLens() {
    Path big = dir.resolve("tails");
    MovieLensGenerator.generate(new GenerateOptions(big.toString(), 1_000, 10_000, 200_000, 11, 2));
    List<Rating> ratings = GeneratedFiles.ratings(big);

    long[] perMovie =
        ratings.stream()
            .collect(Collectors.groupingBy(Rating::movieId, Collectors.counting()))
            .values()
            .stream()
            .mapToLong(Long::longValue)
            .sorted()
            .toArray();
    long topOnePercent = 0;
    for (int i = 0; i < 100 && i < perMovie.length; i++) {
      topOnePercent += perMovie[perMovie.length - 1 - i];
    }
    assertThat(topOnePercent / 200_000.0).as("share of the top 1%% of movies").isGreaterThan(0.10);

    long[] perUser =
        ratings.stream()
            .collect(Collectors.groupingBy(Rating::userId, Collectors.counting()))
            .values()
            .stream()
            .mapToLong(Long::longValue)
            .sorted()
            .toArray();
    assertThat(perUser[perUser.length - 1])
        .as("most active user")
        .isGreaterThan(5 * perUser[perUser.length / 2]);

    Map<String, Long> stars =
        ratings.stream().collect(Collectors.groupingBy(Rating::rating, Collectors.counting()));
    double mean =
        ratings.stream().mapToDouble(r -> Double.parseDouble(r.rating())).average().orElseThrow();
    long halves =
        stars.entrySet().stream()
            .filter(e -> e.getKey().endsWith(".5"))
            .mapToLong(Map.Entry::getValue)
            .sum();
    assertThat(mean).isBetween(3.3, 3.7);
    assertThat(stars.entrySet().stream().max(Map.Entry.comparingByValue()).orElseThrow().getKey())
        .isEqualTo("4.0");
    assertThat(halves).isLessThan(200_000 - halves);
  }

  @Test
  void eachUserRatesInBurstsNotSpreadOverTheWholeSpan() {
    Map<Integer, long[]> spanPerUser = new HashMap<>();
    for (Rating r : GeneratedFiles.ratings(sample)) {
      spanPerUser.merge(
          r.userId(),
          new long[] {r.timestamp(), r.timestamp()},
          (a, b) -> new long[] {Math.min(a[0], b[0]), Math.max(a[1], b[1])});
    }
    long[] spans = spanPerUser.values().stream().mapToLong(s -> s[1] - s[0]).sorted().toArray();
    long wholeSpan = RatingRows.LAST_SECOND - RatingRows.FIRST_SECOND;

    assertThat(spans[spans.length / 2]).as("median user's active span").isLessThan(wholeSpan / 4);
  }

  @Test
  void replacesTheFilesButLeavesOtherFilesAndNoStagingFolder() throws IOException {
    Path out = dir.resolve("out");
    MovieLensGenerator.generate(new GenerateOptions(out.toString(), 10, 50, 200, 1, 1));
    Files.writeString(out.resolve("README.txt"), "mine\n");

    MovieLensGenerator.generate(new GenerateOptions(out.toString(), 10, 50, 300, 1, 1));

    assertThat(Files.readString(out.resolve("README.txt"))).isEqualTo("mine\n");
    assertThat(GeneratedFiles.ratings(out)).hasSize(300);
    try (Stream<Path> siblings = Files.list(dir)) {
      assertThat(siblings.map(p -> p.getFileName().toString())).containsExactly("out");
    }
  }

  @Test
  void folderInTheWayFailsBeforeTouchingThePreviousFiles() throws IOException {
    Path out = dir.resolve("out");
    MovieLensGenerator.generate(new GenerateOptions(out.toString(), 10, 50, 200, 1, 1));
    Files.delete(out.resolve("movies.csv"));
    Files.createDirectories(out.resolve("movies.csv"));
    Files.writeString(out.resolve("ratings.csv"), "previous good file\n");

    assertThatThrownBy(
            () ->
                MovieLensGenerator.generate(new GenerateOptions(out.toString(), 10, 50, 300, 1, 1)))
        .isInstanceOfSatisfying(
            RecdataException.class,
            e -> assertThat(e.exitCode()).isEqualTo(RecdataException.EXIT_BAD_INPUT))
        .hasMessageContaining("movies.csv");
    assertThat(Files.readString(out.resolve("ratings.csv"), StandardCharsets.UTF_8))
        .isEqualTo("previous good file\n");
  }

  private static List<List<String>> moviesRecords(Path dir) {
    try {
      return GeneratedFiles.parseCsv(
          Files.readString(dir.resolve("movies.csv"), StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
