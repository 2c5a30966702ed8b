package jakarta.servlet;

/**
 * Servlet 5.0's marker interface, removed in 6.0, which Spark's shaded Jetty 11 checks for whenever
 * a SparkContext starts (its metrics servlet). Test classpath only: serving-export's tests run
 * Spark beside Javalin's Jetty 12, which needs the Servlet 6.0 API; no shipped process has both
 * (see the pom).
 */
@Deprecated
public interface SingleThreadModel {}
