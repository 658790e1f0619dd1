package io.asof.server;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A loopback TCP relay to a real server, which a test can cut and restore: the way to make a
 * running DynamoDB unreachable for one client and bring it back, on the same port.
 */
final class TcpRelay implements AutoCloseable {
  private final int target;
  private final int port;
  private final List<Socket> open = new CopyOnWriteArrayList<>();
  private volatile ServerSocket listener;

  TcpRelay(int target) throws IOException {
    this.target = target;
    try (ServerSocket probe = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
      this.port = probe.getLocalPort();
    }
    start();
  }

  int port() {
    return port;
  }

  /** Accepts connections again, on the same port. */
  synchronized void start() throws IOException {
    ServerSocket socket = new ServerSocket();
    socket.setReuseAddress(true);
    socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
    listener = socket;
    Thread.ofVirtual()
        .start(
            () -> {
              while (!socket.isClosed()) {
                try {
                  Socket client = socket.accept();
                  Socket server = new Socket(InetAddress.getLoopbackAddress(), target);
                  open.add(client);
                  open.add(server);
                  pipe(client, server);
                  pipe(server, client);
                } catch (IOException e) {
                  return; // closed
                }
              }
            });
  }

  /** Refuses new connections and drops the open ones. */
  synchronized void cut() throws IOException {
    listener.close();
    for (Socket socket : open) {
      socket.close();
    }
    open.clear();
  }

  private static void pipe(Socket from, Socket to) {
    Thread.ofVirtual()
        .start(
            () -> {
              try (InputStream in = from.getInputStream();
                  OutputStream out = to.getOutputStream()) {
                in.transferTo(out);
              } catch (IOException e) {
                // one side closed: the relay of this connection ends
              } finally {
                try {
                  to.close();
                  from.close();
                } catch (IOException e) {
                  // already closed
                }
              }
            });
  }

  @Override
  public void close() throws IOException {
    cut();
  }
}
