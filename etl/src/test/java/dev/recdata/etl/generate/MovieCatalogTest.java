package dev.recdata.etl.generate;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class MovieCatalogTest {
  @Test
  void titlesWithCommasOrQuotesAreQuotedAndQuotesDoubled() {
    StringBuilder line = new StringBuilder();
    MovieCatalog.appendCsvField("Synthetic Movie 7, The (1997)", line);
    line.append(',');
    MovieCatalog.appendCsvField("\"Synthetic\" Movie 8 (1998)", line);
    line.append(',');
    MovieCatalog.appendCsvField("Synthetic Movie 9 (1999)", line);

    assertThat(line.toString())
        .isEqualTo(
            "\"Synthetic Movie 7, The (1997)\",\"\"\"Synthetic\"\" Movie 8 (1998)\",Synthetic Movie 9 (1999)");
    assertThat(GeneratedFiles.parseCsv(line + "\n"))
        .containsExactly(
            List.of(
                "Synthetic Movie 7, The (1997)",
                "\"Synthetic\" Movie 8 (1998)",
                "Synthetic Movie 9 (1999)"));
  }

  @Test
  void theTestParserSplitsAnUnquotedCommaTitleIntoTooManyFields() {
    // The planted fault the movies.csv test relies on catching: a title written without quotes.
    assertThat(GeneratedFiles.parseCsv("12,Synthetic Movie 12, The (1997),Drama\n").get(0))
        .hasSize(4);
  }

  @Test
  void popularityFollowsTheZipfRankNotTheMovieId() {
    MovieCatalog catalog = MovieCatalog.build(1_000, 5);
    double heaviest = 0;
    int heaviestItem = -1;
    for (int item = 0; item < catalog.size(); item++) {
      if (catalog.weight(item) > heaviest) {
        heaviest = catalog.weight(item);
        heaviestItem = item;
      }
    }

    assertThat(heaviest).isEqualTo(1.0); // rank 0, offset max(1, 1000 / 1000)
    assertThat(heaviestItem).isNotZero();
    assertThat(catalog.movieId(catalog.size() - 1)).isGreaterThan(catalog.size());
  }
}
