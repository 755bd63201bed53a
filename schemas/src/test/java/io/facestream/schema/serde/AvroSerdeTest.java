package io.facestream.schema.serde;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.facestream.schema.FaceCrop;
import io.facestream.schema.FaceEmbedding;
import io.facestream.schema.Feedback;
import io.facestream.schema.Frame;
import io.facestream.schema.FrameResult;
import io.facestream.schema.GallerySample;
import io.facestream.schema.Identity;
import io.facestream.schema.Match;
import io.facestream.schema.ModelVersion;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.apache.avro.Schema;
import org.apache.avro.SchemaNormalization;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.Serde;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

class AvroSerdeTest {

  /** A record class and one instance of it. */
  record Case<T extends SpecificRecord>(Class<T> type, T value) {
    static <T extends SpecificRecord> Case<T> of(Class<T> type, T value) {
      return new Case<>(type, value);
    }

    void assertRoundTrip() {
      AvroSerde<T> serde = AvroSerde.of(type);
      byte[] bytes = serde.serialize("topic", value);
      T back = serde.deserialize("topic", bytes);
      assertNotSame(value, back);
      assertEquals(value, back);
    }
  }

  static Stream<Case<?>> everyRecord() {
    FaceEmbedding withoutCrop = Samples.faceEmbedding();
    withoutCrop.setAlignedCrop(null);
    Identity withoutMetadata = Samples.identity();
    withoutMetadata.setMetadata(Map.of());
    return Stream.of(
        Case.of(Frame.class, Samples.frame()),
        Case.of(FaceCrop.class, Samples.faceCrop()),
        Case.of(FrameResult.class, Samples.frameResult()),
        Case.of(FaceEmbedding.class, Samples.faceEmbedding()),
        Case.of(FaceEmbedding.class, withoutCrop),
        Case.of(Match.class, Samples.match()),
        Case.of(GallerySample.class, Samples.gallerySample()),
        Case.of(Identity.class, Samples.identity()),
        Case.of(Identity.class, withoutMetadata),
        Case.of(Feedback.class, Samples.feedback()),
        Case.of(ModelVersion.class, Samples.modelVersion()));
  }

  @TestFactory
  Stream<DynamicTest> everyRecordRoundTrips() {
    return everyRecord().map(c -> DynamicTest.dynamicTest(
        c.type().getSimpleName() + " " + c.value().hashCode(), c::assertRoundTrip));
  }

  @Test
  void messageIsSingleObjectEncodedWithTheCurrentFingerprint() {
    byte[] bytes = AvroSerde.of(Frame.class).serialize("frames", Samples.frame());
    assertEquals((byte) 0xC3, bytes[0]);
    assertEquals((byte) 0x01, bytes[1]);
    assertEquals(SchemaNormalization.parsingFingerprint64(Frame.getClassSchema()), AvroSerde.fingerprintOf(bytes));
  }

  @Test
  void builderDefaultsSurviveTheRoundTrip() {
    Identity identity = Identity.newBuilder()
        .setIdentityId("id-1").setDisplayName("Grace").setCreatedAt(Samples.CAPTURED).build();
    AvroSerde<Identity> serde = AvroSerde.of(Identity.class);
    assertEquals(Map.of(), serde.deserialize("identities", serde.serialize("identities", identity)).getMetadata());
  }

  @Test
  void instantsAreTruncatedToMilliseconds() {
    Frame frame = Samples.frame();
    frame.setCapturedAt(Instant.ofEpochSecond(1_700_000_000L, 123_456_789L));
    AvroSerde<Frame> serde = AvroSerde.of(Frame.class);
    Frame back = serde.deserialize("frames", serde.serialize("frames", frame));
    assertEquals(Instant.ofEpochSecond(1_700_000_000L, 123_000_000L), back.getCapturedAt());
  }

  @Test
  void nullIsATombstoneBothWays() {
    AvroSerde<GallerySample> serde = AvroSerde.of(GallerySample.class);
    assertNull(serde.serialize("gallery", null));
    assertNull(serde.deserialize("gallery", null));
  }

  @Test
  void worksThroughTheKafkaSerdeInterfaceAndWithHeaders() {
    Serde<Match> serde = AvroSerde.of(Match.class);
    serde.configure(Map.of(), false);
    byte[] bytes = serde.serializer().serialize("matches", new RecordHeaders(), Samples.match());
    assertEquals(Samples.match(), serde.deserializer().deserialize("matches", new RecordHeaders(), bytes));
    assertEquals(Samples.match(), serde.deserializer().deserialize("matches", new RecordHeaders(), ByteBuffer.wrap(bytes)));
    serde.close();
  }

  @Test
  void garbageIsABadHeader() {
    AvroSerde<Frame> serde = AvroSerde.of(Frame.class);
    byte[] json = "{\"frameId\":\"f-1\",\"cameraId\":\"cam-1\"}".getBytes(StandardCharsets.UTF_8);
    SerializationException e = assertThrows(SerializationException.class, () -> serde.deserialize("frames", json));
    assertTrue(e.getMessage().contains("not an Avro single-object message (bad header)"), e.getMessage());
    assertTrue(e.getMessage().contains("topic 'frames'"), e.getMessage());
    assertTrue(e.getMessage().contains("io.facestream.schema.Frame"), e.getMessage());
  }

  @Test
  void tooShortAndEmptyMessagesAreBadHeaders() {
    AvroSerde<Frame> serde = AvroSerde.of(Frame.class);
    for (byte[] bytes : List.of(new byte[0], new byte[] {(byte) 0xC3, 0x01, 5})) {
      SerializationException e = assertThrows(SerializationException.class, () -> serde.deserialize("frames", bytes));
      assertTrue(e.getMessage().contains("bad header") && e.getMessage().contains("shorter than"), e.getMessage());
    }
  }

  @Test
  void aMessageOfAnotherRecordTypeIsAnUnknownFingerprintNamingThatType() {
    byte[] frameBytes = AvroSerde.of(Frame.class).serialize("frames", Samples.frame());
    AvroSerde<Identity> identities = AvroSerde.of(Identity.class);
    SerializationException e =
        assertThrows(SerializationException.class, () -> identities.deserialize("identities", frameBytes));
    assertTrue(e.getMessage().contains("unknown schema fingerprint 0x"), e.getMessage());
    assertTrue(e.getMessage().contains("io.facestream.schema.Frame"), e.getMessage());
  }

  @Test
  void aFingerprintNobodyKnowsSaysSo() {
    byte[] bytes = AvroSerde.of(Frame.class).serialize("frames", Samples.frame());
    bytes[5] ^= 0x5A;
    SerializationException e =
        assertThrows(SerializationException.class, () -> AvroSerde.of(Frame.class).deserialize("frames", bytes));
    assertTrue(e.getMessage().contains("unknown schema fingerprint")
        && e.getMessage().contains("never seen"), e.getMessage());
  }

  @Test
  void aTruncatedBodyIsCorrupt() {
    AvroSerde<Frame> serde = AvroSerde.of(Frame.class);
    byte[] bytes = serde.serialize("frames", Samples.frame());
    byte[] truncated = Arrays.copyOf(bytes, bytes.length - 5);
    SerializationException e = assertThrows(SerializationException.class, () -> serde.deserialize("frames", truncated));
    assertTrue(e.getMessage().contains("corrupt or truncated body"), e.getMessage());
  }

  @Test
  void anInvalidRecordFailsToSerializeWithTheReason() {
    Frame frame = Samples.frame();
    frame.setCameraId(null);
    SerializationException e = assertThrows(SerializationException.class,
        () -> AvroSerde.of(Frame.class).serialize("frames", frame));
    assertTrue(e.getMessage().contains("cannot serialize io.facestream.schema.Frame"), e.getMessage());
  }

  @Test
  void refusesAWriterSchemaTheCurrentOneCannotRead() {
    Schema incompatible = new Schema.Parser().parse("""
        {"type": "record", "name": "Frame", "namespace": "io.facestream.schema",
         "fields": [{"name": "frameId", "type": "int"}]}""");
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> new AvroSerde<>(Frame.class, ReleasedSchemas.fromClasspath(), List.of(incompatible)));
    assertTrue(e.getMessage().contains("cannot read writer schema"), e.getMessage());
  }

  @Test
  void oneInstanceServesManyThreads() throws Exception {
    AvroSerde<FaceCrop> serde = AvroSerde.of(FaceCrop.class);
    List<Callable<Boolean>> tasks = new ArrayList<>();
    for (int t = 0; t < 8; t++) {
      int offset = t;
      tasks.add(() -> {
        for (int i = 0; i < 500; i++) {
          FaceCrop crop = Samples.faceCrop();
          crop.setFaceIndex(offset * 1000 + i);
          byte[] bytes = serde.serialize("faces", crop);
          if (!crop.equals(serde.deserialize("faces", bytes))) {
            return false;
          }
        }
        return true;
      });
    }
    ExecutorService pool = Executors.newFixedThreadPool(8);
    try {
      for (Future<Boolean> result : pool.invokeAll(tasks)) {
        assertTrue(result.get());
      }
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void equalRecordsGiveEqualBytes() {
    AvroSerde<Match> serde = AvroSerde.of(Match.class);
    assertArrayEquals(serde.serialize("m", Samples.match()), serde.serialize("m", Samples.match()));
  }
}
