package io.facestream.retraining.dataset;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.facestream.core.quality.FaceQuality;
import io.facestream.core.quality.QualityGate;
import io.facestream.pipeline.deadletter.DeadLetter;
import io.facestream.pipeline.stage.StageOutput;
import io.facestream.pipeline.topics.Topics;
import io.facestream.retraining.crops.KnownCrop;
import io.facestream.schema.Feedback;
import io.facestream.schema.GallerySample;
import io.facestream.schema.Verdict;
import io.facestream.training.dataset.LabelledFaces;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Labels become faces, negatives and erasures; what cannot be used is dead-lettered with the reason. */
class FeedbackProcessorTest {

    private static final Topics TOPICS = new Topics(1);
    private static final byte[] FACE_1 = {1, 1, 1};
    private static final byte[] FACE_2 = {2, 2, 2};
    private static final byte[] FACE_3 = {3, 3, 3};
    private static final byte[] FACE_4 = {4, 4, 4};
    private static final QualityGate ENROLLMENT = new QualityGate(48, 40, 0.2, 0.4);
    private static final Map<String, KnownCrop> CROPS = Map.of("f1", crop(FACE_1, null), "f2", crop(FACE_2, null),
            "f3", crop(FACE_3, new FaceQuality(0.9, 90, 110, 300, 0.8)),
            "f4", crop(FACE_4, new FaceQuality(0.3, 22, 28, 300, 0.8)));

    @TempDir
    Path dir;

    @Test
    void verdictsBecomeFacesAndHardNegativesAndUnusableRecordsAreDeadLettered() throws Exception {
        FeedbackDataset dataset = new FeedbackDataset(new LabelledFaces(dir));
        FeedbackProcessor processor = new FeedbackProcessor(TOPICS, dataset, id -> Optional.ofNullable(CROPS.get(id)),
                ENROLLMENT);
        List<ConsumerRecord<String, byte[]>> batch = List.of(
                record(0, feedback("f1", Verdict.CONFIRM, "ann")),
                record(1, feedback("f2", Verdict.NEW_IDENTITY, "bob")),
                record(2, feedback("f1", Verdict.RELABEL, "bob")),        // f1 was ann's; now it is bob's only
                record(3, feedback("f3", Verdict.NOT_THIS_PERSON, "ann")),
                record(4, feedback("gone", Verdict.CONFIRM, "ann")),      // crop no longer known
                record(5, feedback("f3", Verdict.CONFIRM, null)),         // names nobody
                record(6, "not avro".getBytes(StandardCharsets.UTF_8)),
                record(7, feedback("f4", Verdict.CONFIRM, "ann")));       // a 22x28 px face: not for training

        List<StageOutput> out = processor.process(batch);

        LabelledFaces faces = dataset.faces();
        assertEquals(Map.of("bob", 2L), faces.counts(), "ann's only face was relabelled to bob");
        assertEquals(1, faces.negativesOf("ann").size());
        assertTrue(Files.readAllBytes(faces.negativesOf("ann").get(0)).length == 3);
        assertEquals(4, dataset.labelledSinceTraining());
        assertEquals(List.of("crop-unavailable", "bad-label", "not-avro", "low-quality"), out.stream()
                .map(o -> new String(o.headers().get(DeadLetter.ERROR_CLASS), StandardCharsets.UTF_8)).toList());
        assertEquals("the crop of face f4 is below the enrollment gate: face too small: 22x28 px, minimum 48",
                new String(out.get(3).headers().get(DeadLetter.MESSAGE), StandardCharsets.UTF_8));
        assertTrue(out.stream().allMatch(o -> o.topic().equals("feedback.dlq")));
        assertEquals("4", new String(out.get(0).headers().get(DeadLetter.SOURCE_OFFSET), StandardCharsets.UTF_8));
    }

    @Test
    void anErasedPersonStaysErasedWhateverArrivesLater() throws Exception {
        FeedbackDataset dataset = new FeedbackDataset(new LabelledFaces(dir));
        FeedbackProcessor processor = new FeedbackProcessor(TOPICS, dataset, id -> Optional.ofNullable(CROPS.get(id)),
                ENROLLMENT);
        processor.process(List.of(record(0, feedback("f1", Verdict.CONFIRM, "ann"))));
        dataset.addEnrollment(sample("ann", FACE_2));
        assertEquals(Map.of("ann", 2L), dataset.faces().counts());

        dataset.erase("ann");
        processor.process(List.of(record(1, feedback("f3", Verdict.CONFIRM, "ann"))));
        dataset.addEnrollment(sample("ann", FACE_3));

        assertEquals(Map.of(), dataset.faces().counts(), "a replayed or late label does not bring ann back");
        dataset.trainingStarted();
        assertEquals(0, dataset.labelledSinceTraining());
        assertThrows(IllegalArgumentException.class, () -> dataset.apply(
                TOPICS.feedback().decode(feedback("f1", Verdict.CONFIRM, " ")), FACE_1));
    }

    private static KnownCrop crop(byte[] png, FaceQuality quality) {
        return new KnownCrop(png, Optional.ofNullable(quality));
    }

    private static byte[] feedback(String faceId, Verdict verdict, String identityId) {
        return TOPICS.feedback().encode(Feedback.newBuilder().setFeedbackId("fb-" + faceId + verdict)
                .setFaceId(faceId).setVerdict(verdict).setIdentityId(identityId).setOperator("op")
                .setAt(Instant.EPOCH).build());
    }

    private static GallerySample sample(String identityId, byte[] crop) {
        return GallerySample.newBuilder().setIdentityId(identityId).setSampleId("s-" + crop[0])
                .setVector(List.of(1f)).setModelVersion("v0").setEnrolledAt(Instant.EPOCH)
                .setAlignedCrop(ByteBuffer.wrap(crop)).build();
    }

    private static ConsumerRecord<String, byte[]> record(long offset, byte[] value) {
        return new ConsumerRecord<>("feedback", 0, offset, "key", value);
    }
}
