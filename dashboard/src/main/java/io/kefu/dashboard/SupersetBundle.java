package io.kefu.dashboard;

import java.io.IOException;
import java.io.OutputStream;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URL;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystem;
import java.nio.file.FileSystemNotFoundException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * Builds the Superset 6 import ZIP (v1 format) from the YAML sources in {@code
 * dashboards/superset/}: one top-level folder, {@code metadata.yaml}, then databases, datasets,
 * charts and dashboards linked by fixed uuids (so a re-import with {@code overwrite} updates the
 * same objects). Only the database's {@code sqlalchemy_uri} is filled in, with its password masked
 * as Superset's exports do; the real password goes in the import's {@code passwords} field.
 */
public final class SupersetBundle {

  /** What Superset puts in place of a password ({@code superset.constants.PASSWORD_MASK}). */
  public static final String PASSWORD_MASK = "XXXXXXXXXX";

  /** The bundle's database file, the key of the import API's {@code passwords} map. */
  public static final String DATABASE_FILE = "databases/kefu.yaml";

  static final String SOURCES = "io/kefu/dashboard/superset";
  private static final List<String> FOLDERS =
      List.of("databases", "datasets", "charts", "dashboards");
  private static final Pattern URI_LINE = Pattern.compile("^sqlalchemy_uri:.*$", Pattern.MULTILINE);

  private SupersetBundle() {}

  /**
   * Writes the bundle for a database at {@code dbUri} (a SQLAlchemy {@code postgresql://} URI or a
   * {@code jdbc:postgresql://} URL) to {@code out}; {@code timestamp} goes into metadata.yaml.
   */
  public static void write(String dbUri, Path out, Instant timestamp) throws IOException {
    Map<String, String> files = files(dbUri, timestamp);
    String root =
        "kefu_dashboards_"
            + DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss")
                .withZone(ZoneOffset.UTC)
                .format(timestamp);
    Path parent = out.toAbsolutePath().getParent();
    if (parent != null) {
      Files.createDirectories(parent);
    }
    try (OutputStream os = Files.newOutputStream(out);
        ZipOutputStream zip = new ZipOutputStream(os)) {
      for (Map.Entry<String, String> f : files.entrySet()) {
        ZipEntry entry = new ZipEntry(root + "/" + f.getKey());
        entry.setTime(timestamp.toEpochMilli());
        zip.putNextEntry(entry);
        zip.write(f.getValue().getBytes(StandardCharsets.UTF_8));
        zip.closeEntry();
      }
    }
  }

  /** The bundle's files by path below the top-level folder, metadata.yaml first. */
  public static Map<String, String> files(String dbUri, Instant timestamp) throws IOException {
    String uri = sqlalchemyUri(dbUri);
    Map<String, String> files = new LinkedHashMap<>();
    files.put(
        "metadata.yaml",
        "version: 1.0.0\ntype: Dashboard\ntimestamp: '"
            + timestamp.truncatedTo(ChronoUnit.SECONDS)
            + "'\n");
    Map<String, String> sources = sources();
    for (String folder : FOLDERS) {
      for (Map.Entry<String, String> s : sources.entrySet()) {
        if (!s.getKey().startsWith(folder + "/")) {
          continue;
        }
        String text = s.getValue();
        if (s.getKey().equals(DATABASE_FILE)) {
          Matcher m = URI_LINE.matcher(text);
          if (!m.find()) {
            throw new IllegalStateException(DATABASE_FILE + " has no sqlalchemy_uri line");
          }
          text = m.replaceFirst(Matcher.quoteReplacement("sqlalchemy_uri: " + quoted(uri)));
        }
        files.put(s.getKey(), text);
      }
    }
    return files;
  }

  /**
   * The SQLAlchemy URI Superset stores for {@code uri}, password masked: {@code
   * jdbc:postgresql://host:5432/db?user=u&password=p} and {@code postgresql://u:p@host:5432/db}
   * both give {@code postgresql://u:XXXXXXXXXX@host:5432/db}. Other query parameters of a
   * SQLAlchemy URI are kept; those of a JDBC URL are not (they are driver settings).
   */
  public static String sqlalchemyUri(String uri) {
    if (uri == null || uri.isBlank()) {
      throw new IllegalArgumentException("database URI is empty");
    }
    String u = uri.strip();
    if (u.startsWith("jdbc:postgresql:")) {
      return fromJdbc(u);
    }
    if (!u.startsWith("postgresql://") && !u.startsWith("postgresql+")) {
      throw new IllegalArgumentException(
          "database URI must be postgresql://user:password@host:port/database or"
              + " jdbc:postgresql://host:port/database?user=…, found \""
              + u
              + "\"");
    }
    int scheme = u.indexOf("://");
    int query = u.indexOf('?');
    // the last '@' before the query: a password may hold an unencoded '@'
    int at = (query < 0 ? u : u.substring(0, query)).lastIndexOf('@');
    if (at < scheme + 3) {
      return u; // no user info, nothing to mask
    }
    String userInfo = u.substring(scheme + 3, at);
    int colon = userInfo.indexOf(':');
    if (colon < 0) {
      return u;
    }
    return u.substring(0, scheme + 3)
        + userInfo.substring(0, colon)
        + ":"
        + PASSWORD_MASK
        + u.substring(at);
  }

  private static String fromJdbc(String jdbc) {
    URI parsed;
    try {
      parsed = new URI(jdbc.substring("jdbc:".length()));
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException("not a JDBC URL: \"" + jdbc + "\": " + e.getMessage());
    }
    String host = parsed.getHost() == null ? "localhost" : parsed.getHost();
    String path =
        parsed.getRawPath() == null || parsed.getRawPath().isEmpty() ? "/" : parsed.getRawPath();
    Map<String, String> params = new TreeMap<>();
    if (parsed.getRawQuery() != null) {
      for (String kv : parsed.getRawQuery().split("&")) {
        int eq = kv.indexOf('=');
        if (eq > 0) {
          params.put(
              kv.substring(0, eq), URLDecoder.decode(kv.substring(eq + 1), StandardCharsets.UTF_8));
        }
      }
    }
    StringBuilder s = new StringBuilder("postgresql://");
    String user = params.get("user");
    if (user != null) {
      s.append(URLEncoder.encode(user, StandardCharsets.UTF_8));
      if (params.containsKey("password")) {
        s.append(':').append(PASSWORD_MASK);
      }
      s.append('@');
    }
    s.append(host);
    if (parsed.getPort() > 0) {
      s.append(':').append(parsed.getPort());
    }
    return s.append(path).toString();
  }

  private static String quoted(String s) {
    return "'" + s.replace("'", "''") + "'";
  }

  /**
   * The YAML sources on the classpath (a directory in tests, the shaded jar at run time), by path
   * below {@code dashboards/superset/}: what {@link #write} zips.
   */
  public static Map<String, String> sources() throws IOException {
    URL url = SupersetBundle.class.getClassLoader().getResource(SOURCES + "/" + DATABASE_FILE);
    if (url == null) {
      throw new IllegalStateException("the Superset sources are not on the classpath: " + SOURCES);
    }
    URI uri;
    try {
      uri = url.toURI();
    } catch (URISyntaxException e) {
      throw new IOException(e);
    }
    if (uri.getScheme().equals("jar")) {
      FileSystem fs;
      boolean opened = false;
      try {
        fs = FileSystems.getFileSystem(uri);
      } catch (FileSystemNotFoundException e) {
        fs = FileSystems.newFileSystem(uri, Map.of());
        opened = true;
      }
      try {
        return read(fs.provider().getPath(uri).getParent().getParent());
      } finally {
        if (opened) {
          fs.close();
        }
      }
    }
    return read(Path.of(uri).getParent().getParent());
  }

  /** The YAML sources in {@code dir}, a copy of {@code dashboards/superset/}, by path below it. */
  public static Map<String, String> sources(Path dir) throws IOException {
    if (!Files.isRegularFile(dir.resolve(DATABASE_FILE))) {
      throw new IllegalArgumentException(
          dir + " holds no Superset sources: " + DATABASE_FILE + " is missing");
    }
    return read(dir);
  }

  private static Map<String, String> read(Path root) throws IOException {
    Map<String, String> out = new TreeMap<>();
    try (Stream<Path> walk = Files.walk(root)) {
      for (Path p : walk.filter(Files::isRegularFile).sorted().toList()) {
        String rel = root.relativize(p).toString().replace('\\', '/');
        int slash = rel.indexOf('/');
        if (rel.endsWith(".yaml") && slash > 0 && FOLDERS.contains(rel.substring(0, slash))) {
          out.put(rel, Files.readString(p, StandardCharsets.UTF_8));
        }
      }
    }
    return out;
  }
}
