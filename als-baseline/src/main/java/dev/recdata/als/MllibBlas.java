package dev.recdata.als;

import dev.ludovic.netlib.blas.BLAS;
import dev.ludovic.netlib.blas.JavaBLAS;
import java.lang.reflect.Field;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Gives MLlib's ALS the Vector API {@code dspr} ({@link VectorSprBlas}) in this JVM.
 *
 * <p>ALS's normal equations call {@code org.apache.spark.ml.linalg.BLAS.nativeBLAS()}, which is
 * native BLAS when a system library loads and otherwise netlib-java's Java BLAS. Only in that
 * second case, and only when the JVM has the Vector API, its cached instance is replaced by a
 * wrapper of itself whose {@code dspr} is vectorised; a native BLAS is left alone. MLlib has no
 * setting for its BLAS, hence the reflection into its private field; if a Spark release renames the
 * field, the install logs why and ALS runs on MLlib's own path, the same factors a little slower.
 *
 * <p>Every JVM that runs ALS tasks needs it: {@link AlsRecommender#fit} installs it in the driver
 * (all of a local run), {@link MllibBlasPlugin} in each executor of a cluster.
 */
public final class MllibBlas {
  private MllibBlas() {}

  private static final Logger LOG = LoggerFactory.getLogger(MllibBlas.class);

  /** {@code -Drecdata.mllibDspr=false} keeps MLlib's own dspr (to compare the two). */
  static final boolean ENABLED =
      ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent()
          && Boolean.parseBoolean(System.getProperty("recdata.mllibDspr", "true"));

  private static boolean attempted;

  /** Installs the wrapper once per JVM; later calls return at once. */
  public static synchronized void install() {
    if (attempted) {
      return;
    }
    attempted = true;
    if (!ENABLED) {
      return;
    }
    try {
      BLAS current = org.apache.spark.ml.linalg.BLAS$.MODULE$.nativeBLAS();
      if (!(current instanceof JavaBLAS)) {
        LOG.info("MLlib runs ALS on native BLAS ({}); its dspr is kept", current.getClass());
        return;
      }
      Field field =
          Class.forName("org.apache.spark.ml.linalg.BLAS$").getDeclaredField("_nativeBLAS");
      field.setAccessible(true);
      field.set(null, new VectorSprBlas(current));
      LOG.info(
          "MLlib's ALS takes dspr from the Java Vector API (the rest from {})", current.getClass());
    } catch (ReflectiveOperationException | RuntimeException e) {
      LOG.warn("MLlib's ALS keeps its own dspr: could not replace its BLAS ({})", e.toString());
    }
  }
}
