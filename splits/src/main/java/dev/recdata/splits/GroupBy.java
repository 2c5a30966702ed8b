package dev.recdata.splits;

import dev.recdata.common.RecdataException;
import dev.recdata.common.Schema;
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
    for (GroupBy groupBy : values()) {
      if (groupBy.cliName().equals(name == null ? null : name.toLowerCase(Locale.ROOT))) {
        return groupBy;
      }
    }
    throw RecdataException.badInput("--group-by %s is not known: expected user or item", name);
  }
}
