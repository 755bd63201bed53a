package io.facestream.retraining.dataset;

import io.facestream.pipeline.deadletter.DeadLetters;
import io.facestream.pipeline.deadletter.RejectedRecordException;
import io.facestream.pipeline.stage.BatchProcessor;
import io.facestream.pipeline.stage.StageOutput;
import io.facestream.pipeline.topics.Topics;
import io.facestream.schema.Feedback;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * The retrainer's stage: each {@code feedback} record labels its face's crop in the {@link FeedbackDataset}.
 * A record that cannot be used (not Avro, no identity, the face's crop no longer known) goes to
 * {@code feedback.dlq} with the reason; a disk failure fails the batch, which is then retried (applying a
 * label twice changes nothing: the store is content-addressed).
 */
public final class FeedbackProcessor implements BatchProcessor {

    public static final String STAGE = "retrainer";

    /** Where a face's crop comes from. */
    @FunctionalInterface
    public interface CropLookup {
        Optional<byte[]> crop(String faceId) throws InterruptedException;
    }

    private final Topics topics;
    private final FeedbackDataset dataset;
    private final CropLookup crops;

    public FeedbackProcessor(Topics topics, FeedbackDataset dataset, CropLookup crops) {
        this.topics = topics;
        this.dataset = dataset;
        this.crops = crops;
    }

    @Override
    public List<StageOutput> process(List<ConsumerRecord<String, byte[]>> batch) {
        List<StageOutput> out = new ArrayList<>();
        for (ConsumerRecord<String, byte[]> r : batch) {
            try {
                Feedback f = topics.feedback().decode(r.value());
                byte[] crop = crops.crop(f.getFaceId()).orElseThrow(() -> new RejectedRecordException(
                        "crop-unavailable", "the crop of face " + f.getFaceId() + " is no longer known"));
                try {
                    dataset.apply(f, crop);
                } catch (IllegalArgumentException e) {
                    throw new RejectedRecordException("bad-label", e.getMessage(), e);
                }
            } catch (RejectedRecordException e) {
                out.add(DeadLetters.of(STAGE, r, e));
            } catch (IOException e) {
                throw new UncheckedIOException("could not store a labelled face", e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted", e);
            }
        }
        return out;
    }
}
