package dev.recdata.splits;

import dev.recdata.common.Schema;
import dev.recdata.common.cli.CliValues;
import java.util.Locale;

/**
 * The key whose events are cut together. {@code USER} is the usual per-user split; {@code ITEM}
 * stratifies per item instead, as some published benchmarks do.
 */
public enum GroupBy {
  USER(Schema.USER_ID),
  ITEM(Schema.ITEM_ID);

  private final String column;

  GroupBy(String column) {
    this.column = column;
  }

  /** The canonical column holding the group key. */
  public String column() {
    return column;
  }

  public String cliName() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static GroupBy fromCli(String name) {
    return CliValues.enumValue("--group-by", String.valueOf(name), GroupBy.class);
  }
}
