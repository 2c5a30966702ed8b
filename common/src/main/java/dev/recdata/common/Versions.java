package dev.recdata.common;

import com.fasterxml.jackson.databind.node.ObjectNode;

/** Versions recorded in every manifest. */
public final class Versions {
  private Versions() {}

  public static String recdata() {
    String v = Versions.class.getPackage().getImplementationVersion();
    return v == null ? "dev" : v;
  }

  public static ObjectNode asJson() {
    ObjectNode node = Json.object();
    node.put("recdata", recdata());
    node.put("spark", org.apache.spark.package$.MODULE$.SPARK_VERSION());
    node.put("scala", scala.util.Properties.versionNumberString());
    node.put("hadoop", org.apache.hadoop.util.VersionInfo.getVersion());
    node.put("java", System.getProperty("java.version"));
    return node;
  }
}
