package dev.recdata.etl.read;

import dev.recdata.etl.RejectReason;
import dev.recdata.etl.RejectReason.Rejection;
import java.nio.charset.Charset;
import java.util.ArrayList;
import java.util.List;

/**
 * Line parsers for MovieLens's small side files: movies (u.item, movies.dat, movies.csv) and users
 * (u.user, users.dat). A few thousand lines, so plain String splitting is fine here.
 */
final class MovieLensItemParsers {
  private MovieLensItemParsers() {}

  /** The order of u.item's 19 genre flags, as listed in u.genre. */
  static final String[] ML_100K_GENRES = {
    "unknown",
    "Action",
    "Adventure",
    "Animation",
    "Children's",
    "Comedy",
    "Crime",
    "Documentary",
    "Drama",
    "Fantasy",
    "Film-Noir",
    "Horror",
    "Musical",
    "Mystery",
    "Romance",
    "Sci-Fi",
    "Thriller",
    "War",
    "Western"
  };

  /** MovieLens 1M's occupation codes (its README), so users.dat reads like u.user. */
  static final String[] ML_1M_OCCUPATIONS = {
    "other",
    "academic/educator",
    "artist",
    "clerical/admin",
    "college/grad student",
    "customer service",
    "doctor/health care",
    "executive/managerial",
    "farmer",
    "homemaker",
    "K-12 student",
    "lawyer",
    "programmer",
    "retired",
    "sales/marketing",
    "scientist",
    "self-employed",
    "technician/engineer",
    "tradesman/craftsman",
    "unemployed",
    "writer"
  };

  static final String NO_GENRES = "(no genres listed)";

  /**
   * "Toy Story (1995)" -> 1995; null when the title does not end in a four-digit year in
   * parentheses.
   */
  static Integer yearOf(String title) {
    String t = title.trim();
    int n = t.length();
    if (n < 6 || t.charAt(n - 1) != ')' || t.charAt(n - 6) != '(') {
      return null;
    }
    int year = 0;
    for (int i = n - 5; i < n - 1; i++) {
      char c = t.charAt(i);
      if (c < '0' || c > '9') {
        return null;
      }
      year = year * 10 + (c - '0');
    }
    return year;
  }

  /** u.item: id | title | release date | video release date | IMDb URL | 19 genre flags. */
  static LineParser ml100kItems(Charset charset) {
    String charsetName = charset.name();
    return (bytes, length, values) -> {
      String[] f = decode(bytes, length, charsetName).split("\\|", -1);
      int expected = 5 + ML_100K_GENRES.length;
      if (f.length != expected) {
        return RejectReason.WRONG_FIELD_COUNT.reject(expected, "pipe-separated", f.length);
      }
      List<String> genres = new ArrayList<>();
      for (int g = 0; g < ML_100K_GENRES.length; g++) {
        String flag = f[5 + g].trim();
        if (flag.equals("1")) {
          genres.add(ML_100K_GENRES[g]);
        } else if (!flag.equals("0")) {
          return RejectReason.BAD_GENRE_FLAG.reject(ML_100K_GENRES[g], flag);
        }
      }
      return item(f[0], f[1], genres, values);
    };
  }

  /** movies.dat: MovieID::Title (Year)::Genre1|Genre2. */
  static LineParser datMovies(Charset charset) {
    String charsetName = charset.name();
    return (bytes, length, values) -> {
      String[] f = decode(bytes, length, charsetName).split("::", -1);
      if (f.length != 3) {
        return RejectReason.WRONG_FIELD_COUNT.reject(3, "'::'-separated", f.length);
      }
      return item(f[0], f[1], genreList(f[2]), values);
    };
  }

  /** movies.csv: movieId,title,genres with quoted titles ("American President, The (1995)"). */
  static LineParser csvMovies() {
    return (bytes, length, values) -> {
      List<String> f = CsvLine.split(decode(bytes, length, "UTF-8"), ",");
      if (f == null) {
        return RejectReason.UNCLOSED_QUOTE.reject();
      }
      if (f.size() != 3) {
        return RejectReason.WRONG_FIELD_COUNT.reject(3, "comma-separated", f.size());
      }
      return item(f.get(0), f.get(1), genreList(f.get(2)), values);
    };
  }

  /** u.user: user id | age | gender | occupation | zip. */
  static LineParser ml100kUsers(Charset charset) {
    String charsetName = charset.name();
    return (bytes, length, values) -> {
      String[] f = decode(bytes, length, charsetName).split("\\|", -1);
      if (f.length != 5) {
        return RejectReason.WRONG_FIELD_COUNT.reject(5, "pipe-separated", f.length);
      }
      return user(f[0], f[1], f[2], f[3], f[4], values);
    };
  }

  /** users.dat: UserID::Gender::Age::Occupation::Zip-code, the occupation as a code 0..20. */
  static LineParser datUsers(Charset charset) {
    String charsetName = charset.name();
    return (bytes, length, values) -> {
      String[] f = decode(bytes, length, charsetName).split("::", -1);
      if (f.length != 5) {
        return RejectReason.WRONG_FIELD_COUNT.reject(5, "'::'-separated", f.length);
      }
      String occupation = f[3].trim();
      Integer code = wholeOrNull(occupation);
      if (code != null && code < ML_1M_OCCUPATIONS.length) {
        occupation = ML_1M_OCCUPATIONS[code];
      }
      return user(f[0], f[2], f[1], occupation, f[4], values);
    };
  }

  private static Rejection item(String id, String title, List<String> genres, Object[] values) {
    Long itemId = id(id);
    if (itemId == null) {
      return id.isBlank()
          ? RejectReason.EMPTY_ITEM_ID.reject()
          : RejectReason.BAD_ITEM_ID.reject(id.trim());
    }
    String cleanTitle = title.trim();
    values[0] = itemId;
    values[1] = cleanTitle;
    values[2] = genres.toArray(String[]::new);
    values[3] = yearOf(cleanTitle);
    return null;
  }

  private static Rejection user(
      String id, String age, String gender, String occupation, String zip, Object[] values) {
    Long userId = id(id);
    if (userId == null) {
      return id.isBlank()
          ? RejectReason.EMPTY_USER_ID.reject()
          : RejectReason.BAD_USER_ID.reject(id.trim());
    }
    Integer parsedAge = wholeOrNull(age.trim());
    if (parsedAge == null && !age.isBlank()) {
      return RejectReason.BAD_AGE.reject(age.trim());
    }
    values[0] = userId;
    values[1] = parsedAge;
    values[2] = emptyToNull(gender);
    values[3] = emptyToNull(occupation);
    values[4] = emptyToNull(zip);
    return null;
  }

  private static List<String> genreList(String field) {
    List<String> genres = new ArrayList<>();
    String trimmed = field.trim();
    if (trimmed.isEmpty() || trimmed.equals(NO_GENRES)) {
      return genres;
    }
    for (String genre : trimmed.split("\\|")) {
      if (!genre.isBlank()) {
        genres.add(genre.trim());
      }
    }
    return genres;
  }

  private static Long id(String text) {
    String t = text.trim();
    if (t.isEmpty() || t.length() > 18) {
      return null;
    }
    for (int i = 0; i < t.length(); i++) {
      if (t.charAt(i) < '0' || t.charAt(i) > '9') {
        return null;
      }
    }
    return Long.parseLong(t);
  }

  private static Integer wholeOrNull(String t) {
    if (t.isEmpty() || t.length() > 9) {
      return null;
    }
    for (int i = 0; i < t.length(); i++) {
      if (t.charAt(i) < '0' || t.charAt(i) > '9') {
        return null;
      }
    }
    return Integer.parseInt(t);
  }

  private static String emptyToNull(String s) {
    String t = s.trim();
    return t.isEmpty() ? null : t;
  }

  private static String decode(byte[] bytes, int length, String charset) {
    return CsvLine.chomp(new String(bytes, 0, length, Charset.forName(charset)));
  }
}
