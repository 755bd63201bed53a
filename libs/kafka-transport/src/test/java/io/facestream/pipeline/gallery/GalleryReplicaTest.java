package io.facestream.pipeline.gallery;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.facestream.core.gallery.GalleryKey;
import io.facestream.core.gallery.NewIdentity;
import io.facestream.pipeline.topics.Topics;
import io.facestream.schema.GallerySample;
import io.facestream.schema.Identity;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

/** How the replica turns records of the two topics into changes of its state, without a broker. */
class GalleryReplicaTest {

    private static final Topics TOPICS = new Topics(1);
    private long offset;

    private ConsumerRecord<String, byte[]> gallery(String key, GallerySample sample) {
        return new ConsumerRecord<>(TOPICS.gallery().name(), 0, offset++, key,
                sample == null ? null : TOPICS.gallery().encode(sample));
    }

    private ConsumerRecord<String, byte[]> identities(String key, Identity identity) {
        return new ConsumerRecord<>(TOPICS.identities().name(), 0, offset++, key,
                identity == null ? null : TOPICS.identities().encode(identity));
    }

    private static GallerySample sample(String identity, String sampleId) {
        return GalleryRecords.sample(GalleryKey.of(identity, sampleId), new float[] {1, 0}, "m", null, null,
                Instant.EPOCH);
    }

    @Test
    void putsAndTombstonesOfBothTopicsReachTheView() {
        GalleryView view = new GalleryView(2);
        GalleryKey ann1 = GalleryKey.of("ann", "s1");
        assertTrue(GalleryReplica.apply(TOPICS, view, gallery("ann/s1", sample("ann", "s1"))), "a gallery record");
        assertFalse(GalleryReplica.apply(TOPICS, view, identities("ann",
                GalleryRecords.identity(new NewIdentity("ann", "Ann"), Instant.EPOCH))),
                "an identities record does not move the gallery offsets");
        GalleryReplica.apply(TOPICS, view, gallery("ann/s2", sample("ann", "s2")));
        assertEquals(Set.of(ann1, GalleryKey.of("ann", "s2")), view.sampleKeys("ann"));
        assertEquals("Ann", view.identity("ann").orElseThrow().getDisplayName());

        GalleryReplica.apply(TOPICS, view, gallery("ann/s2", null));
        assertEquals(Set.of(ann1), view.sampleKeys("ann"), "a sample's tombstone");
        GalleryReplica.apply(TOPICS, view, identities("ann", null));
        assertTrue(view.identity("ann").isEmpty(), "the person's tombstone");
        assertEquals(0, view.size("m"));
        GalleryReplica.apply(TOPICS, view, gallery("ann/s3", sample("ann", "s3")));
        assertEquals(0, view.size("m"), "a later sample of an erased person stays out");
    }

    @Test
    void aBadRecordIsSkippedAndItsOffsetStillCovered() {
        GalleryView view = new GalleryView(2);
        assertTrue(GalleryReplica.apply(TOPICS, view,
                new ConsumerRecord<>(TOPICS.gallery().name(), 0, 0, "ann/s1", new byte[] {1, 2, 3})), "undecodable");
        assertTrue(GalleryReplica.apply(TOPICS, view, gallery("no-slash", sample("ann", "s1"))), "not identity/sample");
        assertTrue(GalleryReplica.apply(TOPICS, view, gallery(null, null)), "no key");
        assertEquals(0, view.size("m"));
        long before = view.version();
        assertFalse(GalleryReplica.apply(TOPICS, view,
                new ConsumerRecord<>(TOPICS.identities().name(), 0, 0, "ann", new byte[] {1})), "undecodable");
        assertEquals(before, view.version());
    }

    @Test
    void theRetrainersSamplesKeepCropsAndHearOfEveryChange() {
        List<String> told = new ArrayList<>();
        GallerySamples samples = new GallerySamples(new GallerySamples.Listener() {
            @Override
            public void enrolled(GallerySample sample) {
                told.add("enrolled " + GalleryRecords.key(sample));
            }

            @Override
            public void erased(String identityId) {
                told.add("erased " + identityId);
            }
        });
        GalleryReplica.apply(TOPICS, samples, gallery("ann/s1", sample("ann", "s1")));
        GalleryReplica.apply(TOPICS, samples, gallery("bob/s1", sample("bob", "s1")));
        GalleryReplica.apply(TOPICS, samples, gallery("bob/s1", null));
        GalleryReplica.apply(TOPICS, samples, identities("eve", null));
        GalleryReplica.apply(TOPICS, samples, gallery("eve/s1", sample("eve", "s1")));
        assertEquals(List.of("enrolled ann/s1", "enrolled bob/s1", "erased eve"), told);
        assertEquals(Map.of(GalleryKey.of("ann", "s1"), sample("ann", "s1")), samples.all());
        assertTrue(samples.isErased("eve"));
    }
}
