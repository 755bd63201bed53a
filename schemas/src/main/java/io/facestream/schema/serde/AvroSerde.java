package io.facestream.schema.serde;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;
import org.apache.avro.SchemaCompatibility.SchemaCompatibilityType;
import org.apache.avro.SchemaCompatibility.SchemaPairCompatibility;
import org.apache.avro.message.BadHeaderException;
import org.apache.avro.message.BinaryMessageDecoder;
import org.apache.avro.message.BinaryMessageEncoder;
import org.apache.avro.message.MissingSchemaException;
import org.apache.avro.message.SchemaStore;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

/**
 * Kafka serde for a generated Avro record, without a schema registry: values are Avro
 * <a href="https://avro.apache.org/docs/1.12.0/specification/#single-object-encoding">single-object
 * encoded</a> ({@code C3 01}, the writer schema's 64-bit parsing fingerprint little-endian, then the binary
 * body).
 *
 * <p>Writes with the current (generated) schema. Reads messages written with the current schema or with any
 * released version of the record ({@link ReleasedSchemas}), resolving them to the current schema (missing
 * fields get their defaults). A message written with a schema this consumer has never seen (another record
 * type, or a newer version: upgrade consumers before producers) fails with a {@link SerializationException}
 * naming the fingerprint.
 *
 * <p>{@code null} maps to {@code null} both ways (tombstones of compacted topics). Stateless apart from
 * Avro's thread-safe encoder and decoder: one instance may be shared by any number of threads, producers and
 * consumers; {@link #configure} and {@link #close} do nothing.
 *
 * @param <T> the generated record class
 */
public final class AvroSerde<T extends SpecificRecord> implements Serde<T>, Serializer<T>, Deserializer<T> {

  /** Length of the single-object header: 2 marker bytes and the 8-byte fingerprint. */
  static final int HEADER_LENGTH = 10;

  private static final byte MARKER_0 = (byte) 0xC3;
  private static final byte MARKER_1 = (byte) 0x01;

  private final Class<T> type;
  private final Schema schema;
  private final ReleasedSchemas released;
  private final BinaryMessageEncoder<T> encoder;
  private final BinaryMessageDecoder<T> decoder;

  /**
   * @param extraWriterSchemas writer schemas to accept besides the current and released ones (tests, or a
   *     schema not yet released); each must be readable by the current schema
   * @throws IllegalArgumentException when {@code type} is not a generated record class, or a writer schema
   *     cannot be read by the current schema
   */
  AvroSerde(Class<T> type, ReleasedSchemas released, Collection<Schema> extraWriterSchemas) {
    this.type = type;
    this.released = released;
    SpecificData model = SpecificData.getForClass(type);
    this.schema = model.getSchema(type);
    if (schema.getType() != Schema.Type.RECORD || !schema.getFullName().equals(type.getName())) {
      throw new IllegalArgumentException(type.getName() + " is not an Avro-generated record class");
    }
    List<Schema> writers = new ArrayList<>(released.versionsOf(schema.getFullName()));
    writers.addAll(extraWriterSchemas);
    SchemaStore.Cache store = new SchemaStore.Cache();
    for (Schema writer : writers) {
      requireReadable(writer);
      store.addSchema(writer);
    }
    this.encoder = new BinaryMessageEncoder<>(model, schema);
    this.decoder = new BinaryMessageDecoder<>(model, schema, store);
  }

  /** The serde of a generated record class, reading its current and every released schema. */
  public static <T extends SpecificRecord> AvroSerde<T> of(Class<T> type) {
    return new AvroSerde<>(type, ReleasedSchemas.fromClasspath(), List.of());
  }

  /** The generated record class. */
  public Class<T> type() {
    return type;
  }

  /** The current (writer and reader) schema. */
  public Schema schema() {
    return schema;
  }

  private void requireReadable(Schema writer) {
    SchemaPairCompatibility result = SchemaCompatibility.checkReaderWriterCompatibility(schema, writer);
    if (result.getType() != SchemaCompatibilityType.COMPATIBLE) {
      throw new IllegalArgumentException(
          "the current schema of " + type.getName() + " cannot read writer schema " + writer.getFullName()
              + ": " + result.getResult().getIncompatibilities());
    }
  }

  @Override
  public byte[] serialize(String topic, T data) {
    if (data == null) {
      return null;
    }
    try {
      ByteArrayOutputStream out = new ByteArrayOutputStream(256);
      encoder.encode(data, out);
      return out.toByteArray();
    } catch (IOException | RuntimeException e) {
      throw new SerializationException(
          "cannot serialize " + type.getName() + " for topic '" + topic + "': " + e, e);
    }
  }

  @Override
  public T deserialize(String topic, byte[] data) {
    if (data == null) {
      return null;
    }
    if (data.length < HEADER_LENGTH) {
      throw failure(topic, "not an Avro single-object message (bad header): " + data.length
          + " bytes, shorter than the " + HEADER_LENGTH + "-byte header", null);
    }
    if (data[0] != MARKER_0 || data[1] != MARKER_1) {
      throw failure(topic, String.format(
          "not an Avro single-object message (bad header): starts with %02X %02X, expected C3 01",
          data[0] & 0xFF, data[1] & 0xFF), null);
    }
    long fingerprint = fingerprintOf(data);
    try {
      return decoder.decode(data);
    } catch (MissingSchemaException e) {
      throw failure(topic, unknownFingerprint(fingerprint), e);
    } catch (BadHeaderException e) {
      throw failure(topic, "not an Avro single-object message (bad header): " + e.getMessage(), e);
    } catch (IOException | RuntimeException e) {
      throw failure(topic, String.format(
          "corrupt or truncated body (writer schema fingerprint %s, %d bytes): %s",
          hex(fingerprint), data.length, e), e);
    }
  }

  private String unknownFingerprint(long fingerprint) {
    String known = released.nameOfFingerprint(fingerprint)
        .map(name -> "it is the fingerprint of " + name + ", another record type")
        .orElse("a schema this consumer has never seen: another record type, or a newer version of "
            + type.getSimpleName() + " (upgrade consumers before producers)");
    return "unknown schema fingerprint " + hex(fingerprint) + "; " + known;
  }

  private SerializationException failure(String topic, String reason, Throwable cause) {
    return new SerializationException(
        "cannot deserialize " + type.getName() + " from topic '" + topic + "': " + reason, cause);
  }

  /** The writer-schema fingerprint of a single-object message (little-endian after the marker). */
  static long fingerprintOf(byte[] message) {
    long fingerprint = 0;
    for (int i = HEADER_LENGTH - 1; i >= 2; i--) {
      fingerprint = (fingerprint << 8) | (message[i] & 0xFFL);
    }
    return fingerprint;
  }

  private static String hex(long fingerprint) {
    return String.format("0x%016x", fingerprint);
  }

  @Override
  public Serializer<T> serializer() {
    return this;
  }

  @Override
  public Deserializer<T> deserializer() {
    return this;
  }

  @Override
  public void configure(Map<String, ?> configs, boolean isKey) {
    // nothing to configure: the schemas come from the class and the classpath
  }

  @Override
  public void close() {
    // nothing to release
  }

  @Override
  public String toString() {
    return "AvroSerde[" + type.getName() + "]";
  }
}
