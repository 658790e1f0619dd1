package io.asof.local.dist;

import com.amazonaws.services.dynamodbv2.local.server.DynamoDBProxyServer;
import com.amazonaws.services.dynamodbv2.local.server.LocalDynamoDBRequestHandler;
import com.amazonaws.services.dynamodbv2.local.server.LocalDynamoDBServerHandler;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;

/**
 * Runs DynamoDB Local bound to 127.0.0.1 only.
 *
 * <p>DynamoDB Local's own {@code ServerRunner} listens on every interface and has no bind-address
 * option, so this launcher builds the same request handler and serves it from a Jetty connector on
 * loopback. Telemetry is never configured, so none is sent.
 *
 * <p>Usage: {@code LoopbackDynamoDbLocal <port> <dbPath>|-inMemory}
 */
public final class LoopbackDynamoDbLocal {
  private LoopbackDynamoDbLocal() {}

  public static void main(String[] args) throws Exception {
    if (args.length != 2) {
      System.err.println("usage: LoopbackDynamoDbLocal <port> <dbPath>|-inMemory");
      System.exit(2);
    }
    int port = Integer.parseInt(args[0]);
    boolean inMemory = args[1].equals("-inMemory");
    String dbPath = inMemory ? null : args[1];

    // port 0: the handler does not listen itself; sharedDb: one database for every access key.
    var requestHandler = new LocalDynamoDBRequestHandler(0, inMemory, dbPath, true, false);
    var serverHandler = new LocalDynamoDBServerHandler(requestHandler, null);

    Server server = new Server();
    ServerConnector connector = new ServerConnector(server);
    connector.setHost("127.0.0.1");
    connector.setPort(port);
    server.addConnector(connector);
    server.setHandler(new DynamoDBProxyServer(port, serverHandler).setUpHandler(serverHandler));
    server.start();
    System.out.println("DynamoDB Local listening on http://127.0.0.1:" + port);
    server.join();
  }
}
