package io.kefu.core.sentiment;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;

/** The shared sentiment data beside the clone ({@code ../shared/data/sentiment}). Test fixture. */
final class SharedData {
  private SharedData() {}

  /** The repository root: the nearest directory up from the working directory with core/ in it. */
  static Path repoRoot() {
    Path dir = Path.of("").toAbsolutePath();
    while (dir != null
        && !(Files.isDirectory(dir.resolve("core")) && Files.exists(dir.resolve("pom.xml")))) {
      dir = dir.getParent();
    }
    if (dir == null) {
      throw new IllegalStateException("no repository root above " + Path.of("").toAbsolutePath());
    }
    return dir;
  }

  /** The sentiment data directory; skips the test when it is not there. */
  static Path sentimentDir() {
    Path dir = repoRoot().resolve("../shared/data/sentiment").normalize();
    assumeTrue(Files.isDirectory(dir), "shared sentiment data not found at " + dir);
    return dir;
  }
}
