package dev.recdata.export.tensor;

import dev.recdata.common.RecdataException;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;

/**
 * The ways a tensor set is written: one safetensors file (or shards), one {@code .npy} per tensor,
 * Parquet.
 */
public enum Format {
  SAFETENSORS,
  NPY,
  PARQUET;

  /** Parses {@code safetensors,npy,parquet} (any subset, any order, case-insensitive). */
  public static Set<Format> parseList(String list) {
    EnumSet<Format> formats = EnumSet.noneOf(Format.class);
    for (String part : list.split(",")) {
      String name = part.trim().toUpperCase(Locale.ROOT);
      if (name.isEmpty()) {
        continue;
      }
      try {
        formats.add(valueOf(name));
      } catch (IllegalArgumentException e) {
        throw RecdataException.badInput(
            "--formats %s: unknown format %s, expected a list of safetensors, npy, parquet",
            list, part.trim());
      }
    }
    RecdataException.checkInput(
        !formats.isEmpty(),
        "--formats %s names no format: expected safetensors, npy and/or parquet",
        list);
    return formats;
  }

  public String cliName() {
    return name().toLowerCase(Locale.ROOT);
  }
}
