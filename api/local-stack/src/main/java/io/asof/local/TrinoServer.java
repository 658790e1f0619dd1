package io.asof.local;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** Trino 476 as a process of the stack: its configuration, its command line and its readiness. */
final class TrinoServer {
  private static final Duration POLL = Duration.ofMillis(500);

  private final LocalStackConfig config;
  private final ManagedProcess process;
  private final Path home;

  TrinoServer(LocalStackConfig config, ManagedProcess process) {
    this.config = config;
    this.process = process;
    this.home = config.stateDir().resolve("trino");
  }

  /** Writes etc/ and catalog/ under the state directory; data survives, configuration is redone. */
  void writeConfiguration(StackEndpoints endpoints) {
    try {
      Path etc = Files.createDirectories(home.resolve("etc"));
      Path catalogs = Files.createDirectories(home.resolve("catalog"));
      Files.createDirectories(home.resolve("data"));
      Files.createDirectories(home.resolve("tmp"));
      Path spill = Files.createDirectories(home.resolve("spill"));
      Files.createDirectories(config.warehouse());
      int port = endpoints.trinoHttpUrl().getPort();
      Files.writeString(
          etc.resolve("config.properties"),
          String.join(
              "\n",
              "# written by asof local up; edits are lost on the next up",
              "node.environment=asof_local",
              "node.id=asof-local",
              // loopback only: bind, announce and discover on 127.0.0.1
              "node.bind-ip=127.0.0.1",
              "node.internal-address=127.0.0.1",
              "coordinator=true",
              "node-scheduler.include-coordinator=true",
              "http-server.http.port=" + port,
              "discovery.uri=http://127.0.0.1:" + port,
              // half the heap for queries; the rest is Trino's own (plans, buffers, metadata)
              "query.max-memory=" + queryMemoryMb(config.trinoHeap()) + "MB",
              "query.max-memory-per-node=" + queryMemoryMb(config.trinoHeap()) + "MB",
              // big sorts, joins and aggregations (point-in-time joins over millions of rows) go to
              // disk instead of failing when the small default heap is full
              "spill-enabled=true",
              "spiller-spill-path=" + spill,
              "max-spill-per-node=20GB",
              "query-max-spill-per-node=20GB",
              ""),
          StandardCharsets.UTF_8);
      Path iceberg = catalogs.resolve(endpoints.catalog() + ".properties");
      if (config.icebergCatalogProperties().isPresent()) {
        Files.copy(
            config.icebergCatalogProperties().get(),
            iceberg,
            java.nio.file.StandardCopyOption.REPLACE_EXISTING);
      } else {
        Files.writeString(
            iceberg,
            localIcebergCatalog(
                "# The local Iceberg catalog: Trino's file metastore, data on local disk.",
                "catalog"),
            StandardCharsets.UTF_8);
        Files.writeString(
            catalogs.resolve(StackEndpoints.ATHENA_CATALOG + ".properties"),
            localIcebergCatalog(
                "# A second Iceberg catalog, apart from the first, named as Athena names Glue's: the"
                    + " local Athena emulator (a test fixture) runs Athena's SQL here.",
                StackEndpoints.ATHENA_CATALOG),
            StandardCharsets.UTF_8);
      }
      Files.writeString(catalogs.resolve("tpch.properties"), "connector.name=tpch\n");
      Files.writeString(catalogs.resolve("memory.properties"), "connector.name=memory\n");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** An Iceberg catalog on Trino's file metastore, its tables under {@code directory}. */
  private String localIcebergCatalog(String comment, String directory) {
    Path warehouse = config.warehouse();
    return String.join(
        "\n",
        comment,
        "connector.name=iceberg",
        "iceberg.catalog.type=TESTING_FILE_METASTORE",
        "hive.metastore.catalog.dir=local:///" + directory,
        "fs.native-local.enabled=true",
        "local.location=" + warehouse,
        "iceberg.file-format=PARQUET",
        "# ./asof maintain applies its own retention (--retention, default 7d) and keeps",
        "# the snapshots recorded training sets need; Trino's 7-day floor would stop a",
        "# shorter --retention on this local catalog.",
        "iceberg.expire-snapshots.min-retention=0s",
        "# push ingestion commits its micro-batches by adding the Parquet files it wrote",
        "iceberg.add-files-procedure.enabled=true",
        "");
  }

  List<String> command() {
    Path server = config.distDir().resolve("trino-server");
    List<String> command = new ArrayList<>();
    command.add(config.javaHome().resolve("bin/java").toString());
    command.add(process.markerOption());
    command.addAll(
        List.of(
            "-Xmx" + config.trinoHeap(),
            "-XX:+UseG1GC",
            "-XX:+ExitOnOutOfMemoryError",
            "-XX:-OmitStackTraceInFastThrow",
            "-XX:+EnableDynamicAgentLoading",
            "-Djdk.attach.allowAttachSelf=true",
            "-Dfile.encoding=UTF-8",
            "--add-opens=java.base/java.nio=ALL-UNNAMED",
            "--enable-native-access=ALL-UNNAMED",
            "--sun-misc-unsafe-memory-access=allow",
            "-Djava.io.tmpdir=" + home.resolve("tmp"),
            "-Dconfig=" + home.resolve("etc/config.properties"),
            "-Dnode.data-dir=" + home.resolve("data"),
            "-Dcatalog.config-dir=" + home.resolve("catalog"),
            "-Dplugin.dir=" + config.distDir().resolve("trino-plugins"),
            "-cp",
            server.resolve("lib") + "/*",
            "io.trino.server.TrinoServer"));
    return command;
  }

  Path home() {
    return home;
  }

  /**
   * Waits until Trino takes writes: the HTTP server says it has started, a node is active, the
   * schemas exist, and a partitioned Iceberg insert succeeds (right after start it can fail with
   * "nodes is empty").
   */
  void awaitReady(StackEndpoints endpoints, Process started, long deadlineNanos) {
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    URI info = endpoints.trinoHttpUrl().resolve("/v1/info");
    while (!httpStarted(http, info)) {
      checkAlive(started);
      checkDeadline(deadlineNanos, "Trino did not start");
      sleep();
    }
    TrinoReadiness.awaitWritable(
        endpoints, deadlineNanos, () -> checkAlive(started), process.logFile());
  }

  private void checkAlive(Process started) {
    if (started != null && !started.isAlive()) {
      throw new StackException(
          "Trino exited during start (exit code %d): %s"
              .formatted(started.exitValue(), process.failureSummary()),
          process.logFile());
    }
  }

  private void checkDeadline(long deadlineNanos, String what) {
    if (System.nanoTime() > deadlineNanos) {
      throw new StackException(what + " in time", process.logFile());
    }
  }

  private static boolean httpStarted(HttpClient http, URI info) {
    try {
      HttpResponse<String> response =
          http.send(
              HttpRequest.newBuilder(info).timeout(Duration.ofSeconds(2)).build(),
              HttpResponse.BodyHandlers.ofString());
      return response.statusCode() == 200 && response.body().contains("\"starting\":false");
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new StackException("interrupted while waiting for Trino", e);
    }
  }

  private static void sleep() {
    try {
      Thread.sleep(POLL);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new StackException("interrupted while waiting for the stack", e);
    }
  }

  /** Half of a heap written like {@code 1G} or {@code 768M}, in MB. */
  static long queryMemoryMb(String heap) {
    long amount = Long.parseLong(heap.substring(0, heap.length() - 1));
    long megabytes = heap.endsWith("G") ? amount * 1024 : amount;
    return megabytes / 2;
  }
}
