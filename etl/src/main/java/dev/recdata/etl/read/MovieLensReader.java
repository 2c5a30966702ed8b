package dev.recdata.etl.read;

import static dev.recdata.common.RecdataException.badInput;

import dev.recdata.common.Schema;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * Reads the MovieLens layouts: 100K (u.data, u.item, u.user), 1M/10M (ratings.dat, movies.dat,
 * users.dat) and 20M/25M/32M/latest (ratings.csv, movies.csv). Ratings go through {@link
 * RatingLineParser}; the side files, being small, through the simple parsers of {@link
 * MovieLensItemParsers}.
 */
final class MovieLensReader {
  private MovieLensReader() {}

  static final String SOURCE_100K = "ml-100k";
  static final String SOURCE_1M = "ml-1m";
  static final String SOURCE_10M = "ml-10m";
  static final String SOURCE_CSV = "ml-csv";

  static final String RATINGS_CSV_HEADER = "userId,movieId,rating,timestamp";
  static final String MOVIES_CSV_HEADER = "movieId,title,genres";

  static SourceData ml100k(SparkSession spark, InputFiles in) {
    Charset latin1 = StandardCharsets.ISO_8859_1;
    Path ratings = in.dataFiles().get(0);
    requireLines(in, ratings, latin1);
    return assemble(
        spark,
        SOURCE_100K,
        ratings,
        TextLines.parse(
            spark,
            SOURCE_100K,
            names(ratings),
            latin1,
            false,
            new RatingLineParser("\t", RatingScale.WHOLE_STARS),
            RatingLineParser.SCHEMA),
        side(
            spark,
            SOURCE_100K,
            in.sibling("u.item"),
            latin1,
            false,
            MovieLensItemParsers.ml100kItems(latin1),
            Schema.ITEMS),
        side(
            spark,
            SOURCE_100K,
            in.sibling("u.user"),
            latin1,
            false,
            MovieLensItemParsers.ml100kUsers(latin1),
            Schema.USERS));
  }

  /**
   * 1M ships users.dat, integer ratings and ISO-8859-1 titles; 10M has no users.dat, half-star
   * ratings and UTF-8 titles. The presence of users.dat tells them apart.
   */
  static SourceData dat(SparkSession spark, InputFiles in) {
    Path ratings = in.dataFiles().get(0);
    Optional<Path> users = in.sibling("users.dat");
    boolean oneMillion = users.isPresent();
    String source = oneMillion ? SOURCE_1M : SOURCE_10M;
    Charset titles = oneMillion ? StandardCharsets.ISO_8859_1 : StandardCharsets.UTF_8;
    RatingScale scale = oneMillion ? RatingScale.WHOLE_STARS : RatingScale.HALF_STARS;
    requireLines(in, ratings, StandardCharsets.ISO_8859_1);
    return assemble(
        spark,
        source,
        ratings,
        TextLines.parse(
            spark,
            source,
            names(ratings),
            StandardCharsets.ISO_8859_1,
            false,
            new RatingLineParser("::", scale),
            RatingLineParser.SCHEMA),
        side(
            spark,
            source,
            in.sibling("movies.dat"),
            titles,
            false,
            MovieLensItemParsers.datMovies(titles),
            Schema.ITEMS),
        side(
            spark,
            source,
            users,
            StandardCharsets.ISO_8859_1,
            false,
            MovieLensItemParsers.datUsers(StandardCharsets.ISO_8859_1),
            Schema.USERS));
  }

  static SourceData csv(SparkSession spark, InputFiles in) {
    Path ratings = in.dataFiles().get(0);
    requireHeader(in, ratings, RATINGS_CSV_HEADER, true);
    Optional<Path> movies = in.sibling("movies.csv");
    movies.ifPresent(m -> requireHeader(in, m, MOVIES_CSV_HEADER, false));
    return assemble(
        spark,
        SOURCE_CSV,
        ratings,
        TextLines.parse(
            spark,
            SOURCE_CSV,
            names(ratings),
            StandardCharsets.UTF_8,
            true,
            new RatingLineParser(",", RatingScale.HALF_STARS),
            RatingLineParser.SCHEMA),
        side(
            spark,
            SOURCE_CSV,
            movies,
            StandardCharsets.UTF_8,
            true,
            MovieLensItemParsers.csvMovies(),
            Schema.ITEMS),
        Optional.empty());
  }

  private static Optional<Side> side(
      SparkSession spark,
      String source,
      Optional<Path> file,
      Charset charset,
      boolean header,
      LineParser parser,
      org.apache.spark.sql.types.StructType schema) {
    return file.map(
        f ->
            new Side(f, TextLines.parse(spark, source, names(f), charset, header, parser, schema)));
  }

  /** A side file (items or users) and what was parsed from it. */
  private record Side(Path file, TextLines.Parsed parsed) {}

  private static SourceData assemble(
      SparkSession spark,
      String source,
      Path ratingsFile,
      TextLines.Parsed ratings,
      Optional<Side> items,
      Optional<Side> users) {
    Dataset<Row> rejects = ratings.rejects();
    List<String> files = new ArrayList<>(names(ratingsFile));
    for (Optional<Side> side : List.of(items, users)) {
      if (side.isPresent()) {
        rejects = rejects.unionByName(side.get().parsed().rejects());
        files.add(side.get().file().toString());
      }
    }
    return new SourceData(
        source,
        Interactions.fromParsed(ratings.rows(), source, true),
        RejectLines.withLineNumbers(spark, rejects),
        items.map(s -> s.parsed().rows()).orElse(null),
        users.map(s -> s.parsed().rows()).orElse(null),
        files);
  }

  static List<String> names(Path file) {
    return List.of(file.toString());
  }

  /**
   * A ratings file with no line at all is a mistake (a truncated download), not an empty dataset.
   */
  private static void requireLines(InputFiles in, Path file, Charset charset) {
    if (TextPeek.firstLines(in.fs(), in.conf(), file, charset, 1).isEmpty()) {
      throw badInput("empty input: %s has no lines", file);
    }
  }

  private static void requireHeader(InputFiles in, Path file, String expected, boolean needsRows) {
    List<String> lines = TextPeek.firstLines(in.fs(), in.conf(), file, StandardCharsets.UTF_8, 2);
    if (lines.isEmpty()) {
      throw badInput("empty input: %s has no lines (expected the header '%s')", file, expected);
    }
    String header = lines.get(0).trim();
    if (!header.equals(expected)) {
      throw badInput("unexpected header in %s: found '%s', expected '%s'", file, header, expected);
    }
    if (needsRows && lines.size() < 2) {
      throw badInput("empty input: %s has a header but no rows", file);
    }
  }
}
