package io.facestream.pipeline.stage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import io.facestream.pipeline.deadletter.DeadLetter;
import io.facestream.vision.OpenCvLoader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import io.facestream.kafka.embedded.EmbeddedKafka;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.opencv.core.Mat;
import org.opencv.core.MatOfByte;
import org.opencv.core.MatOfInt;
import org.opencv.core.Size;
import org.opencv.imgcodecs.Imgcodecs;
import org.opencv.imgproc.Imgproc;

/** Clients, demo images and dead-letter checks shared by the stage restart tests. */
final class StageTestKit {

    static final Duration TIMEOUT = Duration.ofSeconds(40);

    private StageTestKit() {
    }

    /** Where a record was written: the key of the exactly-once bookkeeping. */
    record Source(String topic, int partition, long offset) {
    }

    // ---------------------------------------------------------------- demo images

    /** The demo photos (FACESTREAM_DEMO_DIR or -Dfacestream.demo.dir), each scaled to {@code width} px, as JPEG. */
    static List<byte[]> demoJpegs(int width, int count) throws IOException {
        String dir = System.getenv("FACESTREAM_DEMO_DIR");
        if (dir == null || dir.isBlank()) {
            dir = System.getProperty("facestream.demo.dir");
        }
        assertNotNull(dir, "set FACESTREAM_DEMO_DIR or -Dfacestream.demo.dir (surefire sets it)");
        List<Path> photos;
        try (Stream<Path> files = Files.list(Path.of(dir))) {
            photos = files.filter(p -> p.getFileName().toString().toLowerCase().matches(".*\\.(jpe?g|png)"))
                    .sorted().limit(count).toList();
        }
        if (photos.isEmpty()) {
            throw new IllegalStateException("no demo photos in " + dir);
        }
        List<byte[]> out = new ArrayList<>();
        for (Path p : photos) {
            out.add(scaledJpeg(p, width));
        }
        return out;
    }

    /** One photo scaled to {@code width} px, as JPEG (quality 90). */
    static byte[] scaledJpeg(Path photo, int width) {
        OpenCvLoader.ensureLoaded();
        Mat src = Imgcodecs.imread(photo.toString(), Imgcodecs.IMREAD_COLOR);
        Mat small = new Mat();
        MatOfByte jpeg = new MatOfByte();
        try {
            double scale = (double) width / src.cols();
            Imgproc.resize(src, small, new Size(width, Math.round(src.rows() * scale)), 0, 0, Imgproc.INTER_AREA);
            Imgcodecs.imencode(".jpg", small, jpeg, new MatOfInt(Imgcodecs.IMWRITE_JPEG_QUALITY, 90));
            return jpeg.toArray();
        } finally {
            src.release();
            small.release();
            jpeg.release();
        }
    }

    // ---------------------------------------------------------------- clients

    /** Closes the clients before the broker: the other way round the broker's teardown waits for them. */
    static void closeAll(KafkaProducer<?, ?> producer, org.apache.kafka.clients.admin.Admin admin,
            io.facestream.kafka.embedded.EmbeddedKafka kafka) {
        if (producer != null) {
            producer.close(Duration.ofSeconds(2));
        }
        if (admin != null) {
            admin.close(Duration.ofSeconds(2));
        }
        if (kafka != null) {
            kafka.close();
        }
    }

    /** A producer logged in as the broker's admin (the tests play every stage's neighbours). */
    static KafkaProducer<String, byte[]> producer(EmbeddedKafka kafka) {
        Map<String, Object> c = new HashMap<>(kafka.adminClientConfig());
        c.put(ProducerConfig.ACKS_CONFIG, "all");
        c.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, 16 << 20);
        return new KafkaProducer<>(c, new StringSerializer(), new ByteArraySerializer());
    }

    /** Sends and waits, returning where each record landed, in send order. */
    static List<Source> sendAll(KafkaProducer<String, byte[]> producer, List<ProducerRecord<String, byte[]>> records)
            throws Exception {
        List<java.util.concurrent.Future<RecordMetadata>> sent = new ArrayList<>();
        for (ProducerRecord<String, byte[]> r : records) {
            sent.add(producer.send(r));
        }
        producer.flush();
        List<Source> where = new ArrayList<>();
        for (var f : sent) {
            RecordMetadata m = f.get();
            where.add(new Source(m.topic(), m.partition(), m.offset()));
        }
        return where;
    }

    /**
     * Every committed record of the topics, read from the beginning to the end offsets as a {@code read_committed}
     * consumer without a group sees them (the last stable offset: no open transaction may hide data).
     */
    static List<ConsumerRecord<String, byte[]>> readCommitted(EmbeddedKafka kafka, Collection<String> topics) {
        Map<String, Object> c = new HashMap<>(kafka.adminClientConfig());
        c.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        c.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        c.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, 16 << 20);
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(c, new StringDeserializer(),
                new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = new ArrayList<>();
            for (String t : topics) {
                consumer.partitionsFor(t, TIMEOUT).forEach(i -> partitions.add(new TopicPartition(t, i.partition())));
            }
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions, TIMEOUT);
            List<ConsumerRecord<String, byte[]>> out = new ArrayList<>();
            long deadline = System.nanoTime() + TIMEOUT.toNanos();
            while (!end.entrySet().stream().allMatch(e -> consumer.position(e.getKey()) >= e.getValue())) {
                if (System.nanoTime() > deadline) {
                    throw new AssertionError("did not reach end offsets " + end + "; read " + out.size());
                }
                consumer.poll(Duration.ofMillis(100)).forEach(out::add);
            }
            return out;
        }
    }

    /**
     * Waits until the group has committed offsets up to the end of every partition of its input topic, i.e.
     * the stage has accounted for every input record.
     */
    static void awaitConsumed(Admin admin, String group, String topic, Duration timeout) throws Exception {
        int partitions = admin.describeTopics(List.of(topic)).allTopicNames().get().get(topic).partitions().size();
        Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
        for (int p = 0; p < partitions; p++) {
            latest.put(new TopicPartition(topic, p), OffsetSpec.latest());
        }
        Map<TopicPartition, Long> end = new HashMap<>();
        admin.listOffsets(latest).all().get().forEach((tp, info) -> end.put(tp, info.offset()));
        long deadline = System.nanoTime() + timeout.toNanos();
        Map<TopicPartition, OffsetAndMetadata> committed = Map.of();
        while (System.nanoTime() < deadline) {
            committed = admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get();
            Map<TopicPartition, OffsetAndMetadata> now = committed;
            if (end.entrySet().stream().allMatch(e -> e.getValue() == 0
                    || (now.get(e.getKey()) != null && now.get(e.getKey()).offset() >= e.getValue()))) {
                return;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("group " + group + " did not consume " + topic + " to " + end + " in " + timeout
                + "; committed " + committed);
    }

    /** Polls until the condition holds, failing after the timeout. */
    static void await(String what, Duration timeout, java.util.function.BooleanSupplier condition)
            throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for " + what);
            }
            Thread.sleep(20);
        }
    }

    // ---------------------------------------------------------------- dead letters

    static String header(ConsumerRecord<?, ?> r, String name) {
        Header h = r.headers().lastHeader(name);
        return h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
    }

    /** Where the dead letter's headers say its record came from. */
    static Source sourceOf(ConsumerRecord<?, ?> deadLetter) {
        return new Source(header(deadLetter, DeadLetter.SOURCE_TOPIC),
                Integer.parseInt(header(deadLetter, DeadLetter.SOURCE_PARTITION)),
                Long.parseLong(header(deadLetter, DeadLetter.SOURCE_OFFSET)));
    }

    /**
     * Checks a dead letter against the record it came from: same key and bytes, every header present, the
     * stage and error class as expected and a non-blank message.
     */
    static void assertDeadLetter(ConsumerRecord<String, byte[]> letter, ProducerRecord<String, byte[]> original,
            String stage, String errorClass) {
        String where = "dead letter from " + sourceOf(letter);
        assertEquals(original.key(), letter.key(), where + ": key");
        org.junit.jupiter.api.Assertions.assertArrayEquals(original.value(), letter.value(), where + ": value");
        assertEquals(stage, header(letter, DeadLetter.STAGE), where + ": stage");
        assertEquals(errorClass, header(letter, DeadLetter.ERROR_CLASS), where + ": error class");
        String message = header(letter, DeadLetter.MESSAGE);
        org.junit.jupiter.api.Assertions.assertTrue(message != null && !message.isBlank(), where + ": message");
    }
}
