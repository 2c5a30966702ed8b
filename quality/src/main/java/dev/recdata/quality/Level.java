package dev.recdata.quality;

/**
 * How bad a violated check is: an ERROR fails the run, a WARNING only warns (unless {@code
 * --fail-on warn}).
 */
public enum Level {
  ERROR,
  WARNING
}
