package dev.recdata.etl.generate;

/**
 * The generator's stream domains: the same seed gives unrelated streams for users, items and the
 * catalogue.
 */
final class Streams {
  private Streams() {}

  static final long USERS = 0x5553455253L;
  static final long ITEMS = 0x4954454D53L;
  static final long CATALOGUE = 0x434154414CL;
  static final long ACTIVITY = 0x4143544956L;
}
