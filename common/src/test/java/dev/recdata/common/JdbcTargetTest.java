package dev.recdata.common;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class JdbcTargetTest {
  private static final String URL =
      "jdbc:postgresql://alice:pw1@db:5432/app?user=bob&password=hunter2&sslpassword=key2&ssl=true";

  @Test
  void redactedUrlKeepsHostAndSettingsButNoUserOrPassword() {
    assertThat(JdbcTarget.redact(URL))
        .isEqualTo(
            "jdbc:postgresql://alice:***@db:5432/app?user=***&password=***&sslpassword=***&ssl=true");
  }

  @Test
  void aTargetWrittenAsJsonIsItsRedactedUrl() throws Exception {
    String json = Json.MAPPER.writeValueAsString(new JdbcTarget(URL, "carol", "s3cret"));

    assertThat(json).isEqualTo("\"" + JdbcTarget.redact(URL) + "\"");
    assertThat(json).doesNotContain("hunter2", "pw1", "key2", "bob", "carol", "s3cret");
  }
}
