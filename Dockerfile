# syntax=docker/dockerfile:1
#
# noos-streams service image.
#   docker build -t noos-streams .
#   docker run --rm -e KAFKA_BOOTSTRAP_SERVERS=host:9092 noos-streams              # = java -jar /app/noos-streams.jar run
#   docker run --rm -e KAFKA_BOOTSTRAP_SERVERS=host:9092 noos-streams run --simulate 20
# Configuration comes from the environment (ServiceConfig): every KAFKA_* variable becomes a Kafka
# client/Streams key (KAFKA_BOOTSTRAP_SERVERS -> bootstrap.servers), every NOOS_* variable a noos.* key
# (NOOS_COST_CAP -> noos.cost.cap); flags after `run` override both. See docker-compose.yml.

# ---- build stage: Maven + JDK 17 -----------------------------------------------------------------
FROM maven:3.9-eclipse-temurin-17 AS build
WORKDIR /build
COPY pom.xml ./
COPY schemas ./schemas
COPY src ./src
# The cache mount keeps ~/.m2 between builds (BuildKit, the default builder).
RUN --mount=type=cache,target=/root/.m2 mvn -B -DskipTests package

# ---- runtime stage: JRE 17 only ------------------------------------------------------------------
# glibc-based (Ubuntu) image: RocksDB's bundled native library does not load on musl/Alpine.
FROM eclipse-temurin:17-jre
RUN groupadd --system noos \
    && useradd --system --gid noos --home-dir /app --no-create-home noos \
    && mkdir -p /app /var/lib/noos-streams \
    && chown noos:noos /var/lib/noos-streams
COPY --from=build /build/target/noos-streams.jar /app/noos-streams.jar
# Local RocksDB state (rebuilt from the changelog when lost); mount a volume here to keep it across restarts.
ENV KAFKA_STATE_DIR=/var/lib/noos-streams
# Heap well below the container limit: RocksDB and Kafka's buffers live off-heap.
ENV JAVA_TOOL_OPTIONS="-XX:MaxRAMPercentage=60"
USER noos
WORKDIR /app
# HTTP: /health, /ready, /metrics, /users/{id}, /fleet/stats and the dashboard (noos.http.port).
EXPOSE 8080
# Exec form: java is PID 1 and gets SIGTERM, so the shutdown hook closes Kafka Streams cleanly.
ENTRYPOINT ["java", "-jar", "/app/noos-streams.jar"]
CMD ["run"]
