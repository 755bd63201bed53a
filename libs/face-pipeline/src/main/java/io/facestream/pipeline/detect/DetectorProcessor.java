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
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * {@code frames} → {@code faces} + {@code frame-results}, or {@code frames.dlq}. Each camera's newest frame of
 * a batch is never shed, so a detector that has fallen behind still shows the present of every camera.
 */
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

        /** A frame the detector ran on. */
        default void frame(int faces, long latencyMs) {
        }

        /** A frame the detector skipped; it still got its FrameResult. */
        default void skipped(String cameraId, SkipReason reason) {
        }

        /** Faces found but not emitted, below the embedding gate. */
        default void belowQualityGate(int faces) {
        }

        default void deadLetter(String kind) {
        }
    }

    /** A record of the batch, decoded, or the reason it is not a frame. */
    private record Input(ConsumerRecord<String, byte[]> record, Frame frame, RejectedRecordException rejected) {
    }

    @Override
    public List<StageOutput> process(List<ConsumerRecord<String, byte[]>> batch) {
        List<Input> inputs = new ArrayList<>(batch.size());
        // camera → index of its newest frame (latest capture time; the later record on a tie)
        Map<String, Integer> newest = new HashMap<>();
        for (ConsumerRecord<String, byte[]> r : batch) {
            try {
                Frame frame = topics.frames().decode(r.value());
                int index = inputs.size();
                inputs.add(new Input(r, frame, null));
                if (frame.getCameraId() != null) {
                    newest.merge(frame.getCameraId(), index, (a, b) -> capturedAt(inputs, b) >= capturedAt(inputs, a)
                            ? b : a);
                }
            } catch (RejectedRecordException e) {
                inputs.add(new Input(r, null, e));
            }
        }
        List<StageOutput> out = new ArrayList<>();
        for (int i = 0; i < inputs.size(); i++) {
            Input in = inputs.get(i);
            try {
                if (in.rejected() != null) {
                    throw in.rejected();
                }
                boolean sheddable = !Integer.valueOf(i).equals(newest.get(in.frame().getCameraId()));
                emit(detector.detect(in.frame(), sheddable), in.record(), out);
            } catch (RejectedRecordException e) {
                out.add(DeadLetters.of(STAGE, in.record(), e));
                listener.deadLetter(e.kind());
            }
        }
        return out;
    }

    private void emit(FrameDetector.Detection d, ConsumerRecord<String, byte[]> frame, List<StageOutput> out) {
        Topic<FaceCrop> faces = topics.faces();
        Topic<FrameResult> results = topics.frameResults();
        for (FaceCrop f : d.faces()) {
            out.add(StageOutput.of(faces.name(), f.getCameraId(), faces.encode(f)));
        }
        FrameResult result = d.result();
        // where the frame is, so the dashboard can read one back without following the whole frames topic
        result.setFramePartition(frame.partition());
        result.setFrameOffset(frame.offset());
        out.add(StageOutput.of(results.name(), result.getCameraId(), results.encode(result)));
        if (d.skipped().isPresent()) {
            listener.skipped(result.getCameraId(), d.skipped().get());
        } else {
            listener.frame(d.faces().size(), result.getLatencyMs());
            if (result.getBelowQualityGate() > 0) {
                listener.belowQualityGate(result.getBelowQualityGate());
            }
        }
    }

    private static long capturedAt(List<Input> inputs, int index) {
        return inputs.get(index).frame().getCapturedAt().toEpochMilli();
    }
}
