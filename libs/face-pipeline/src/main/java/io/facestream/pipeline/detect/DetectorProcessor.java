package io.facestream.pipeline.detect;

import io.facestream.pipeline.deadletter.DeadLetters;
import io.facestream.pipeline.deadletter.RejectedRecordException;
import io.facestream.pipeline.stage.BatchProcessor;
import io.facestream.pipeline.stage.StageOutput;
import io.facestream.pipeline.topics.Topic;
import io.facestream.pipeline.topics.Topics;
import io.facestream.schema.FaceCrop;
import io.facestream.schema.Frame;
import io.facestream.schema.FrameResult;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/** {@code frames} → {@code faces} + {@code frame-results}, or {@code frames.dlq}. */
public final class DetectorProcessor implements BatchProcessor {

    public static final String STAGE = "detector";

    private final Topics topics;
    private final FrameDetector detector;
    private final StageListener listener;

    public DetectorProcessor(Topics topics, FrameDetector detector, StageListener listener) {
        this.topics = topics;
        this.detector = detector;
        this.listener = listener;
    }

    /** Observes what the stage does, for metrics; no-op by default. */
    public interface StageListener {
        StageListener NONE = new StageListener() { };

        default void frame(int faces, long latencyMs) {
        }

        default void deadLetter(String kind) {
        }
    }

    @Override
    public List<StageOutput> process(List<ConsumerRecord<String, byte[]>> batch) {
        List<StageOutput> out = new ArrayList<>();
        Topic<FaceCrop> faces = topics.faces();
        Topic<FrameResult> results = topics.frameResults();
        for (ConsumerRecord<String, byte[]> r : batch) {
            try {
                FrameDetector.Detection d = detector.detect(topics.frames().decode(r.value()));
                for (FaceCrop f : d.faces()) {
                    out.add(StageOutput.of(faces.name(), f.getCameraId(),
                            faces.encode(f)));
                }
                FrameResult result = d.result();
                out.add(StageOutput.of(results.name(), result.getCameraId(),
                        results.encode(result)));
                listener.frame(d.faces().size(), result.getLatencyMs());
            } catch (RejectedRecordException e) {
                out.add(DeadLetters.of(STAGE, r, e));
                listener.deadLetter(e.kind());
            }
        }
        return out;
    }

}
