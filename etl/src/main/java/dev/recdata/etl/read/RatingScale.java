package dev.recdata.etl.read;

import dev.recdata.etl.RejectReason;
import dev.recdata.etl.RejectReason.Rejection;
import java.io.Serializable;

/**
 * The ratings a layout allows: from {@code min} to {@code max} in steps of {@code step}. A rating
 * outside its layout's scale is a reject, not a value to clamp.
 */
record RatingScale(float min, float max, float step) implements Serializable {
  /** MovieLens 100K and 1M: whole stars. */
  static final RatingScale WHOLE_STARS = new RatingScale(1f, 5f, 1f);

  /** MovieLens 10M and later: half stars. */
  static final RatingScale HALF_STARS = new RatingScale(0.5f, 5f, 0.5f);

  RatingScale {
    if (!(min <= max) || !(step > 0)) {
      throw new IllegalArgumentException("bad rating scale " + min + ".." + max + " step " + step);
    }
  }

  /** Null when the rating is on the scale, else why not. */
  Rejection check(double rating, String text) {
    if (rating < min || rating > max) {
      return RejectReason.RATING_OUT_OF_RANGE.reject(text, format(min), format(max));
    }
    double steps = (rating - min) / step;
    if (Math.abs(steps - Math.rint(steps)) > 1e-6) {
      return RejectReason.RATING_OFF_STEP.reject(text, format(step), format(min), format(max));
    }
    return null;
  }

  private static String format(float value) {
    return value == Math.rint(value) ? Integer.toString((int) value) : Float.toString(value);
  }
}
