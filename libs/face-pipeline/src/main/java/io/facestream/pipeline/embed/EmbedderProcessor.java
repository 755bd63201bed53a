package io.facestream.pipeline.embed;

import io.facestream.pipeline.deadletter.DeadLetters;
import io.facestream.pipeline.deadletter.RejectedRecordException;
import io.facestream.pipeline.stage.BatchProcessor;
import io.facestream.pipeline.stage.StageOutput;
import io.facestream.pipeline.topics.Topic;
import io.facestream.pipeline.topics.Topics;
import io.facestream.schema.FaceCrop;
import io.facestream.schema.FaceEmbedding;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * {@code faces} → {@code embeddings}, or {@code faces.dlq}; the whole polled batch goes through the network at
 * once. The embedder is looked up per batch, so a new active model takes effect between two batches.
 */
public final class EmbedderProcessor implements BatchProcessor {

    public static final String STAGE = "embedder";

    private final Topics topics;
    private final Supplier<CropEmbedder> embedder;

    public EmbedderProcessor(Topics topics, Supplier<CropEmbedder> embedder) {
        this.topics = topics;
        this.embedder = embedder;
    }

    @Override
    public List<StageOutput> process(List<ConsumerRecord<String, byte[]>> batch) {
        List<StageOutput> out = new ArrayList<>();
        List<FaceCrop> crops = new ArrayList<>();
        // By identity: Avro records are equal by value, and two identical records (a re-send upstream) must
        // each keep their own source offset in their dead letters.
        Map<FaceCrop, ConsumerRecord<String, byte[]>> sources = new IdentityHashMap<>();
        for (ConsumerRecord<String, byte[]> r : batch) {
            try {
                FaceCrop crop = topics.faces().decode(r.value());
                crops.add(crop);
                sources.put(crop, r);
            } catch (RejectedRecordException e) {
                out.add(DeadLetters.of(STAGE, r, e));
            }
        }
        Topic<FaceEmbedding> embeddings = topics.embeddings();
        for (CropEmbedder.Outcome o : embedder.get().embed(crops)) {
            if (o.rejected()) {
                out.add(DeadLetters.of(STAGE, sources.get(o.crop()), o.rejection()));
            } else {
                out.add(StageOutput.of(embeddings.name(), o.embedding().getCameraId(),
                        embeddings.encode(o.embedding())));
            }
        }
        return out;
    }

}
