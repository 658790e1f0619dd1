package io.asof.registry;

/**
 * A lease was lost while held: its renewals failed for longer than its expiry, so another writer
 * may have taken it over; the holder stops before writing more.
 */
public final class LeaseLostException extends RegistryException {
  private static final long serialVersionUID = 1L;

  public LeaseLostException(String message) {
    super(message);
  }
}
