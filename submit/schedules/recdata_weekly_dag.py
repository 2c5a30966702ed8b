"""recdata weekly retraining as an Airflow DAG.

One task runs `recdata-submit ... -- pipeline` with the feedback options: each run reads only the feedback rows
newer than the last complete run's watermark, retrains, and moves OUT/latest only when every stage succeeded.
Exit code 3 means the quality gate stopped training (OUT/latest unchanged): the task fails and alerts.

Credentials never appear here: the S3 keys and the JDBC password come from the worker's environment or an
Airflow connection exported as environment variables (recdata reads the database password from the variable
named by --jdbc-password-env, default PGPASSWORD; S3A reads AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY or the
instance role).
Set the Airflow Variables recdata_home, spark_home and spark_master (defaults below).
"""

from __future__ import annotations

import datetime

from airflow import DAG
from airflow.models import Variable
from airflow.operators.bash import BashOperator

RECDATA_HOME = Variable.get("recdata_home", default_var="/opt/recdata/submit")
SPARK_HOME = Variable.get("spark_home", default_var="/opt/spark")
SPARK_MASTER = Variable.get("spark_master", default_var="spark://spark-master:7077")

PIPELINE = (
    "{{ params.recdata_home }}/bin/recdata-submit"
    " --master {{ params.spark_master }}"
    " --properties-file {{ params.recdata_home }}/conf/spark-defaults.conf"
    " --name recdata-weekly-{{ ds_nodash }}"
    " -- pipeline"
    " --input s3a://recsys-data/ratings"
    " --out s3a://recsys-data/recdata"
    " --jdbc-url jdbc:postgresql://db:5432/recsys --jdbc-user recdata"
    " --feedback-table public.feedback"
    " --feedback-lag 3600"
    " --window-days 365"
)

with DAG(
    dag_id="recdata_weekly",
    description="recdata pipeline: etl -> split -> quality gate -> ALS, weekly with new feedback",
    schedule="15 3 * * 1",
    start_date=datetime.datetime(2026, 1, 5, tzinfo=datetime.timezone.utc),
    catchup=False,
    max_active_runs=1,
    default_args={
        "retries": 1,
        "retry_delay": datetime.timedelta(minutes=30),
        "execution_timeout": datetime.timedelta(hours=6),
    },
    params={"recdata_home": RECDATA_HOME, "spark_master": SPARK_MASTER},
    tags=["recdata", "spark"],
) as dag:
    BashOperator(
        task_id="pipeline",
        bash_command=PIPELINE,
        env={"SPARK_HOME": SPARK_HOME},
        append_env=True,
    )
