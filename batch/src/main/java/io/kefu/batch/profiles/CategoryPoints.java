package io.kefu.batch.profiles;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * One customer's points per category (plain Java): a customer has a handful of categories, so two
 * short arrays searched in order beat a hash map on time and memory.
 */
final class CategoryPoints {
  private String[] names = new String[4];
  private long[] points = new long[4];
  private int size;

  void add(String category, long p) {
    for (int i = 0; i < size; i++) {
      if (names[i].equals(category)) {
        points[i] += p;
        return;
      }
    }
    if (size == names.length) {
      names = Arrays.copyOf(names, 2 * size);
      points = Arrays.copyOf(points, 2 * size);
    }
    names[size] = category;
    points[size++] = p;
  }

  int size() {
    return size;
  }

  String name(int i) {
    return names[i];
  }

  long points(int i) {
    return points[i];
  }

  /** The {@code k} categories with most points, ties by name (UTF-8 order, as Spark sorts). */
  List<String> top(int k) {
    Integer[] order = new Integer[size];
    for (int i = 0; i < size; i++) {
      order[i] = i;
    }
    Arrays.sort(
        order,
        (a, b) -> {
          int c = Long.compare(points[b], points[a]);
          return c != 0 ? c : Utf8Order.compare(names[a], names[b]);
        });
    List<String> top = new ArrayList<>(Math.min(k, size));
    for (int i = 0; i < Math.min(k, size); i++) {
      top.add(names[order[i]]);
    }
    return top;
  }
}
