package io.facestream.schema;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.avro.JsonProperties;
import org.apache.avro.LogicalTypes;
import org.apache.avro.Schema;
import org.junit.jupiter.api.Test;

/** House rules of the .avsc files: documented, nullable as ["null", T] = null, timestamps in millis. */
class SchemaConventionsTest {

  private static final Map<String, Schema> CURRENT = CurrentSchemas.byFullName();

  @Test
  void everyTypeAndFieldIsDocumented() {
    List<String> undocumented = new ArrayList<>();
    for (Schema schema : CURRENT.values()) {
      if (blank(schema.getDoc())) {
        undocumented.add(schema.getFullName());
      }
      if (schema.getType() == Schema.Type.RECORD) {
        for (Schema.Field f : schema.getFields()) {
          if (blank(f.doc())) {
            undocumented.add(schema.getFullName() + "." + f.name());
          }
        }
      }
    }
    assertEquals(List.of(), undocumented);
  }

  @Test
  void everyUnionIsNullableWithNullDefault() {
    List<String> wrong = new ArrayList<>();
    forEachField((record, f) -> {
      if (f.schema().getType() == Schema.Type.UNION) {
        List<Schema> branches = f.schema().getTypes();
        boolean nullFirst = branches.size() == 2 && branches.get(0).getType() == Schema.Type.NULL;
        if (!nullFirst || f.defaultVal() != JsonProperties.NULL_VALUE) {
          wrong.add(record.getName() + "." + f.name());
        }
      }
    });
    assertEquals(List.of(), wrong, "nullable fields are [\"null\", T] with default null");
  }

  @Test
  void timestampsAreTimestampMillis() {
    List<String> wrong = new ArrayList<>();
    forEachField((record, f) -> {
      boolean named = f.name().endsWith("At") || f.name().equals("at");
      boolean millis = f.schema().getLogicalType() instanceof LogicalTypes.TimestampMillis;
      if (named != millis) {
        wrong.add(record.getName() + "." + f.name());
      }
    });
    assertEquals(List.of(), wrong, "fields named *At (or at) are, and only they are, timestamp-millis longs");
  }

  @Test
  void everyTypeIsInTheProjectNamespace() {
    CURRENT.values().forEach(s -> assertEquals("io.facestream.schema", s.getNamespace(), s.getFullName()));
  }

  private interface FieldVisitor {
    void visit(Schema record, Schema.Field field);
  }

  private static void forEachField(FieldVisitor visitor) {
    for (Schema schema : CURRENT.values()) {
      if (schema.getType() == Schema.Type.RECORD) {
        schema.getFields().forEach(f -> visitor.visit(schema, f));
      }
    }
  }

  private static boolean blank(String doc) {
    return doc == null || doc.isBlank();
  }
}
