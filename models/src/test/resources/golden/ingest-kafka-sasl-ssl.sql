CREATE TEMPORARY TABLE `kafka_users` (
  `message` STRING,
  `kafka_partition` INT METADATA FROM 'partition' VIRTUAL,
  `kafka_offset` BIGINT METADATA FROM 'offset' VIRTUAL,
  `kafka_timestamp` TIMESTAMP_LTZ(3) METADATA FROM 'timestamp' VIRTUAL
) WITH (
  'connector' = 'kafka',
  'topic' = 'bank.public.users',
  'properties.bootstrap.servers' = '127.0.0.1:9092',
  'properties.security.protocol' = 'SASL_SSL',
  'properties.sasl.mechanism' = 'SCRAM-SHA-512',
  'properties.sasl.jaas.config' = 'org.apache.flink.kafka.shaded.org.apache.kafka.common.security.scram.ScramLoginModule required username="ingest" password="tls-kafka-7";',
  'properties.ssl.truststore.location' = '/srv/kafka/ca.pem',
  'properties.ssl.truststore.type' = 'PEM',
  'properties.group.id' = 'lakehouse-ingest',
  'scan.startup.mode' = 'group-offsets',
  'properties.auto.offset.reset' = 'earliest',
  'properties.commit.offsets.on.checkpoint' = 'true',
  'value.format' = 'raw'
);
