package dev.recdata.als;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ludovic.netlib.blas.BLAS;
import dev.ludovic.netlib.blas.JavaBLAS;
import dev.recdata.common.testing.SharedSpark;
import java.lang.reflect.Field;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.apache.spark.ml.recommendation.ALS;
import org.apache.spark.ml.recommendation.ALSModel;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;

/**
 * The vectorised dspr MLlib's ALS runs on gives the bits netlib-java's Java BLAS gives, so
 * installing it changes how fast a model is fitted and nothing about the model.
 */
class VectorSprBlasTest {
  private static final BLAS JAVA = JavaBLAS.getInstance();

  @Test
  void dsprEqualsTheJavaBlasBitForBit() {
    Random random = new Random(11);
    BLAS vector = new VectorSprBlas(JAVA);
    for (int n : new int[] {0, 1, 2, 3, 7, 8, 9, 15, 16, 17, 31, 32, 33, 64, 65, 128}) {
      for (double alpha : new double[] {1.0, 0.0, -2.5, 1e-300, 3.0 / 7.0}) {
        for (int offset : new int[] {0, 3}) {
          double[] x = new double[offset + n];
          for (int i = 0; i < x.length; i++) {
            int kind = random.nextInt(10);
            x[i] = kind == 0 ? 0.0 : kind == 1 ? -0.0 : (float) (random.nextGaussian() * 2);
          }
          int packed = n * (n + 1) / 2;
          double[] expected = new double[offset + packed];
          for (int i = 0; i < expected.length; i++) {
            expected[i] = random.nextInt(8) == 0 ? -0.0 : random.nextGaussian();
          }
          double[] actual = expected.clone();
          for (int rep = 0; rep < 3; rep++) { // accumulate, as ALS does over a user's ratings
            if (offset == 0) {
              JAVA.dspr("U", n, alpha, x, 1, expected);
              vector.dspr("U", n, alpha, x, 1, actual);
            } else {
              JAVA.dspr("U", n, alpha, x, offset, 1, expected, offset);
              vector.dspr("U", n, alpha, x, offset, 1, actual, offset);
            }
          }
          for (int i = 0; i < expected.length; i++) {
            assertThat(Double.doubleToRawLongBits(actual[i]))
                .as("n %d, alpha %s, offset %d, entry %d", n, alpha, offset, i)
                .isEqualTo(Double.doubleToRawLongBits(expected[i]));
          }
        }
      }
    }
  }

  /**
   * A fused multiply-add rounds once where the reference rounds twice: with an entry of -1 and x =
   * 1 + 2 ulp, the reference leaves 4 ulp and a fused update 4 ulp + 4 ulp^2.
   */
  @Test
  void aFusedMultiplyAddWouldShow() {
    double a = 1.0 + 2 * Math.ulp(1.0);
    double[] x = new double[9];
    java.util.Arrays.fill(x, a);
    double[] expected = new double[45];
    java.util.Arrays.fill(expected, -1.0);
    double[] actual = expected.clone();
    JAVA.dspr("U", 9, 1.0, x, 1, expected);
    new VectorSprBlas(JAVA).dspr("U", 9, 1.0, x, 1, actual);
    assertThat(expected[0]).isNotEqualTo(Math.fma(a, a, -1.0));
    assertThat(actual).containsExactly(expected);
  }

  @Test
  void otherLayoutsAndStridesRunOnTheWrappedBlas() {
    double[] x = {1, 2, 3, 4, 5, 6};
    double[] lower = new double[6];
    double[] expected = new double[6];
    new VectorSprBlas(JAVA).dspr("L", 3, 2.0, x, 1, lower);
    JAVA.dspr("L", 3, 2.0, x, 1, expected);
    assertThat(lower).containsExactly(expected);
    double[] strided = new double[6];
    new VectorSprBlas(JAVA).dspr("U", 3, 2.0, x, 2, strided);
    JAVA.dspr("U", 3, 2.0, x, 2, expected = new double[6]);
    assertThat(strided).containsExactly(expected);
  }

  /** The same explicit and implicit ALS fits, on MLlib's Java BLAS and on the wrapper. */
  @Test
  void alsFactorsAreTheSameWithTheWrapper() throws Exception {
    SparkSession spark = SharedSpark.session();
    Random random = new Random(5);
    List<Row> rows = new ArrayList<>();
    for (int user = 0; user < 120; user++) {
      for (int item = 0; item < 80; item++) {
        if (random.nextInt(4) == 0) {
          rows.add(RowFactory.create(user, item, (float) (1 + random.nextInt(5))));
        }
      }
    }
    StructType schema =
        new StructType()
            .add("user", DataTypes.IntegerType)
            .add("item", DataTypes.IntegerType)
            .add("rating", DataTypes.FloatType);
    Dataset<Row> ratings = spark.createDataFrame(rows, schema).repartition(2).cache();
    Field slot = Class.forName("org.apache.spark.ml.linalg.BLAS$").getDeclaredField("_nativeBLAS");
    slot.setAccessible(true);
    Object installed = slot.get(null);
    try {
      for (boolean implicit : new boolean[] {false, true}) {
        slot.set(null, JAVA);
        List<Row> reference = factors(ratings, implicit);
        slot.set(null, new VectorSprBlas(JAVA));
        List<Row> wrapped = factors(ratings, implicit);
        assertThat(wrapped).as(implicit ? "implicit" : "explicit").isEqualTo(reference);
      }
    } finally {
      slot.set(null, installed);
      ratings.unpersist();
    }
  }

  private static List<Row> factors(Dataset<Row> ratings, boolean implicit) {
    ALSModel model =
        new ALS()
            .setImplicitPrefs(implicit)
            .setRank(32)
            .setMaxIter(4)
            .setRegParam(0.1)
            .setSeed(3)
            .setNumUserBlocks(2)
            .setNumItemBlocks(2)
            .fit(ratings);
    List<Row> all = new ArrayList<>(model.userFactors().orderBy("id").collectAsList());
    all.addAll(model.itemFactors().orderBy("id").collectAsList());
    return all;
  }
}
