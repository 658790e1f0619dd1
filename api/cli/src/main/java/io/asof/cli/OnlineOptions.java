package io.asof.cli;

import io.asof.online.OnlineStore;
import io.asof.online.dynamodb.DynamoDbOnlineStore;
import java.io.PrintWriter;
import java.net.URI;
import picocli.CommandLine.Option;

/** Which DynamoDB holds the online store: the local stack's (default), another endpoint, or AWS. */
final class OnlineOptions {
  @Option(
      names = "--dynamodb-endpoint",
      paramLabel = "URL",
      description =
          "The online store's DynamoDB: an endpoint (http://host:port: a VPC endpoint, another DynamoDB Local) or 'aws' for the region's AWS endpoint, both signed with the AWS SDK's default credential chain (for a DynamoDB Local, set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY to any letters and digits) (default: $ASOF_DYNAMODB_ENDPOINT, else the local stack's, started when it does not run).")
  String endpoint;

  @Option(
      names = "--region",
      paramLabel = "REGION",
      description = "The AWS region (default: $AWS_REGION, else us-east-1).")
  String region;

  /** Connects to the online store, starting the local stack first when that is the one used. */
  OnlineStore store(StackOptions stack, PrintWriter out) {
    String named = endpoint != null ? endpoint : System.getenv("ASOF_DYNAMODB_ENDPOINT");
    String chosenRegion =
        region != null ? region : System.getenv().getOrDefault("AWS_REGION", "us-east-1");
    if (named == null || named.isBlank()) {
      // quiet: the commands that need it have started the stack already, or say so themselves;
      // the stack's own DynamoDB Local is the one endpoint that gets its fixed keys
      URI local = stack.stack(line -> {}).up().endpoints().dynamoDbEndpoint();
      return DynamoDbOnlineStore.connectLocal(local, chosenRegion);
    }
    if (named.equals("aws")) {
      return DynamoDbOnlineStore.connect(chosenRegion);
    }
    URI uri;
    try {
      uri = URI.create(named);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "--dynamodb-endpoint: " + named + " is not a URL (http://host:port) nor 'aws'", e);
    }
    if (uri.getScheme() == null || uri.getHost() == null) {
      throw new IllegalArgumentException(
          "--dynamodb-endpoint: " + named + " is not a URL (http://host:port) nor 'aws'");
    }
    return DynamoDbOnlineStore.connect(uri, chosenRegion);
  }

  /** What the store is, for messages. */
  String describe() {
    String named = endpoint != null ? endpoint : System.getenv("ASOF_DYNAMODB_ENDPOINT");
    return named == null || named.isBlank() ? "the local stack's DynamoDB Local" : named;
  }
}
