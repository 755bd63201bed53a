package io.facestream.schema;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.facestream.schema.serde.ReleasedSchemas;
import io.facestream.schema.serde.ReleasedSchemas.Release;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Stream;
import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;
import org.apache.avro.SchemaCompatibility.Incompatibility;
import org.apache.avro.SchemaCompatibility.SchemaCompatibilityType;
import org.apache.avro.SchemaCompatibility.SchemaPairCompatibility;
import org.apache.avro.specific.SpecificData;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * The current schemas must read every message ever written with a released schema: compacted topics keep
 * released-version records forever. Fails when a released type has no current schema or when the current
 * schema cannot read a released version (Avro reader/writer compatibility).
 */
class SchemaCompatibilityTest {

  private static final ReleasedSchemas RELEASED = ReleasedSchemas.fromClasspath();

  /** The schema the code uses now: the generated class's, if the class exists. */
  static Optional<Schema> generatedSchema(String fullName) {
    try {
      return Optional.of(SpecificData.get().getSchema(Class.forName(fullName)));
    } catch (ClassNotFoundException e) {
      return Optional.empty();
    }
  }

  /** What keeps {@code current} from reading data written with {@code released}; empty when compatible. */
  static List<String> incompatibilities(Schema current, Schema released) {
    SchemaPairCompatibility result = SchemaCompatibility.checkReaderWriterCompatibility(current, released);
    if (result.getType() == SchemaCompatibilityType.COMPATIBLE) {
      return List.of();
    }
    return result.getResult().getIncompatibilities().stream()
        .map(SchemaCompatibilityTest::describe)
        .toList();
  }

  private static String describe(Incompatibility i) {
    return i.getType() + " at " + i.getLocation() + ": " + i.getMessage();
  }

  /** Released types (as "v<N> name") that {@code current} has no schema for. */
  static List<String> releasedWithoutCurrent(ReleasedSchemas released, Function<String, Optional<Schema>> current) {
    List<String> missing = new ArrayList<>();
    for (Release release : released.releases()) {
      for (String name : release.schemasByFullName().keySet()) {
        if (current.apply(name).isEmpty()) {
          missing.add("v" + release.version() + " " + name);
        }
      }
    }
    return missing;
  }

  @Test
  void thereIsAtLeastOneRelease() {
    assertFalse(RELEASED.releases().isEmpty());
    assertTrue(RELEASED.releases().get(0).schemasByFullName().containsKey("io.facestream.schema.Frame"));
  }

  @Test
  void indexListsExactlyTheReleasedFiles() {
    List<String> onDisk = CurrentSchemas.files(CurrentSchemas.RELEASED_DIR).stream()
        .map(p -> CurrentSchemas.RELEASED_DIR.relativize(p).toString().replace('\\', '/'))
        .toList();
    assertEquals(onDisk, RELEASED.indexEntries().stream().sorted().toList(),
        "released/index.txt must list every released .avsc (and nothing else)");
  }

  @Test
  void everyReleasedTypeHasACurrentSchema() {
    assertEquals(List.of(), releasedWithoutCurrent(RELEASED, SchemaCompatibilityTest::generatedSchema),
        "released types must never be deleted or renamed (add an alias instead)");
  }

  @TestFactory
  Stream<DynamicTest> currentSchemaReadsEveryReleasedVersion() {
    return RELEASED.releases().stream().flatMap(release -> release.schemasByFullName().values().stream()
        .map(old -> DynamicTest.dynamicTest("v" + release.version() + " " + old.getName(), () -> {
          Schema current = generatedSchema(old.getFullName()).orElseThrow(
              () -> new AssertionError("no current schema for released " + old.getFullName()));
          assertEquals(List.of(), incompatibilities(current, old),
              "current " + old.getFullName() + " cannot read data written with released v" + release.version());
        })));
  }

  // --- the checks above can fail ---------------------------------------------------------------------

  private static Schema released(String name) {
    List<Schema> versions = RELEASED.versionsOf("io.facestream.schema." + name);
    return versions.get(versions.size() - 1);
  }

  /** {@code record} with its fields transformed by {@code edit} (fields are copied, never shared). */
  private static Schema variant(Schema record, Function<List<Schema.Field>, List<Schema.Field>> edit) {
    List<Schema.Field> fields = new ArrayList<>();
    for (Schema.Field f : record.getFields()) {
      fields.add(new Schema.Field(f, f.schema()));
    }
    return Schema.createRecord(record.getName(), record.getDoc(), record.getNamespace(), false, edit.apply(fields));
  }

  @Test
  void aNewFieldWithoutDefaultIsIncompatible() {
    Schema frame = released("Frame");
    Schema withExposure = variant(frame, fields -> {
      fields.add(new Schema.Field("exposureMs", Schema.create(Schema.Type.FLOAT), "exposure time"));
      return fields;
    });
    List<String> problems = incompatibilities(withExposure, frame);
    assertEquals(1, problems.size(), problems.toString());
    assertTrue(problems.get(0).startsWith("READER_FIELD_MISSING_DEFAULT_VALUE"), problems.get(0));
  }

  @Test
  void aNewFieldWithDefaultIsCompatible() {
    Schema frame = released("Frame");
    Schema withExposure = variant(frame, fields -> {
      fields.add(new Schema.Field("exposureMs", Schema.create(Schema.Type.FLOAT), "exposure time", 0.0f));
      return fields;
    });
    assertEquals(List.of(), incompatibilities(withExposure, frame));
  }

  @Test
  void aNarrowedTypeIsIncompatible() {
    Schema frame = released("Frame");
    Schema intSeq = variant(frame, fields -> fields.stream()
        .map(f -> f.name().equals("seq") ? new Schema.Field("seq", Schema.create(Schema.Type.INT), f.doc()) : f)
        .toList());
    List<String> problems = incompatibilities(intSeq, frame);
    assertEquals(1, problems.size(), problems.toString());
    assertTrue(problems.get(0).startsWith("TYPE_MISMATCH"), problems.get(0));
  }

  @Test
  void aRemovedEnumSymbolIsIncompatible() {
    Schema decision = released("Decision");
    Schema knownOnly = Schema.createEnum(decision.getName(), decision.getDoc(), decision.getNamespace(),
        List.of("KNOWN"));
    List<String> problems = incompatibilities(knownOnly, decision);
    assertTrue(problems.get(0).startsWith("MISSING_ENUM_SYMBOLS"), problems.toString());
  }

  @Test
  void aReleasedTypeWithoutCurrentSchemaIsReported() {
    Function<String, Optional<Schema>> frameDeleted =
        name -> name.equals("io.facestream.schema.Frame") ? Optional.empty() : generatedSchema(name);
    List<String> expected = RELEASED.releases().stream()
        .map(release -> "v" + release.version() + " io.facestream.schema.Frame").toList();
    assertEquals(List.of("v1 io.facestream.schema.Frame", "v2 io.facestream.schema.Frame"), expected);
    assertEquals(expected, releasedWithoutCurrent(RELEASED, frameDeleted));
  }

  @Test
  void generatedClassesMatchTheAvscFiles() {
    Map<String, Schema> fromFiles = CurrentSchemas.byFullName();
    for (Map.Entry<String, Schema> e : fromFiles.entrySet()) {
      // the generator adds "avro.java.string": "String" to strings and maps (stringType=String); nothing else
      String generated = generatedSchema(e.getKey()).orElseThrow().toString()
          .replace(",\"avro.java.string\":\"String\"", "")
          .replace("{\"type\":\"string\"}", "\"string\"");
      assertEquals(e.getValue().toString(), generated, e.getKey() + ": rebuild (mvn generate-sources)");
    }
  }
}
