package io.asof.online;

/**
 * What a write did.
 *
 * @param written records stored
 * @param skippedOlder records not stored because the table holds one offline takes over them (a
 *     newer event time, or the same one winning the tie-break)
 * @param retried records the store sent again: left unprocessed by a batch call, or a tile update
 *     whose condition failed; calls a client library retried on its own (DynamoDB's throttled
 *     calls, which the AWS SDK sends again) are not counted
 */
public record WriteSummary(long written, long skippedOlder, long retried) {
  public static final WriteSummary NONE = new WriteSummary(0, 0, 0);

  public WriteSummary plus(WriteSummary other) {
    return new WriteSummary(
        written + other.written, skippedOlder + other.skippedOlder, retried + other.retried);
  }
}
