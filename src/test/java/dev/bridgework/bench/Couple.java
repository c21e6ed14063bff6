package dev.bridgework.bench;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * One couple of the benchmark: partner A shares, partner B receives. For the floor there are no
 * accounts (members are null) and {@code id} is the pair number.
 */
final class Couple {
  record Member(int index, String id, String email, String cookie) {}

  final int index;
  final String id;
  final Member a;
  final Member b;
  /** Shares of this couple whose PUT succeeded since its sockets opened: the couple stream's expected growth. */
  final AtomicInteger sharesOk = new AtomicInteger();
  volatile Sock sockA;
  volatile Sock sockB;

  Couple(int index, String id, Member a, Member b) {
    this.index = index;
    this.id = id;
    this.a = a;
    this.b = b;
  }
}
