package dev.foresight.sim;

import java.util.Arrays;

/**
 * Replicas ordered by their next engine event: an indexed binary min-heap (each replica knows its
 * slot), so the fleet's next event is O(1) to read and a replica whose event moved is re-placed in
 * O(log n). Ties go to the lower replica id, so the order of simultaneous events is fixed.
 */
final class EngineQueue {
  private Replica[] heap = new Replica[16];
  private int size;

  void add(Replica r) {
    if (size == heap.length) {
      heap = Arrays.copyOf(heap, size * 2);
    }
    heap[size] = r;
    r.heapIndex = size;
    size++;
    up(r.heapIndex);
  }

  void remove(Replica r) {
    int i = r.heapIndex;
    if (i < 0) {
      return;
    }
    size--;
    Replica last = heap[size];
    heap[size] = null;
    r.heapIndex = -1;
    if (i < size) {
      heap[i] = last;
      last.heapIndex = i;
      up(i);
      down(last.heapIndex);
    }
  }

  /** Re-places {@code r} after its next event changed. */
  void update(Replica r) {
    if (r.heapIndex >= 0) {
      up(r.heapIndex);
      down(r.heapIndex);
    }
  }

  /** The replica with the earliest next event, or null when there is none. */
  Replica peek() {
    return size == 0 ? null : heap[0];
  }

  private static boolean before(Replica a, Replica b) {
    double x = a.nextEvent();
    double y = b.nextEvent();
    return x < y || (x == y && a.id < b.id);
  }

  private void up(int i) {
    Replica r = heap[i];
    while (i > 0) {
      int parent = (i - 1) >>> 1;
      if (!before(r, heap[parent])) {
        break;
      }
      heap[i] = heap[parent];
      heap[i].heapIndex = i;
      i = parent;
    }
    heap[i] = r;
    r.heapIndex = i;
  }

  private void down(int i) {
    Replica r = heap[i];
    while (true) {
      int l = 2 * i + 1;
      if (l >= size) {
        break;
      }
      int c = l + 1 < size && before(heap[l + 1], heap[l]) ? l + 1 : l;
      if (!before(heap[c], r)) {
        break;
      }
      heap[i] = heap[c];
      heap[i].heapIndex = i;
      i = c;
    }
    heap[i] = r;
    r.heapIndex = i;
  }
}
