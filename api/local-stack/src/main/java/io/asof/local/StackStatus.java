package io.asof.local;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.util.OptionalLong;

/**
 * What runs of a local stack and where to reach it.
 *
 * @param trinoPid Trino's process id when it runs
 * @param dynamoDbPid DynamoDB Local's process id when it runs
 */
public record StackStatus(
    Path stateDir,
    StackEndpoints endpoints,
    OptionalLong trinoPid,
    Path trinoLog,
    OptionalLong dynamoDbPid,
    Path dynamoDbLog) {
  public StackStatus {
    requireNonNull(stateDir, "stateDir is null");
    requireNonNull(endpoints, "endpoints is null");
    requireNonNull(trinoPid, "trinoPid is null");
    requireNonNull(trinoLog, "trinoLog is null");
    requireNonNull(dynamoDbPid, "dynamoDbPid is null");
    requireNonNull(dynamoDbLog, "dynamoDbLog is null");
  }

  /** Every server of the stack runs. */
  public boolean running() {
    return trinoPid.isPresent() && dynamoDbPid.isPresent();
  }

  /** No server of the stack runs. */
  public boolean stopped() {
    return trinoPid.isEmpty() && dynamoDbPid.isEmpty();
  }

  /** The state in one word: {@code running}, {@code stopped} or {@code partial}. */
  public String state() {
    return running() ? "running" : stopped() ? "stopped" : "partial";
  }

  /** The status as the JSON document {@code asof local status --json} prints. */
  public String toJson() {
    ObjectMapper mapper = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    ObjectNode root = mapper.createObjectNode();
    root.put("state", state());
    root.put("stateDir", stateDir.toString());
    ObjectNode trino = root.putObject("trino");
    trino.put("state", trinoPid.isPresent() ? "running" : "stopped");
    if (trinoPid.isPresent()) {
      trino.put("pid", trinoPid.getAsLong());
    }
    trino.put("jdbcUrl", endpoints.trinoJdbcUrl());
    trino.put("httpUrl", endpoints.trinoHttpUrl().toString());
    trino.put("user", endpoints.trinoUser());
    trino.put("log", trinoLog.toString());
    residentBytes(trinoPid).ifPresent(bytes -> trino.put("rssBytes", bytes));
    ObjectNode iceberg = root.putObject("iceberg");
    iceberg.put("catalog", endpoints.catalog());
    ObjectNode schemas = iceberg.putObject("schemas");
    schemas.put("warehouse", endpoints.warehouseSchema());
    schemas.put("features", endpoints.featureSchema());
    schemas.put("training", endpoints.trainingSchema());
    ObjectNode dynamoDb = root.putObject("dynamodb");
    dynamoDb.put("state", dynamoDbPid.isPresent() ? "running" : "stopped");
    if (dynamoDbPid.isPresent()) {
      dynamoDb.put("pid", dynamoDbPid.getAsLong());
    }
    dynamoDb.put("endpoint", endpoints.dynamoDbEndpoint().toString());
    dynamoDb.put("region", endpoints.dynamoDbRegion());
    dynamoDb.put("log", dynamoDbLog.toString());
    residentBytes(dynamoDbPid).ifPresent(bytes -> dynamoDb.put("rssBytes", bytes));
    try {
      return mapper.writeValueAsString(root);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Resident memory of a running process in bytes, where the OS tells ({@code /proc}). */
  public static OptionalLong residentBytes(OptionalLong pid) {
    if (pid.isEmpty()) {
      return OptionalLong.empty();
    }
    try {
      for (String line :
          java.nio.file.Files.readAllLines(
              Path.of("/proc", Long.toString(pid.getAsLong()), "status"))) {
        if (line.startsWith("VmRSS:")) {
          String kilobytes = line.substring("VmRSS:".length()).replace("kB", "").strip();
          return OptionalLong.of(Long.parseLong(kilobytes) * 1024);
        }
      }
    } catch (java.io.IOException | NumberFormatException e) {
      // not Linux, or the process just ended
    }
    return OptionalLong.empty();
  }

  /** The status for people: one line per server. */
  public String describe() {
    return String.join(
        "\n",
        "Local stack " + state() + " (state in " + stateDir + ")",
        "  Trino 476      "
            + describe(trinoPid)
            + "  "
            + endpoints.trinoJdbcUrl()
            + "  catalog "
            + endpoints.catalog(),
        "  DynamoDB Local "
            + describe(dynamoDbPid)
            + "  "
            + endpoints.dynamoDbEndpoint()
            + "  region "
            + endpoints.dynamoDbRegion());
  }

  private static String describe(OptionalLong pid) {
    if (pid.isEmpty()) {
      return "stopped";
    }
    OptionalLong rss = residentBytes(pid);
    return "running (pid %d%s)"
        .formatted(
            pid.getAsLong(), rss.isPresent() ? ", RSS %d MB".formatted(rss.getAsLong() >> 20) : "");
  }
}
