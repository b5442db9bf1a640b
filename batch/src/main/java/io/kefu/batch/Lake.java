package io.kefu.batch;

import java.io.IOException;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.DataFrameReader;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.StructType;

/**
 * The event lake the streaming job writes: Parquet under {@code LAKE/events/date=YYYY-MM-DD/
 * tenant=T/}. Files whose name starts with {@code .} or {@code _} are in progress (Flink's file
 * sink) and are never read. Paths are Hadoop paths, so a lake on HDFS or S3 works as a local one.
 */
public final class Lake {
  private final Path events;
  private final Configuration hadoop;

  private Lake(Path events, Configuration hadoop) {
    this.events = events;
    this.hadoop = hadoop;
  }

  /**
   * The lake at {@code dir} ({@code dir/events}, or {@code dir} itself when it already holds the
   * {@code date=} partitions); a missing lake is a {@link BadInputException} naming the path.
   */
  public static Lake open(String dir, Configuration hadoop) {
    Path root = new Path(dir);
    try {
      FileSystem fs = root.getFileSystem(hadoop);
      if (!fs.exists(root)) {
        throw new BadInputException("no event lake at " + dir + ": the directory does not exist");
      }
      Path events = new Path(root, "events");
      if (fs.isDirectory(events)) {
        return new Lake(events, hadoop);
      }
      if (!dates(fs, root).isEmpty()) {
        return new Lake(root, hadoop);
      }
      throw new BadInputException(
          "no event lake at "
              + dir
              + ": expected "
              + events
              + "/date=YYYY-MM-DD/tenant=T/*.parquet (written by kefu kpis --lake or kefu stream)");
    } catch (IOException e) {
      throw new BadInputException(
          "cannot read the event lake at " + dir + ": " + e.getMessage(), e);
    }
  }

  /** The {@code events} directory. */
  public Path events() {
    return events;
  }

  /** The dates that have a partition directory, in order. */
  public TreeSet<LocalDate> dates() {
    try {
      return dates(events.getFileSystem(hadoop), events);
    } catch (IOException e) {
      throw new BadInputException("cannot list " + events + ": " + e.getMessage(), e);
    }
  }

  /**
   * The partition directories of {@code first} and the following {@code extraDays} days that hold
   * at least one committed Parquet file. The first day must have one; later days may be missing.
   */
  public List<String> partitions(LocalDate first, int extraDays) {
    List<String> paths = new ArrayList<>();
    try {
      FileSystem fs = events.getFileSystem(hadoop);
      for (int d = 0; d <= extraDays; d++) {
        Path p = new Path(events, "date=" + first.plusDays(d));
        if (fs.isDirectory(p) && hasCommittedFile(fs, p)) {
          paths.add(p.toString());
        } else if (d == 0) {
          TreeSet<LocalDate> known = dates(fs, events);
          throw new BadInputException(
              "no events for "
                  + first
                  + ": "
                  + p
                  + (fs.isDirectory(p)
                      ? " holds no committed Parquet file"
                      : " does not exist"
                          + (known.isEmpty()
                              ? " (the lake has no date partitions)"
                              : " (the lake has " + known.first() + " .. " + known.last() + ")")));
        }
      }
    } catch (IOException e) {
      throw new BadInputException("cannot list " + events + ": " + e.getMessage(), e);
    }
    return paths;
  }

  /**
   * The events under the given partition directories, with the lake's own columns only: reading
   * with {@code recursiveFileLookup} turns off partition discovery, whose {@code tenant=} value (a
   * path-safe form) would otherwise replace the events' own tenant column.
   */
  public static Dataset<Row> read(SparkSession spark, List<String> partitions) {
    return reader(spark).parquet(partitions.toArray(String[]::new));
  }

  /**
   * {@link #read(SparkSession, List)} with the files' schema given (read from a footer by the
   * caller): without one, Spark runs a job to read a footer.
   */
  public static Dataset<Row> read(SparkSession spark, List<String> partitions, StructType schema) {
    return reader(spark).schema(schema).parquet(partitions.toArray(String[]::new));
  }

  private static DataFrameReader reader(SparkSession spark) {
    return spark.read().option("recursiveFileLookup", "true").option("pathGlobFilter", "*.parquet");
  }

  static boolean visible(String name) {
    return !name.startsWith(".") && !name.startsWith("_");
  }

  private static boolean hasCommittedFile(FileSystem fs, Path dir) throws IOException {
    for (FileStatus s : fs.listStatus(dir)) {
      String name = s.getPath().getName();
      if (!visible(name)) {
        continue;
      }
      if (s.isDirectory() ? hasCommittedFile(fs, s.getPath()) : name.endsWith(".parquet")) {
        return true;
      }
    }
    return false;
  }

  private static TreeSet<LocalDate> dates(FileSystem fs, Path dir) throws IOException {
    TreeSet<LocalDate> dates = new TreeSet<>();
    for (FileStatus s : fs.listStatus(dir)) {
      String name = s.getPath().getName();
      if (s.isDirectory() && name.startsWith("date=")) {
        try {
          dates.add(LocalDate.parse(name.substring(5)));
        } catch (java.time.format.DateTimeParseException ignored) {
          // not a partition of ours
        }
      }
    }
    return dates;
  }
}
