#!/usr/bin/env bash
# recdata's weekly pipeline on Google Cloud Dataproc (on Compute Engine): upload the job jar, then
# `gcloud dataproc jobs submit spark` with dev.recdata.cli.Recdata as the main class.
#
#   PROJECT=my-project REGION=europe-west1 CLUSTER=recdata submit/conf/recipes/dataproc.sh
#
# The cluster: image 3.0 (Spark 4.1, Scala 2.13, Hadoop 3.5, Java 21; recdata builds against Spark 4.1.0),
# created once, for example:
#   gcloud dataproc clusters create recdata --region="$REGION" --image-version=3.0-debian13 \
#     --num-workers=4 --worker-machine-type=n2-highmem-4 \
#     --initialization-actions=gs://recsys-artifacts/recdata/pgpassword-from-secret-manager.sh
# Storage: gs:// works out of the box (Dataproc's Cloud Storage connector). For s3a:// add
# --properties=spark.jars.packages=org.apache.hadoop:hadoop-aws:3.5.0 (the Hadoop of image 3.0; it pulls
# the AWS SDK v2 bundle, ~600 MB) and S3 credentials through the S3A default chain, never on this line.
# Database password: recdata reads it from the driver's environment (PGPASSWORD, or the variable
# --jdbc-password-env names). The driver runs on the master node, so the initialization action above
# appends to /etc/spark/conf/spark-env.sh a line that fetches it when spark-submit starts:
#   export PGPASSWORD="$(gcloud secrets versions access latest --secret=recdata-postgres-password)"
# (the cluster's service account needs roles/secretmanager.secretAccessor on that secret).
# Exit codes: the job ends in state ERROR unless recdata exits 0; 3 means the quality gate stopped
# training (OUT/latest unchanged), 2 bad input or options. Notes: submit/conf/recipes/README.md.
set -euo pipefail

: "${REGION:?set REGION, e.g. europe-west1}"
: "${CLUSTER:=recdata}"
: "${ARTIFACTS:=gs://recsys-artifacts/recdata}"
: "${OUT:=gs://recsys-data/recdata}"
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
job_jar=recdata-submit-0.1.0-SNAPSHOT-job.jar

# The weekly retrain: no --input, so the run continues from the inputs and feedback history of the run
# OUT/latest names and appends the feedback rows newer than its watermark (the first run needs --input).
recdata_args=(
  pipeline
  --out "$OUT"
  --jdbc-url jdbc:postgresql://10.10.0.5:5432/app
  --jdbc-user recdata
  --feedback-table public.feedback
  --feedback-lag 3600
)

gcloud storage cp "$here/target/$job_jar" "$ARTIFACTS/$job_jar"
gcloud dataproc jobs submit spark \
  --cluster="$CLUSTER" \
  --region="$REGION" \
  --class=dev.recdata.cli.Recdata \
  --jars="$ARTIFACTS/$job_jar" \
  --properties=spark.driver.memory=4g,spark.speculation=false \
  -- "${recdata_args[@]}"
