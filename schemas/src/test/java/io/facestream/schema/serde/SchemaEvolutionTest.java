package io.facestream.schema.serde;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.facestream.schema.FaceEmbedding;
import io.facestream.schema.Frame;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.List;
import org.apache.avro.Schema;
import org.apache.avro.SchemaNormalization;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.message.BinaryMessageEncoder;
import org.apache.kafka.common.errors.SerializationException;
import org.junit.jupiter.api.Test;

/** Messages written with an older schema are read by the current serde, with the defaults filled in. */
class SchemaEvolutionTest {

  /** Frame before contentType existed. */
  static final Schema FRAME_V0 = new Schema.Parser().parse("""
      {"type": "record", "name": "Frame", "namespace": "io.facestream.schema",
       "fields": [
         {"name": "frameId", "type": "string"},
         {"name": "cameraId", "type": "string"},
         {"name": "capturedAt", "type": {"type": "long", "logicalType": "timestamp-millis"}},
         {"name": "seq", "type": "long"},
         {"name": "image", "type": "bytes"}
       ]}""");

  /** FaceEmbedding before alignedCrop existed. */
  static final Schema FACE_EMBEDDING_V0 = new Schema.Parser().parse("""
      {"type": "record", "name": "FaceEmbedding", "namespace": "io.facestream.schema",
       "fields": [
         {"name": "faceId", "type": "string"},
         {"name": "frameId", "type": "string"},
         {"name": "cameraId", "type": "string"},
         {"name": "capturedAt", "type": {"type": "long", "logicalType": "timestamp-millis"}},
         {"name": "vector", "type": {"type": "array", "items": "float"}},
         {"name": "modelVersion", "type": "string"}
       ]}""");

  static byte[] writeV0Frame() throws IOException {
    GenericRecord v0 = new GenericData.Record(FRAME_V0);
    v0.put("frameId", "cam-1-000042");
    v0.put("cameraId", "cam-1");
    v0.put("capturedAt", Samples.CAPTURED.toEpochMilli());
    v0.put("seq", 42L);
    v0.put("image", ByteBuffer.wrap(Samples.JPEG));
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    new BinaryMessageEncoder<GenericRecord>(GenericData.get(), FRAME_V0).encode(v0, out);
    return out.toByteArray();
  }

  @Test
  void theV0FrameReallyHasAnotherFingerprint() throws IOException {
    assertNotEquals(SchemaNormalization.parsingFingerprint64(Frame.getClassSchema()),
        AvroSerde.fingerprintOf(writeV0Frame()));
  }

  @Test
  void aV0FrameIsReadWithTheContentTypeDefault() throws IOException {
    AvroSerde<Frame> serde = new AvroSerde<>(Frame.class, ReleasedSchemas.fromClasspath(), List.of(FRAME_V0));

    Frame frame = serde.deserialize("frames", writeV0Frame());

    assertEquals("cam-1-000042", frame.getFrameId());
    assertEquals("cam-1", frame.getCameraId());
    assertEquals(Samples.CAPTURED, frame.getCapturedAt());
    assertEquals(42L, frame.getSeq());
    assertEquals(ByteBuffer.wrap(Samples.JPEG), frame.getImage());
    assertEquals("application/octet-stream", frame.getContentType());
  }

  @Test
  void withoutTheV0SchemaTheSameMessageIsAnUnknownFingerprint() throws IOException {
    byte[] bytes = writeV0Frame();
    SerializationException e =
        assertThrows(SerializationException.class, () -> AvroSerde.of(Frame.class).deserialize("frames", bytes));
    assertTrue(e.getMessage().contains("unknown schema fingerprint"), e.getMessage());
  }

  @Test
  void aV0EmbeddingIsReadWithoutACrop() throws IOException {
    GenericRecord v0 = new GenericData.Record(FACE_EMBEDDING_V0);
    v0.put("faceId", "cam-1-000042-0");
    v0.put("frameId", "cam-1-000042");
    v0.put("cameraId", "cam-1");
    v0.put("capturedAt", Samples.CAPTURED.toEpochMilli());
    v0.put("vector", Samples.unitVector(192));
    v0.put("modelVersion", "mobilefacenet-1");
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    new BinaryMessageEncoder<GenericRecord>(GenericData.get(), FACE_EMBEDDING_V0).encode(v0, out);
    AvroSerde<FaceEmbedding> serde =
        new AvroSerde<>(FaceEmbedding.class, ReleasedSchemas.fromClasspath(), List.of(FACE_EMBEDDING_V0));

    FaceEmbedding embedding = serde.deserialize("embeddings", out.toByteArray());

    assertEquals(Samples.unitVector(192), embedding.getVector());
    assertNull(embedding.getAlignedCrop());
  }

  @Test
  void aMessageWrittenWithTheReleasedV1SchemaIsRead() throws IOException {
    Schema releasedFrame = ReleasedSchemas.fromClasspath().versionsOf("io.facestream.schema.Frame").get(0);
    GenericRecord v1 = new GenericData.Record(releasedFrame);
    v1.put("frameId", "f");
    v1.put("cameraId", "c");
    v1.put("capturedAt", 5L);
    v1.put("seq", 1L);
    v1.put("image", ByteBuffer.wrap(Samples.PNG));
    v1.put("contentType", "image/png");
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    new BinaryMessageEncoder<GenericRecord>(GenericData.get(), releasedFrame).encode(v1, out);

    Frame frame = AvroSerde.of(Frame.class).deserialize("frames", out.toByteArray());

    assertEquals("image/png", frame.getContentType());
  }
}
