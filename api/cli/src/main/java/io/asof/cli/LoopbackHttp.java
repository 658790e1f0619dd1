package io.asof.cli;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * A minimal HTTP/1.1 client on one kept-alive connection, for load generators: so that a
 * benchmark's client costs the two cores it shares with the server as little as it can (the JDK's
 * HttpClient spends several times as much per request). POST with a JSON body, 200 expected.
 */
final class LoopbackHttp implements AutoCloseable {
  private final Socket socket;
  private final InputStream in;
  private final OutputStream out;
  private final String host;

  LoopbackHttp(URI server) throws IOException {
    this.socket = new Socket(server.getHost(), server.getPort());
    socket.setTcpNoDelay(true);
    this.in = new BufferedInputStream(socket.getInputStream(), 64 * 1024);
    this.out = socket.getOutputStream();
    this.host = server.getHost() + ":" + server.getPort();
  }

  /** Posts {@code json} to {@code path}; returns the body of a 200 answer, else throws. */
  String post(String path, String json) throws IOException {
    byte[] body = json.getBytes(StandardCharsets.UTF_8);
    byte[] head =
        ("POST "
                + path
                + " HTTP/1.1\r\nHost: "
                + host
                + "\r\nContent-Type: application/json\r\nContent-Length: "
                + body.length
                + "\r\n\r\n")
            .getBytes(StandardCharsets.US_ASCII);
    byte[] request = new byte[head.length + body.length];
    System.arraycopy(head, 0, request, 0, head.length);
    System.arraycopy(body, 0, request, head.length, body.length);
    out.write(request);
    out.flush();
    String status = line();
    long length = -1;
    boolean chunked = false;
    for (String header = line(); !header.isEmpty(); header = line()) {
      String lower = header.toLowerCase(Locale.ROOT);
      if (lower.startsWith("content-length:")) {
        length = Long.parseLong(lower.substring("content-length:".length()).strip());
      } else if (lower.startsWith("transfer-encoding:") && lower.contains("chunked")) {
        chunked = true;
      }
    }
    ByteArrayOutputStream answer = new ByteArrayOutputStream();
    if (chunked) {
      for (int size = Integer.parseInt(line().strip(), 16); size > 0; ) {
        answer.write(in.readNBytes(size));
        line(); // the chunk's CRLF
        size = Integer.parseInt(line().strip(), 16);
      }
      line(); // the end's CRLF
    } else if (length >= 0) {
      answer.write(in.readNBytes((int) length));
    } else {
      throw new IOException("an answer without a length: " + status);
    }
    String text = answer.toString(StandardCharsets.UTF_8);
    if (!status.startsWith("HTTP/1.1 200")) {
      throw new IOException(status + ": " + text);
    }
    return text;
  }

  private String line() throws IOException {
    StringBuilder line = new StringBuilder();
    for (int c = in.read(); c != '\n'; c = in.read()) {
      if (c < 0) {
        throw new IOException("the server closed the connection");
      }
      if (c != '\r') {
        line.append((char) c);
      }
    }
    return line.toString();
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }
}
