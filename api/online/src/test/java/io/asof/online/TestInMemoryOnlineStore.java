package io.asof.online;

/** The in-memory store passes the contract every store passes. */
class TestInMemoryOnlineStore extends OnlineStoreContract {
  private final InMemoryOnlineStore store = new InMemoryOnlineStore();

  @Override
  protected OnlineStore store() {
    return store;
  }
}
