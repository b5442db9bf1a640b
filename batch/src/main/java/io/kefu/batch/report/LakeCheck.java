package io.kefu.batch.report;

import io.kefu.batch.BadInputException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.hadoop.util.HadoopInputFile;
import org.apache.parquet.schema.LogicalTypeAnnotation;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.PrimitiveType;
import org.apache.parquet.schema.PrimitiveType.PrimitiveTypeName;
import org.apache.parquet.schema.Type;

/**
 * Checks every Parquet file of the partitions a job reads before Spark does, so that a bad file is
 * named with its column instead of failing a task deep inside a scan: a missing required column, a
 * column of the wrong type, a file that is not Parquet. Only footers are read, on the driver.
 */
public final class LakeCheck {
  private LakeCheck() {}

  enum Kind {
    STRING,
    TIME,
    DOUBLE,
    INT
  }

  /** Columns the report reads, with whether they are required. */
  static final Map<String, Kind> REQUIRED = new LinkedHashMap<>();

  static final Map<String, Kind> OPTIONAL = new LinkedHashMap<>();

  static {
    REQUIRED.put("event_id", Kind.STRING);
    REQUIRED.put("conversation_id", Kind.STRING);
    REQUIRED.put("event_type", Kind.STRING);
    REQUIRED.put("event_time", Kind.TIME);
    REQUIRED.put("tenant", Kind.STRING);
    for (String s :
        List.of(
            "channel",
            "queue",
            "customer_id",
            "variant",
            "entry",
            "role",
            "text",
            "language",
            "reason",
            "agent_id",
            "tier",
            "target_queue",
            "target_tier",
            "resolver_role")) {
      OPTIONAL.put(s, Kind.STRING);
    }
    OPTIONAL.put("sentiment", Kind.DOUBLE);
    OPTIONAL.put("anger", Kind.DOUBLE);
    OPTIONAL.put("csat", Kind.INT);
    OPTIONAL.put("nps", Kind.INT);
  }

  /** Checks every committed Parquet file under {@code partitions}; returns how many. */
  public static int check(List<String> partitions, Configuration hadoop) {
    int files = 0;
    for (String p : partitions) {
      Path dir = new Path(p);
      try {
        FileSystem fs = dir.getFileSystem(hadoop);
        for (Path file : parquetFiles(fs, dir)) {
          checkFile(file, hadoop);
          files++;
        }
      } catch (IOException e) {
        throw new BadInputException("cannot list " + p + ": " + e.getMessage(), e);
      }
    }
    return files;
  }

  static void checkFile(Path file, Configuration hadoop) {
    MessageType schema;
    try (ParquetFileReader reader =
        ParquetFileReader.open(HadoopInputFile.fromPath(file, hadoop))) {
      schema = reader.getFooter().getFileMetaData().getSchema();
    } catch (IOException | RuntimeException e) {
      throw new BadInputException(
          "lake file " + file + ": not a readable Parquet file (" + e.getMessage() + ")", e);
    }
    String problem = problem(schema);
    if (problem != null) {
      throw new BadInputException("lake file " + file + ": " + problem);
    }
  }

  /** The first problem of {@code schema}, or null. */
  static String problem(MessageType schema) {
    for (Map.Entry<String, Kind> c : REQUIRED.entrySet()) {
      if (!schema.containsField(c.getKey())) {
        List<String> names = new ArrayList<>();
        schema.getFields().forEach(f -> names.add(f.getName()));
        return "no column "
            + c.getKey()
            + ", which the report needs (columns: "
            + String.join(", ", names)
            + ")";
      }
      String bad = typeProblem(schema.getType(c.getKey()), c.getValue());
      if (bad != null) {
        return "column " + c.getKey() + " " + bad;
      }
    }
    for (Map.Entry<String, Kind> c : OPTIONAL.entrySet()) {
      if (schema.containsField(c.getKey())) {
        String bad = typeProblem(schema.getType(c.getKey()), c.getValue());
        if (bad != null) {
          return "column " + c.getKey() + " " + bad;
        }
      }
    }
    return null;
  }

  private static String typeProblem(Type t, Kind kind) {
    if (!t.isPrimitive()) {
      return "is a group (" + t + "), expected " + expected(kind);
    }
    PrimitiveType p = t.asPrimitiveType();
    PrimitiveTypeName name = p.getPrimitiveTypeName();
    LogicalTypeAnnotation logical = p.getLogicalTypeAnnotation();
    boolean ok =
        switch (kind) {
          case STRING ->
              name == PrimitiveTypeName.BINARY
                  && (logical == null
                      || logical instanceof LogicalTypeAnnotation.StringLogicalTypeAnnotation
                      || logical instanceof LogicalTypeAnnotation.EnumLogicalTypeAnnotation);
          case TIME ->
              name == PrimitiveTypeName.INT64
                  && (logical == null
                      || logical instanceof LogicalTypeAnnotation.TimestampLogicalTypeAnnotation);
          case DOUBLE -> name == PrimitiveTypeName.DOUBLE || name == PrimitiveTypeName.FLOAT;
          case INT ->
              name == PrimitiveTypeName.INT32
                  && (logical == null
                      || logical instanceof LogicalTypeAnnotation.IntLogicalTypeAnnotation);
        };
    if (ok) {
      return null;
    }
    return "has type "
        + name
        + (logical == null ? "" : " (" + logical + ")")
        + ", expected "
        + expected(kind);
  }

  private static String expected(Kind kind) {
    return switch (kind) {
      case STRING -> "a string (BINARY, UTF8)";
      case TIME -> "a timestamp (INT64, TIMESTAMP(MILLIS) or epoch milliseconds)";
      case DOUBLE -> "a DOUBLE";
      case INT -> "an INT32";
    };
  }

  private static List<Path> parquetFiles(FileSystem fs, Path dir) throws IOException {
    List<Path> out = new ArrayList<>();
    for (FileStatus s : fs.listStatus(dir)) {
      String name = s.getPath().getName();
      if (name.startsWith(".") || name.startsWith("_")) {
        continue;
      }
      if (s.isDirectory()) {
        out.addAll(parquetFiles(fs, s.getPath()));
      } else if (name.endsWith(".parquet")) {
        out.add(s.getPath());
      }
    }
    return out;
  }
}
