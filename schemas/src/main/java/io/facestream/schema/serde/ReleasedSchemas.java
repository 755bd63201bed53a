package io.facestream.schema.serde;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.avro.Schema;
import org.apache.avro.SchemaNormalization;
import org.apache.avro.SchemaParseException;
import org.apache.avro.SchemaParser;

/**
 * The released (frozen) versions of every schema, read from the classpath.
 *
 * <p>Layout: {@value #ROOT}{@code v<N>/<Name>.avsc}, listed in {@value #ROOT}{@value #INDEX_FILE} (a jar
 * cannot be listed, hence the index). The files of one version are parsed together, so a record may refer to
 * a named type of its own version by name. Released files are never edited; a release adds a new folder.
 *
 * <p>Immutable and thread-safe. {@link #fromClasspath()} loads once per class loader.
 */
public final class ReleasedSchemas {

  /** Classpath folder of the released versions. */
  public static final String ROOT = "/io/facestream/schema/released/";

  /** Name of the index file in {@link #ROOT}. */
  public static final String INDEX_FILE = "index.txt";

  private static final Pattern ENTRY = Pattern.compile("v([1-9][0-9]*)/[A-Za-z_][A-Za-z0-9_]*\\.avsc");

  /** One released version: its number and its named types by full name. */
  public record Release(int version, Map<String, Schema> schemasByFullName) {
    public Release {
      schemasByFullName = Collections.unmodifiableMap(new LinkedHashMap<>(schemasByFullName));
    }
  }

  private final List<String> indexEntries;
  private final List<Release> releases;
  private final Map<Long, String> nameByFingerprint = new HashMap<>();

  private ReleasedSchemas(List<String> indexEntries, List<Release> releases) {
    this.indexEntries = List.copyOf(indexEntries);
    this.releases = List.copyOf(releases);
    for (Release release : releases) {
      for (Schema schema : release.schemasByFullName().values()) {
        nameByFingerprint.putIfAbsent(
            SchemaNormalization.parsingFingerprint64(schema),
            schema.getFullName() + " (released v" + release.version() + ")");
      }
    }
  }

  private static final class Holder {
    static final ReleasedSchemas INSTANCE = load(ReleasedSchemas.class);
  }

  /** The released schemas shipped in this jar; loaded on first use. */
  public static ReleasedSchemas fromClasspath() {
    return Holder.INSTANCE;
  }

  /**
   * Reads the index and every listed schema through {@code anchor.getResourceAsStream}.
   *
   * @throws IllegalStateException when the index or a listed file is missing or does not parse
   */
  static ReleasedSchemas load(Class<?> anchor) {
    List<String> entries = readIndex(anchor);
    Map<Integer, List<String>> byVersion = new TreeMap<>();
    for (String entry : entries) {
      Matcher m = ENTRY.matcher(entry);
      if (!m.matches()) {
        throw new IllegalStateException(
            ROOT + INDEX_FILE + ": entry '" + entry + "' is not of the form v<N>/<Name>.avsc");
      }
      byVersion.computeIfAbsent(Integer.parseInt(m.group(1)), v -> new ArrayList<>()).add(entry);
    }
    List<Release> releases = new ArrayList<>();
    byVersion.forEach((version, files) -> releases.add(parseVersion(anchor, version, files)));
    return new ReleasedSchemas(entries, releases);
  }

  private static List<String> readIndex(Class<?> anchor) {
    try (InputStream in = open(anchor, ROOT + INDEX_FILE);
        BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
      List<String> entries = new ArrayList<>();
      for (String line; (line = reader.readLine()) != null; ) {
        String entry = line.strip();
        if (!entry.isEmpty() && !entry.startsWith("#")) {
          entries.add(entry);
        }
      }
      return entries;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + ROOT + INDEX_FILE, e);
    }
  }

  private static Release parseVersion(Class<?> anchor, int version, List<String> files) {
    SchemaParser parser = new SchemaParser();
    for (String file : files) {
      try (InputStream in = open(anchor, ROOT + file)) {
        parser.parse(in, StandardCharsets.UTF_8);
      } catch (IOException e) {
        throw new UncheckedIOException("cannot read released schema " + ROOT + file, e);
      } catch (SchemaParseException e) {
        throw new IllegalStateException("released schema " + ROOT + file + " does not parse: " + e.getMessage(), e);
      }
    }
    Map<String, Schema> byName = new LinkedHashMap<>();
    try {
      for (Schema schema : parser.getParsedNamedSchemas()) {
        byName.put(schema.getFullName(), schema);
      }
    } catch (RuntimeException e) {
      throw new IllegalStateException("released version v" + version + " does not resolve: " + e.getMessage(), e);
    }
    return new Release(version, byName);
  }

  private static InputStream open(Class<?> anchor, String resource) {
    InputStream in = anchor.getResourceAsStream(resource);
    if (in == null) {
      throw new IllegalStateException("missing classpath resource " + resource);
    }
    return in;
  }

  /** The non-comment lines of the index, as written. */
  public List<String> indexEntries() {
    return indexEntries;
  }

  /** Every release, oldest first. */
  public List<Release> releases() {
    return releases;
  }

  /** Every released version of the named type {@code fullName}, oldest first; empty when never released. */
  public List<Schema> versionsOf(String fullName) {
    List<Schema> versions = new ArrayList<>();
    for (Release release : releases) {
      Schema schema = release.schemasByFullName().get(fullName);
      if (schema != null) {
        versions.add(schema);
      }
    }
    return versions;
  }

  /**
   * The full name and first release of the released named type whose parsing fingerprint (the one single-object encoding
   * writes) is {@code fingerprint}, if any; used to explain a message of the wrong type.
   */
  public Optional<String> nameOfFingerprint(long fingerprint) {
    return Optional.ofNullable(nameByFingerprint.get(fingerprint));
  }
}
