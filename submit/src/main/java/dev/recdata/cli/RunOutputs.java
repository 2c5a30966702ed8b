package dev.recdata.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.recdata.common.HadoopPaths;
import dev.recdata.common.Json;
import dev.recdata.etl.EtlOutput;
import dev.recdata.export.ExportOutput;
import dev.recdata.quality.QualityOutput;
import dev.recdata.splits.SplitOutput;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;

/**
 * What the stage outputs in a run folder say, read through each stage's own contract: the row
 * counts of etl, split and export as their manifests hold them, and the quality verdict. The
 * pipeline records it in pipeline.json when a run ends, for the stages it ran and the ones it
 * copied alike; {@code runs list} and {@code runs diff} derive it the same way for runs whose
 * pipeline.json predates it (format 2). A stage that did not get as far as its manifest is absent.
 *
 * @param counts {@code {"etl": {...}, "split": {...}, "export": {...}}}
 * @param quality null when the run has no quality report
 */
record RunOutputs(JsonNode counts, RunManifest.Quality quality) {

  /**
   * What the run's pipeline.json recorded; for a file that predates it (format 2), what the run
   * folder holds.
   */
  static RunOutputs recordedOrRead(Configuration conf, RunsFolder.RunFolder run) {
    RunManifest manifest = run.manifest();
    if (manifest.counts() != null) {
      return new RunOutputs(manifest.counts(), manifest.quality());
    }
    return read(conf, run.path().toString());
  }

  static RunOutputs read(Configuration conf, String runDir) {
    ObjectNode counts = Json.object();
    EtlOutput etl = etl(conf, runDir);
    if (etl != null && etl.counts() != null) {
      counts.set(PipelineCommand.Stage.ETL.cliName, etl.counts());
    }
    String splitDir = stageDir(runDir, PipelineCommand.Stage.SPLIT);
    if (SplitOutput.isAt(conf, splitDir)) {
      JsonNode splitCounts = SplitOutput.read(conf, splitDir, "split").counts();
      if (splitCounts != null) {
        counts.set(PipelineCommand.Stage.SPLIT.cliName, splitCounts);
      }
    }
    ExportOutput export =
        ExportOutput.readIfPresent(conf, stageDir(runDir, PipelineCommand.Stage.EXPORT));
    if (export != null && export.counts() != null) {
      counts.set(PipelineCommand.Stage.EXPORT.cliName, export.counts());
    }
    String qualityDir = stageDir(runDir, PipelineCommand.Stage.QUALITY);
    RunManifest.Quality quality =
        HadoopPaths.exists(conf, new Path(qualityDir, QualityOutput.REPORT_JSON))
            ? RunManifest.Quality.of(QualityOutput.read(conf, qualityDir, "quality"))
            : null;
    return new RunOutputs(counts, quality);
  }

  /**
   * The id-map version of the run's etl output ({@link EtlOutput#idMapVersion}), or null without id
   * maps.
   */
  static String idMapVersion(Configuration conf, String runDir) {
    EtlOutput etl = etl(conf, runDir);
    return etl != null && etl.has(conf, etl.idMaps()) ? etl.idMapVersion(conf) : null;
  }

  private static EtlOutput etl(Configuration conf, String runDir) {
    return EtlOutput.readIfPresent(conf, stageDir(runDir, PipelineCommand.Stage.ETL));
  }

  private static String stageDir(String runDir, PipelineCommand.Stage stage) {
    return new Path(runDir, stage.folder).toString();
  }
}
