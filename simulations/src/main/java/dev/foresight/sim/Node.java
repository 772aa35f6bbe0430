package dev.foresight.sim;

/** A GPU node of the node pool: provisioning or Ready, with GPUs claimed by replicas. */
final class Node {
  final int id;
  final double createdAt;
  double readyAt;
  boolean ready;
  int claimed;
  double idleSince = Double.NaN;

  Node(int id, double createdAt) {
    this.id = id;
    this.createdAt = createdAt;
  }
}
