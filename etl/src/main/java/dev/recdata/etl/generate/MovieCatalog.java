package dev.recdata.etl.generate;

import dev.recdata.common.SplitMix64;
import java.util.Arrays;

/**
 * The synthetic movies: sparse increasing MovieLens-style ids, a Zipf-Mandelbrot popularity over a
 * shuffled popularity rank (blockbusters are not all low ids), a per-movie quality that shifts its
 * ratings, and the title/genres row of {@code movies.csv}. Item index {@code i} has id {@code
 * movieIds[i]}; ids increase with the index, so sorting by index is sorting by movieId.
 */
final class MovieCatalog {
  /** Zipf exponent of popularity by rank. */
  static final double ZIPF_EXPONENT = 1.0;

  /**
   * Zipf-Mandelbrot offset per item: weight {@code 1 / (rank + items / 1000)}. With 59,000 movies
   * this gives the ML-25M shape: the most rated movie holds about 0.3% of ratings and the top 1% of
   * movies about a third.
   */
  static final double OFFSET_PER_ITEM = 1.0 / 1000.0;

  /** ML-25M leaves 5,062 of 62,423 movies without genres. */
  static final double NO_GENRES_SHARE = 0.08;

  static final String NO_GENRES = "(no genres listed)";

  /**
   * The MovieLens genres, alphabetical (the order MovieLens lists them in), and their ML-25M movie
   * counts.
   */
  static final String[] GENRES = {
    "Action",
    "Adventure",
    "Animation",
    "Children",
    "Comedy",
    "Crime",
    "Documentary",
    "Drama",
    "Fantasy",
    "Film-Noir",
    "Horror",
    "IMAX",
    "Musical",
    "Mystery",
    "Romance",
    "Sci-Fi",
    "Thriller",
    "War",
    "Western"
  };

  static final double[] GENRE_MOVIES = {
    7348, 4145, 2929, 2935, 16870, 5319, 5605, 25606, 2731, 353, 5989, 195, 1054, 2925, 7719, 3595,
    8654, 1874, 1399
  };

  private static final AliasTable GENRE_TABLE = new AliasTable(GENRE_MOVIES);

  private final long seed;
  private final int[] movieIds;
  private final float[] quality;
  private final double[] weights;
  private final AliasTable popularity;

  private MovieCatalog(long seed, int[] movieIds, float[] quality, double[] weights) {
    this.seed = seed;
    this.movieIds = movieIds;
    this.quality = quality;
    this.weights = weights;
    this.popularity = new AliasTable(weights);
  }

  static MovieCatalog build(int items, long seed) {
    SplitMix64 catalogue = SplitMix64.forKey(seed, Streams.CATALOGUE, 0);
    int[] movieIds = new int[items];
    int id = 0;
    for (int i = 0; i < items; i++) {
      // ML ids are sparse (1..209,171 for 62,423 movies): mostly consecutive, sometimes a jump of
      // up to 12.
      id += catalogue.nextDouble() < 0.25 ? 2 + catalogue.nextInt(11) : 1;
      movieIds[i] = id;
    }
    int[] rankToItem = new int[items];
    Arrays.setAll(rankToItem, i -> i);
    for (int i = items - 1; i > 0; i--) {
      int j = catalogue.nextInt(i + 1);
      int swap = rankToItem[i];
      rankToItem[i] = rankToItem[j];
      rankToItem[j] = swap;
    }
    double offset = Math.max(1.0, items * OFFSET_PER_ITEM);
    double[] weights = new double[items];
    for (int rank = 0; rank < items; rank++) {
      weights[rankToItem[rank]] = 1.0 / StrictMath.pow(rank + offset, ZIPF_EXPONENT);
    }
    float[] quality = new float[items];
    for (int i = 0; i < items; i++) {
      quality[i] = (float) SplitMix64.forKey(seed, Streams.ITEMS, i).nextGaussian();
    }
    return new MovieCatalog(seed, movieIds, quality, weights);
  }

  int size() {
    return movieIds.length;
  }

  int movieId(int item) {
    return movieIds[item];
  }

  /** Standard-normal quality of the movie: good movies get higher ratings from everyone. */
  float quality(int item) {
    return quality[item];
  }

  /** Draws an item index by popularity (with replacement). */
  int samplePopular(SplitMix64 random) {
    return popularity.sample(random);
  }

  /**
   * Relative popularity weight of every item (for sampling without replacement by exponential
   * keys).
   */
  double weight(int item) {
    return weights[item];
  }

  /**
   * Appends the {@code movies.csv} line of an item (without newline), quoted per RFC 4180 where the
   * title holds a comma or a quote. Titles follow MovieLens habits: a trailing article after a
   * comma ("Synthetic Movie 12, The (1997)"), an occasional quoted word, the release year in
   * parentheses.
   */
  void appendCsvLine(int item, StringBuilder line) {
    SplitMix64 random = SplitMix64.forKey(seed, Streams.CATALOGUE, 1L + item);
    int year = 2019 - (int) Math.min(117, random.nextExponential(18.0));
    double style = random.nextDouble();
    String title;
    if (style < 0.08) {
      title = "Synthetic Movie " + movieIds[item] + ", The";
    } else if (style < 0.11) {
      title = "Synthetic Movie " + movieIds[item] + ", A";
    } else if (style < 0.13) {
      title = "Synthetic Movie " + movieIds[item] + ", Part II";
    } else if (style < 0.14) {
      title = "\"Synthetic\" Movie " + movieIds[item];
    } else {
      title = "Synthetic Movie " + movieIds[item];
    }
    title = title + " (" + year + ")";
    line.append(movieIds[item]).append(',');
    appendCsvField(title, line);
    line.append(',');
    appendGenres(random, line);
  }

  private static void appendGenres(SplitMix64 random, StringBuilder line) {
    if (random.nextDouble() < NO_GENRES_SHARE) {
      line.append(NO_GENRES);
      return;
    }
    double spread = random.nextDouble();
    int count = spread < 0.40 ? 1 : spread < 0.70 ? 2 : spread < 0.90 ? 3 : spread < 0.98 ? 4 : 5;
    boolean[] chosen = new boolean[GENRES.length];
    for (int picked = 0; picked < count; ) {
      int genre = GENRE_TABLE.sample(random);
      if (!chosen[genre]) {
        chosen[genre] = true;
        picked++;
      }
    }
    String separator = "";
    for (int genre = 0; genre < GENRES.length; genre++) {
      if (chosen[genre]) {
        line.append(separator).append(GENRES[genre]);
        separator = "|";
      }
    }
  }

  /** RFC 4180: quote a field holding a comma, quote or line break, and double the quotes inside. */
  static void appendCsvField(String value, StringBuilder line) {
    boolean needsQuotes =
        value.indexOf(',') >= 0
            || value.indexOf('"') >= 0
            || value.indexOf('\n') >= 0
            || value.indexOf('\r') >= 0;
    if (!needsQuotes) {
      line.append(value);
      return;
    }
    line.append('"').append(value.replace("\"", "\"\"")).append('"');
  }
}
