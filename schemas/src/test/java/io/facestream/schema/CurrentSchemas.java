package io.facestream.schema;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.avro.Schema;
import org.apache.avro.SchemaParser;

/** The current schemas, parsed from the module's src/main/avro (tests run in the module directory). */
final class CurrentSchemas {

  static final Path AVRO_DIR = Path.of("src/main/avro");
  static final Path RELEASED_DIR = Path.of("src/main/resources/io/facestream/schema/released");

  private CurrentSchemas() {}

  static List<Path> files(Path root) {
    try (Stream<Path> files = Files.walk(root)) {
      return files.filter(p -> p.toString().endsWith(".avsc")).sorted().toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Every named type of src/main/avro by full name. */
  static Map<String, Schema> byFullName() {
    SchemaParser parser = new SchemaParser();
    for (Path file : files(AVRO_DIR)) {
      try {
        parser.parse(file);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    Map<String, Schema> byName = new LinkedHashMap<>();
    parser.getParsedNamedSchemas().forEach(s -> byName.put(s.getFullName(), s));
    return byName;
  }
}
