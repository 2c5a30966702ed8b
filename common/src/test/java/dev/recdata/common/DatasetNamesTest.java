package dev.recdata.common;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class DatasetNamesTest {
  @Test
  void aFolderIsNamedByItselfAFileByItsFolderAnArchiveWithoutItsEnding() {
    assertThat(DatasetNames.fromPath("/data/ml-100k")).isEqualTo("ml-100k");
    assertThat(DatasetNames.fromPath("/data/ml-100k/")).isEqualTo("ml-100k");
    assertThat(DatasetNames.fromPath("file:/home/me/.cache/recdata/movielens/ml-1m"))
        .isEqualTo("ml-1m");
    assertThat(DatasetNames.fromPath("s3a://bucket/raw/ml-latest-small/ratings.csv"))
        .isEqualTo("ml-latest-small");
    assertThat(DatasetNames.fromPath("/data/ml-100k/u.data")).isEqualTo("ml-100k");
    assertThat(DatasetNames.fromPath("/downloads/ml-20m.zip")).isEqualTo("ml-20m");
    assertThat(DatasetNames.fromPath("interactions.parquet")).isEqualTo("interactions.parquet");
  }

  @Test
  void thePipelinesGeneratedSampleHasOneNameInEveryRun() {
    assertThat(DatasetNames.fromPath("/tmp/out/runs/20260101T000000Z-aaaaaaaa/input"))
        .isEqualTo(DatasetNames.GENERATED_SAMPLE);
    assertThat(DatasetNames.fromPath("/data/input")).isEqualTo("input");
  }

  @Test
  void aFeedbackSourceIsNamedByItsTable() {
    assertThat(DatasetNames.fromFeedbackSource("jdbc:postgresql://db/app#public.feedback"))
        .isEqualTo("feedback");
    assertThat(DatasetNames.fromFeedbackSource("jdbc:postgresql://db/app#events"))
        .isEqualTo("events");
  }

  @Test
  void aGivenNameIsTrimmedAndAnUnprintableOneRefused() {
    assertThat(DatasetNames.check(" MovieLens 1M ")).isEqualTo("MovieLens 1M");
    assertThat(DatasetNames.check(null)).isNull();
    assertThatThrownBy(() -> DatasetNames.check("a\nb"))
        .isInstanceOf(RecdataException.class)
        .hasMessageContaining("--dataset-name");
    assertThatThrownBy(() -> DatasetNames.check("  ")).isInstanceOf(RecdataException.class);
  }
}
