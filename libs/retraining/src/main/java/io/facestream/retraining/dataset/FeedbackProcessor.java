package io.facestream.retraining.dataset;

import io.facestream.core.quality.QualityGate;
import io.facestream.pipeline.deadletter.DeadLetters;
import io.facestream.pipeline.deadletter.RejectedRecordException;
import io.facestream.pipeline.stage.BatchProcessor;
import io.facestream.pipeline.stage.StageOutput;
import io.facestream.pipeline.topics.Topics;
import io.facestream.retraining.crops.KnownCrop;
import io.facestream.schema.Feedback;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * The retrainer's stage: each {@code feedback} record labels its face's crop in the {@link FeedbackDataset}.
 * A record that cannot be used (not Avro, no identity, the face's crop no longer known, or below the enrollment
 * gate: {@code low-quality}) goes to {@code feedback.dlq} with the reason; a disk failure fails the batch, which is then retried (applying a
 * label twice changes nothing: the store is content-addressed).
 */
public final class FeedbackProcessor implements BatchProcessor {

    public static final String STAGE = "retrainer";
    /** Dead-letter kind of a label whose crop is below the enrollment gate. */
    public static final String LOW_QUALITY = "low-quality";

    /** Where a face's crop comes from. */
    @FunctionalInterface
    public interface CropLookup {
        Optional<KnownCrop> crop(String faceId) throws InterruptedException;
    }

    private final Topics topics;
    private final FeedbackDataset dataset;
    private final CropLookup crops;
    private final QualityGate gate;

    /**
     * @param enrollmentGate a labelled crop below it is not trained on (crops without a measured quality, from
     *     before the detector measured it, are let through)
     */
    public FeedbackProcessor(Topics topics, FeedbackDataset dataset, CropLookup crops, QualityGate enrollmentGate) {
        this.topics = topics;
        this.dataset = dataset;
        this.crops = crops;
        this.gate = enrollmentGate;
    }

    @Override
    public List<StageOutput> process(List<ConsumerRecord<String, byte[]>> batch) {
        List<StageOutput> out = new ArrayList<>();
        for (ConsumerRecord<String, byte[]> r : batch) {
            try {
                Feedback f = topics.feedback().decode(r.value());
                KnownCrop crop = crops.crop(f.getFaceId()).orElseThrow(() -> new RejectedRecordException(
                        "crop-unavailable", "the crop of face " + f.getFaceId() + " is no longer known"));
                Optional<String> refusal = crop.quality().flatMap(gate::refusal);
                if (refusal.isPresent()) {
                    throw new RejectedRecordException(LOW_QUALITY, "the crop of face " + f.getFaceId()
                            + " is below the enrollment gate: " + refusal.get());
                }
                try {
                    dataset.apply(f, crop.png());
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
