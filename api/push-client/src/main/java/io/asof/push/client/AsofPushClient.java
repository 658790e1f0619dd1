package io.asof.push.client;

import static java.util.Objects.requireNonNull;

import java.io.BufferedReader;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Pushes rows to an Asof server's push views ({@code POST /v1/push/{view}}) as NDJSON.
 *
 * <p>A push the server answers is taken whole (durable, 200) or refused whole ({@link
 * PushFailedException} with the server's message). A 429 (the view's buffer is full) is sent again
 * after the server's {@code Retry-After}, and a push that never reached the server (connection
 * refused) after a backoff, up to the attempts configured. A push whose answer was lost after it
 * was sent is not sent again: it may have been taken, so the exception says so.
 *
 * <p>Thread-safe; one client per server is enough.
 */
public final class AsofPushClient {
  private static final Pattern SEQUENCE = Pattern.compile("\"sequence\"\\s*:\\s*(\\d+)");
  private static final Pattern VERSION = Pattern.compile("\"version\"\\s*:\\s*(\\d+)");
  private static final Pattern ERROR =
      Pattern.compile("\"error\"\\s*:\\s*\"((?:[^\"\\\\]|\\\\.)*)\"");

  private final HttpClient http;
  private final URI server;
  private final Optional<String> token;
  private final Duration timeout;
  private final int attempts;

  private AsofPushClient(URI server, Optional<String> token, Duration timeout, int attempts) {
    this.server = server;
    this.token = token;
    this.timeout = timeout;
    this.attempts = attempts;
    this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  }

  /** A client of the server at {@code server} ({@code http://host:port}). */
  public static Builder builder(URI server) {
    return new Builder(server);
  }

  /** How a client is made. */
  public static final class Builder {
    private final URI server;
    private Optional<String> token = Optional.empty();
    private Duration timeout = Duration.ofSeconds(60);
    private int attempts = 10;

    private Builder(URI server) {
      this.server = requireNonNull(server, "server is null");
    }

    /** The API token to send as {@code Authorization: Bearer}, when the server has auth on. */
    public Builder token(String token) {
      this.token = Optional.of(requireNonNull(token, "token is null"));
      return this;
    }

    /** How long one push may take before it fails (default 60 s). */
    public Builder timeout(Duration timeout) {
      this.timeout = requireNonNull(timeout, "timeout is null");
      return this;
    }

    /** How often a push is sent at most, retries included (default 10). */
    public Builder attempts(int attempts) {
      if (attempts < 1) {
        throw new IllegalArgumentException("attempts must be at least 1, got " + attempts);
      }
      this.attempts = attempts;
      return this;
    }

    public AsofPushClient build() {
      return new AsofPushClient(server, token, timeout, attempts);
    }
  }

  /** What the server answered to a push it took. */
  public record Pushed(String view, int version, int rows, long sequence) {}

  /**
   * Pushes rows, each a map of column to value: numbers, strings, booleans, null, and {@code
   * java.time} values (sent in ISO form; an {@link java.time.Instant} as UTC).
   *
   * @throws PushFailedException when the server refuses the push or cannot be reached
   */
  public Pushed push(String view, List<? extends Map<String, ?>> rows) {
    StringBuilder body = new StringBuilder(rows.size() * 96);
    for (Map<String, ?> row : rows) {
      NdJson.writeRow(body, row);
      body.append('\n');
    }
    return pushNdJson(view, body.toString().getBytes(StandardCharsets.UTF_8), rows.size(), false);
  }

  /**
   * Pushes a body of NDJSON lines as it is.
   *
   * @param dryRun only check the rows against the view (nothing is taken)
   */
  public Pushed pushNdJson(String view, byte[] ndjson, int rows, boolean dryRun) {
    requireNonNull(view, "view is null");
    URI uri =
        server.resolve(
            "/v1/push/"
                + URLEncoder.encode(view, StandardCharsets.UTF_8)
                + (dryRun ? "?dry_run=true" : ""));
    HttpRequest.Builder request =
        HttpRequest.newBuilder(uri)
            .timeout(timeout)
            .header("Content-Type", "application/x-ndjson")
            .POST(HttpRequest.BodyPublishers.ofByteArray(ndjson));
    token.ifPresent(t -> request.header("Authorization", "Bearer " + t));
    for (int attempt = 1; ; attempt++) {
      HttpResponse<String> response;
      try {
        response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
      } catch (ConnectException e) {
        if (attempt >= attempts) {
          throw new PushFailedException(
              0, "the server at %s could not be reached: %s".formatted(server, e), false);
        }
        sleep(Duration.ofMillis(Math.min(10_000, 200L << Math.min(attempt, 6))));
        continue;
      } catch (IOException e) {
        throw new PushFailedException(
            0,
            "the push's answer was lost (%s): the server may have taken it; check before pushing again"
                .formatted(e),
            true);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new PushFailedException(0, "interrupted while pushing", true);
      }
      int status = response.statusCode();
      if (status == 200) {
        return new Pushed(
            view,
            number(VERSION, response.body()).intValue(),
            rows,
            number(SEQUENCE, response.body()));
      }
      if (status == 429 && attempt < attempts) {
        long seconds = response.headers().firstValue("Retry-After").map(Long::parseLong).orElse(1L);
        sleep(Duration.ofSeconds(Math.max(1, seconds)));
        continue;
      }
      throw new PushFailedException(status, message(response.body()), false);
    }
  }

  /**
   * Pushes an NDJSON file in batches of {@code batchRows} lines (blank lines skipped), first
   * checking every batch against the view unless {@code check} is false, so that a bad line stops
   * the push before any row is taken.
   *
   * @param progress told after each batch taken
   * @throws PushFailedException naming the file's line when a batch is refused
   */
  public List<Pushed> pushFile(
      String view, Path file, int batchRows, boolean check, Consumer<Pushed> progress)
      throws IOException {
    if (batchRows < 1) {
      throw new IllegalArgumentException("batchRows must be at least 1, got " + batchRows);
    }
    if (check) {
      eachBatch(file, batchRows, (batch, firstLine) -> send(view, batch, firstLine, true));
    }
    List<Pushed> pushed = new ArrayList<>();
    eachBatch(
        file,
        batchRows,
        (batch, firstLine) -> {
          Pushed one = send(view, batch, firstLine, false);
          pushed.add(one);
          progress.accept(one);
        });
    return pushed;
  }

  private Pushed send(String view, List<String> lines, int firstLine, boolean dryRun) {
    StringBuilder body = new StringBuilder();
    for (String line : lines) {
      body.append(line).append('\n');
    }
    try {
      return pushNdJson(
          view, body.toString().getBytes(StandardCharsets.UTF_8), lines.size(), dryRun);
    } catch (PushFailedException e) {
      throw new PushFailedException(
          e.status(),
          "the batch from line %d (its row N is the file's N+1st row from there, blank lines aside): %s"
              .formatted(firstLine, e.getMessage()),
          e.mayHaveBeenTaken());
    }
  }

  @FunctionalInterface
  private interface BatchConsumer {
    void accept(List<String> lines, int firstLine);
  }

  private static void eachBatch(Path file, int batchRows, BatchConsumer consumer)
      throws IOException {
    try (BufferedReader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      List<String> batch = new ArrayList<>(batchRows);
      int lineNumber = 0;
      int firstLine = 1;
      for (String line = reader.readLine(); line != null; line = reader.readLine()) {
        lineNumber++;
        if (line.isBlank()) {
          continue;
        }
        if (batch.isEmpty()) {
          firstLine = lineNumber;
        }
        batch.add(line);
        if (batch.size() == batchRows) {
          consumer.accept(batch, firstLine);
          batch = new ArrayList<>(batchRows);
        }
      }
      if (!batch.isEmpty()) {
        consumer.accept(batch, firstLine);
      }
    }
  }

  private static Long number(Pattern pattern, String body) {
    Matcher matcher = pattern.matcher(body);
    if (!matcher.find()) {
      throw new PushFailedException(200, "unexpected answer from the server: " + body, true);
    }
    return Long.parseLong(matcher.group(1));
  }

  private static String message(String body) {
    Matcher matcher = ERROR.matcher(body);
    if (!matcher.find()) {
      return body;
    }
    return NdJson.unescape(matcher.group(1));
  }

  private static void sleep(Duration duration) {
    try {
      Thread.sleep(duration);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new PushFailedException(0, "interrupted while waiting to push again", false);
    }
  }
}
